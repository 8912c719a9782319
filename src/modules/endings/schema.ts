import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Ending section 117 aftercare, and reinstating a mistaken ending (issue 6): a proposal with
 * reasons, the engine's checks, and two separate approvals — one by the responsible local
 * authority, one by the responsible ICB, by two different people.
 */
const partnershipId = partnershipKey;

export const endingKind = pgEnum('ending_kind', ['ending', 'reinstatement']);
export const endingStatus = pgEnum('ending_status', ['proposed', 'declined', 'withdrawn', 'recorded']);
export const bodyDecision = pgEnum('body_decision', ['approved', 'declined']);

export const endingProposal = pgTable(
  'ending_proposal',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    kind: endingKind('kind').notNull().default('ending'),
    status: endingStatus('status').notNull().default('proposed'),
    /** The date aftercare ends (or, for a reinstatement, the ending being undone). */
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    /** The engine's end-reason codes (contract endReasons). */
    reasonCodes: text('reason_codes').array().notNull().default(sql`'{}'::text[]`),
    reasons: text('reasons').notNull(),
    personInvolved: boolean('person_involved').notNull(),
    /**
     * Legal sign-off to end aftercare while the person remains conditionally discharged (R8):
     * the engine accepts such an ending only with it, and the note says who gave it and why.
     */
    legalOverride: boolean('legal_override').notNull().default(false),
    legalOverrideNote: text('legal_override_note'),
    personView: text('person_view'),
    /** What other care or support continues, and who provides it (for staff). */
    otherCarePlan: text('other_care_plan'),
    /**
     * What to tell the person: written to them, in plain English, for the ending letter. The
     * reasons, the person's view and the other care plan are staff's words and never reach a letter.
     */
    messageToPerson: text('message_to_person'),
    /** The checklist as evaluated when proposed and re-checked on each approval. */
    checks: jsonb('checks').notNull().default(sql`'[]'::jsonb`),
    proposedBy: uuid('proposed_by').references(() => appUser.id),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    laDecision: bodyDecision('la_decision'),
    laDecidedBy: uuid('la_decided_by').references(() => appUser.id),
    laOrganisationId: uuid('la_organisation_id').references(() => organisation.id),
    laDecidedAt: timestamp('la_decided_at', { withTimezone: true }),
    laReason: text('la_reason'),
    icbDecision: bodyDecision('icb_decision'),
    icbDecidedBy: uuid('icb_decided_by').references(() => appUser.id),
    icbOrganisationId: uuid('icb_organisation_id').references(() => organisation.id),
    icbDecidedAt: timestamp('icb_decided_at', { withTimezone: true }),
    icbReason: text('icb_reason'),
    /** The legal event recorded when both approved (aftercare-ended), or voided (reinstatement). */
    legalEventId: uuid('legal_event_id'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('ending_proposal_person_idx').on(t.partnershipId, t.personId),
    // One open proposal per person.
    uniqueIndex('ending_proposal_open_uq').on(t.partnershipId, t.personId).where(sql`status = 'proposed'`),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
