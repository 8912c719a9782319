/**
 * The chronology's pages (issue 15, item 2): the paged list with its filter panel, a print view
 * and the PDF and XLSX downloads, all honouring the same filters. Thin: each handler calls
 * chronology.service.ts and renders. Everything works without JavaScript (the filter panel is a
 * GET form; the next page is a link).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { chronologyKindLabels, chronologyKinds, type ChronologyFilter } from '../../domain/chronology.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { fileNameFor } from '../documents/index.ts';
import { chronologyForDownload, chronologyPage, type RawChronologyQuery } from './chronology.service.ts';
import { chronologyDocument, chronologyFacts, chronologyTitle, chronologyWorkbook } from './downloads.ts';

const v = (name: string) => `modules/chronology/views/${name}.njk`;

/** The filters as a query string (for the next page and the downloads). */
export function filterQuery(filter: ChronologyFilter, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const k of filter.kinds) params.append('kind', k);
  if (filter.significantOnly) params.set('significant', 'yes');
  if (filter.search) params.set('q', filter.search);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

type Params = { Params: { id: string }; Querystring: RawChronologyQuery };

async function renderPage(request: { ctx: () => Parameters<typeof chronologyPage>[0]; params: { id: string } }, reply: FastifyReply, raw: RawChronologyQuery, errors?: GovukErrors) {
  const page = await chronologyPage(request.ctx(), request.params.id, raw);
  const name = `${page.person.givenName} ${page.person.familyName}`;
  const base = `/people/${page.person.id}/chronology`;
  const query = filterQuery(page.filter);
  return reply.render(v('chronology'), {
    title: `Chronology: ${name}`,
    name,
    nhsNumber: formatNhsNumber(page.person.nhsNumber),
    personId: page.person.id,
    entries: page.entries,
    filter: page.filter,
    filterText: page.filterText,
    filtered: page.filterText !== 'All entries',
    later: page.later,
    kindItems: chronologyKinds.map((k) => ({ value: k, text: chronologyKindLabels[k], checked: page.filter.kinds.includes(k) })),
    nextHref: page.next ? `${base}${filterQuery(page.filter, page.next)}` : null,
    firstHref: `${base}${query}`,
    printHref: `${base}/print${query}`,
    pdfHref: `${base}.pdf${query}`,
    xlsxHref: `${base}.xlsx${query}`,
    errors,
    breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${page.person.id}` }],
  });
}

export function chronologyRoutes(app: FastifyInstance): void {
  app.get<Params>('/people/:id/chronology', async (request, reply) => {
    try {
      return await renderPage(request, reply, request.query);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // A filter that is not one of ours: the whole chronology, with the error summary saying what was wrong.
      reply.status(422);
      return renderPage(request, reply, {}, toGovukErrors(error.issues, { kind: 'kind', q: 'q', significant: 'significant' }));
    }
  });

  app.get<Params>('/people/:id/chronology/print', async (request, reply) => {
    const doc = await chronologyForDownload(request.ctx(), request.params.id, request.query, 'print');
    return reply.render(v('chronology-print'), {
      title: chronologyTitle(doc),
      entries: doc.entries,
      facts: chronologyFacts(doc),
      back: `/people/${doc.person.id}/chronology${filterQuery(doc.filter)}`,
    });
  });

  app.get<Params>('/people/:id/chronology.pdf', async (request, reply) => {
    const ctx = request.ctx();
    const doc = await chronologyForDownload(ctx, request.params.id, request.query, 'pdf');
    const content = await renderPdf(chronologyDocument(doc));
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${fileNameFor(`chronology-${doc.person.familyName}`, ctx.today())}"`)
      .header('Cache-Control', 'no-store')
      .send(content);
  });

  app.get<Params>('/people/:id/chronology.xlsx', async (request, reply) => {
    const ctx = request.ctx();
    const doc = await chronologyForDownload(ctx, request.params.id, request.query, 'xlsx');
    const content = await chronologyWorkbook(doc);
    return reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="${fileNameFor(`chronology-${doc.person.familyName}`, ctx.today(), 'xlsx')}"`)
      .header('Cache-Control', 'no-store')
      .send(content);
  });
}
