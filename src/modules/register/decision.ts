import { getPlanSettings } from '../settings/index.ts';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { addDays } from '../../domain/calendar-date.ts';
import { evaluate, flagMeanings, parseCase, type Decision, type Flag } from '../../domain/rules/index.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { legalEvent, person, task } from './schema.ts';

/**
 * Re-run the rules engine over a person's whole legal history and store the decision on the
 * person, inside the caller's transaction, so lists and reports never recompute it. Flags
 * that need a person to decide become tasks; flags that have gone close their tasks.
 */
export interface DecisionSummary {
  status: Decision['status'];
  entitlementStart: string | null;
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  nextReviewDue: string | null;
  flags: Flag[];
}

export function summarise(d: Decision): DecisionSummary {
  return {
    status: d.status,
    entitlementStart: d.entitlementStart,
    responsibleLocalAuthority: d.responsibleLocalAuthority,
    responsibleIcb: d.responsibleIcb,
    nextReviewDue: d.nextReviewDue,
    flags: [...d.flags],
  };
}

/** Flags that are questions for a person, who must answer them (R4, R6, R15, R17, R18, R16, R24). */
export const taskForFlag: Partial<Record<Flag, { title: string; owner: 'local-authority' | 'icb' }>> = {
  'legal-status-needs-review': { title: 'Decide whether the legal status gives a right to section 117 aftercare', owner: 'local-authority' },
  's17-leave-determination-needed': { title: 'Decide whether, on section 17 leave, the person has ceased to be detained and left hospital', owner: 'local-authority' },
  'ordinary-residence-ambiguous': { title: 'Confirm ordinary residence immediately before the detention (both dates recorded)', owner: 'local-authority' },
  'responsibility-unresolved': { title: 'Decide which local authority is responsible after the recall or revoked CTO', owner: 'local-authority' },
  'icb-rule-pre-2022': { title: 'Confirm the responsible ICB under the rules before 1 July 2022', owner: 'icb' },
  'no-ordinary-residence': { title: 'Confirm the person had no settled residence before detention', owner: 'local-authority' },
  'sos-referral-due': { title: 'Refer the ordinary residence dispute to the Secretary of State', owner: 'local-authority' },
};

export const TASK_DUE_DAYS = 14;

export interface StoredEvent {
  id: string;
  type: string;
  occurredOn: string;
  payload: unknown;
}

export async function loadHistory(tx: DbOrTx, partnershipId: string, personId: string): Promise<StoredEvent[]> {
  return tx
    .select({ id: legalEvent.id, type: legalEvent.type, occurredOn: legalEvent.occurredOn, payload: legalEvent.payload })
    .from(legalEvent)
    .where(and(eq(legalEvent.partnershipId, partnershipId), eq(legalEvent.personId, personId), isNull(legalEvent.voidedAt)))
    .orderBy(asc(legalEvent.occurredOn), asc(legalEvent.sequence));
}

/** The partnership's review policy, as the engine takes it (R27): set in the planning settings. */
export interface ReviewPolicy {
  readonly firstReviewWeeks: number;
  readonly reviewIntervalMonths: number;
}

export async function reviewPolicyFor(db: DbOrTx, partnershipId: string): Promise<ReviewPolicy> {
  const settings = await getPlanSettings(db, partnershipId);
  return { firstReviewWeeks: settings.firstReviewWeeks, reviewIntervalMonths: settings.reviewIntervalMonths };
}

/** The contract's case for a stored history. */
export function caseFor(history: StoredEvent[], dateOfBirth: string, asOf: string, policy?: ReviewPolicy): unknown {
  return {
    asOf,
    person: { dateOfBirth },
    ...(policy ? { policy: { firstReviewWeeks: policy.firstReviewWeeks, reviewIntervalMonths: policy.reviewIntervalMonths } } : {}),
    events: history.map((e) => ({ type: e.type, date: e.occurredOn, ...(e.payload as Record<string, unknown>) })),
  };
}

/**
 * Evaluate a history, or refuse it with the engine's own field-pathed reasons. `focusIndex`
 * is the position of the event being added or changed: its errors are reported against the
 * form's own fields, others as a conflict with the rest of the history.
 */
export function evaluateHistory(history: StoredEvent[], dateOfBirth: string, asOf: string, focusIndex?: number, policy?: ReviewPolicy): Decision {
  const parsed = parseCase(caseFor(history, dateOfBirth, asOf, policy));
  if (parsed.ok) return evaluate(parsed.value);
  const issues: FieldIssue[] = parsed.problem.errors.map((e) => {
    const match = /^events\[(\d+)\]\.?(.*)$/.exec(e.path);
    if (match && Number(match[1]) === focusIndex) return { path: match[2] || 'date', message: e.message };
    if (match) return { path: 'date', message: `This conflicts with the rest of the legal history: ${e.message}` };
    return { path: e.path || 'date', message: e.message };
  });
  throw new InputError(issues);
}

async function organisationIdByCode(tx: DbOrTx, partnershipId: string, code: string | null): Promise<string | null> {
  if (!code) return null;
  const rows = await tx
    .select({ id: organisation.id })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), or(eq(organisation.code, code), eq(organisation.onsCode, code))));
  return rows[0]?.id ?? null;
}

/** Store the decision and bring flag tasks in line with it. Returns the decision. */
export async function storeDecision(
  tx: DbOrTx,
  partnershipId: string,
  personId: string,
  decision: Decision,
  asOf: string,
  fallbackOwnerOrganisationId: string,
): Promise<Decision> {
  await tx
    .update(person)
    .set({
      status: decision.status,
      entitlementStart: decision.entitlementStart,
      responsibleLocalAuthority: decision.responsibleLocalAuthority,
      responsibleIcb: decision.responsibleIcb,
      nextReviewDue: decision.nextReviewDue,
      flags: [...decision.flags],
      decision,
      decidedOn: asOf,
      updatedAt: new Date(),
      version: sql`${person.version} + 1`,
    })
    .where(and(eq(person.partnershipId, partnershipId), eq(person.id, personId)));

  const open = await tx
    .select({ id: task.id, flag: task.flag })
    .from(task)
    .where(and(eq(task.partnershipId, partnershipId), eq(task.personId, personId), eq(task.kind, 'flag'), eq(task.status, 'open')));
  const wanted = decision.flags.filter((f) => taskForFlag[f]);
  for (const t of open) {
    if (t.flag && !wanted.includes(t.flag as Flag)) {
      await tx
        .update(task)
        .set({ status: 'cancelled', outcome: 'Closed automatically: the legal history no longer raises this question.', completedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(task.partnershipId, partnershipId), eq(task.id, t.id)));
    }
  }
  for (const flag of wanted) {
    if (open.some((t) => t.flag === flag)) continue;
    const spec = taskForFlag[flag]!;
    const owner =
      (await organisationIdByCode(tx, partnershipId, spec.owner === 'icb' ? decision.responsibleIcb : decision.responsibleLocalAuthority)) ??
      fallbackOwnerOrganisationId;
    await tx.insert(task).values({
      partnershipId,
      personId,
      kind: 'flag',
      flag,
      title: spec.title,
      detail: flagMeanings[flag],
      ownerOrganisationId: owner,
      dueOn: addDays(asOf, TASK_DUE_DAYS),
    });
  }
  return decision;
}
