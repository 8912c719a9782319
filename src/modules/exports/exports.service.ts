import { planTotals } from '../../domain/funding.ts';
import type { Decision, Episode } from '../../domain/rules/index.ts';
import { can } from '../../platform/access/policy.ts';
import type { Tx } from '../../platform/db/database.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { visiblePeople } from '../register/index.ts';
import { getPersonForApi } from '../register/index.ts';
import { loadRegisterOptions, type RegisterOptions } from '../register/index.ts';
import {
  countPeople,
  findApprovedPlans,
  findDisputesOf,
  findPeople,
  findPeopleForReturn,
  findPlansOf,
  findReviewsHeld,
  findServicesInOrder,
  findServicesOf,
  type PersonRow,
  type PlanRow,
  type ServiceRow,
} from './exports.queries.ts';
import { bundle, personResources, type FhirPersonRecord, type FhirPlanInput } from './fhir.ts';
import { emptyLine, monthBounds, type MonthlyReturn, type ReturnLine } from './monthly-return.ts';

/*
 * Exports (issue 7, item 5): reads go through the door (ctx.data), each export in one unit of
 * work with its audit event; the queries are in exports.queries.ts. The register's options and
 * a person's audited read come from the register module, before the unit opens.
 */

/** The most people one register FHIR download may hold. */
export const MAX_FHIR_PEOPLE = 5_000;

export function assertCanReadPeople(ctx: ServiceContext): void {
  if (!can(ctx.actor, 'person:read')) throw new ForbiddenError('You do not have access to the register');
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function episodesOf(p: Pick<PersonRow, 'decision'>): Episode[] {
  const decision = p.decision as Decision | null;
  return decision?.episodes ?? [];
}

/** The current approved plan and its services for each person. */
async function approvedPlans(q: Tx, partnershipId: string, personIds: readonly string[]): Promise<Map<string, FhirPlanInput>> {
  const out = new Map<string, FhirPlanInput>();
  if (personIds.length === 0) return out;
  const plans = await findApprovedPlans(q, partnershipId, personIds);
  if (plans.length === 0) return out;
  const services = await findServicesInOrder(q, partnershipId, plans.map((p) => p.id));
  for (const plan of plans) {
    out.set(plan.personId, {
      id: plan.id,
      planNumber: plan.planNumber,
      approvedOn: isoDay(plan.approvedAt ?? plan.updatedAt),
      services: services
        .filter((s) => s.planId === plan.id)
        .map((s) => ({ id: s.id, serviceType: s.serviceType, provider: s.provider, frequency: s.frequency, startOn: s.startOn, endOn: s.endOn, deliveryRoute: s.deliveryRoute })),
    });
  }
  return out;
}

async function fhirRecords(q: Tx, partnershipId: string, options: RegisterOptions, people: readonly PersonRow[]): Promise<FhirPersonRecord[]> {
  const plans = await approvedPlans(q, partnershipId, people.map((p) => p.id));
  return people.map((p) => ({
    person: { id: p.id, nhsNumber: p.nhsNumber, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex },
    episodes: episodesOf(p),
    plan: plans.get(p.id) ?? null,
    organisationName: (code: string) => options.organisationName(code),
  }));
}

/** One person's FHIR bundle. Access is checked and the read audited as any other read of the record. */
export async function personFhirBundle(ctx: ServiceContext, personId: string, now: Date = ctx.clock.now()): Promise<Record<string, unknown>> {
  const row = await getPersonForApi(ctx, personId);
  const options = await loadRegisterOptions(ctx);
  const partnershipId = ctx.actor.partnershipId;
  const [record] = await ctx.data.read((q) => fhirRecords(q, partnershipId, options, [row]));
  return bundle(personResources(record!), now.toISOString());
}

/** The visible register as one FHIR bundle, up to MAX_FHIR_PEOPLE people; the download is audited. */
export async function registerFhirBundle(ctx: ServiceContext, now: Date = ctx.clock.now(), max = MAX_FHIR_PEOPLE): Promise<Record<string, unknown>> {
  assertCanReadPeople(ctx);
  const visible = visiblePeople(ctx.actor, 'person:read');
  const options = await loadRegisterOptions(ctx);
  const partnershipId = ctx.actor.partnershipId;
  const records = await ctx.data.transaction(async (tx, audit) => {
    const total = await countPeople(tx, visible);
    if (total > max) {
      throw new InputError([
        {
          path: 'download',
          message: `You can see ${total.toLocaleString('en-GB')} people. A FHIR register download can hold up to ${max.toLocaleString('en-GB')}: use GET /api/v1/people/{id}/fhir for each person instead.`,
        },
      ]);
    }
    const people = await findPeople(tx, visible);
    const found = await fhirRecords(tx, partnershipId, options, people);
    await audit.change({ action: 'register.exported', subjectType: 'register', subjectId: null, after: { format: 'fhir', rowCount: total } });
    return found;
  });
  return bundle(records.flatMap(personResources), now.toISOString());
}

/** Plans approved on or before `day` and not superseded by then. */
function planInForceOn(plan: PlanRow, day: string): boolean {
  if (plan.status !== 'approved' && plan.status !== 'superseded') return false;
  if (!plan.approvedAt || isoDay(plan.approvedAt) > day) return false;
  return !plan.supersededAt || isoDay(plan.supersededAt) > day;
}

const serviceInForceOn = (s: ServiceRow, day: string) => s.startOn <= day && (s.endOn === null || s.endOn >= day);

/**
 * The monthly partnership return (docs/monthly-return.md): one line per responsible local
 * authority and a total, over the people the actor can see.
 */
export async function monthlyReturn(ctx: ServiceContext, month: string): Promise<MonthlyReturn> {
  assertCanReadPeople(ctx);
  const { first, last } = monthBounds(month);
  const options = await loadRegisterOptions(ctx);
  return ctx.data.read((q) => buildReturn(q, ctx, options, month, first, last));
}

/** The monthly return as a download (CSV or XLSX), audited in the same unit of work that reads it. */
export async function exportMonthlyReturn(ctx: ServiceContext, month: string, format: 'csv' | 'xlsx' | 'json'): Promise<MonthlyReturn> {
  assertCanReadPeople(ctx);
  const { first, last } = monthBounds(month);
  const options = await loadRegisterOptions(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    const ret = await buildReturn(tx, ctx, options, month, first, last);
    await audit.change({ action: 'register.exported', subjectType: 'register', subjectId: null, after: { format, report: 'monthly-return', month, lines: ret.lines.length } });
    return ret;
  });
}

async function buildReturn(q: Tx, ctx: ServiceContext, options: RegisterOptions, month: string, first: string, last: string): Promise<MonthlyReturn> {
  const pid = ctx.actor.partnershipId;
  const people = await findPeopleForReturn(q, visiblePeople(ctx.actor, 'person:read'));
  const ids = people.map((p) => p.id);
  const lines = new Map<string, ReturnLine>();
  const lineFor = (code: string | null): ReturnLine => {
    const key = code ?? '';
    let line = lines.get(key);
    if (!line) {
      line = emptyLine(code, code ? (options.organisationName(code) ?? code) : 'No responsible local authority');
      lines.set(key, line);
    }
    return line;
  };
  const personLa = new Map(people.map((p) => [p.id, p.responsibleLocalAuthority]));

  for (const p of people) {
    const episodes = episodesOf(p);
    const atEnd = episodes.find((e) => e.start <= last && (e.end === null || e.end > last));
    if (atEnd) {
      const line = lineFor(atEnd.responsibleLocalAuthority);
      line.entitledAtMonthEnd++;
      if (p.nextReviewDue !== null && p.nextReviewDue < last) line.reviewsOverdueAtMonthEnd++;
    }
    for (const e of episodes) {
      if (e.start >= first && e.start <= last) lineFor(e.responsibleLocalAuthority).newEntitlementsInMonth++;
      if (e.end !== null && e.end >= first && e.end <= last && e.endReason === 'ended') lineFor(e.responsibleLocalAuthority).endingsInMonth++;
    }
  }

  if (ids.length > 0) {
    const reviews = await findReviewsHeld(q, pid, ids, first, last);
    for (const r of reviews) lineFor(personLa.get(r.personId) ?? null).reviewsHeldInMonth++;

    const plans = (await findPlansOf(q, pid, ids)).filter((plan) => planInForceOn(plan, last));
    const services = plans.length === 0 ? [] : await findServicesOf(q, pid, plans.map((p) => p.id));
    for (const plan of plans) {
      const line = lineFor(personLa.get(plan.personId) ?? null);
      line.approvedPlansAtMonthEnd++;
      const inForce = services.filter((s) => s.planId === plan.id && serviceInForceOn(s, last));
      const totals = planTotals(inForce.map((s) => ({ unitCostPence: s.unitCostPence, unitsPerWeek: s.unitsPerWeek, localAuthorityBasisPoints: s.localAuthorityBasisPoints })));
      line.weeklyCostLocalAuthorityPence += totals.weekly.localAuthorityPence;
      line.weeklyCostIcbPence += totals.weekly.icbPence;
      line.weeklyCostTotalPence += totals.weekly.totalPence;
      if (inForce.some((s) => s.deliveryRoute === 'direct-payment')) line.peopleWithDirectPayment++;
      if (inForce.some((s) => s.deliveryRoute === 'personal-health-budget')) line.peopleWithPersonalHealthBudget++;
    }

    const disputes = await findDisputesOf(q, pid, ids);
    for (const d of disputes) {
      if (d.aroseOn <= last && (d.resolvedOn === null || d.resolvedOn > last)) lineFor(personLa.get(d.personId) ?? null).openDisputesAtMonthEnd++;
    }
  }

  return { month, first, last, lines: [...lines.values()].sort((a, b) => a.localAuthorityName.localeCompare(b.localAuthorityName)) };
}
