import { referenceName } from '../../domain/reference/organisations.ts';
import { organisationLabel } from '../../platform/plain-language.ts';
import { and, desc, eq, max, or } from 'drizzle-orm';
import { z } from 'zod';
import { recordChange, type AuditScope } from '../../platform/audit/audit.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { sha256Hex } from '../../platform/documents/pdf.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { loadPerson, person } from '../register/index.ts';
import type { OrganisationContact } from './format.ts';
import { informationGiven, personDocument } from './schema.ts';

/*
 * The documents module's data layer: the only files of the module that import drizzle-orm or the
 * tables. The service hands these functions the handle the door gave it (`ctx.data.read` /
 * `ctx.data.transaction`), so row-level security already confines them to the actor's
 * partnership; the partnership filters stay, as the leading index key and a second line.
 */

export type DocumentRow = typeof personDocument.$inferSelect;
export type InformationGivenRow = typeof informationGiven.$inferSelect;

export const accessibleFormats = ['standard', 'easy-read', 'large-print'] as const;
export type AccessibleFormat = (typeof accessibleFormats)[number];

export interface StoreDocumentInput {
  personId: string;
  planId?: string | null;
  /** plan, statement, letter, refund-letter… */
  kind: string;
  accessibleFormat: AccessibleFormat;
  /** BCP 47 tag, e.g. 'en-GB'. */
  language: string;
  title: string;
  mediaType: string;
  fileName: string;
  content: Buffer;
}

const storeDocumentSchema = z.object({
  personId: z.uuid(),
  planId: z.uuid().nullish(),
  kind: z.string().trim().regex(/^[a-z][a-z0-9-]{0,39}$/, 'The kind of document must be a short lower-case name, like "statement"'),
  accessibleFormat: z.enum(accessibleFormats),
  language: z.string().trim().min(2).max(35),
  title: z.string().trim().min(1).max(300),
  mediaType: z.string().trim().regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'Not a media type'),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\r\n"]+$/, 'A file name cannot contain slashes, quotes or line breaks'),
});

/**
 * Store a produced document exactly as produced, inside the caller's transaction, with its
 * SHA-256 and size, and audit it in that transaction (the hash goes into the audit trail, never
 * the bytes). Other modules call it with the `tx` of their door transaction (`ctx.data.transaction`).
 * Storing a document adds to the person's record, so it needs person:write on them (issue 12,
 * finding 3: read-only users stored plan PDFs). Only a use case that has already made a narrower
 * decision passes 'person:read' (the ending letters, stored by the responsible bodies' deciders
 * once both have approved). Checked before the input.
 */
export async function storeDocument(tx: DbOrTx, ctx: AuditScope, input: StoreDocumentInput, permission: 'person:write' | 'person:read' = 'person:write'): Promise<{ id: string; contentHash: string }> {
  await loadPerson(tx, ctx, input.personId, permission);
  const { content, ...rest } = input;
  const data = parseInput(storeDocumentSchema, rest);
  if (!Buffer.isBuffer(content) || content.length === 0) throw new InputError([{ path: 'content', message: 'The document is empty' }]);
  const contentHash = sha256Hex(content);
  const [created] = await tx
    .insert(personDocument)
    .values({
      partnershipId: ctx.actor.partnershipId,
      personId: data.personId,
      planId: data.planId ?? null,
      kind: data.kind,
      accessibleFormat: data.accessibleFormat,
      language: data.language,
      title: data.title,
      mediaType: data.mediaType,
      fileName: data.fileName,
      content,
      contentHash,
      sizeBytes: content.length,
      createdBy: ctx.actor.userId,
    })
    .returning({ id: personDocument.id, createdAt: personDocument.createdAt });
  await recordChange(tx, ctx, {
    action: 'document.stored',
    subjectType: 'person',
    subjectId: data.personId,
    after: { documentId: created!.id, ...data, planId: data.planId ?? null, contentHash, sizeBytes: content.length },
  });
  return { id: created!.id, contentHash };
}

export interface DocumentSummary {
  id: string;
  planId: string | null;
  kind: string;
  accessibleFormat: string;
  language: string;
  title: string;
  mediaType: string;
  fileName: string;
  contentHash: string;
  sizeBytes: number;
  createdAt: Date;
  createdByName: string | null;
}

/** The person's stored documents, newest first, without their bytes. */
export async function findDocumentSummaries(q: DbOrTx, partnershipId: string, personId: string): Promise<DocumentSummary[]> {
  return q
    .select({
      id: personDocument.id,
      planId: personDocument.planId,
      kind: personDocument.kind,
      accessibleFormat: personDocument.accessibleFormat,
      language: personDocument.language,
      title: personDocument.title,
      mediaType: personDocument.mediaType,
      fileName: personDocument.fileName,
      contentHash: personDocument.contentHash,
      sizeBytes: personDocument.sizeBytes,
      createdAt: personDocument.createdAt,
      createdByName: appUser.displayName,
    })
    .from(personDocument)
    .leftJoin(appUser, eq(appUser.id, personDocument.createdBy))
    .where(and(eq(personDocument.partnershipId, partnershipId), eq(personDocument.personId, personId)))
    .orderBy(desc(personDocument.createdAt), desc(personDocument.id));
}

export async function findDocument(q: DbOrTx, partnershipId: string, personId: string, documentId: string): Promise<DocumentRow | undefined> {
  return (
    await q
      .select()
      .from(personDocument)
      .where(and(eq(personDocument.partnershipId, partnershipId), eq(personDocument.personId, personId), eq(personDocument.id, documentId)))
  )[0];
}

export async function documentExists(q: DbOrTx, partnershipId: string, personId: string, documentId: string): Promise<boolean> {
  const rows = await q
    .select({ id: personDocument.id })
    .from(personDocument)
    .where(and(eq(personDocument.partnershipId, partnershipId), eq(personDocument.personId, personId), eq(personDocument.id, documentId)));
  return rows.length > 0;
}

/** The contact details of the organisation with this code (ODS or ONS); the code itself as the name when none matches. */
export async function findOrganisationContact(q: DbOrTx, partnershipId: string, code: string | null): Promise<OrganisationContact | null> {
  if (!code) return null;
  const row = (
    await q
      .select({ name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
      .from(organisation)
      .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))))
      .limit(1)
  )[0];
  // A body outside the partnership by its name from the reference list, or said plainly (never a bare code).
  return row ?? { name: organisationLabel(code, referenceName), contactPhone: null, contactEmail: null, contactAddress: null };
}

/** An organisation's contact details by its id: the body a member writes a letter for. */
export async function findOrganisationContactById(q: DbOrTx, partnershipId: string, organisationId: string | null): Promise<OrganisationContact | null> {
  if (!organisationId) return null;
  const row = (
    await q
      .select({ name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
      .from(organisation)
      .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.id, organisationId)))
      .limit(1)
  )[0];
  return row ?? null;
}

export async function findOrganisationNames(q: DbOrTx, partnershipId: string): Promise<Array<{ code: string; onsCode: string | null; name: string }>> {
  return q.select({ code: organisation.code, onsCode: organisation.onsCode, name: organisation.name }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
}

export interface InformationGivenEntry extends InformationGivenRow {
  givenByName: string | null;
  documentTitle: string | null;
}

export async function findInformationGiven(q: DbOrTx, partnershipId: string, personId: string): Promise<InformationGivenEntry[]> {
  const rows = await q
    .select({ entry: informationGiven, givenByName: appUser.displayName, documentTitle: personDocument.title })
    .from(informationGiven)
    .leftJoin(appUser, eq(appUser.id, informationGiven.givenBy))
    .leftJoin(personDocument, and(eq(personDocument.partnershipId, informationGiven.partnershipId), eq(personDocument.id, informationGiven.documentId)))
    .where(and(eq(informationGiven.partnershipId, partnershipId), eq(informationGiven.personId, personId)))
    .orderBy(desc(informationGiven.givenOn), desc(informationGiven.createdAt));
  return rows.map((r) => ({ ...r.entry, givenByName: r.givenByName, documentTitle: r.documentTitle }));
}

export async function insertInformationGiven(q: DbOrTx, values: typeof informationGiven.$inferInsert): Promise<InformationGivenRow> {
  return (await q.insert(informationGiven).values(values).returning())[0]!;
}

/** The latest date the rights statement was given to the person in writing. */
export async function latestRightsGivenInWriting(q: DbOrTx, partnershipId: string, personId: string): Promise<string | null> {
  return (
    (
      await q
        .select({ on: max(informationGiven.givenOn) })
        .from(informationGiven)
        .where(and(eq(informationGiven.partnershipId, partnershipId), eq(informationGiven.personId, personId), eq(informationGiven.subject, 'rights-statement'), eq(informationGiven.inWriting, true)))
    )[0]?.on ?? null
  );
}

/** Set the person's "rights given in writing" date on the record saved at `version`: none if somebody saved first. */
export async function updateRightsGivenInWritingAtVersion(
  q: DbOrTx,
  partnershipId: string,
  personId: string,
  version: number,
  on: string,
  at: Date,
): Promise<Array<{ rightsGivenInWritingOn: string | null }>> {
  return q
    .update(person)
    .set({ rightsGivenInWritingOn: on, updatedAt: at, version: version + 1 })
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId), eq(person.version, version)))
    .returning({ rightsGivenInWritingOn: person.rightsGivenInWritingOn });
}
