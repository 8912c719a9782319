import { referenceName } from '../../domain/reference/organisations.ts';
import { organisationLabel } from '../../platform/plain-language.ts';
import { z } from 'zod';
import { activeMembership } from '../../platform/access/actor.ts';
import { canOnPerson } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import type { DocumentModel } from '../../platform/documents/model.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { loadPerson, type person } from '../register/index.ts';
import {
  documentExists,
  findDocument,
  findDocumentSummaries,
  findInformationGiven,
  findOrganisationContact,
  findOrganisationContactById,
  findOrganisationNames,
  insertInformationGiven,
  latestRightsGivenInWriting,
  storeDocument,
  updateRightsGivenInWritingAtVersion,
  type AccessibleFormat,
  type DocumentRow,
  type DocumentSummary,
  type InformationGivenRow,
} from './documents.queries.ts';
import { fileNameFor } from './format.ts';
import { informationGivenSchema, isWrittenFormat } from './information-given.ts';
import { letterFormat, wrapInLetter } from './letter.ts';
import { buildStatement, canHaveStatement, StatementNotAvailableError, type StatementFacts, type StatementVersion } from './statement.ts';

/*
 * Documents for the person (issue 5): every document produced is stored exactly as produced,
 * with its SHA-256, who produced it and when, so what was sent can be shown later; every
 * download is audited as a view of the person's record. And the record of information given:
 * when, by whom, in which format and language, understood or not, offer again or not.
 */

export type PersonRow = typeof person.$inferSelect;
export { accessibleFormats, storeDocument } from './documents.queries.ts';
export type { AccessibleFormat, DocumentRow, DocumentSummary, InformationGivenEntry, InformationGivenRow, StoreDocumentInput } from './documents.queries.ts';

// ---------------------------------------------------------------------------
// Storing and reading documents (other modules call storeDocument and renderPdf)
// ---------------------------------------------------------------------------

/** The person's stored documents, newest first, without their bytes. */
export async function listDocuments(ctx: ServiceContext, personId: string): Promise<DocumentSummary[]> {
  return ctx.data.read(async (q) => {
    await loadPerson(q, ctx, personId, 'person:read');
    return findDocumentSummaries(q, ctx.actor.partnershipId, personId);
  });
}

/** One stored document with its bytes, for download. Every download is audited as a view of the person's record. */
export async function getDocument(ctx: ServiceContext, personId: string, documentId: string): Promise<DocumentRow> {
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:read');
    if (!z.uuid().safeParse(documentId).success) throw new NotFoundError('Document not found');
    const row = await findDocument(tx, ctx.actor.partnershipId, personId, documentId);
    if (!row) throw new NotFoundError('Document not found');
    await audit.viewPerson(personId, { document: { id: row.id, kind: row.kind, title: row.title, contentHash: row.contentHash }, downloaded: true });
    return row;
  });
}

// ---------------------------------------------------------------------------
// The statement of entitlement
// ---------------------------------------------------------------------------

const organisationContact = findOrganisationContact;

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
  return ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:read');
    const facts = await statementFacts(tx, row, ctx.today());
    await audit.viewPerson(personId, { statement: version });
    return { model: buildStatement(facts, version), person: row };
  });
}

export interface ProducedDocument {
  id: string;
  contentHash: string;
  title: string;
  accessibleFormat: AccessibleFormat;
  /** Produced in large print because the person's record asks for it. */
  upgradedToLargePrint: boolean;
}

/** What to tell the person in a covering letter: written to them, plain English, optional. */
const whatToTellSchema = z
  .string()
  .trim()
  .max(2000, 'What to tell them must be 2000 characters or fewer')
  .optional()
  .transform((v) => (v ? v : null));

/**
 * Produce the statement as a tagged PDF and store it. Refused (StatementNotAvailableError, 422)
 * unless the person is entitled or pending. With `coveringLetter`, the statement follows a
 * letter to the person's address from the producer's own organisation, signed by them for it
 * (the letterhead and the signature are the same body), opening with what they wrote to the
 * person (`whatToTellThePerson`).
 */
export async function produceStatement(
  ctx: ServiceContext,
  personId: string,
  options: { version: StatementVersion; coveringLetter: boolean; whatToTellThePerson?: string },
): Promise<ProducedDocument> {
  const today = ctx.today();
  return ctx.data.transaction(async (tx) => {
    const row = await loadPerson(tx, ctx, personId, 'person:write');
    const whatToTell = parseInput(z.object({ whatToTellThePerson: whatToTellSchema }), { whatToTellThePerson: options.whatToTellThePerson }).whatToTellThePerson;
    const facts = await statementFacts(tx, row, today);
    const statement = effectiveStatement(facts, options.version, row.communicationNeeds);
    let model = statement.model;
    if (options.coveringLetter) {
      const membership = activeMembership(ctx.actor);
      const body = (await findOrganisationContactById(tx, ctx.actor.partnershipId, membership?.organisationId ?? null)) ?? {
        name: membership?.organisationName ?? facts.localAuthority?.name ?? 'Aftercare',
        contactPhone: null,
        contactEmail: null,
        contactAddress: null,
      };
      model = wrapInLetter(model, {
        recipient: { name: facts.personName, address: row.address, postcode: row.postcode },
        date: today,
        nhsNumber: row.nhsNumber,
        from: [{ body, signedBy: ctx.actor.displayName }],
        whatToTellThePerson: whatToTell,
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

const informationGivenHistory = findInformationGiven;

/**
 * Record that information was given to the person. When it is the rights statement given in
 * writing (standard, easy read, large print or braille), the person's "rights given in
 * writing" date becomes the latest such date, with the optimistic-concurrency check on the
 * person (the version the form was opened at).
 */
export async function recordInformationGiven(ctx: ServiceContext, personId: string, personVersion: number, input: unknown): Promise<InformationGivenRow> {
  const today = ctx.today();
  const data = parseInput(informationGivenSchema(today), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPerson(tx, ctx, personId, 'person:write', true);
    if (data.givenOn! < before.dateOfBirth) throw new InputError([{ path: 'givenOn', message: 'The date it was given must be on or after their date of birth' }]);
    if (data.documentId) {
      if (!(await documentExists(tx, ctx.actor.partnershipId, personId, data.documentId))) throw new InputError([{ path: 'documentId', message: 'Select one of their stored documents, or none' }]);
    }
    const inWriting = isWrittenFormat(data.format);
    const created = await insertInformationGiven(tx, {
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
      });
    let rightsGivenInWritingOn = before.rightsGivenInWritingOn;
    if (data.subject === 'rights-statement' && inWriting) {
      const latest = await latestRightsGivenInWriting(tx, ctx.actor.partnershipId, personId);
      if (latest && latest !== before.rightsGivenInWritingOn) {
        const updated = expectOneUpdated(await updateRightsGivenInWritingAtVersion(tx, ctx.actor.partnershipId, personId, personVersion, latest, ctx.clock.now()));
        rightsGivenInWritingOn = updated.rightsGivenInWritingOn;
      }
    }
    await audit.change({
      action: 'information-given.recorded',
      subjectType: 'person',
      subjectId: personId,
      before: { rightsGivenInWritingOn: before.rightsGivenInWritingOn },
      after: { informationGiven: created, rightsGivenInWritingOn },
    });
    return created;
  });
}

// ---------------------------------------------------------------------------
// The documents page
// ---------------------------------------------------------------------------

/** Everything the documents page shows. Viewing it is a view of the person's record (audited). */
export async function getDocumentsPage(ctx: ServiceContext, personId: string) {
  // One unit: the reads and the audited view of the person's record.
  const { row, documents, history, orgs } = await ctx.data.transaction(async (tx, audit) => {
    const row = await loadPerson(tx, ctx, personId, 'person:read');
    const [documents, history, orgs] = await Promise.all([
      findDocumentSummaries(tx, ctx.actor.partnershipId, personId),
      informationGivenHistory(tx, ctx.actor.partnershipId, personId),
      findOrganisationNames(tx, ctx.actor.partnershipId),
    ]);
    await audit.viewPerson(personId, { page: 'documents' });
    return { row, documents, history, orgs };
  });
  const organisationName = (code: string | null) => (code ? organisationLabel(code, (c) => orgs.find((o) => o.code === c || o.onsCode === c)?.name ?? referenceName(c)) : null);
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
