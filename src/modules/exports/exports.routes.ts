import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors/errors.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { assertCanReadPeople, exportMonthlyReturn, MAX_FHIR_PEOPLE, personFhirBundle, registerFhirBundle } from './exports.service.ts';
import { monthBounds, RETURN_LAYOUT_VERSION, returnCsv, returnFilename, returnXlsx } from './monthly-return.ts';

/*
 * Exports (issue 7, item 5): the monthly partnership return as CSV or XLSX, the register and
 * each person as a FHIR R4 Bundle. Every download is audited.
 */

const v = (name: string) => `modules/exports/views/${name}.njk`;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** The month before the current one: the usual month to return. */
export function previousMonth(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const prev = m === 1 ? { y: y - 1, m: 12 } : { y, m: m - 1 };
  return `${prev.y}-${String(prev.m).padStart(2, '0')}`;
}

const first = (value: unknown): string | undefined => (Array.isArray(value) ? first(value[0]) : typeof value === 'string' ? value.trim() : undefined);

function monthProblem(month: string): string | null {
  try {
    monthBounds(month);
    return null;
  } catch {
    return 'Enter the month as year and month, like 2026-01';
  }
}

export function exportsRoutes(app: FastifyInstance): void {
  exportsApiRoutes(app);
  app.get('/exports', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const exampleMonth = previousMonth(ctx.today());
    const month = first(query.month) || exampleMonth;
    const monthError = monthProblem(month);
    if (monthError) reply.status(422);
    return reply.render(v('exports'), {
      title: 'Exports',
      month,
      exampleMonth,
      monthError,
      maxFhir: MAX_FHIR_PEOPLE.toLocaleString('en-GB'),
      errors: monthError ? [{ text: monthError, href: '#month' }] : [],
    });
  });

  app.get('/exports/monthly-return', async (request, reply) => {
    const ctx = request.ctx();
    assertCanReadPeople(ctx);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const month = first(query.month) ?? '';
    const format = first(query.format) ?? 'csv';
    const problem = monthProblem(month);
    if (problem) throw new InputError([{ path: 'month', message: problem }]);
    if (format !== 'csv' && format !== 'xlsx') throw new InputError([{ path: 'format', message: 'Choose the format csv or xlsx' }]);
    const ret = await exportMonthlyReturn(ctx, month, format);
    reply
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="${returnFilename(month, format)}"`)
      .header('Cache-Control', 'no-store');
    return reply.send(format === 'csv' ? returnCsv(ret) : returnXlsx(ret, ctx.actor.displayName));
  });

  app.get('/exports/register.fhir.json', async (request, reply) => {
    const ctx = request.ctx();
    const body = await registerFhirBundle(ctx);
    reply
      .header('Content-Type', FHIR_JSON)
      .header('Content-Disposition', `attachment; filename="aftercare-register-${ctx.today()}.fhir.json"`)
      .header('Cache-Control', 'no-store');
    return reply.send(JSON.stringify(body));
  });
}

export function exportsApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const count = z.number().int();
  api.get(
    '/api/v1/assurance/monthly-return',
    {
      schema: {
        tags: ['assurance'],
        summary: 'The monthly partnership return',
        description:
          'The monthly return (docs/monthly-return.md) as JSON: one line per responsible local authority, counted over the people the caller may see (a user’s organisations and relationships; an API token’s organisation), money in pence. The same figures as the CSV and XLSX downloads on the Exports page; each request is recorded in the audit trail like a download.',
        querystring: z.object({ month: z.string().describe('The month, YYYY-MM, like 2026-11') }).partial(),
        response: {
          200: z.object({
            layoutVersion: z.string(),
            month: z.string(),
            first: z.string().describe('The first day of the month'),
            last: z.string().describe('The last day of the month'),
            lines: z.array(
              z.object({
                localAuthorityCode: z.string().nullable(),
                localAuthorityName: z.string(),
                entitledAtMonthEnd: count,
                newEntitlementsInMonth: count,
                endingsInMonth: count,
                reviewsOverdueAtMonthEnd: count,
                reviewsHeldInMonth: count,
                approvedPlansAtMonthEnd: count,
                weeklyCostLocalAuthorityPence: count,
                weeklyCostIcbPence: count,
                weeklyCostTotalPence: count,
                openDisputesAtMonthEnd: count,
                peopleWithDirectPayment: count,
                peopleWithPersonalHealthBudget: count,
              }),
            ),
          }),
          401: problemSchema.describe('No valid API token or session'),
          403: problemSchema.describe('No permission to read the register'),
          422: problemSchema.describe('The month is missing or not a real month'),
        },
      },
    },
    async (request) => {
      const ctx = request.ctx();
      assertCanReadPeople(ctx);
      const month = request.query.month?.trim() ?? '';
      const problem = month === '' ? 'Enter the month as year and month, like 2026-01' : monthProblem(month);
      if (problem) throw new InputError([{ path: 'month', message: problem }]);
      const ret = await exportMonthlyReturn(ctx, month, 'json');
      return { layoutVersion: RETURN_LAYOUT_VERSION, month: ret.month, first: ret.first, last: ret.last, lines: ret.lines };
    },
  );

  api.get(
    '/api/v1/people/:id/fhir',
    {
      schema: {
        tags: ['people'],
        summary: 'The person as a FHIR R4 Bundle',
        description:
          'A Bundle of type "collection": a UK Core Patient (NHS number), an EpisodeOfCare for each section 117 entitlement episode (with the qualifying legal status code) and a CarePlan for the current approved plan. See docs/fhir.md. The read is recorded in the audit trail like any other read of the record.',
        params: z.object({ id: z.string().describe('The person’s id (a UUID)') }),
        response: {
          200: z.looseObject({ resourceType: z.literal('Bundle'), type: z.literal('collection') }).describe('FHIR R4 Bundle (application/fhir+json)'),
          401: problemSchema.describe('No valid API token or session'),
          403: problemSchema.describe('No relationship with this person, or no permission'),
          404: problemSchema.describe('No such person in the partnership'),
        },
      },
    },
    async (request, reply) => {
      const body = await personFhirBundle(request.ctx(), request.params.id);
      void reply.header('Content-Type', FHIR_JSON);
      return body as { resourceType: 'Bundle'; type: 'collection' };
    },
  );
}
