import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organisationTypes } from '../../platform/access/actor.ts';
import { listOrganisations } from './organisations.service.ts';

const organisationSchema = z.object({
  id: z.uuid(),
  type: z.enum(organisationTypes),
  code: z.string().describe('ONS GSS code for local authorities; ODS code for ICBs, trusts and providers'),
  name: z.string(),
  isLead: z.boolean().describe('The organisation that hosts the partnership'),
  active: z.boolean(),
});

export function adminApiRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'List the organisations in the partnership, with their official codes',
        response: { 200: z.object({ organisations: z.array(organisationSchema) }) },
      },
    },
    async (request) => {
      const rows = await listOrganisations(request.ctx());
      return { organisations: rows.map((o) => ({ id: o.id, type: o.type, code: o.code, name: o.name, isLead: o.isLead, active: o.active })) };
    },
  );
}
