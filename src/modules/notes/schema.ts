import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnership, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Case notes (issue 15, item 1; docs/case-notes.md, decision 0016). One row per note holds its
 * current text; every earlier text replaced by a correction is kept in case_note_version with who
 * replaced it, when and why. Nothing is ever deleted.
 */
const partnershipId = partnershipKey;

export const caseNote = pgTable(
  'case_note',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** A code of src/domain/case-notes.ts noteTypes. */
    type: text('type').notNull(),
    /** When the contact happened (not when it was typed). */
    contactAt: timestamp('contact_at', { withTimezone: true }).notNull(),
    /** Who was present, as written. */
    present: text('present').notNull().default(''),
    /** The note as typed: plain text with the small heading and list subset, never HTML. */
    body: text('body').notNull(),
    significant: boolean('significant').notNull().default(false),
    /** Third-party or safeguarding information: seen only by the roles the partnership chooses. */
    restricted: boolean('restricted').notNull().default(false),
    restrictedReason: text('restricted_reason'),
    /** plan, review, meeting or task, with its id (optional). */
    linkedKind: text('linked_kind'),
    linkedId: uuid('linked_id'),
    /** draft or finished. */
    status: text('status').notNull().default('draft'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    authorUserId: uuid('author_user_id').references(() => appUser.id),
    authorOrganisationId: uuid('author_organisation_id').references(() => organisation.id),
    /** How many corrections have been made after the note was locked. */
    corrections: integer('corrections').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('case_note_person_idx').on(t.partnershipId, t.personId, t.contactAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    check('case_note_status_check', sql`(${t.status} = 'draft' and ${t.finishedAt} is null) or (${t.status} = 'finished' and ${t.finishedAt} is not null)`),
    check('case_note_link_check', sql`(${t.linkedKind} is null and ${t.linkedId} is null) or (${t.linkedKind} in ('plan', 'review', 'meeting', 'task') and ${t.linkedId} is not null)`),
    check('case_note_restricted_check', sql`${t.restricted} = false or ${t.restrictedReason} is not null`),
  ],
);

/** An earlier text of a note, kept when a correction replaced it (with the reason). */
export const caseNoteVersion = pgTable(
  'case_note_version',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    noteId: uuid('note_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** The note's version number this text had. */
    noteVersion: integer('note_version').notNull(),
    type: text('type').notNull(),
    contactAt: timestamp('contact_at', { withTimezone: true }).notNull(),
    present: text('present').notNull(),
    body: text('body').notNull(),
    significant: boolean('significant').notNull(),
    restricted: boolean('restricted').notNull(),
    restrictedReason: text('restricted_reason'),
    linkedKind: text('linked_kind'),
    linkedId: uuid('linked_id'),
    /** Who wrote this text, and who replaced it, when and why. */
    authorUserId: uuid('author_user_id').references(() => appUser.id),
    replacedBy: uuid('replaced_by').references(() => appUser.id),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('case_note_version_note_idx').on(t.partnershipId, t.noteId, t.noteVersion),
    foreignKey({ columns: [t.partnershipId, t.noteId], foreignColumns: [caseNote.partnershipId, caseNote.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

/** The partnership's choice of roles that see restricted notes (one row; none means the default). */
export const caseNoteSettings = pgTable('case_note_settings', {
  partnershipId: uuid('partnership_id')
    .notNull()
    .primaryKey()
    .references(() => partnership.id),
  restrictedRoles: text('restricted_roles').array().notNull(),
  updatedBy: uuid('updated_by').references(() => appUser.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});
