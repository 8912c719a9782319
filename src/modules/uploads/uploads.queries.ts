import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database.ts';
import { uploadedBlob, uploadedDocument } from './schema.ts';

/*
 * The uploads' data layer, handed the door's handle by the service (row-level security applies);
 * the partnership filters stay as the leading index key.
 */

export type UploadedDocumentRow = typeof uploadedDocument.$inferSelect;

/** A person's uploaded documents, newest first. */
export async function findUploads(q: DbOrTx, partnershipId: string, personId: string): Promise<UploadedDocumentRow[]> {
  return q
    .select()
    .from(uploadedDocument)
    .where(and(eq(uploadedDocument.partnershipId, partnershipId), eq(uploadedDocument.personId, personId)))
    .orderBy(desc(uploadedDocument.createdAt), desc(uploadedDocument.id));
}

export async function findUpload(q: DbOrTx, partnershipId: string, personId: string, documentId: string): Promise<UploadedDocumentRow | null> {
  const rows = await q
    .select()
    .from(uploadedDocument)
    .where(and(eq(uploadedDocument.partnershipId, partnershipId), eq(uploadedDocument.personId, personId), eq(uploadedDocument.id, documentId)));
  return rows[0] ?? null;
}

/** How many documents the person has, and how many of them are quarantined. */
/** For the person page, not awaited (it runs with the page's other reads in one statement): how many, how many quarantined. */
export function uploadCountsQuery(q: DbOrTx, partnershipId: string, personId: string) {
  return q
    .select({ total: sql<number>`count(*)::int`, quarantined: sql<number>`(count(*) filter (where ${uploadedDocument.status} = 'quarantined'))::int` })
    .from(uploadedDocument)
    .where(and(eq(uploadedDocument.partnershipId, partnershipId), eq(uploadedDocument.personId, personId)));
}

export async function insertUpload(q: DbOrTx, values: typeof uploadedDocument.$inferInsert): Promise<UploadedDocumentRow> {
  return (await q.insert(uploadedDocument).values(values).returning())[0]!;
}

/** The database blob store's two operations: keep the bytes once per content, read them back. */
export async function insertBlob(q: DbOrTx, partnershipId: string, sha256: string, content: Buffer): Promise<boolean> {
  const inserted = await q
    .insert(uploadedBlob)
    .values({ partnershipId, sha256, content, sizeBytes: content.length })
    .onConflictDoNothing({ target: [uploadedBlob.partnershipId, uploadedBlob.sha256] })
    .returning({ sha256: uploadedBlob.sha256 });
  return inserted.length > 0;
}

export async function findBlob(q: DbOrTx, partnershipId: string, sha256: string): Promise<Buffer | null> {
  const rows = await q
    .select({ content: uploadedBlob.content })
    .from(uploadedBlob)
    .where(and(eq(uploadedBlob.partnershipId, partnershipId), eq(uploadedBlob.sha256, sha256)));
  return rows[0]?.content ?? null;
}
