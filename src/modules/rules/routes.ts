import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertCan } from '../../platform/access/policy.ts';
import { problem } from '../../platform/errors/handler.ts';
import { caseInputSchema, evaluate, legalStatusCodes, parseCase, ruleCatalogue } from '../../domain/rules/index.ts';

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

export function rulesRoutes(app: FastifyInstance): void {
  /** The rule catalogue, for practitioners and lawyers alike. Public: it holds no personal data. */
  app.get('/rules', { config: { public: true } }, async (_request, reply) =>
    reply.render('modules/rules/views/rules.njk', {
      title: 'Section 117 rules and their sources',
      rules: ruleCatalogue,
      legalStatusCodes,
    }),
  );

  app.post(
    '/api/v1/rules/evaluate',
    {
      schema: {
        tags: ['rules'],
        summary: 'Evaluate a legal history with the section 117 rules engine',
        description:
          'Pure and deterministic: the same input always gives the same decision, which is exactly what `npx aftercare rules evaluate` prints. Nothing is stored. See docs/rules.md for the contract (version 1).',
        body: caseInputSchema,
        response: { 422: problemSchema, 401: problemSchema, 403: problemSchema },
      },
      // The engine's own parser gives field-pathed errors, including the checks a schema cannot express.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      assertCan(ctx.actor, 'rules:evaluate');
      const parsed = parseCase(request.body);
      if (!parsed.ok) return problem(reply, parsed.problem);
      return reply.send(evaluate(parsed.value));
    },
  );
}
