import { createHash } from 'node:crypto';
/**
 * Case notes (issue 15, item 1; docs/case-notes.md). Every read goes through the door and is
 * audited as a view of the person's record; every write is one transaction with its audit event
 * (before and after) and optimistic concurrency on the note's version.
 *
 * Who may do what:
 * - read notes: person:read on the person; restricted notes only for the roles the partnership
 *   chose (policy.ts canSeeRestrictedNotes) and for the note's own author. Others are never told
 *   they exist: not listed, not counted, and a link to one answers 404.
 * - write notes: person:write (practitioners, senior practitioners, team managers).
 * - edit a draft, or a finished note within 24 hours of finishing: its author only.
 * - correct a locked note (a new version with a reason): anyone who may write to the record.
 * - see the earlier versions of a corrected note: person:audit (team managers, quality and audit).
 */
import { z } from 'zod';
import { DEFAULT_RESTRICTED_NOTE_ROLES, editability, linkKindLabels, londonInstant, londonWallClock, noteDateTime, noteTypeLabel, noteTypes, parseTimeOfDay, renderNote, type LinkKind, type NoteStatus } from '../../domain/case-notes.ts';
import { assertCan, can, canOnPerson, canSeeRestrictedNotes, restrictedNoteRoleChoices, type PersonRelationships } from '../../platform/access/policy.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import { escalateSignificantNote } from '../risk/index.ts';
import {
  ensureNoteSettings,
  findLinkables,
  findNote,
  findNotes,
  findNoteSettings,
  findVersions,
  insertNote,
  insertVersion,
  linkableExists,
  updateNoteAtVersion,
  updateNoteSettings,
  type CaseNoteRow,
  type NoteVisibility,
} from './notes.queries.ts';

const isUuid = (id: string) => z.uuid().safeParse(id).success;
const NOT_FOUND = 'There is no such case note';

export interface NoteInput {
  type: string;
  contactDate: string;
  contactTime: string;
  present: string;
  body: string;
  significant: boolean;
  restricted: boolean;
  restrictedReason: string;
  link: string;
}

export const emptyNoteInput: NoteInput = { type: '', contactDate: '', contactTime: '', present: '', body: '', significant: false, restricted: false, restrictedReason: '', link: '' };

const noteSchema = (now: Date) =>
  z
    .object({
      type: z.enum(noteTypes, { error: 'Choose the type of note' }),
      contactDate: z
        .string()
        .refine((d) => d !== '', 'Enter the date of the contact')
        .refine((d) => d === '' || /^\d{4}-\d{2}-\d{2}$/.test(d), 'The date of the contact must be a real date, like 4 12 2026')
        .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'The date of the contact must be a real date, like 4 12 2026'),
      contactTime: z
        .string()
        .trim()
        .min(1, 'Enter the time of the contact')
        .refine((t) => parseTimeOfDay(t) !== null, 'Enter the time of the contact like 2:30pm or 14:30'),
      present: z.string().trim().max(2000, 'Who was present must be 2,000 characters or fewer'),
      body: z.string().trim().min(1, 'Enter the note').max(50_000, 'The note must be 50,000 characters or fewer'),
      significant: z.boolean(),
      restricted: z.boolean(),
      restrictedReason: z.string().trim().max(500, 'The reason must be 500 characters or fewer'),
      link: z.string().trim(),
    })
    .superRefine((v, issue) => {
      if (v.restricted && v.restrictedReason === '') issue.addIssue({ code: 'custom', path: ['restrictedReason'], message: 'Say why the note is restricted: third-party information or safeguarding' });
      if (v.link !== '' && !/^(plan|review|meeting|task):[0-9a-f-]{36}$/.test(v.link)) issue.addIssue({ code: 'custom', path: ['link'], message: 'Choose what the note is about from the list' });
      const time = parseTimeOfDay(v.contactTime);
      if (time && /^\d{4}-\d{2}-\d{2}$/.test(v.contactDate) && londonInstant(v.contactDate, time).getTime() > now.getTime()) {
        issue.addIssue({ code: 'custom', path: ['contactDate'], message: 'The date and time of the contact must be in the past' });
      }
    })
    .transform((v) => {
      const [kind, id] = v.link ? (v.link.split(':') as [LinkKind, string]) : [null, null];
      return {
        type: v.type,
        contactAt: londonInstant(v.contactDate, parseTimeOfDay(v.contactTime)!),
        present: v.present,
        body: v.body,
        significant: v.significant,
        restricted: v.restricted,
        restrictedReason: v.restricted ? v.restrictedReason : null,
        linkedKind: kind,
        linkedId: id,
      };
    });

const reasonSchema = z.object({ reason: z.string().trim().min(1, 'Say why the note is being corrected').max(2000, 'The reason must be 2,000 characters or fewer') });

/** The roles that see restricted notes in this partnership. */
async function restrictedRoles(q: DbOrTx, partnershipId: string): Promise<string[]> {
  return (await findNoteSettings(q, partnershipId))?.restrictedRoles ?? [...DEFAULT_RESTRICTED_NOTE_ROLES];
}

function assertLinkable(q: DbOrTx, ctx: ServiceContext, personId: string, change: { linkedKind: LinkKind | null; linkedId: string | null }) {
  if (!change.linkedKind || !change.linkedId) return Promise.resolve();
  return linkableExists(q, ctx.actor.partnershipId, personId, change.linkedKind, change.linkedId).then((ok) => {
    if (!ok) throw new InputError([{ path: 'link', message: 'Choose what the note is about from the list' }]);
  });
}

export interface NoteView {
  id: string;
  version: number;
  type: string;
  typeLabel: string;
  contactAt: string;
  contactAtIso: string;
  present: string;
  bodyHtml: string;
  significant: boolean;
  restricted: boolean;
  restrictedReason: string | null;
  linked: string | null;
  status: NoteStatus;
  state: 'Draft' | 'Finished' | 'Locked';
  lockedAt: string | null;
  authorName: string;
  mine: boolean;
  canEdit: boolean;
  canCorrect: boolean;
  corrections: number;
  updatedAt: string;
}

function viewOf(ctx: ServiceContext, row: { note: CaseNoteRow; authorName: string | null; authorOrganisationName: string | null }, mayWrite: boolean, linkLabels: Map<string, string>): NoteView {
  const n = row.note;
  const e = editability({ status: n.status as NoteStatus, finishedAt: n.finishedAt }, ctx.clock.now());
  const mine = ctx.actor.userId !== null && n.authorUserId === ctx.actor.userId;
  return {
    id: n.id,
    version: n.version,
    type: n.type,
    typeLabel: noteTypeLabel(n.type),
    contactAt: noteDateTime(n.contactAt),
    contactAtIso: n.contactAt.toISOString(),
    present: n.present,
    bodyHtml: renderNote(n.body),
    significant: n.significant,
    restricted: n.restricted,
    restrictedReason: n.restrictedReason,
    linked: n.linkedKind && n.linkedId ? (linkLabels.get(`${n.linkedKind}:${n.linkedId}`) ?? linkKindLabels[n.linkedKind as LinkKind]) : null,
    status: n.status as NoteStatus,
    state: e.kind === 'draft' ? 'Draft' : e.kind === 'open' ? 'Finished' : 'Locked',
    lockedAt: e.kind === 'draft' ? null : noteDateTime(e.lockedAt),
    authorName: row.authorName ? `${row.authorName}${row.authorOrganisationName ? `, ${row.authorOrganisationName}` : ''}` : 'Unknown',
    mine,
    canEdit: mayWrite && mine && e.kind !== 'locked',
    canCorrect: mayWrite && e.kind === 'locked',
    corrections: n.corrections,
    updatedAt: noteDateTime(n.updatedAt),
  };
}

async function linkChoices(q: DbOrTx, ctx: ServiceContext, personId: string) {
  const rows = await findLinkables(q, ctx.actor.partnershipId, personId);
  return rows.map((r) => ({ value: `${r.kind}:${r.id}`, text: `${linkKindLabels[r.kind]}${r.label ? `: ${r.label}` : ''}, recorded ${govukDate(new Date(r.createdAt))}` }));
}

/**
 * Which of the person's notes the actor may see (the rule of the notes' own list): for other
 * readers of case notes, such as the chronology, with `visibleNotesCondition` from notes.queries.ts.
 */
export async function noteVisibility(q: DbOrTx, ctx: ServiceContext, person: PersonRow): Promise<NoteVisibility> {
  return { withRestricted: canSeeRestrictedNotes(ctx.actor, person, await restrictedRoles(q, ctx.actor.partnershipId)), authorUserId: ctx.actor.userId };
}

/** The notes page: the person's notes, newest contact first; audited as a view of the record. */
export async function notesPage(ctx: ServiceContext, personId: string, options: { significantOnly: boolean }) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const seesRestricted = canSeeRestrictedNotes(ctx.actor, person, await restrictedRoles(tx, ctx.actor.partnershipId));
    const rows = await findNotes(tx, ctx.actor.partnershipId, personId, { withRestricted: seesRestricted, significantOnly: options.significantOnly, authorUserId: ctx.actor.userId });
    const mayWrite = canOnPerson(ctx.actor, 'person:write', person);
    const labels = new Map((await linkChoices(tx, ctx, personId)).map((c) => [c.value, c.text]));
    await audit.viewPerson(personId, { page: 'case-notes', significantOnly: options.significantOnly, notes: rows.map((r) => r.note.id) });
    return { person, notes: rows.map((r) => viewOf(ctx, r, mayWrite, labels)), mayWrite };
  });
}

/** The count and link for the person page's section (no text of any note; restricted ones counted only for those who see them). */
/**
 * The count on the person page, from the partnership's note settings and the person's notes
 * counted by group (notes.queries.ts: noteSettingsQuery, noteTalliesQuery): restricted notes are
 * counted only for those who see them (the roles the partnership chose) and for their own author,
 * as `findNotes` lists them; "drafts" are the actor's own, to finish.
 */
export function notesSummary(
  actor: ServiceContext['actor'],
  person: PersonRelationships,
  settings: { restrictedRoles: string[] } | undefined,
  tallies: ReadonlyArray<{ restricted: boolean; significant: boolean; draft: boolean; authorUserId: string | null; count: number }>,
) {
  const seesRestricted = canSeeRestrictedNotes(actor, person, settings?.restrictedRoles ?? [...DEFAULT_RESTRICTED_NOTE_ROLES]);
  const mine = (n: { authorUserId: string | null }) => actor.userId !== null && n.authorUserId === actor.userId;
  const rows = tallies.filter((n) => seesRestricted || !n.restricted || mine(n));
  const sum = (list: typeof rows) => list.reduce((total, n) => total + n.count, 0);
  return { count: sum(rows), significant: sum(rows.filter((r) => r.significant)), drafts: sum(rows.filter((r) => r.draft && mine(r))) };
}

/** The form for a new note (person:write). */
export async function newNoteForm(ctx: ServiceContext, personId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const links = await linkChoices(tx, ctx, personId);
    await audit.viewPerson(personId, { page: 'case-note-form' });
    return { person, links };
  });
}

/**
 * What the audit trail keeps of a note. A restricted note's words (and who was present) stay out
 * of it: the audit trail is read by roles the partnership may not have chosen for restricted
 * notes (the person's audit page, the administrators' audit search). A hash proves which text it
 * was; the words themselves are kept in the note and its earlier versions, behind the same check.
 */
function auditable<T extends { restricted: boolean; body: string; present: string | null }>(note: T, alsoRestricted = false): T | (Omit<T, 'body' | 'present'> & { body: string; present: string | null; bodySha256: string }) {
  if (!note.restricted && !alsoRestricted) return note;
  return { ...note, body: '[restricted note: words not kept in the audit trail]', present: note.present === null ? null : '[withheld]', bodySha256: createHash('sha256').update(note.body, 'utf8').digest('hex') };
}

/** The fields of an earlier version, from the note as it was. */
function versionOf(before: CaseNoteRow) {
  return {
    partnershipId: before.partnershipId,
    noteVersion: before.version,
    type: before.type,
    contactAt: before.contactAt,
    present: before.present,
    body: before.body,
    significant: before.significant,
    restricted: before.restricted,
    restrictedReason: before.restrictedReason,
    linkedKind: before.linkedKind,
    linkedId: before.linkedId,
    authorUserId: before.authorUserId,
  };
}

/**
 * A finished note marked significant, or of the type "significant event", raises a risk escalation
 * for the person's team managers (issue 15, item 4), in the note's own transaction.
 */
function raisesEscalation(note: Pick<CaseNoteRow, 'significant' | 'type'>): boolean {
  return note.significant || note.type === 'significant-event';
}

/** Write a note, as a draft or finished. */
export async function createNote(ctx: ServiceContext, personId: string, input: NoteInput, finish: boolean): Promise<CaseNoteRow> {
  // Permission before input (issue 12, finding 10).
  await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const values = parseInput(noteSchema(ctx.clock.now()), input);
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    await assertLinkable(tx, ctx, personId, values);
    const created = await insertNote(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      ...values,
      status: finish ? 'finished' : 'draft',
      finishedAt: finish ? ctx.clock.now() : null,
      authorUserId: ctx.actor.userId,
      authorOrganisationId: ctx.actor.activeOrganisationId,
    });
    await audit.change({ action: finish ? 'case-note.finished' : 'case-note.drafted', subjectType: 'case-note', subjectId: created.id, after: { ...auditable(created), personId } });
    if (finish && raisesEscalation(created)) await escalateSignificantNote(ctx, personId, created.id);
    return created;
  });
}

/** Load a note the actor may see, or 404 (a restricted note is "not found" for those who may not see it). */
async function loadNote(q: DbOrTx, ctx: ServiceContext, person: PersonRow, noteId: string, lock = false) {
  if (!isUuid(noteId)) throw new NotFoundError(NOT_FOUND);
  const row = await findNote(q, ctx.actor.partnershipId, person.id, noteId, lock);
  if (!row) throw new NotFoundError(NOT_FOUND);
  if (row.note.restricted && !(ctx.actor.userId !== null && row.note.authorUserId === ctx.actor.userId) && !canSeeRestrictedNotes(ctx.actor, person, await restrictedRoles(q, ctx.actor.partnershipId))) throw new NotFoundError(NOT_FOUND);
  return row;
}

/** One note, with its earlier versions for team managers and quality and audit staff; audited. */
export async function openNote(ctx: ServiceContext, personId: string, noteId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await loadNote(tx, ctx, person, noteId);
    const mayWrite = canOnPerson(ctx.actor, 'person:write', person);
    const labels = new Map((await linkChoices(tx, ctx, personId)).map((c) => [c.value, c.text]));
    const seesVersions = canOnPerson(ctx.actor, 'person:audit', person);
    const versions = seesVersions
      ? (await findVersions(tx, ctx.actor.partnershipId, noteId)).map((v) => ({
          noteVersion: v.version.noteVersion,
          typeLabel: noteTypeLabel(v.version.type),
          contactAt: noteDateTime(v.version.contactAt),
          present: v.version.present,
          bodyHtml: renderNote(v.version.body),
          significant: v.version.significant,
          reason: v.version.reason,
          replacedBy: v.replacedByName ?? 'Unknown',
          replacedAt: noteDateTime(v.version.createdAt),
        }))
      : [];
    await audit.viewPerson(personId, { page: 'case-note', noteId, versionsShown: versions.length });
    return { person, note: viewOf(ctx, row, mayWrite, labels), versions, seesVersions };
  });
}

function inputOf(n: CaseNoteRow): NoteInput {
  const wall = londonWallClock(n.contactAt);
  return {
    type: n.type,
    contactDate: wall.date,
    contactTime: wall.time,
    present: n.present,
    body: n.body,
    significant: n.significant,
    restricted: n.restricted,
    restrictedReason: n.restrictedReason ?? '',
    link: n.linkedKind && n.linkedId ? `${n.linkedKind}:${n.linkedId}` : '',
  };
}

/** The edit or correction form: the note as it is now (person:write; editing only while editable and by its author). */
export async function noteForm(ctx: ServiceContext, personId: string, noteId: string, mode: 'edit' | 'correct') {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:write');
    const row = await loadNote(tx, ctx, person, noteId);
    assertMode(ctx, row.note, mode);
    const links = await linkChoices(tx, ctx, personId);
    await audit.viewPerson(personId, { page: mode === 'edit' ? 'case-note-edit' : 'case-note-correction', noteId });
    return { person, note: row.note, values: inputOf(row.note), links };
  });
}

function assertMode(ctx: ServiceContext, note: CaseNoteRow, mode: 'edit' | 'correct') {
  const e = editability({ status: note.status as NoteStatus, finishedAt: note.finishedAt }, ctx.clock.now());
  if (mode === 'edit') {
    if (note.authorUserId === null || note.authorUserId !== ctx.actor.userId) throw new ForbiddenError('Only the person who wrote this note may edit it. Anyone who may write to the record can correct it once it is locked.');
    if (e.kind === 'locked') throw new ConflictError(`This note was locked on ${noteDateTime(e.lockedAt)}, 24 hours after it was finished. It can no longer be edited: correct it instead, giving the reason.`);
  } else if (e.kind !== 'locked') {
    throw new ConflictError('This note is not locked yet: its author can still edit it. A correction with a reason is for a note locked 24 hours after it was finished.');
  }
}

/** Edit a draft, or a finished note within 24 hours of finishing (its author only); `finish` finishes a draft. */
export async function editNote(ctx: ServiceContext, personId: string, noteId: string, version: number, input: NoteInput, finish: boolean): Promise<CaseNoteRow> {
  const person = await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const current = await ctx.data.read((q) => loadNote(q, ctx, person, noteId));
  assertMode(ctx, current.note, 'edit');
  const values = parseInput(noteSchema(ctx.clock.now()), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = (await loadNote(tx, ctx, person, noteId, true)).note;
    assertMode(ctx, before, 'edit');
    await assertLinkable(tx, ctx, personId, values);
    const finishing = finish && before.status === 'draft';
    const after = expectOneUpdated(await updateNoteAtVersion(tx, ctx.actor.partnershipId, noteId, version, { ...values, ...(finishing ? { status: 'finished', finishedAt: ctx.clock.now() } : {}) }));
    const restricted = before.restricted || after.restricted;
    // A restricted note's earlier words are not in the audit trail, so a finished one edited within
    // its 24 hours keeps them as an earlier version (never deleted; seen only by those who may see it).
    if (restricted && before.status === 'finished') await insertVersion(tx, { ...versionOf(before), noteId, personId, replacedBy: ctx.actor.userId, reason: 'Edited by its author within 24 hours of finishing' });
    await audit.change({ action: finishing ? 'case-note.finished' : 'case-note.edited', subjectType: 'case-note', subjectId: noteId, before: auditable(before, restricted), after: auditable(after, restricted) });
    if (finishing && raisesEscalation(after)) await escalateSignificantNote(ctx, personId, noteId);
    return after;
  });
}

/** Correct a locked note: the text it had is kept as an earlier version with who replaced it, when and why. */
export async function correctNote(ctx: ServiceContext, personId: string, noteId: string, version: number, input: NoteInput & { reason: string }): Promise<CaseNoteRow> {
  const person = await ctx.data.read((q) => loadPerson(q, ctx, personId, 'person:write'));
  const current = await ctx.data.read((q) => loadNote(q, ctx, person, noteId));
  assertMode(ctx, current.note, 'correct');
  const issues: Array<{ path: string; message: string }> = [];
  let values: z.output<ReturnType<typeof noteSchema>> | undefined;
  let reason = '';
  try {
    values = parseInput(noteSchema(ctx.clock.now()), input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
  }
  try {
    reason = parseInput(reasonSchema, { reason: input.reason }).reason;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || !values) throw new InputError(issues);
  const change = values;
  return ctx.data.transaction(async (tx, audit) => {
    const before = (await loadNote(tx, ctx, person, noteId, true)).note;
    assertMode(ctx, before, 'correct');
    await assertLinkable(tx, ctx, personId, change);
    const after = expectOneUpdated(await updateNoteAtVersion(tx, ctx.actor.partnershipId, noteId, version, { ...change, corrections: before.corrections + 1 }));
    await insertVersion(tx, { ...versionOf(before), noteId, personId, replacedBy: ctx.actor.userId, reason });
    const restricted = before.restricted || after.restricted;
    await audit.change({ action: 'case-note.corrected', subjectType: 'case-note', subjectId: noteId, before: auditable(before, restricted), after: { ...auditable(after, restricted), reason } });
    return after;
  });
}

/* ---------- The partnership's setting: who sees restricted notes ---------- */

export async function restrictedNoteSettings(ctx: ServiceContext) {
  assertCan(ctx.actor, 'settings:manage');
  const row = await ctx.data.read((q) => findNoteSettings(q, ctx.actor.partnershipId));
  return { roles: row?.restrictedRoles ?? [...DEFAULT_RESTRICTED_NOTE_ROLES], version: row?.version ?? 0, choices: restrictedNoteRoleChoices() };
}

export async function updateRestrictedNoteSettings(ctx: ServiceContext, version: number, input: { roles: string[] }) {
  assertCan(ctx.actor, 'settings:manage');
  const choices = restrictedNoteRoleChoices() as string[];
  const { roles } = parseInput(
    z.object({ roles: z.array(z.string()).refine((rs) => rs.every((r) => choices.includes(r)), 'Choose roles from the list').refine((rs) => rs.length > 0, 'Choose at least one role that sees restricted notes') }),
    input,
  );
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensureNoteSettings(tx, ctx.actor.partnershipId, [...DEFAULT_RESTRICTED_NOTE_ROLES]);
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const after = expectOneUpdated(await updateNoteSettings(tx, ctx.actor.partnershipId, expected, [...new Set(roles)], ctx.actor.userId));
    await audit.change({ action: 'case-note-settings.updated', subjectType: 'case-note-settings', subjectId: ctx.actor.partnershipId, before: { restrictedRoles: before.restrictedRoles }, after: { restrictedRoles: after.restrictedRoles } });
    return after;
  });
}

export function mayManageNoteSettings(ctx: Pick<ServiceContext, 'actor'>): boolean {
  return can(ctx.actor, 'settings:manage');
}



/* ---------- The API (issue 15, item 6): the same reads, rules and audit as the pages ---------- */

export interface NoteForApi {
  id: string;
  version: number;
  type: string;
  typeLabel: string;
  contactAt: string;
  present: string;
  body: string;
  significant: boolean;
  restricted: boolean;
  restrictedReason: string | null;
  linked: { kind: string; id: string } | null;
  status: 'draft' | 'finished';
  state: 'draft' | 'finished' | 'locked';
  lockedAt: string | null;
  author: string | null;
  corrections: number;
  createdAt: string;
  updatedAt: string;
}

function forApi(ctx: ServiceContext, row: { note: CaseNoteRow; authorName: string | null; authorOrganisationName: string | null }): NoteForApi {
  const n = row.note;
  const e = editability({ status: n.status as NoteStatus, finishedAt: n.finishedAt }, ctx.clock.now());
  return {
    id: n.id,
    version: n.version,
    type: n.type,
    typeLabel: noteTypeLabel(n.type),
    contactAt: n.contactAt.toISOString(),
    present: n.present,
    body: n.body,
    significant: n.significant,
    restricted: n.restricted,
    restrictedReason: n.restrictedReason,
    linked: n.linkedKind && n.linkedId ? { kind: n.linkedKind, id: n.linkedId } : null,
    status: n.status as NoteStatus,
    state: e.kind === 'draft' ? 'draft' : e.kind === 'open' ? 'finished' : 'locked',
    lockedAt: e.kind === 'draft' ? null : e.lockedAt.toISOString(),
    author: row.authorName ? `${row.authorName}${row.authorOrganisationName ? `, ${row.authorOrganisationName}` : ''}` : null,
    corrections: n.corrections,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

/** The person's notes for the API, newest contact first: restricted ones only for those who see them; audited. */
export async function notesForApi(ctx: ServiceContext, personId: string, options: { significantOnly: boolean }): Promise<NoteForApi[]> {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const seesRestricted = canSeeRestrictedNotes(ctx.actor, person, await restrictedRoles(tx, ctx.actor.partnershipId));
    const rows = await findNotes(tx, ctx.actor.partnershipId, personId, { withRestricted: seesRestricted, significantOnly: options.significantOnly, authorUserId: ctx.actor.userId });
    await audit.viewPerson(personId, { page: 'api-case-notes', significantOnly: options.significantOnly, notes: rows.map((r) => r.note.id) });
    return rows.map((r) => forApi(ctx, r));
  });
}

/** One note for the API, with its earlier versions for those with person:audit; a restricted note others may not see is 404; audited. */
export async function noteForApi(ctx: ServiceContext, personId: string, noteId: string) {
  return ctx.data.transaction(async (tx, audit) => {
    const person = await loadPerson(tx, ctx, personId, 'person:read');
    const row = await loadNote(tx, ctx, person, noteId);
    const seesVersions = canOnPerson(ctx.actor, 'person:audit', person);
    const versions = seesVersions
      ? (await findVersions(tx, ctx.actor.partnershipId, noteId)).map((v) => ({
          noteVersion: v.version.noteVersion,
          type: v.version.type,
          contactAt: v.version.contactAt.toISOString(),
          present: v.version.present,
          body: v.version.body,
          significant: v.version.significant,
          reason: v.version.reason,
          replacedBy: v.replacedByName,
          replacedAt: v.version.createdAt.toISOString(),
        }))
      : null;
    await audit.viewPerson(personId, { page: 'api-case-note', noteId, versionsShown: versions?.length ?? 0 });
    return { ...forApi(ctx, row), earlierVersions: versions };
  });
}

/**
 * For linking from another record (a safeguarding concern, issue 16 item 1): the person's notes
 * this actor may see (restricted ones only as the notes page shows them), newest contact first,
 * by type and date. The caller has loaded the person through the door in `q`.
 */
export async function notesForLinking(q: DbOrTx, ctx: ServiceContext, person: PersonRow): Promise<Array<{ id: string; text: string; href: string }>> {
  const visibility = await noteVisibility(q, ctx, person);
  const rows = await findNotes(q, ctx.actor.partnershipId, person.id, { ...visibility, significantOnly: false });
  return rows.map((r) => ({
    id: r.note.id,
    text: `${noteTypeLabel(r.note.type)}, ${noteDateTime(r.note.contactAt)}${r.authorName ? `, by ${r.authorName}` : ''}${r.note.restricted ? ' (restricted)' : ''}${r.note.status === 'draft' ? ' (draft)' : ''}`,
    href: `/people/${person.id}/notes/${r.note.id}`,
  }));
}
