import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chronologyKinds } from '../../domain/chronology.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { chronologyPage } from './chronology.service.ts';

/*
 * GET /api/v1/people/{id}/chronology (issue 15, item 2): the same entries, filters and access rules
 * as the page (restricted case notes by the notes' own rule), a page of 50 at a time, newest
 * first; `next` is the cursor of the next page. Audited as a view of the person's record.
 */
const entrySchema = z
  .object({
    at: z.string().describe('When it happened, ISO 8601 (an entry with a date only is midnight in England)'),
    timed: z.boolean().describe('Whether a time of day was recorded'),
    date: z.string().describe('The day in England, written like "4 December 2026"'),
    kind: z.enum(chronologyKinds),
    kindLabel: z.string().describe('The kind in plain English'),
    id: z.string().describe('Unique within its kind'),
    title: z.string().describe('What happened, in plain English'),
    summary: z.string().describe('A line or two of detail, or ""'),
    significant: z.boolean(),
    href: z.string().describe('The item’s page in the app'),
  })
  .describe('One entry of the chronology');

const pageSchema = z
  .object({
    entries: z.array(entrySchema),
    next: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page'),
    filter: z.string().describe('The filters applied, in plain English'),
  })
  .describe('A page of the person’s chronology, newest first');

export function chronologyApiRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/people/:id/chronology',
    {
      schema: {
        tags: ['people'],
        summary: 'The person’s chronology: every kind of entry merged in date order, newest first',
        description:
          'Legal events, entitlement episodes, plan versions, reviews, meetings, case notes, documents, tasks, information given, endings, panel cases and disputes. Filter by `kind` (repeat it for several), `significant=true` and `q` (case-insensitive words in the title or summary); page with `cursor`. Restricted case notes appear only for the roles the partnership chose. The view is recorded in the audit trail.',
        params: z.object({ id: z.string().describe('The person’s id (a UUID)') }),
        querystring: z.object({
          kind: z.union([z.string(), z.array(z.string())]).optional().describe(`Only these kinds: ${chronologyKinds.join(', ')}`),
          significant: z.string().optional().describe('"true" for significant entries only'),
          q: z.string().optional().describe('Words to find in the title or summary'),
          cursor: z.string().optional().describe('The `next` of the page before'),
        }),
        response: {
          200: pageSchema,
          401: problemSchema.describe('No valid API token or session'),
          403: problemSchema.describe('The token’s organisation has no relationship with this person'),
          404: problemSchema.describe('No such person in the partnership'),
          422: problemSchema.describe('A filter is not valid; `errors` names it'),
        },
      },
    },
    async (request) => {
      const page = await chronologyPage(request.ctx(), request.params.id, request.query, 'api');
      return {
        entries: page.entries.map((e) => ({ at: e.at, timed: e.timed, date: e.date, kind: e.kind, kindLabel: e.kindLabel, id: e.id, title: e.title, summary: e.summary, significant: e.significant, href: e.href })),
        next: page.next,
        filter: page.filterText,
      };
    },
  );
}
