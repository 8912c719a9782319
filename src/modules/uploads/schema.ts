import { sql } from 'drizzle-orm';
import { check, customType, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Documents uploaded to a person's record (issue 15, item 3; docs/documents.md, decision 0017).
 * `uploaded_document` holds what the file is (category, date, author, description, the type its
 * bytes have, its SHA-256, whether the scan quarantined it); the bytes are in the blob store, by
 * SHA-256: `uploaded_blob` by default, a directory when DOCUMENT_STORE_DIR is set. The same bytes
 * uploaded twice are one blob and two documents.
 */
const partnershipId = partnershipKey;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const uploadedDocument = pgTable(
  'uploaded_document',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** A code of src/domain/uploads.ts uploadCategories. */
    category: text('category').notNull(),
    /** The date the document bears (not when it was uploaded). */
    documentDate: date('document_date', { mode: 'string' }).notNull(),
    /** Who wrote it, as typed: "Dr A Example, Ward 3". */
    author: text('author').notNull(),
    description: text('description').notNull().default(''),
    /** The name it is served under (safeFileName): the uploaded name, cleaned, with its type's extension. */
    fileName: text('file_name').notNull(),
    /** The type its bytes have (src/domain/uploads.ts FileKind) and the media type it is served with. */
    fileKind: text('file_kind').notNull(),
    mediaType: text('media_type').notNull(),
    /** SHA-256 of the bytes, hex: the key of the blob store. */
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** available, or quarantined when the scan flagged it: a quarantined file is never served. */
    status: text('status').notNull(),
    /** Which scanner checked it, and what it found (the signature) when it flagged it. */
    scannedBy: text('scanned_by').notNull(),
    scanFinding: text('scan_finding'),
    uploadedBy: uuid('uploaded_by').references(() => appUser.id),
    /** The organisation the uploader acted for (an API token's organisation too). */
    uploadedByOrganisationId: uuid('uploaded_by_organisation_id').references(() => organisation.id),
    /** Who uploaded it in words, as the audit has it: a person's name or "API token: …". */
    uploadedByName: text('uploaded_by_name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('uploaded_document_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    index('uploaded_document_sha256_idx').on(t.partnershipId, t.sha256),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('uploaded_document_status_check', sql`${t.status} in ('available', 'quarantined')`),
    check('uploaded_document_finding_check', sql`(${t.status} = 'quarantined') = (${t.scanFinding} is not null)`),
  ],
);

/** The bytes of uploaded files when they are kept in the database (the default store), once per content. */
export const uploadedBlob = pgTable(
  'uploaded_blob',
  {
    partnershipId: partnershipId(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.sha256] })],
);
