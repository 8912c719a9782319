import JSZip from 'jszip';
import { can } from '../../platform/access/policy.ts';
import type { Block, DocumentModel } from '../../platform/documents/model.ts';
import { renderPdf, sha256Hex } from '../../platform/documents/pdf.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { govukDate, govukDateTime } from '../../platform/plain-language.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { uploadedFilesOfPerson } from '../uploads/index.ts';
import { auditOfRecord, documentFiles, findPersonIdByNhsNumber, rowsAboutPerson, withheldAboutPerson, type AuditEntry } from './subject-access.queries.ts';
import { exportedTables, notExported } from './subject-access.tables.ts';

/*
 * The subject access export (issue 14, item 6; UK GDPR article 15): everything Aftercare holds
 * about one person, as a zip of JSON (every row of every table about them, and the audit of who
 * viewed or changed the record), the stored documents themselves, and a readable PDF summary.
 * Made by administrators and quality and audit staff of an organisation responsible for or
 * involved with the person ('person:subject-access'), and audited as person.subject_access_exported.
 */

const PERMISSION = 'person:subject-access' as const;

/** May the actor make subject access exports at all (any person)? Cheap: no query. */
export function mayExportSubjectAccess(ctx: Pick<ServiceContext, 'actor'>): boolean {
  return can(ctx.actor, PERMISSION);
}

/**
 * Find the person a request is about by NHS number (administrators do not open the register).
 * Someone the actor may not export is answered exactly like someone who is not there.
 */
export async function findForSubjectAccess(ctx: ServiceContext, nhsNumberInput: string): Promise<string> {
  if (!mayExportSubjectAccess(ctx)) throw new ForbiddenError();
  const nhsNumber = normaliseNhsNumber(nhsNumberInput);
  if (!nhsNumber) throw new InputError([{ path: 'nhsNumber', message: 'Enter the NHS number of the person who asked' }]);
  if (!isValidNhsNumber(nhsNumber)) throw new InputError([{ path: 'nhsNumber', message: 'Enter a valid NHS number: 10 digits, like 999 123 4567' }]);
  const notFound = new InputError([{ path: 'nhsNumber', message: 'There is nobody with this NHS number whom your organisation is responsible for or involved with' }]);
  return ctx.data.read(async (q) => {
    const id = await findPersonIdByNhsNumber(q, ctx.actor.partnershipId, nhsNumber);
    if (!id) throw notFound;
    try {
      await loadPerson(q, ctx, id, PERMISSION);
    } catch (error) {
      if (error instanceof ForbiddenError) throw notFound;
      throw error;
    }
    return id;
  });
}

/** The page before the export: who it is about and what it holds. The view of the name is audited. */
export async function openSubjectAccess(ctx: ServiceContext, personId: string) {
  if (!mayExportSubjectAccess(ctx)) throw new ForbiddenError();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, PERMISSION);
    await audit.viewPerson(person.id, { page: 'subject-access' });
    return { id: person.id, name: `${person.givenName} ${person.familyName}`, nhsNumber: formatNhsNumber(person.nhsNumber), tables: exportedTables.map((t) => t.label) };
  });
}

export interface SubjectAccessExport {
  filename: string;
  content: Buffer;
  sha256: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** A value as a reader would want it: dates as "4 December 2026", lists joined, objects as compact JSON. */
function readable(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') {
    if (isoDate.test(value)) return govukDate(value) || value;
    if (isoDateTime.test(value)) return govukDateTime(value) || value;
    return value;
  }
  if (Array.isArray(value)) return value.length ? value.map(readable).join(', ') : '—';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function fieldLabel(column: string): string {
  const words = column.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function auditWhat(e: AuditEntry): string {
  const verb = e.action.endsWith('.viewed') ? 'Viewed' : e.action;
  return e.subjectType === 'person' ? `${verb} (the record)` : `${verb} (${e.subjectType.replace(/[-_]/g, ' ')})`;
}

function summaryPdf(person: PersonRow, tables: Array<{ label: string; rows: Array<Record<string, unknown>> }>, audit: AuditEntry[], documents: number, madeBy: string, madeOn: string, withheld: string[] = [], leftOut: string[] = []): Promise<Buffer> {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `Subject access export: ${person.givenName} ${person.familyName}` },
    {
      kind: 'summary',
      rows: [
        { key: 'NHS number', value: formatNhsNumber(person.nhsNumber) },
        { key: 'Date of birth', value: govukDate(person.dateOfBirth) },
        { key: 'Made on', value: madeOn },
        { key: 'Made by', value: madeBy },
        { key: 'Documents included', value: String(documents) },
      ],
    },
    {
      kind: 'paragraph',
      text: 'This summary lists everything Aftercare holds about the person: each kind of record with every field, then who viewed or changed the record. The same data is in person.json (every row of every table) and views.json (the audit), the documents produced for the person are in the documents folder and those uploaded to the record in the uploaded-documents folder, byte for byte.',
    },
  ];
  if (withheld.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Withheld pending review' });
    for (const w of withheld) blocks.push({ kind: 'paragraph', text: `${w}: restricted information (about other people, or safeguarding) is released only after review.` });
  }
  if (leftOut.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Files left out' });
    for (const w of leftOut) blocks.push({ kind: 'paragraph', text: `${w}. Their details are listed with the uploaded documents below; the files are never opened or released.` });
  }
  for (const t of tables) {
    blocks.push({ kind: 'heading', level: 2, text: `${t.label} (${t.rows.length})` });
    if (t.rows.length === 0) blocks.push({ kind: 'paragraph', text: 'None held.' });
    for (const row of t.rows) {
      blocks.push({ kind: 'summary', rows: Object.entries(row).filter(([k]) => k !== 'partnership_id').map(([k, v]) => ({ key: fieldLabel(k), value: readable(v) })) });
    }
  }
  blocks.push({ kind: 'heading', level: 2, text: `Who viewed or changed the record (${audit.length})` });
  if (audit.length) {
    blocks.push({
      kind: 'table',
      caption: 'The audit of the record, oldest first',
      head: ['When', 'Who', 'Organisation', 'What'],
      rows: audit.map((e) => [govukDateTime(e.at), e.actorName ?? (e.viaApiToken ? `API token “${e.viaApiToken}”` : 'Aftercare (a scheduled job or the command line)'), e.organisationName ?? '—', auditWhat(e)]),
    });
  } else blocks.push({ kind: 'paragraph', text: 'Nobody has viewed or changed the record yet.' });
  const doc: DocumentModel = { title: `Subject access export: ${person.givenName} ${person.familyName}`, language: 'en-GB', author: 'Aftercare, the Section 117 register', blocks };
  return renderPdf(doc);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'document';
}

/**
 * Read everything about the person in one unit of work, build the zip, and record the export
 * (with what it held and its SHA-256) in the same transaction.
 */
export async function produceSubjectAccessExport(ctx: ServiceContext, personId: string): Promise<SubjectAccessExport> {
  if (!mayExportSubjectAccess(ctx)) throw new ForbiddenError();
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, PERMISSION);
    const partnershipId = ctx.actor.partnershipId;
    const tables: Array<{ table: string; label: string; rows: Array<Record<string, unknown>> }> = [];
    for (const table of exportedTables) tables.push({ table: table.table, label: table.label, rows: await rowsAboutPerson(tx, table, partnershipId, person) });
    // Restricted case notes (third-party or safeguarding information) are never exported without
    // review: they are counted and the export says so (docs/operations/information-governance.md).
    const withheld: Record<string, string> = {};
    for (const table of exportedTables) {
      const n = await withheldAboutPerson(tx, table, partnershipId, person);
      if (n > 0 && table.withheldLabel) withheld[table.table] = table.withheldLabel(n);
    }
    const subjectIds = new Set<string>([person.id]);
    for (const t of tables) for (const row of t.rows) if (typeof row.id === 'string') subjectIds.add(row.id);
    const trail = await auditOfRecord(tx, partnershipId, [...subjectIds]);
    const files = await documentFiles(tx, partnershipId, person.id);
    // Uploaded documents (issue 15, item 3): the files that may be served; quarantined ones are counted, never included.
    const uploads = await uploadedFilesOfPerson(tx, ctx, person.id);
    const leftOut: Record<string, string> = {};
    if (uploads.quarantined > 0) leftOut.uploaded_document = `${uploads.quarantined} uploaded ${uploads.quarantined === 1 ? 'file' : 'files'} left out: flagged by the virus check and kept in quarantine`;

    const now = ctx.clock.now();
    const madeOn = govukDateTime(now);
    const membership = ctx.actor.memberships.find((m) => m.organisationId === ctx.actor.activeOrganisationId);
    const madeBy = `${ctx.actor.displayName}${membership ? `, ${membership.organisationName}` : ''}`;
    const zip = new JSZip();
    const personJson = {
      about: 'Everything Aftercare holds about this person: every row of every table that holds something about them, by table (columns as the database names them). Documents produced for the person are in the documents folder, documents uploaded to the record in the uploaded-documents folder; who viewed or changed the record is in views.json.',
      madeAt: now.toISOString(),
      madeBy,
      person: tables[0]!.rows[0],
      tables: Object.fromEntries(tables.map((t) => [t.table, { description: t.label, rows: t.rows }])),
      notExported,
      withheld,
      leftOut,
    };
    zip.file('person.json', JSON.stringify(personJson, null, 2));
    zip.file('views.json', JSON.stringify({ about: 'The audit of the record: who viewed or changed it, for which organisation, when and what (oldest first).', events: trail }, null, 2));
    files.forEach((f, i) => zip.file(`documents/${String(i + 1).padStart(3, '0')}-${safeName(f.fileName)}`, f.content));
    uploads.files.forEach((f, i) => zip.file(`uploaded-documents/${String(i + 1).padStart(3, '0')}-${safeName(f.fileName)}`, f.content));
    zip.file('summary.pdf', await summaryPdf(person, tables, trail, files.length + uploads.files.length, madeBy, madeOn, Object.values(withheld), Object.values(leftOut)));
    const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const sha256 = sha256Hex(content);
    await audit.change({
      action: 'person.subject_access_exported',
      subjectType: 'person',
      subjectId: person.id,
      after: { sha256, bytes: content.length, documents: files.length, uploadedDocuments: uploads.files.length, auditEvents: trail.length, rows: Object.fromEntries(tables.map((t) => [t.table, t.rows.length])), withheld, leftOut },
    });
    const day = now.toISOString().slice(0, 10);
    return { filename: `subject-access-${day}-${person.id.slice(0, 8)}.zip`, content, sha256 };
  });
}
