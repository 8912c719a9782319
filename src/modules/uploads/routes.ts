/**
 * Documents uploaded to a person's record (issue 15, item 3): the pages and the API. Thin: each
 * handler reads the request, calls uploads.service.ts and renders, redirects or answers JSON.
 *
 * The two uploads (the page's form and the API) are multipart, in their own scope: the fields,
 * the CSRF token among them, become the body (`attachFieldsToBody`), the file is read into memory
 * up to the size limit (UPLOAD_MAX_MB) and no further: a larger file is marked too large and
 * answered with an error, never a 500. POSTs under /people/:id/ and /api/v1/people/:id/ are
 * guarded (person:write) before the handler reads the body (src/modules/register/person-guard.ts).
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uploadCategories, uploadCategoryLabels } from '../../domain/uploads.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import type { Config } from '../../platform/config/config.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { asString, dateFromParts, type FormBody } from '../../platform/http/forms.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { emptyUploadInput, listUploads, openUploadedFile, ScanUnavailableError, uploadDocument, uploadForm, uploadsPage, type UploadedFile, type UploadInput, type UploadView } from './uploads.service.ts';

const v = (name: string) => `modules/uploads/views/${name}.njk`;
const fieldIds: Record<string, string> = { category: 'category', documentDate: 'documentDate-day', author: 'author', description: 'description', file: 'file' };

/** attachment; filename="…" with an ASCII fallback and the exact name in UTF-8 (RFC 6266 section 4.3, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Exactly the stored bytes, never to be shown inline or sniffed into another type. */
function sendFile(reply: FastifyReply, document: UploadView, content: Buffer) {
  return reply
    .header('Content-Type', document.mediaType || 'application/octet-stream')
    .header('Content-Disposition', contentDisposition(document.fileName))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    // RFC 9530: the SHA-256 of exactly these bytes, as stored with the document.
    .header('Repr-Digest', `sha-256=:${Buffer.from(document.sha256, 'hex').toString('base64')}:`)
    .send(content);
}

const QUARANTINED = 'This file was flagged by the virus check and is kept in quarantine: it is never opened or downloaded. Ask whoever sent it for a clean copy.';

function inputFrom(body: FormBody, dateField: 'parts' | 'iso'): UploadInput {
  const file = (body as Record<string, unknown>).file;
  return {
    category: asString(body.category),
    documentDate: dateField === 'parts' ? dateFromParts(body, 'documentDate') : asString(body.documentDate),
    author: asString(body.author),
    description: asString(body.description),
    file: file && typeof file === 'object' && 'data' in file ? (file as UploadedFile) : null,
  };
}

interface FormPage {
  person: { id: string; givenName: string; familyName: string; nhsNumber: string };
  values: Omit<UploadInput, 'file'>;
  documentDate: { day: string; month: string; year: string };
  errors?: GovukErrors;
}

function renderForm(reply: FastifyReply, page: FormPage, maxBytes: number) {
  const name = `${page.person.givenName} ${page.person.familyName}`;
  return reply.render(v('upload-form'), {
    title: 'Upload a document',
    ...page,
    name,
    nhsNumber: formatNhsNumber(page.person.nhsNumber),
    maxMb: Math.round(maxBytes / (1024 * 1024)),
    categoryItems: uploadCategories.map((c) => ({ value: c, text: uploadCategoryLabels[c], checked: page.values.category === c })),
    breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${page.person.id}` }, { text: 'Uploaded documents', href: `/people/${page.person.id}/uploads` }],
  });
}

const rawDate = (body: FormBody) => ({ day: asString(body['documentDate-day']), month: asString(body['documentDate-month']), year: asString(body['documentDate-year']) });

/* ---------- API schemas ---------- */

const documentSchema = z
  .object({
    id: z.uuid(),
    category: z.enum(uploadCategories).describe('What kind of document it is'),
    categoryLabel: z.string(),
    documentDate: z.string().describe('The date the document bears, YYYY-MM-DD'),
    author: z.string().describe('Who wrote it'),
    description: z.string(),
    fileName: z.string().describe('The name it is downloaded under'),
    mediaType: z.string().describe('The type its bytes were found to have'),
    sha256: z.string().describe('SHA-256 of the file, hex'),
    sizeBytes: z.number().int(),
    status: z.enum(['available', 'quarantined']).describe('quarantined: the virus check flagged it; it is never served'),
    scanFinding: z.string().nullable().describe('What the virus check found, for a quarantined file'),
    uploadedBy: z.string(),
    uploadedAt: z.string().describe('ISO 8601 timestamp'),
    contentUrl: z.string().nullable().describe('Where to download the file; null when it is quarantined'),
  })
  .describe('A document uploaded to the person’s record');

function documentOut(personId: string, d: UploadView): z.input<typeof documentSchema> {
  return {
    id: d.id,
    category: d.category as (typeof uploadCategories)[number],
    categoryLabel: d.categoryLabel,
    documentDate: d.documentDate,
    author: d.author,
    description: d.description,
    fileName: d.fileName,
    mediaType: d.mediaType,
    sha256: d.sha256,
    sizeBytes: d.sizeBytes,
    status: d.quarantined ? 'quarantined' : 'available',
    scanFinding: d.scanFinding,
    uploadedBy: d.uploadedByName,
    uploadedAt: d.uploadedAt,
    contentUrl: d.quarantined ? null : `/api/v1/people/${personId}/documents/${d.id}/content`,
  };
}

const uploadBodySchema = z
  .object({
    file: z.any().meta({ type: 'string', format: 'binary', description: 'The file: PDF, Word, Excel, PNG, JPEG, GIF, TIFF, WebP, .eml or .msg; its type is checked from its bytes' }),
    category: z.enum(uploadCategories).describe('What kind of document it is'),
    documentDate: z.string().describe('The date the document bears, YYYY-MM-DD'),
    author: z.string().describe('Who wrote it'),
    description: z.string().optional(),
  })
  .describe('multipart/form-data');

const problems = {
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or may not add to the record'),
  404: problemSchema.describe('No such person or document, or the file is quarantined'),
};
const params = z.object({ id: z.string().describe('The person’s id (a UUID)') });
const documentParams = params.extend({ documentId: z.string().describe('The document’s id (a UUID)') });

export function uploadsRoutes(app: FastifyInstance, config: Config): void {
  const maxBytes = config.uploads.maxBytes;
  if (!config.uploads.clamd && config.env === 'production') {
    app.log.warn('No virus scanner is configured for uploaded documents (CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT): only the built-in EICAR test check runs. See docs/documents.md.');
  }

  app.get<{ Params: { id: string } }>('/people/:id/uploads', async (request, reply) => {
    const page = await uploadsPage(request.ctx(), request.params.id);
    const p = page.person;
    const name = `${p.givenName} ${p.familyName}`;
    return reply.render(v('uploads'), {
      title: `Uploaded documents: ${name}`,
      name,
      nhsNumber: formatNhsNumber(p.nhsNumber),
      personId: p.id,
      documents: page.documents,
      quarantined: page.documents.filter((d) => d.quarantined).length,
      mayUpload: page.mayUpload,
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${p.id}` }],
    });
  });

  app.get<{ Params: { id: string } }>('/people/:id/uploads/new', async (request, reply) => {
    const { person } = await uploadForm(request.ctx(), request.params.id);
    return renderForm(reply, { person, values: emptyUploadInput, documentDate: { day: '', month: '', year: '' } }, maxBytes);
  });

  app.get<{ Params: { id: string; documentId: string } }>('/people/:id/uploads/:documentId/file', async (request, reply) => {
    const answer = await openUploadedFile(request.ctx(), request.params.id, request.params.documentId);
    if (!answer.served) {
      reply.status(404);
      return reply.render(v('quarantined'), {
        title: 'This file cannot be downloaded',
        message: QUARANTINED,
        personId: request.params.id,
        breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Uploaded documents', href: `/people/${request.params.id}/uploads` }],
      });
    }
    return sendFile(reply, answer.document, answer.content);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/people/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'The documents uploaded to a person’s record',
        description: 'Newest first, quarantined ones included (with status "quarantined" and no contentUrl). The view is recorded in the audit trail.',
        params,
        response: { 200: z.object({ documents: z.array(documentSchema) }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => {
      const documents = await listUploads(request.ctx(), request.params.id);
      return { documents: documents.map((d) => documentOut(request.params.id, d)) };
    },
  );

  api.get(
    '/api/v1/people/:id/documents/:documentId/content',
    {
      schema: {
        tags: ['documents'],
        summary: 'Download an uploaded document',
        description:
          'Exactly the stored bytes, with the media type found from them, `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and `Repr-Digest` (SHA-256). A quarantined file is never served (404). Every download is recorded in the audit trail as a view of the record.',
        params: documentParams,
        response: { 200: z.any().meta({ type: 'string', format: 'binary', description: 'The file' }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request, reply) => {
      const answer = await openUploadedFile(request.ctx(), request.params.id, request.params.documentId);
      if (!answer.served) throw new NotFoundError(QUARANTINED);
      return sendFile(reply, answer.document, answer.content);
    },
  );

  // The two uploads, in a scope of their own with the multipart parser.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, files: 1, fields: 12, fieldSize: 64 * 1024, parts: 14 },
      async onFile(part: MultipartFile) {
        const data = await part.toBuffer();
        const value: UploadedFile = part.file.truncated ? { filename: part.filename, data: Buffer.alloc(0), tooLarge: true } : { filename: part.filename, data, tooLarge: false };
        (part as unknown as { value: UploadedFile }).value = value;
      },
    });

    scope.post<{ Params: { id: string } }>('/people/:id/uploads/new', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const ctx = request.ctx();
      const body = (request.body ?? {}) as FormBody;
      const values = inputFrom(body, 'parts');
      try {
        const uploaded = await uploadDocument(ctx, request.params.id, values);
        if (uploaded.quarantined) {
          request.log.warn({ personId: request.params.id, documentId: uploaded.id, finding: uploaded.scanFinding }, 'uploaded file quarantined by the virus check');
          request.session.flash = { type: 'important', text: `The virus check flagged ${uploaded.fileName}. It has been quarantined: it is kept on the record but will never be opened or downloaded. Ask whoever sent it for a clean copy.` };
        } else {
          request.session.flash = { type: 'success', text: `${uploaded.fileName} has been uploaded.` };
        }
        return await reply.redirect(`/people/${request.params.id}/uploads`);
      } catch (error) {
        let errors: GovukErrors;
        if (error instanceof InputError) {
          reply.status(422);
          errors = toGovukErrors(error.issues, fieldIds);
        } else if (error instanceof ScanUnavailableError) {
          reply.status(503);
          errors = toGovukErrors([{ path: 'file', message: error.message }], fieldIds);
        } else throw error;
        const { person } = await uploadForm(ctx, request.params.id);
        const { file: _file, ...rest } = values;
        return renderForm(reply, { person, values: rest, documentDate: rawDate(body), errors }, maxBytes);
      }
    });

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/people/:id/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Upload a document to a person’s record',
          description: `A multipart/form-data request with the file and what it is. The file's type is found from its bytes, not its name: PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PNG, JPEG, GIF, TIFF and WebP images, Outlook (.msg) and .eml emails; anything else, an empty file or one over the size limit (${Math.round(maxBytes / (1024 * 1024))} MB here) is a 422 and nothing is stored. The file is scanned for malware: a flagged file is stored quarantined (status "quarantined") and never served. The same bytes uploaded twice are stored once. Needs permission to add to the person's record.`,
          consumes: ['multipart/form-data'],
          params,
          body: uploadBodySchema,
          response: { 201: documentSchema, 401: problems[401], 403: problems[403], 404: problems[404], 422: problemSchema.describe('The form or the file is not valid; `errors` names each field'), 503: problemSchema.describe('The virus scanner could not be reached: nothing was stored') },
        },
        // The guard decides permission before anything about the body is said; the service checks the rest.
        attachValidation: true,
      },
      async (request, reply) => {
        const uploaded = await uploadDocument(request.ctx(), request.params.id, inputFrom(request.body ?? {}, 'iso'));
        if (uploaded.quarantined) request.log.warn({ personId: request.params.id, documentId: uploaded.id, finding: uploaded.scanFinding }, 'uploaded file quarantined by the virus check');
        return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/documents/${uploaded.id}/content`).send(documentOut(request.params.id, uploaded));
      },
    );
  });
}
