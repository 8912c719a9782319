/**
 * Documents uploaded to a person's record (issue 15, item 3; docs/documents.md, decision 0017).
 * Every read goes through the door and is audited as a view of the person's record; an upload is
 * one transaction with its blob, its document row and its audit event.
 *
 * Who may do what:
 * - see the list and download: person:read on the person (a practitioner, manager, commissioner,
 *   panel member, quality or read-only user of an organisation involved with them; API tokens of
 *   such an organisation).
 * - upload: person:write (practitioners, senior practitioners, team managers of an organisation
 *   involved; API tokens of such an organisation). Read-only users and commissioners cannot.
 * - a quarantined file is never served to anybody; the refusal is audited.
 *
 * The order of an upload: permission, then the form and the file's type (from its bytes), then
 * the malware scan, then the transaction. Nothing is stored unless all have passed, except that a
 * file the scanner flags is stored in quarantine, so there is a record of what was sent.
 */
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { hasIsoDateFormat, isRealDate } from '../../domain/calendar-date.ts';
import { classifyUpload, fileKindLabel, safeFileName, uploadCategories, uploadCategoryLabels, type UploadCategory } from '../../domain/uploads.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { AppError, InputError, NotFoundError, type FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { govukDate, govukDateTime } from '../../platform/plain-language.ts';
import { scannerFor, ScannerUnavailableError, type Scanner } from '../../platform/scanning/scanner.ts';
import { loadPerson } from '../register/index.ts';
import { blobStoreFor, sha256Of, type BlobStore } from './blob-store.ts';
import { findUpload, findUploads, insertUpload, type UploadedDocumentRow } from './uploads.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** The file as the multipart parser handed it over. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
  /** The parser stopped reading at the size limit. */
  tooLarge: boolean;
}

export interface UploadInput {
  category: string;
  documentDate: string;
  author: string;
  description: string;
  file: UploadedFile | null;
}

export const emptyUploadInput: Omit<UploadInput, 'file'> = { category: '', documentDate: '', author: '', description: '' };

/** The scanner could not say whether the file is safe: nothing is stored (503). */
export class ScanUnavailableError extends AppError {
  constructor() {
    super('The file could not be checked for viruses just now, so it has not been stored. Try again in a few minutes; if it keeps happening, tell your administrator.', 503, 'scan-unavailable', 'Virus check unavailable');
  }
}

const metadataSchema = (today: string) =>
  z.object({
    category: z.enum(uploadCategories, { error: 'Choose what kind of document it is' }),
    documentDate: z
      .string()
      .refine((d) => d !== '', 'Enter the date of the document')
      .refine((d) => d === '' || (hasIsoDateFormat(d) && isRealDate(d)), 'The date of the document must be a real date, like 4 12 2026')
      .refine((d) => !hasIsoDateFormat(d) || !isRealDate(d) || d <= today, 'The date of the document must be today or in the past')
      .refine((d) => !hasIsoDateFormat(d) || d >= '1900-01-01', 'The date of the document must be after 1900'),
    author: z.string().trim().min(1, 'Enter who wrote the document').max(200, 'Who wrote the document must be 200 characters or fewer'),
    description: z.string().trim().max(2000, 'The description must be 2,000 characters or fewer'),
  });

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The scanner and the store the configuration asks for. */
function scannerOf(ctx: ServiceContext): Scanner {
  return scannerFor(ctx.config.uploads.clamd);
}
function storeOf(ctx: Pick<ServiceContext, 'config'>): BlobStore {
  return blobStoreFor(ctx.config.uploads.storeDir);
}

export interface UploadView {
  id: string;
  category: string;
  categoryLabel: string;
  documentDate: string;
  documentDateText: string;
  author: string;
  description: string;
  fileName: string;
  fileKind: string;
  typeLabel: string;
  mediaType: string;
  sha256: string;
  sizeBytes: number;
  size: string;
  quarantined: boolean;
  scanFinding: string | null;
  uploadedByName: string;
  uploadedAt: string;
  uploadedAtText: string;
}

function sizeLabel(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function viewOf(row: UploadedDocumentRow): UploadView {
  return {
    id: row.id,
    category: row.category,
    categoryLabel: uploadCategoryLabels[row.category as UploadCategory] ?? 'Other document',
    documentDate: row.documentDate,
    documentDateText: govukDate(row.documentDate),
    author: row.author,
    description: row.description,
    fileName: row.fileName,
    fileKind: row.fileKind,
    typeLabel: fileKindLabel(row.fileKind),
    mediaType: row.mediaType,
    sha256: row.sha256,
    sizeBytes: row.sizeBytes,
    size: sizeLabel(row.sizeBytes),
    quarantined: row.status === 'quarantined',
    scanFinding: row.scanFinding,
    uploadedByName: row.uploadedByName,
    uploadedAt: row.createdAt.toISOString(),
    uploadedAtText: govukDateTime(row.createdAt),
  };
}

/** The list page: the person's uploaded documents, audited as a view of the record. */
export async function uploadsPage(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findUploads(tx, ctx.actor.partnershipId, personId);
    await audit.viewPerson(personId, { page: 'uploaded-documents', documents: rows.map((r) => r.id) });
    return { person, documents: rows.map(viewOf), mayUpload: canOnPerson(ctx.actor, 'person:write', person) };
  });
}

/** The upload form: only for those who may add to the record; it shows who the person is, so it is audited. */
export async function uploadForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    await audit.viewPerson(personId, { page: 'upload-document-form' });
    return { person };
  });
}

/** Check the form and the file; every problem at once, as the error summary lists them. */
async function checkUpload(ctx: ServiceContext, input: UploadInput) {
  const issues: FieldIssue[] = [];
  const metadata = metadataSchema(ctx.today()).safeParse({ ...input, file: undefined });
  if (!metadata.success) issues.push(...metadata.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const file = input.file;
  const maxBytes = ctx.config.uploads.maxBytes;
  let type: ReturnType<typeof classifyUpload> | null = null;
  if (!file || (!file.filename && file.data.length === 0)) issues.push({ path: 'file', message: 'Select the file to upload' });
  else if (file.tooLarge || file.data.length > maxBytes) issues.push({ path: 'file', message: `The file must be smaller than ${megabytes(maxBytes)}` });
  else {
    type = classifyUpload({ detected: await fileTypeFromBuffer(file.data), fileName: file.filename, bytes: file.data });
    if (!type.accepted) issues.push({ path: 'file', message: type.reason });
  }
  if (issues.length > 0 || !metadata.success || !file || !type?.accepted) throw new InputError(issues);
  return { metadata: metadata.data, file, type: type.type };
}

/**
 * Upload a document: permission, the form and the file's type, the scan, then one transaction
 * with the bytes (once per content), the document and the audit event. A flagged file is stored
 * quarantined, its uploader told in the app, and the audit says so.
 */
export async function uploadDocument(ctx: ServiceContext, personId: string, input: UploadInput): Promise<UploadView> {
  if (!isUuid(personId)) throw new NotFoundError('Person not found');
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const { metadata, file, type } = await checkUpload(ctx, input);
  const scanner = scannerOf(ctx);
  let verdict;
  try {
    verdict = await scanner.scan(file.data);
  } catch (error) {
    if (error instanceof ScannerUnavailableError) throw new ScanUnavailableError();
    throw error;
  }
  const sha256 = sha256Of(file.data);
  const store = storeOf(ctx);
  const quarantined = !verdict.clean;
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    const newBlob = await store.put(tx, ctx.actor.partnershipId, sha256, file.data);
    const row = await insertUpload(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      category: metadata.category,
      documentDate: metadata.documentDate,
      author: metadata.author,
      description: metadata.description,
      fileName: safeFileName(file.filename, type),
      fileKind: type.kind,
      mediaType: type.mediaType,
      sha256,
      sizeBytes: file.data.length,
      status: quarantined ? 'quarantined' : 'available',
      scannedBy: scanner.name,
      scanFinding: verdict.clean ? null : verdict.signature,
      uploadedBy: ctx.actor.userId,
      uploadedByOrganisationId: ctx.actor.activeOrganisationId,
      uploadedByName: ctx.actor.displayName,
    });
    const { createdAt: _c, updatedAt: _u, ...after } = row;
    await audit.change({
      action: quarantined ? 'uploaded-document.quarantined' : 'uploaded-document.uploaded',
      subjectType: 'person',
      subjectId: personId,
      after: { documentId: row.id, ...after, storedOnce: !newBlob },
    });
    if (quarantined && ctx.actor.userId) {
      await queueNotification(
        tx,
        {
          partnershipId: ctx.actor.partnershipId,
          dedupeKey: `uploaded-document-quarantined:${row.id}`,
          kind: 'uploaded-document-quarantined',
          recipientUserId: ctx.actor.userId,
          personId,
          subject: 'A file you uploaded has been quarantined',
          body: `The virus check (${scanner.name}) flagged ${row.fileName} (${verdict.clean ? '' : verdict.signature}). It is kept in quarantine and will never be opened or downloaded. Tell your IT security team, and ask whoever sent it for a clean copy.`,
          link: `/people/${personId}/uploads`,
        },
        'in-app',
      );
    }
    return viewOf(row);
  });
}

/** The person's uploaded documents for the API, audited as a view of the record. */
export async function listUploads(ctx: ServiceContext, personId: string): Promise<UploadView[]> {
  return (await uploadsPage(ctx, personId)).documents;
}

export type FileAnswer = { served: true; document: UploadView; content: Buffer } | { served: false; document: UploadView };

/**
 * A download: exactly the stored bytes, audited as a read of the person's record. A quarantined
 * file is refused, and the refusal is audited too.
 */
export async function openUploadedFile(ctx: ServiceContext, personId: string, documentId: string): Promise<FileAnswer> {
  const store = storeOf(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    const row = isUuid(documentId) ? await findUpload(tx, ctx.actor.partnershipId, personId, documentId) : null;
    if (!row) throw new NotFoundError('There is no such document');
    const document = viewOf(row);
    if (row.status !== 'available') {
      await audit.viewPerson(personId, { page: 'uploaded-document-download', documentId, sha256: row.sha256, refused: 'quarantined' });
      return { served: false, document };
    }
    const content = await store.get(tx, ctx.actor.partnershipId, row.sha256);
    if (!content) throw new Error(`The file of uploaded document ${row.id} is missing from the ${store.kind} store`);
    await audit.viewPerson(personId, { page: 'uploaded-document-download', documentId, sha256: row.sha256 });
    return { served: true, document, content };
  });
}

/**
 * For the subject access export (governance), inside its transaction: the files of the person's
 * uploaded documents that may be served, and how many were left out because they are quarantined.
 */
export async function uploadedFilesOfPerson(q: DbOrTx, ctx: Pick<ServiceContext, 'config' | 'actor'>, personId: string) {
  const rows = await findUploads(q, ctx.actor.partnershipId, personId);
  const store = storeOf(ctx);
  const files: Array<{ fileName: string; content: Buffer }> = [];
  let quarantined = 0;
  for (const row of [...rows].reverse()) {
    if (row.status !== 'available') {
      quarantined += 1;
      continue;
    }
    const content = await store.get(q, ctx.actor.partnershipId, row.sha256);
    if (content) files.push({ fileName: row.fileName, content });
  }
  return { files, quarantined };
}

