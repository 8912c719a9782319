import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addYears, retentionReview, RETENTION_SOURCE, type RetentionBasis } from '../../domain/retention.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { assertCan, can } from '../../platform/access/policy.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { tellEach, usersWithRoles } from '../../platform/notifications/recipients.ts';
import { countOf } from '../../platform/plain-language.ts';
import {
  decideReview,
  ensurePolicy,
  findLeadOrganisationIds,
  findPartnershipLeads,
  findPolicy,
  findRetentionCandidates,
  findReview,
  findReviews,
  insertReviews,
  markListed,
  updatePolicy,
} from './retention.queries.ts';

/*
 * Retention (issue 14, item 6): the partnership's retention periods, the monthly listing of
 * records due for review, and the decision on each. NOTHING HERE DELETES A RECORD: a decision is
 * "keep for another N years" or "mark for destruction", each with its reason, recorded and audited;
 * destruction is then carried out (or not) under the organisation's own records procedure.
 */

export { RETENTION_SOURCE };

export const basisLabels: Record<RetentionBasis, string> = {
  'entitlement-ended': 'Years after the last entitlement ended',
  died: 'Years after death',
  'kept-until': 'End of the period it was last kept for',
};

export function mayReviewRetention(ctx: Pick<ServiceContext, 'actor'>): boolean {
  return can(ctx.actor, 'retention:review');
}

/** The periods in force (the Code's defaults until the partnership sets its own). */
export async function retentionSettings(ctx: ServiceContext) {
  assertCan(ctx.actor, 'settings:manage');
  const row = await ctx.data.read((q) => findPolicy(q, ctx.actor.partnershipId));
  return { yearsAfterEntitlementEnded: row?.yearsAfterEntitlementEnded ?? 20, yearsAfterDeath: row?.yearsAfterDeath ?? 8, version: row?.version ?? 0, source: RETENTION_SOURCE };
}

const years = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the number of ${label}`)
    .regex(/^\d+$/, `Enter the number of ${label} as a whole number, like 20`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, `The number of ${label} must be between 1 and 100`);

const settingsSchema = z.object({
  yearsAfterEntitlementEnded: years('years after the last entitlement ended'),
  yearsAfterDeath: years('years after death'),
});

/** Lead-organisation administrators set the periods; the change is audited with before and after. */
export async function updateRetentionSettings(ctx: ServiceContext, version: number, input: { yearsAfterEntitlementEnded: string; yearsAfterDeath: string }) {
  assertCan(ctx.actor, 'settings:manage');
  const values = parseInput(settingsSchema, input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await ensurePolicy(tx, ctx.actor.partnershipId);
    // A form opened before the row existed carries version 0: the row just made is version 1.
    const expected = version === 0 && before.version === 1 && before.updatedBy === null ? 1 : version;
    const updated = await updatePolicy(tx, ctx.actor.partnershipId, expected, { ...values, updatedBy: ctx.actor.userId });
    const after = expectOneUpdated(updated);
    await audit.change({
      action: 'retention-policy.updated',
      subjectType: 'retention-policy',
      subjectId: ctx.actor.partnershipId,
      before: { yearsAfterEntitlementEnded: before.yearsAfterEntitlementEnded, yearsAfterDeath: before.yearsAfterDeath },
      after: values,
    });
    return after;
  });
}

/**
 * List the records now due for review: each person whose record has passed its retention date
 * (the rule in src/domain/retention.ts) and who has no open review and no decision to destroy.
 * Tells the lead organisation's administrators and quality staff once a month. Returns how many
 * were listed now.
 */
async function listDue(ctx: ServiceContext): Promise<{ listed: number; waiting: number }> {
  const today = ctx.today();
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    const policy = await ensurePolicy(tx, partnershipId);
    const candidates = await findRetentionCandidates(tx, partnershipId);
    const rows = [];
    for (const c of candidates) {
      if (c.openReview || c.markedForDestruction) continue;
      const outcome = retentionReview({ lastEntitlementEndedOn: c.lastEntitlementEndedOn, diedOn: c.diedOn, keepUntil: c.keepUntil }, policy, today);
      if (outcome.due) rows.push({ partnershipId, personId: c.personId, dueFrom: outcome.dueFrom, basis: outcome.basis, listedOn: today });
    }
    const inserted = await insertReviews(tx, rows);
    await markListed(tx, partnershipId, today);
    const waiting = (await findReviews(tx, partnershipId, false, 100_000)).length;
    if (inserted.length > 0) {
      await audit.change({ action: 'retention-review.listed', subjectType: 'retention-review', subjectId: null, after: { listedOn: today, listed: inserted.length, waiting, people: inserted.map((r) => r.personId) } });
    }
    if (waiting > 0) {
      const leads = await findLeadOrganisationIds(tx, partnershipId);
      const recipients = await usersWithRoles(tx, partnershipId, leads, ['administrator', 'quality-audit']);
      await tellEach(tx, recipients, ctx.actor.userId, {
        partnershipId,
        dedupeKey: `retention-review:${today.slice(0, 7)}`,
        kind: 'retention-review',
        subject: `${countOf(waiting, 'record is', 'records are')} due for retention review`,
        body: `${countOf(waiting, 'record has', 'records have')} passed the partnership’s retention period and ${waiting === 1 ? 'waits' : 'wait'} for a decision: keep for longer, with a reason, or mark for destruction, with a reason. Aftercare never deletes a record itself.`,
        link: '/governance/retention',
      });
    }
    return { listed: inserted.length, waiting };
  });
}

/** "List records due now" on the review page (administrators and quality staff of the lead organisation). */
export async function listRecordsDueNow(ctx: ServiceContext) {
  assertCan(ctx.actor, 'retention:review');
  return listDue(ctx);
}

function jobActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (monthly retention review)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}

/**
 * The 'retention-review' job: run hourly by the housekeeping, it lists each partnership's records
 * due once per London month (the first run of the month), so a server that was down on the 1st
 * still runs it. Returns how many partnerships it listed for.
 */
export async function listRecordsDueMonthly(db: Db, config: Config, clock: Clock = systemClock): Promise<number> {
  const today = clock.today();
  let ran = 0;
  const leads = await findPartnershipLeads(db);
  for (const p of leads) {
    const ctx = serviceContext({ db, actor: jobActor(p.partnershipId, p.organisationId), requestId: `job:retention-review:${randomUUID()}`, config, clock });
    const policy = await ctx.data.read((q) => findPolicy(q, p.partnershipId));
    if (policy?.lastListedOn && policy.lastListedOn.slice(0, 7) === today.slice(0, 7)) continue;
    await listDue(ctx);
    ran += 1;
  }
  return ran;
}

export async function retentionReviewPage(ctx: ServiceContext) {
  assertCan(ctx.actor, 'retention:review');
  return ctx.data.read(async (q) => {
    const policy = await findPolicy(q, ctx.actor.partnershipId);
    return {
      waiting: await findReviews(q, ctx.actor.partnershipId, false),
      decided: await findReviews(q, ctx.actor.partnershipId, true, 50),
      policy: { yearsAfterEntitlementEnded: policy?.yearsAfterEntitlementEnded ?? 20, yearsAfterDeath: policy?.yearsAfterDeath ?? 8, lastListedOn: policy?.lastListedOn ?? null },
    };
  });
}

export async function openRetentionReview(ctx: ServiceContext, id: string) {
  assertCan(ctx.actor, 'retention:review');
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('There is no such retention review');
  return ctx.data.transaction(async (tx, audit) => {
    const row = await findReview(tx, ctx.actor.partnershipId, id);
    if (!row) throw new NotFoundError('There is no such retention review');
    await audit.viewPerson(row.review.personId, { page: 'retention-review', reviewId: id });
    return row;
  });
}

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('keep'),
    keepYears: z
      .string()
      .trim()
      .min(1, 'Enter how many more years to keep the record')
      .regex(/^\d+$/, 'Enter how many more years to keep the record as a whole number, like 5')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, 'Keep the record for between 1 and 100 more years'),
    reason: z.string().trim().min(1, 'Enter why the record is being kept').max(2000, 'The reason must be 2,000 characters or fewer'),
  }),
  z.object({
    decision: z.literal('destroy'),
    reason: z.string().trim().min(1, 'Enter why the record may be destroyed').max(2000, 'The reason must be 2,000 characters or fewer'),
  }),
]);

const decisionInput = z.object({ decision: z.string().refine((d) => d === 'keep' || d === 'destroy', 'Choose whether to keep the record or mark it for destruction') });

/**
 * The decision on one record, recorded and audited in one transaction; a second decision on the
 * same review, or one made on an out-of-date page, is refused (optimistic concurrency).
 */
export async function decideRetention(ctx: ServiceContext, id: string, version: number, input: { decision: string; keepYears: string; reason: string }) {
  assertCan(ctx.actor, 'retention:review');
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('There is no such retention review');
  parseInput(decisionInput, input);
  const values = parseInput(decisionSchema, input);
  const today = ctx.today();
  return ctx.data.transaction(async (tx, audit) => {
    const row = await findReview(tx, ctx.actor.partnershipId, id);
    if (!row) throw new NotFoundError('There is no such retention review');
    if (row.review.decision !== null) throw new ConflictError('Somebody has already recorded a decision on this record. Nothing you entered has been saved.');
    const keepYears = values.decision === 'keep' ? values.keepYears : null;
    const keepUntil = keepYears !== null ? addYears(today, keepYears) : null;
    const updated = expectOneUpdated(await decideReview(tx, ctx.actor.partnershipId, id, version, { decision: values.decision, keepYears, keepUntil, reason: values.reason, decidedBy: ctx.actor.userId }));
    await audit.change({
      action: values.decision === 'keep' ? 'retention-review.kept' : 'retention-review.marked-for-destruction',
      subjectType: 'retention-review',
      subjectId: id,
      before: { decision: null, dueFrom: row.review.dueFrom },
      after: { personId: row.review.personId, decision: values.decision, keepYears, keepUntil, reason: values.reason },
    });
    return { review: updated, person: { givenName: row.givenName, familyName: row.familyName } };
  });
}
