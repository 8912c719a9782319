/**
 * Import of an existing register (issue 7, item 6): upload → mapping → dry run → apply. Thin:
 * each handler reads the form and calls imports.service.ts. Works without JavaScript: the
 * upload is a plain multipart form (its CSRF token travels as a form field, checked by the
 * platform's preHandler once multipart has put the fields on the body), and the page of an
 * import being applied refreshes itself with a meta refresh and has a Refresh link.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pagination } from '../../platform/views/pagination.ts';
import { importFieldLabels, importFields, requiredFields, type ImportField } from '../../domain/legacy-register.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { can } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asString, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import {
  checkImport,
  createImport,
  getImport,
  importableOrganisations,
  importOptions,
  listImports,
  listMappings,
  rejectionFile,
  rowsPage,
  startApply,
  type ImportRow,
  type NoEntitlementChoice,
} from './imports.service.ts';
import { queueApply } from './jobs.ts';
import type { Outcome } from './plan.ts';
import { readUpload, UploadFormatError } from './read-file.ts';

const v = (name: string) => `modules/imports/views/${name}.njk`;

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

interface UploadedFile {
  filename: string;
  data: Buffer;
}

const outcomeLabels: Record<Outcome, string> = { create: 'Create', update: 'Update', unchanged: 'Unchanged', reject: 'Rejected' };
const statusLabels: Record<ImportRow['status'], string> = { uploaded: 'Uploaded, not checked', checked: 'Checked (dry run)', applying: 'Importing', applied: 'Imported', failed: 'Not imported' };
const pageSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1);

function assertMayImport(request: FastifyRequest) {
  const ctx = request.ctx();
  // Organisation-scoped: the actor must hold it for at least one of their organisations.
  if (!ctx.actor.memberships.some((m) => can(ctx.actor, 'register:import', { partnershipId: ctx.actor.partnershipId, organisationId: m.organisationId }))) throw new ForbiddenError();
  return ctx;
}


async function renderUpload(request: FastifyRequest, reply: FastifyReply, errors?: unknown, selectedOrg?: string) {
  const ctx = assertMayImport(request);
  const organisations = await importableOrganisations(ctx);
  const imports = await listImports(ctx);
  const selected = selectedOrg ?? (organisations.some((o) => o.id === ctx.actor.activeOrganisationId) ? ctx.actor.activeOrganisationId : organisations[0]?.id);
  return reply.render(v('upload'), {
    title: 'Import an existing register',
    organisationItems: organisations.map((o) => ({ value: o.id, text: `${o.name} (${o.code})`, selected: o.id === selected })),
    singleOrganisation: organisations.length === 1 ? organisations[0] : null,
    imports: imports.map((i) => ({ ...i, statusLabel: statusLabels[i.status], counts: i.counts as Partial<Record<Outcome, number>> })),
    errors,
    maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
  });
}

function mappingItems(headings: string[], selected: string | undefined, field: ImportField) {
  return [
    { value: '', text: requiredFields.includes(field) ? 'Select a column' : 'Not in this file' },
    ...headings.map((h) => ({ value: h, text: h, selected: h === selected })),
  ];
}

async function renderMapping(
  request: FastifyRequest,
  reply: FastifyReply,
  row: ImportRow,
  values: { columns: Record<string, string>; dayFirst: boolean; noEntitlement: NoEntitlementChoice; saveAs: string; mappingId?: string },
  errors?: unknown,
) {
  const ctx = request.ctx();
  const options = importOptions(row);
  const mappings = await listMappings(ctx);
  return reply.render(v('mapping'), {
    title: 'Match the columns',
    row,
    headings: options.headings,
    fields: importFields.map((f) => ({
      field: f,
      label: importFieldLabels[f],
      required: requiredFields.includes(f),
      items: mappingItems(options.headings, values.columns[f], f),
      error: errors ? (errors as { fields: Record<string, { text: string }> }).fields[`columns.${f}`] : undefined,
    })),
    mappingItems: [{ value: '', text: 'Choose a saved mapping' }, ...mappings.map((m) => ({ value: m.id, text: m.name, selected: m.id === values.mappingId }))],
    hasMappings: mappings.length > 0,
    dayFirst: values.dayFirst,
    noEntitlement: values.noEntitlement,
    saveAs: values.saveAs,
    errors,
  });
}

function columnsFrom(body: FormBody): Record<string, string> {
  return Object.fromEntries(importFields.map((f) => [f, asString(body[`column-${f}`])]));
}

export function importRoutes(app: FastifyInstance): void {
  app.get('/admin/import', async (request, reply) => renderUpload(request, reply));

  // Multipart only here: the upload form's fields (its _csrf token too) become the body.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 },
      async onFile(part) {
        const data = await part.toBuffer();
        (part as unknown as { value: UploadedFile }).value = { filename: part.filename, data };
      },
    });
    scope.post('/admin/import', async (request, reply) => {
      const ctx = assertMayImport(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const organisationId = typeof body.organisationId === 'string' ? body.organisationId : '';
      const file = body.file as UploadedFile | undefined;
      const fail = (message: string, path = 'file') => {
        reply.status(422);
        return renderUpload(request, reply, toGovukErrors([{ path, message }]), organisationId);
      };
      const organisations = await importableOrganisations(ctx);
      if (!organisations.some((o) => o.id === organisationId)) return fail('Select the organisation the register belongs to', 'organisationId');
      if (!file || typeof file !== 'object' || !file.filename || file.data.length === 0) return fail('Select the register file (XLSX or CSV)');
      if (!/\.(xlsx|csv)$/i.test(file.filename)) return fail('The file must be an Excel workbook (.xlsx) or a CSV file (.csv)');
      try {
        const read = await readUpload(file.data, file.filename);
        const created = await createImport(ctx, read, file.filename, organisationId);
        return await reply.redirect(`/admin/import/${created.id}/mapping`);
      } catch (error) {
        if (error instanceof UploadFormatError) return fail(error.message);
        if (error instanceof InputError) return fail(error.issues[0]?.message ?? 'The file cannot be imported');
        throw error;
      }
    });
  });

  app.get<{ Params: { id: string }; Querystring: { mapping?: string } }>('/admin/import/:id/mapping', async (request, reply) => {
    const ctx = assertMayImport(request);
    const row = await getImport(ctx, request.params.id);
    const saved = request.query.mapping ? (await listMappings(ctx)).find((m) => m.id === request.query.mapping) : undefined;
    const columns = (saved?.columns ?? row.columns) as Record<string, string>;
    const options = importOptions(row);
    // A saved mapping's headings that this file does not have are left unselected.
    const usable = Object.fromEntries(Object.entries(columns).filter(([, h]) => options.headings.includes(h)));
    const dayFirst = saved ? (saved.options as { dayFirst?: boolean }).dayFirst !== false : options.dayFirst;
    const noEntitlement = saved ? ((saved.options as { noEntitlement?: string }).noEntitlement === 'accept' ? 'accept' : 'reject') : options.noEntitlement;
    return renderMapping(request, reply, row, { columns: usable, dayFirst, noEntitlement, saveAs: saved?.name ?? '', mappingId: saved?.id });
  });

  app.post<{ Params: { id: string } }>('/admin/import/:id/mapping', async (request, reply) => {
    const ctx = assertMayImport(request);
    const row = await getImport(ctx, request.params.id);
    const body = formBody(request.body);
    const columns = columnsFrom(body);
    const dayFirst = asString(body.dayFirst) !== 'false';
    const choice = asString(body.noEntitlement);
    const noEntitlement: NoEntitlementChoice = choice === 'accept' ? 'accept' : 'reject';
    const saveAs = asString(body.save) === 'yes' ? asString(body.mappingName) : '';
    try {
      if (choice !== '' && choice !== 'accept' && choice !== 'reject') throw new InputError([{ path: 'noEntitlement', message: 'Choose whether to reject or import the rows whose section gives no right to aftercare' }]);
      if (asString(body.save) === 'yes' && !saveAs.trim()) throw new InputError([{ path: 'mappingName', message: 'Enter a name to save the mapping under' }]);
      await checkImport(ctx, row.id, { columns, dayFirst, noEntitlement, saveAs });
      return await reply.redirect(`/admin/import/${row.id}`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      const ids = Object.fromEntries(importFields.map((f) => [`columns.${f}`, `column-${f}`]));
      return renderMapping(request, reply, row, { columns, dayFirst, noEntitlement, saveAs: asString(body.mappingName) }, toGovukErrors(error.issues, ids));
    }
  });

  app.get<{ Params: { id: string }; Querystring: { outcome?: string; page?: string } }>('/admin/import/:id', async (request, reply) => {
    const ctx = assertMayImport(request);
    const row = await getImport(ctx, request.params.id);
    if (row.status === 'uploaded') return reply.redirect(`/admin/import/${row.id}/mapping`);
    const outcome = (['create', 'update', 'unchanged', 'reject'] as const).find((o) => o === request.query.outcome);
    const page = pageSchema.parse(request.query.page ?? 1);
    const result = await rowsPage(ctx, row.id, { outcome, page });
    const base = `/admin/import/${row.id}`;
    const link = (p: number) => `${base}?${new URLSearchParams({ ...(outcome ? { outcome } : {}), ...(p > 1 ? { page: String(p) } : {}) }).toString()}`;
    const counts = row.counts as Partial<Record<Outcome, number>>;
    const percent = row.totalRows ? Math.floor((row.processedRows / row.totalRows) * 100) : 0;
    return reply.render(v('import'), {
      title: row.status === 'applied' ? 'Register imported' : row.status === 'applying' ? 'Importing the register' : 'Check the import (dry run)',
      row,
      statusLabel: statusLabels[row.status],
      counts: { create: counts.create ?? 0, update: counts.update ?? 0, unchanged: counts.unchanged ?? 0, reject: counts.reject ?? 0 },
      percent,
      refresh: row.status === 'applying',
      outcome,
      filterItems: [
        { value: '', text: 'All rows', selected: !outcome },
        ...(['reject', 'create', 'update', 'unchanged'] as const).map((o) => ({ value: o, text: outcomeLabels[o], selected: o === outcome })),
      ],
      rows: result.rows.map((r) => ({
        ...r,
        outcomeLabel: outcomeLabels[r.outcome],
        nhs: r.nhsNumber ? formatNhsNumber(r.nhsNumber).replace(/ /g, '\u00a0') : '',
        name: r.record ? `${(r.record as { givenName: string }).givenName} ${(r.record as { familyName: string }).familyName}`.trim() : '',
      })),
      total: result.total,
      pagination: pagination(result.page, result.pages, link, 'Pages of rows'),
      canApply: row.status === 'checked' || row.status === 'failed',
    });
  });

  app.post<{ Params: { id: string } }>('/admin/import/:id/apply', async (request, reply) => {
    const ctx = assertMayImport(request);
    const body = formBody(request.body);
    const mode = asString(body.mode);
    if (mode !== 'all-or-nothing' && mode !== 'valid-only') throw new InputError([{ path: 'mode', message: 'Choose how to import' }]);
    const started = await startApply(ctx, request.params.id, mode);
    // Runs in the background: the page shows its progress and the user can leave.
    await queueApply(ctx.jobs, { importId: started.id, actor: ctx.actor, requestId: ctx.requestId }, started.startedAt ?? new Date(), (error) => request.log.error({ err: error, importId: started.id }, 'register import failed'));
    return reply.redirect(`/admin/import/${started.id}`);
  });

  app.get<{ Params: { id: string } }>('/admin/import/:id/rejections.csv', async (request, reply) => {
    const ctx = assertMayImport(request);
    const file = await rejectionFile(ctx, request.params.id);
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`)
      .send(file.csv);
  });
}
