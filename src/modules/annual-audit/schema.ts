import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, version } from '../../platform/db/columns.ts';
import { appUser, partnershipKey } from '../../platform/db/schema.ts';
import { person, team } from '../register/index.ts';

/*
 * The annual section 117 case audit (issue 7, item 3). A partnership keeps its own checklist,
 * grouped by the nine pillars of the LGA framework "Section 117 aftercare: what good looks like"
 * (pillar names and questions are editable: only pillars 2 and 9 have confirmed titles, see
 * ../shared/domain/s117-brief.md §7). An audit is configured (period, sample size, strata), draws
 * a reproducible random sample from a seed, and snapshots the checklist so its report never
 * changes when the checklist is edited later. Each sampled case is audited item by item; findings
 * become actions with owners.
 */
const partnershipId = partnershipKey;

/** The partnership's names for the nine pillars (number 1–9). */
export const auditPillar = pgTable(
  'audit_pillar',
  {
    partnershipId: partnershipId(),
    number: integer('number').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** Whether the title is the LGA's confirmed wording or the partnership's inferred theme. */
    confirmedTitle: boolean('confirmed_title').notNull().default(false),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.number] })],
);

/** One question of the partnership's checklist. Retired questions stay for past audits' snapshots. */
export const auditChecklistItem = pgTable(
  'audit_checklist_item',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    pillar: integer('pillar').notNull(),
    /** Short stable code, e.g. "P2.3", shown in reports. */
    code: text('code').notNull(),
    question: text('question').notNull(),
    guidance: text('guidance'),
    /** Where the question comes from (LGA pillar, LGSCO decision, Code of Practice paragraph). */
    source: text('source'),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('audit_checklist_item_code_uq').on(t.partnershipId, t.code),
  ],
);

export const caseAuditStatus = pgEnum('case_audit_status', ['draft', 'sampled', 'complete']);

export const caseAudit = pgTable(
  'case_audit',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** The people in scope: entitled (or pending/ended) at any time in the period. */
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    sampleSize: integer('sample_size').notNull(),
    /** Strata: local authority, team, or both (local authority and team). */
    stratifyBy: text('stratify_by').notNull().default('local-authority-and-team'),
    /** The random seed: the same seed over the same population draws the same sample. */
    seed: text('seed').notNull(),
    status: caseAuditStatus('status').notNull().default('draft'),
    /** The pillars and checklist as they were when the sample was drawn. */
    checklist: jsonb('checklist'),
    /** The audit this one is compared with (usually last year's). */
    previousAuditId: uuid('previous_audit_id'),
    sampledAt: timestamp('sampled_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.id] })],
);

export const auditCaseStatus = pgEnum('audit_case_status', ['not-started', 'in-progress', 'complete']);

/** One sampled person in an audit, and the answers recorded for them. */
export const auditCase = pgTable(
  'audit_case',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    auditId: uuid('audit_id').notNull(),
    personId: uuid('person_id').notNull(),
    /** The stratum the case was drawn from (local authority code and team), kept for the report. */
    localAuthority: text('local_authority'),
    teamId: uuid('team_id'),
    position: integer('position').notNull(),
    status: auditCaseStatus('status').notNull().default('not-started'),
    auditorId: uuid('auditor_id').references(() => appUser.id),
    /** { [checklistItemId]: { answer: 'met' | 'partly-met' | 'not-met' | 'not-applicable', note?: string } } */
    answers: jsonb('answers').notNull().default(sql`'{}'::jsonb`),
    /** Percentage of applicable items met (partly met counts half), when complete. */
    score: integer('score'),
    summary: text('summary'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    uniqueIndex('audit_case_person_uq').on(t.partnershipId, t.auditId, t.personId),
    index('audit_case_audit_idx').on(t.partnershipId, t.auditId, t.position),
    foreignKey({ columns: [t.partnershipId, t.auditId], foreignColumns: [caseAudit.partnershipId, caseAudit.id] }),
    foreignKey({ columns: [t.partnershipId, t.personId], foreignColumns: [person.partnershipId, person.id] }),
    foreignKey({ columns: [t.partnershipId, t.teamId], foreignColumns: [team.partnershipId, team.id] }),
  ],
);

export const auditActionStatus = pgEnum('audit_action_status', ['open', 'done', 'cancelled']);

/** A finding of an audit (for a case or for the audit as a whole) and the action agreed, with its owner. */
export const auditFinding = pgTable(
  'audit_finding',
  {
    partnershipId: partnershipId(),
    id: uuid('id').notNull().defaultRandom(),
    auditId: uuid('audit_id').notNull(),
    auditCaseId: uuid('audit_case_id'),
    pillar: integer('pillar').notNull(),
    finding: text('finding').notNull(),
    action: text('action').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => appUser.id),
    dueOn: date('due_on', { mode: 'string' }),
    status: auditActionStatus('status').notNull().default('open'),
    /** Competency framework domain (1–6) the finding points to, for linking staff development later. */
    competencyDomain: integer('competency_domain'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.partnershipId, t.id] }),
    index('audit_finding_audit_idx').on(t.partnershipId, t.auditId),
    index('audit_finding_owner_idx').on(t.partnershipId, t.ownerUserId, t.status),
    foreignKey({ columns: [t.partnershipId, t.auditId], foreignColumns: [caseAudit.partnershipId, caseAudit.id] }),
    foreignKey({ columns: [t.partnershipId, t.auditCaseId], foreignColumns: [auditCase.partnershipId, auditCase.id] }),
  ],
);
