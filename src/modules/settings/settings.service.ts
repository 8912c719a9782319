import { z } from 'zod';
import { defaultResourceAllocation, needLevels, resourceAllocationSchema, type LevelPoints, type ResourceAllocationSettings } from '../../domain/personal-budget.ts';
import { MAX_RATE_PERCENT } from '../../domain/refund.ts';
import { needDomainIds, type NeedDomain } from '../../domain/rules/needs.ts';
import { assertCan } from '../../platform/access/policy.ts';
import type { AuditRecorder } from '../../platform/data/door.ts';
import type { DbOrTx, Tx } from '../../platform/db/database.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { findPlanSettings, findPlanSettingsWithEditor, insertPlanSettingsIfMissing, updatePlanSettingsAtVersion, type PlanSettingsRow } from './settings.queries.ts';

/*
 * The partnership's planning settings (issue 5): the resource allocation that gives an
 * indicative personal budget (src/domain/personal-budget.ts), the simple-interest rate on
 * refunds of unlawful charges (src/domain/refund.ts) and the weeks in a year for annual
 * figures. One row per partnership, edited by the lead organisation's administrators
 * ('settings:manage'); until it is first saved or opened, the defaults apply.
 *
 * The exemplar of the one door to the data (docs/decisions/0006-one-door-to-the-data.md): the
 * use cases below read through `ctx.data.read` and write through
 * `ctx.data.transaction`, whose audit recorder is part of the transaction, and leave every
 * query to settings.queries.ts.
 */

export const DEFAULT_REFUND_INTEREST_BASIS_POINTS = 800;
export const DEFAULT_WEEKS_PER_YEAR = 52;
export const MAX_WEEKS_PER_YEAR = 53;

export interface PlanSettings {
  partnershipId: string;
  resourceAllocation: ResourceAllocationSettings;
  /** Simple interest a year on refunds, in basis points: 800 is 8%. */
  refundInterestBasisPoints: number;
  /** The same rate as a percentage (8 for 8%), as `calculateRefund` takes it. */
  refundInterestPercent: number;
  weeksPerYear: number;
  /** Review policy (issue 6): first review weeks after the start, months between reviews (at most 12, R27), reminder days before. */
  firstReviewWeeks: number;
  reviewIntervalMonths: number;
  reminderDaysBefore: number;
  /** 0 while the partnership has no stored settings (the defaults apply). */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const rateMessage = `The refund interest rate must be a percentage from 0 to ${MAX_RATE_PERCENT}, with at most 2 decimal places, for example 8 or 3.25`;
const weeksMessage = `Weeks in a year must be a whole number from 1 to ${MAX_WEEKS_PER_YEAR} (usually 52)`;

/** What an administrator saves: checked again here whatever the form did. */
export const planSettingsInputSchema = z.strictObject({
  resourceAllocation: resourceAllocationSchema,
  refundInterestBasisPoints: z
    .int({ error: (issue) => (issue.input === undefined ? 'Enter the refund interest rate, as a percentage a year, for example 8' : rateMessage) })
    .min(0, { error: rateMessage })
    .max(MAX_RATE_PERCENT * 100, { error: rateMessage }),
  weeksPerYear: z
    .int({ error: (issue) => (issue.input === undefined ? 'Enter the number of weeks in a year, usually 52' : weeksMessage) })
    .min(1, { error: weeksMessage })
    .max(MAX_WEEKS_PER_YEAR, { error: weeksMessage }),
  firstReviewWeeks: z
    .int({ error: 'The first review must be a whole number of weeks from 1 to 52' })
    .min(1, { error: 'The first review must be a whole number of weeks from 1 to 52' })
    .max(52, { error: 'The first review must be a whole number of weeks from 1 to 52' })
    .optional(),
  reviewIntervalMonths: z
    .int({ error: 'The time between reviews must be a whole number of months from 1 to 12' })
    .min(1, { error: 'The time between reviews must be a whole number of months from 1 to 12' })
    .max(12, { error: 'The time between reviews must be at most 12 months: reviews are due at least every 12 months' })
    .optional(),
  reminderDaysBefore: z
    .int({ error: 'The reminder must be a whole number of days from 0 to 90' })
    .min(0, { error: 'The reminder must be a whole number of days from 0 to 90' })
    .max(90, { error: 'The reminder must be a whole number of days from 0 to 90' })
    .optional(),
});
export type PlanSettingsInput = z.output<typeof planSettingsInputSchema>;

function isPoints(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * The stored allocation, checked. A stored value that no longer fits (a need domain added to the
 * list since it was saved, say) takes the default for what is missing, so plans always get a
 * complete table.
 */
export function resourceAllocationFromStored(raw: unknown): ResourceAllocationSettings {
  const parsed = resourceAllocationSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const stored = (raw !== null && typeof raw === 'object' ? raw : {}) as { pencePerPoint?: unknown; points?: Record<string, Partial<Record<string, unknown>>> };
  const points = Object.fromEntries(
    needDomainIds.map((domain) => {
      const fallback = defaultResourceAllocation.points[domain];
      const row = stored.points?.[domain] ?? {};
      const levels = Object.fromEntries(needLevels.map((level) => [level, isPoints(row[level]) ? row[level] : fallback[level]])) as unknown as LevelPoints;
      return [domain, levels];
    }),
  ) as Record<NeedDomain, LevelPoints>;
  return { pencePerPoint: isPoints(stored.pencePerPoint) ? stored.pencePerPoint : defaultResourceAllocation.pencePerPoint, points };
}

function toSettings(partnershipId: string, row: PlanSettingsRow | undefined): PlanSettings {
  const basisPoints = row?.refundInterestBasisPoints ?? DEFAULT_REFUND_INTEREST_BASIS_POINTS;
  return {
    partnershipId,
    resourceAllocation: row ? resourceAllocationFromStored(row.resourceAllocation) : defaultResourceAllocation,
    refundInterestBasisPoints: basisPoints,
    refundInterestPercent: basisPoints / 100,
    weeksPerYear: row?.weeksPerYear ?? DEFAULT_WEEKS_PER_YEAR,
    firstReviewWeeks: row?.firstReviewWeeks ?? 6,
    reviewIntervalMonths: row?.reviewIntervalMonths ?? 12,
    reminderDaysBefore: row?.reminderDaysBefore ?? 14,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/**
 * The partnership's planning settings, with the defaults where none are stored. For other
 * modules (plans, charges) to use inside their own reads and transactions: it checks no
 * permission, writes nothing and records no audit event.
 */
export async function getPlanSettings(db: DbOrTx, partnershipId: string): Promise<PlanSettings> {
  return toSettings(partnershipId, await findPlanSettings(db, partnershipId));
}

export interface EditablePlanSettings extends PlanSettings {
  /** Who saved them last, for the page. */
  updatedByName: string | null;
}

/** Store the defaults the first time the settings are opened (audited), so the form always has a version to save against. */
async function ensureRow(tx: Tx, audit: AuditRecorder, partnershipId: string): Promise<void> {
  const created = await insertPlanSettingsIfMissing(tx, {
    partnershipId,
    resourceAllocation: defaultResourceAllocation,
    refundInterestBasisPoints: DEFAULT_REFUND_INTEREST_BASIS_POINTS,
    weeksPerYear: DEFAULT_WEEKS_PER_YEAR,
  });
  if (created) await audit.change({ action: 'plan-settings.created', subjectType: 'plan-settings', subjectId: partnershipId, after: created });
}

/** The settings for the admin page: lead organisation administrators only; created with the defaults on first opening. */
export async function openPlanSettings(ctx: ServiceContext): Promise<EditablePlanSettings> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    await ensureRow(tx, audit, partnershipId);
    const row = (await findPlanSettingsWithEditor(tx, partnershipId))!;
    return { ...toSettings(partnershipId, row.settings), updatedByName: row.updatedByName };
  });
}

/**
 * Save the settings. `version` is the one the form was opened at: if somebody saved since,
 * nothing is written and ConflictError (409) says so. Audited with the settings before and after.
 */
export async function updatePlanSettings(ctx: ServiceContext, version: number, input: unknown): Promise<PlanSettings> {
  assertCan(ctx.actor, 'settings:manage');
  const data = parseInput(planSettingsInputSchema, input);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    await ensureRow(tx, audit, partnershipId);
    const before = await findPlanSettings(tx, partnershipId);
    const updated = expectOneUpdated(
      await updatePlanSettingsAtVersion(
        tx,
        partnershipId,
        version,
        {
          resourceAllocation: data.resourceAllocation,
          refundInterestBasisPoints: data.refundInterestBasisPoints,
          weeksPerYear: data.weeksPerYear,
          ...(data.firstReviewWeeks !== undefined ? { firstReviewWeeks: data.firstReviewWeeks } : {}),
          ...(data.reviewIntervalMonths !== undefined ? { reviewIntervalMonths: data.reviewIntervalMonths } : {}),
          ...(data.reminderDaysBefore !== undefined ? { reminderDaysBefore: data.reminderDaysBefore } : {}),
        },
        { userId: ctx.actor.userId, at: ctx.clock.now() },
      ),
    );
    await audit.change({ action: 'plan-settings.updated', subjectType: 'plan-settings', subjectId: partnershipId, before, after: updated });
    return toSettings(partnershipId, updated);
  });
}
