import { sql } from 'drizzle-orm';
import { boolean, customType, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Documents for the person (issue 5): every plan PDF, statement of entitlement and letter is
 * stored exactly as produced, with its content hash, who produced it and when, so what was sent
 * can be shown later. And the record of information given: when, by whom, in which format and
 * language, whether the person understood, whether to offer it again.
 */
const partnershipId = partnershipKey;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const personDocument = pgTable(
  'person_document',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The plan the document was produced from, if any. */
    planId: uuid('plan_id'),
    /** plan, statement, letter, refund-letter… */
    kind: text('kind').notNull(),
    /** standard, easy-read, large-print. */
    accessibleFormat: text('accessible_format').notNull().default('standard'),
    language: text('language').notNull().default('en-GB'),
    title: text('title').notNull(),
    mediaType: text('media_type').notNull(),
    fileName: text('file_name').notNull(),
    content: bytea('content').notNull(),
    /** SHA-256 of the content, hex: proves what was sent. */
    contentHash: text('content_hash').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('person_document_person_idx').on(t.partnershipId, t.personId, t.createdAt),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);

/** A record that information (rights, the plan, a letter) was given to the person. */
export const informationGiven = pgTable(
  'information_given',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** rights-statement, plan, letter, other. */
    subject: text('subject').notNull(),
    givenOn: date('given_on', { mode: 'string' }).notNull(),
    givenBy: uuid('given_by').references(() => appUser.id),
    /** standard, easy-read, large-print, braille, bsl, audio, verbal. */
    format: text('format').notNull(),
    /** Given in writing (any written format), as opposed to only verbally or in BSL/audio. */
    inWriting: boolean('in_writing').notNull(),
    language: text('language').notNull().default('English'),
    documentId: uuid('document_id'),
    /** yes, partly, no, not-known. */
    understood: text('understood').notNull(),
    offerAgain: boolean('offer_again').notNull().default(false),
    offerAgainReason: text('offer_again_reason'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('information_given_person_idx').on(t.partnershipId, t.personId, t.givenOn),
    index('information_given_writing_idx').on(t.partnershipId, t.personId).where(sql`in_writing`),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
