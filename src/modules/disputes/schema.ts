import { date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, organisation, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Disputes (issue 6): ordinary-residence disputes between local authorities and funding
 * disputes between an authority and the ICB. An interim lead funder is required: care must not
 * wait (R25). Ordinary-residence disputes are referred to the Secretary of State at 4 months (R24).
 */
const partnershipId = partnershipKey;

export const disputeKind = pgEnum('dispute_kind', ['ordinary-residence', 'funding']);
export const disputeStage = pgEnum('dispute_stage', ['local-negotiation', 'senior-escalation', 'sos-referral', 'nhs-dispute-process', 'resolved']);

export const dispute = pgTable(
  'dispute',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    kind: disputeKind('kind').notNull(),
    partyAOrganisationId: uuid('party_a_organisation_id')
      .notNull()
      .references(() => organisation.id),
    partyBOrganisationId: uuid('party_b_organisation_id')
      .notNull()
      .references(() => organisation.id),
    aroseOn: date('arose_on', { mode: 'string' }).notNull(),
    /** Who funds the care meanwhile: required, because care must not wait for the dispute. */
    interimLeadOrganisationId: uuid('interim_lead_organisation_id')
      .notNull()
      .references(() => organisation.id),
    stage: disputeStage('stage').notNull().default('local-negotiation'),
    stageChangedOn: date('stage_changed_on', { mode: 'string' }).notNull(),
    referredOn: date('referred_on', { mode: 'string' }),
    summary: text('summary').notNull(),
    outcome: text('outcome'),
    resolvedOn: date('resolved_on', { mode: 'string' }),
    /** The body found responsible, when resolved. */
    responsibleOrganisationId: uuid('responsible_organisation_id').references(() => organisation.id),
    backPaymentPence: integer('back_payment_pence'),
    backPaymentFromOrganisationId: uuid('back_payment_from_organisation_id').references(() => organisation.id),
    backPaymentToOrganisationId: uuid('back_payment_to_organisation_id').references(() => organisation.id),
    /** The dispute-opened legal event, so the rules engine sees it (R24, R38). */
    openedEventId: uuid('opened_event_id'),
    resolvedEventId: uuid('resolved_event_id'),
    createdBy: uuid('created_by').references(() => appUser.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('dispute_person_idx').on(t.partnershipId, t.personId),
    index('dispute_open_idx').on(t.partnershipId, t.stage, t.aroseOn),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
