import { loadPerson } from '../register/index.ts';
import { and, desc, eq, max, or } from 'drizzle-orm';
import { z } from 'zod';
import { activeMembership } from '../../platform/access/actor.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import { recordChange, recordView, type AuditScope } from '../../platform/audit/audit.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { renderPdf, sha256Hex } from '../../platform/documents/pdf.ts';
import type { DocumentModel } from '../../platform/documents/model.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { person } from '../register/index.ts';
import { fileNameFor, type OrganisationContact } from './format.ts';
import { informationGivenSchema, isWrittenFormat } from './information-given.ts';
import { letterFormat, wrapInLetter } from './letter.ts';
import { informationGiven, personDocument } from './schema.ts';
import { buildStatement, canHaveStatement, StatementNotAvailableError, type StatementFacts, type StatementVersion } from './statement.ts';

/*
 * Documents for the person (issue 5): every document produced is stored exactly as produced,
 * with its SHA-256, who produced it and when, so what was sent can be shown later; every
 * download is audited as a view of the person's record. And the record of information given:
 * when, by whom, in which format and language, understood or not, offer again or not.
 */

export type PersonRow = typeof person.$inferSelect;
export type DocumentRow = typeof personDocument.$inferSelect;
export type InformationGivenRow = typeof informationGiven.$inferSelect;

export const accessibleFormats = ['standard', 'easy-read', 'large-print'] as const;
export type AccessibleFormat = (typeof accessibleFormats)[number];

// ---------------------------------------------------------------------------
// Storing and reading documents (other modules call storeDocument and renderPdf)
// ---------------------------------------------------------------------------

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
 * SHA-256 and size, and audit it (the hash goes into the audit trail, never the bytes).
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
export async function listDocuments(ctx: ServiceContext, personId: string): Promise<DocumentSummary[]> {
  await loadPerson(ctx.db, ctx, personId, 'person:read');
  return ctx.db
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
    .where(and(eq(personDocument.partnershipId, ctx.actor.partnershipId), eq(personDocument.personId, personId)))
    .orderBy(desc(personDocument.createdAt), desc(personDocument.id));
}

/** One stored document with its bytes, for download. Every download is audited as a view of the person's record. */
export async function getDocument(ctx: ServiceContext, personId: string, documentId: string): Promise<DocumentRow> {
  await loadPerson(ctx.db, ctx, personId, 'person:read');
  if (!z.uuid().safeParse(documentId).success) throw new NotFoundError('Document not found');
  const row = (
    await ctx.db
      .select()
      .from(personDocument)
      .where(and(eq(personDocument.partnershipId, ctx.actor.partnershipId), eq(personDocument.personId, personId), eq(personDocument.id, documentId)))
  )[0];
  if (!row) throw new NotFoundError('Document not found');
  await recordView(ctx.db, ctx, {
    subjectType: 'person',
    subjectId: personId,
    detail: { document: { id: row.id, kind: row.kind, title: row.title, contentHash: row.contentHash }, downloaded: true },
  });
  return row;
}

// ---------------------------------------------------------------------------
// The statement of entitlement
// ---------------------------------------------------------------------------

async function organisationContact(db: DbOrTx, partnershipId: string, code: string | null): Promise<OrganisationContact | null> {
  if (!code) return null;
  const row = (
    await db
      .select({ name: organisation.name, contactPhone: organisation.contactPhone, contactEmail: organisation.contactEmail, contactAddress: organisation.contactAddress })
      .from(organisation)
      .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))))
      .limit(1)
  )[0];
  return row ?? { name: code, contactPhone: null, contactEmail: null, contactAddress: null };
}

/**
 * The section 117 needs and services of the person's approved plan, for the statement. The plans
 * module provides them (src/modules/plans/plan-in-short.ts), registered in src/app.ts, so that
 * documents need not import plans (plans store their plan documents through this module).
 */
export type StatementPlanSource = (db: DbOrTx, partnershipId: string, personId: string) => Promise<StatementFacts['plan']>;
let statementPlanSource: StatementPlanSource | null = null;
export function setStatementPlanSource(source: StatementPlanSource): void {
  statementPlanSource = source;
}
function planInShort(db: DbOrTx, partnershipId: string, personId: string): Promise<StatementFacts['plan']> {
  if (!statementPlanSource) throw new Error('No plan source for the statement of entitlement: src/app.ts registers it');
  return statementPlanSource(db, partnershipId, personId);
}

async function statementFacts(db: DbOrTx, row: PersonRow, today: string): Promise<StatementFacts> {
  if (!canHaveStatement(row.status)) throw new StatementNotAvailableError(row.status);
  const [localAuthority, icb, plan] = await Promise.all([
    organisationContact(db, row.partnershipId, row.responsibleLocalAuthority),
    organisationContact(db, row.partnershipId, row.responsibleIcb),
    planInShort(db, row.partnershipId, row.id),
  ]);
  return {
    personName: `${row.givenName} ${row.familyName}`,
    status: row.status,
    entitlementStart: row.entitlementStart,
    localAuthority,
    icb,
    plan,
    nextReviewDue: row.nextReviewDue,
    producedOn: today,
  };
}

/** The version to produce: large print whenever the person's record asks for it. */
function effectiveStatement(facts: StatementFacts, version: StatementVersion, communicationNeeds: readonly string[]): { model: DocumentModel; upgradedToLargePrint: boolean } {
  const needsLargePrint = letterFormat(communicationNeeds).largePrint;
  const upgradedToLargePrint = needsLargePrint && version !== 'large-print';
  const model = buildStatement(facts, version === 'standard' && needsLargePrint ? 'large-print' : version);
  return { model: needsLargePrint ? { ...model, largePrint: true } : model, upgradedToLargePrint };
}

/** The statement as a DocumentModel for the HTML page. Viewing it is a view of the person's record. */
export async function getStatement(ctx: ServiceContext, personId: string, version: StatementVersion): Promise<{ model: DocumentModel; person: PersonRow }> {
  const row = await loadPerson(ctx.db, ctx, personId, 'person:read');
  const facts = await statementFacts(ctx.db, row, todayInLondon());
  await recordView(ctx.db, ctx, { subjectType: 'person', subjectId: personId, detail: { statement: version } });
  return { model: buildStatement(facts, version), person: row };
}

export interface ProducedDocument {
  id: string;
  contentHash: string;
  title: string;
  accessibleFormat: AccessibleFormat;
  /** Produced in large print because the person's record asks for it. */
  upgradedToLargePrint: boolean;
}

/**
 * Produce the statement as a tagged PDF and store it. Refused (StatementNotAvailableError, 422)
 * unless the person is entitled or pending. With `coveringLetter`, the statement follows a
 * letter to the person's address from the responsible local authority.
 */
export async function produceStatement(ctx: ServiceContext, personId: string, options: { version: StatementVersion; coveringLetter: boolean }): Promise<ProducedDocument> {
  const today = todayInLondon();
  return ctx.db.transaction(async (tx) => {
    const row = await loadPerson(tx, ctx, personId, 'person:write');
    const facts = await statementFacts(tx, row, today);
    const statement = effectiveStatement(facts, options.version, row.communicationNeeds);
    let model = statement.model;
    if (options.coveringLetter) {
      const from = facts.localAuthority ?? facts.icb;
      model = wrapInLetter(model, {
        recipient: { name: facts.personName, address: row.address, postcode: row.postcode },
        date: today,
        nhsNumber: row.nhsNumber,
        from,
        signOff: { name: ctx.actor.displayName, organisation: activeMembership(ctx.actor)?.organisationName ?? from?.name ?? '' },
        easyRead: options.version === 'easy-read',
        communicationNeeds: row.communicationNeeds,
      });
      model = { ...model, title: `${model.title}, with a covering letter` };
    }
    const accessibleFormat: AccessibleFormat = model.easyRead ? 'easy-read' : model.largePrint ? 'large-print' : 'standard';
    const content = await renderPdf(model);
    const stored = await storeDocument(tx, ctx, {
      personId,
      kind: options.coveringLetter ? 'letter' : 'statement',
      accessibleFormat,
      language: model.language,
      title: model.title,
      mediaType: 'application/pdf',
      fileName: fileNameFor(`${model.title} ${accessibleFormat === 'standard' ? '' : accessibleFormat}`, today),
      content,
    });
    return { ...stored, title: model.title, accessibleFormat, upgradedToLargePrint: statement.upgradedToLargePrint };
  });
}

// ---------------------------------------------------------------------------
// Information given
// ---------------------------------------------------------------------------

export interface InformationGivenEntry extends InformationGivenRow {
  givenByName: string | null;
  documentTitle: string | null;
}

async function informationGivenHistory(db: DbOrTx, partnershipId: string, personId: string): Promise<InformationGivenEntry[]> {
  const rows = await db
    .select({ entry: informationGiven, givenByName: appUser.displayName, documentTitle: personDocument.title })
    .from(informationGiven)
    .leftJoin(appUser, eq(appUser.id, informationGiven.givenBy))
    .leftJoin(personDocument, and(eq(personDocument.partnershipId, informationGiven.partnershipId), eq(personDocument.id, informationGiven.documentId)))
    .where(and(eq(informationGiven.partnershipId, partnershipId), eq(informationGiven.personId, personId)))
    .orderBy(desc(informationGiven.givenOn), desc(informationGiven.createdAt));
  return rows.map((r) => ({ ...r.entry, givenByName: r.givenByName, documentTitle: r.documentTitle }));
}

/**
 * Record that information was given to the person. When it is the rights statement given in
 * writing (standard, easy read, large print or braille), the person's "rights given in
 * writing" date becomes the latest such date, with the optimistic-concurrency check on the
 * person (the version the form was opened at).
 */
export async function recordInformationGiven(ctx: ServiceContext, personId: string, personVersion: number, input: unknown): Promise<InformationGivenRow> {
  const today = todayInLondon();
  const data = parseInput(informationGivenSchema(today), input);
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, ctx, personId, 'person:write', true);
    if (data.givenOn! < before.dateOfBirth) throw new InputError([{ path: 'givenOn', message: 'The date it was given must be on or after their date of birth' }]);
    if (data.documentId) {
      const doc = await tx
        .select({ id: personDocument.id })
        .from(personDocument)
        .where(and(eq(personDocument.partnershipId, ctx.actor.partnershipId), eq(personDocument.personId, personId), eq(personDocument.id, data.documentId)));
      if (doc.length === 0) throw new InputError([{ path: 'documentId', message: 'Select one of their stored documents, or none' }]);
    }
    const inWriting = isWrittenFormat(data.format);
    const [created] = await tx
      .insert(informationGiven)
      .values({
        partnershipId: ctx.actor.partnershipId,
        personId,
        subject: data.subject,
        givenOn: data.givenOn!,
        givenBy: ctx.actor.userId,
        format: data.format,
        inWriting,
        language: data.language,
        documentId: data.documentId,
        understood: data.understood,
        offerAgain: data.offerAgain,
        offerAgainReason: data.offerAgain ? data.offerAgainReason : null,
        notes: data.notes,
      })
      .returning();
    let rightsGivenInWritingOn = before.rightsGivenInWritingOn;
    if (data.subject === 'rights-statement' && inWriting) {
      const latest = (
        await tx
          .select({ on: max(informationGiven.givenOn) })
          .from(informationGiven)
          .where(and(eq(informationGiven.partnershipId, ctx.actor.partnershipId), eq(informationGiven.personId, personId), eq(informationGiven.subject, 'rights-statement'), eq(informationGiven.inWriting, true)))
      )[0]?.on;
      if (latest && latest !== before.rightsGivenInWritingOn) {
        const updated = expectOneUpdated(
          await tx
            .update(person)
            .set({ rightsGivenInWritingOn: latest, updatedAt: new Date(), version: personVersion + 1 })
            .where(and(eq(person.partnershipId, ctx.actor.partnershipId), eq(person.id, personId), eq(person.version, personVersion)))
            .returning({ rightsGivenInWritingOn: person.rightsGivenInWritingOn }),
        );
        rightsGivenInWritingOn = updated.rightsGivenInWritingOn;
      }
    }
    await recordChange(tx, ctx, {
      action: 'information-given.recorded',
      subjectType: 'person',
      subjectId: personId,
      before: { rightsGivenInWritingOn: before.rightsGivenInWritingOn },
      after: { informationGiven: created, rightsGivenInWritingOn },
    });
    return created!;
  });
}

// ---------------------------------------------------------------------------
// The documents page
// ---------------------------------------------------------------------------

/** Everything the documents page shows. Viewing it is a view of the person's record (audited). */
export async function getDocumentsPage(ctx: ServiceContext, personId: string) {
  const row = await loadPerson(ctx.db, ctx, personId, 'person:read');
  const [documents, history, orgs] = await Promise.all([
    listDocuments(ctx, personId),
    informationGivenHistory(ctx.db, ctx.actor.partnershipId, personId),
    ctx.db
      .select({ code: organisation.code, onsCode: organisation.onsCode, name: organisation.name })
      .from(organisation)
      .where(eq(organisation.partnershipId, ctx.actor.partnershipId)),
  ]);
  await recordView(ctx.db, ctx, { subjectType: 'person', subjectId: personId, detail: { page: 'documents' } });
  const organisationName = (code: string | null) => (code ? (orgs.find((o) => o.code === code || o.onsCode === code)?.name ?? code) : null);
  return {
    person: row,
    documents,
    informationGiven: history,
    organisationName,
    canWrite: canOnPerson(ctx.actor, 'person:write', row),
    canSeeAudit: canOnPerson(ctx.actor, 'person:audit', row),
    statementAvailable: canHaveStatement(row.status),
    format: letterFormat(row.communicationNeeds),
  };
}
