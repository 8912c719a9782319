import { boolean, date, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person } from '../register/index.ts';

/*
 * Charges to the person (issue 5, the charging safeguard). Section 117 services are free
 * (R20, Stennett): a charge recorded or imported against a section 117 service is unlawful,
 * becomes a refund task and is refunded with interest (src/domain/refund.ts).
 */
const partnershipId = partnershipKey;

export const chargeStatus = pgEnum('charge_status', ['lawful', 'refund-due', 'refunded']);

export const personCharge = pgTable(
  'person_charge',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    personId: uuid('person_id').notNull(),
    /** The plan service charged for, when known. */
    serviceId: uuid('service_id'),
    serviceDescription: text('service_description').notNull(),
    /** Whether the service was a section 117 service when charged. */
    s117: boolean('s117').notNull(),
    chargedFrom: date('charged_from', { mode: 'string' }).notNull(),
    chargedTo: date('charged_to', { mode: 'string' }).notNull(),
    amountPence: integer('amount_pence').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    status: chargeStatus('status').notNull(),
    /** manual, import, api. */
    source: text('source').notNull().default('manual'),
    /** The finance system's id for the charge: importing it again changes nothing. */
    externalId: text('external_id'),
    refundTaskId: uuid('refund_task_id'),
    refundedOn: date('refunded_on', { mode: 'string' }),
    refundedPence: integer('refunded_pence'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('person_charge_person_idx').on(t.partnershipId, t.personId, t.chargedFrom),
    uniqueIndex('person_charge_external_uq').on(t.partnershipId, t.externalId),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
  ],
);
