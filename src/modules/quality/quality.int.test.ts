import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { contextFor, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { isValidNhsNumber } from '../../domain/nhs-number.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { addNeed, addService, approvePlan, startPlan, submitPlan } from '../plans/plans.service.ts';
import { aftercarePlan } from '../plans/schema.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { task } from '../register/schema.ts';
import { qualityRulePage, qualitySummary, QUALITY_PAGE_SIZE } from './quality.queries.ts';
import { qualityRuleIds, qualityScore, type QualityRuleId } from './rules.ts';

/*
 * Data quality (issue 7, item 2). People with each problem are built through the register and
 * plans services, as the demo users; a few problems that the services refuse to create (an
 * invalid stored NHS number, a blank split basis, an unclassified need, an old draft or flag
 * task) are then made by changing the stored rows, as a legacy import or a bug would. Each
 * rule's count and list must equal a direct SQL check over the people the actor can see.
 */

let t: TestApp;
const today = todayInLondon();
const nextNhs = nhsNumbers(870_000);

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await t.database.db.execute(text));
}

const detained = (ordinaryResidence: string) => ({ type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' });
const discharged = [
  { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
  { type: 'left-hospital', date: '2025-03-01' },
];

async function make(ctx: ServiceContext, input: { givenName: string; familyName: string; dateOfBirth?: string; nhsNumber?: string }, entitledIn?: string): Promise<string> {
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', ...input, nhsNumber: input.nhsNumber ?? nextNhs() }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  if (entitledIn) {
    for (const event of [detained(entitledIn), ...discharged]) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  }
  return created.person.id;
}

async function planVersion(planId: string): Promise<number> {
  return (await t.database.db.select({ version: aftercarePlan.version }).from(aftercarePlan).where(eq(aftercarePlan.id, planId)))[0]!.version;
}

const needBody = {
  domain: 'mental-health-relapse-prevention',
  description: 'Support to notice early signs of relapse and act on them',
  level: 'medium',
  arisesFromMentalDisorder: true,
  reducesRiskOfDeterioration: true,
  testsRationale: 'Relapse last year followed losing contact with the team',
};
const serviceBody = (needIds: string[]) => ({
  needIds,
  serviceType: 'Community support worker',
  provider: 'Riverside Supported Living',
  startOn: '2025-03-01',
  frequency: '3 visits a week of 1 hour',
  unitsPerWeek: 3,
  unitCostPence: 2150,
  deliveryRoute: 'commissioned',
  localAuthorityPercent: 60,
  icbPercent: 40,
  splitBasis: 'Mostly social care support, agreed at the joint panel',
});

/** A draft plan with one section 117 need and a service meeting it; returns its id and need id. */
async function draftPlan(ctx: ServiceContext, personId: string): Promise<{ planId: string; needId: string }> {
  const plan = await startPlan(ctx, personId);
  const need = await addNeed(ctx, personId, plan.id, await planVersion(plan.id), needBody);
  await addService(ctx, personId, plan.id, await planVersion(plan.id), serviceBody([need.id]));
  return { planId: plan.id, needId: need.id };
}

/** The people an actor can see, by a direct reading of the access policy (decision 0004). */
async function visibleIds(ctx: ServiceContext): Promise<Set<string>> {
  const ids = ctx.actor.memberships.map((m) => m.organisationId);
  const orgs = await t.database.db.select().from(organisation).where(sql`${organisation.id} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  const codes = orgs.flatMap((o) => (o.onsCode ? [o.code, o.onsCode] : [o.code]));
  const rows = await query<{ id: string }>(
    sql`select id from person where partnership_id = ${ctx.actor.partnershipId} and (responsible_local_authority = any(${sql`array[${sql.join(codes.map((c) => sql`${c}`), sql`, `)}]::text[]`}) or responsible_icb = any(${sql`array[${sql.join(codes.map((c) => sql`${c}`), sql`, `)}]::text[]`}) or involved_organisations && ${sql`array[${sql.join(ids.map((i) => sql`${i}`), sql`, `)}]::uuid[]`})`,
  );
  return new Set(rows.map((r) => r.id));
}

const cutoff = () => {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 30);
  return d.toISOString().slice(0, 10);
};

/** Each rule as a direct check, written independently of quality.queries.ts. */
async function directIds(rule: QualityRuleId, partnershipId: string): Promise<Set<string>> {
  let rows: Array<{ id: string }>;
  switch (rule) {
    case 'nhs-number': {
      const all = await query<{ id: string; nhs_number: string }>(sql`select id, nhs_number from person where partnership_id = ${partnershipId}`);
      rows = all.filter((r) => !/^\d{10}$/.test(r.nhs_number) || !isValidNhsNumber(r.nhs_number));
      break;
    }
    case 'no-responsible-body':
      rows = await query(sql`select id from person where partnership_id = ${partnershipId} and status in ('entitled', 'pending') and (responsible_local_authority is null or responsible_icb is null)`);
      break;
    case 'no-approved-plan':
      rows = await query(sql`select p.id from person p left join aftercare_plan a on a.partnership_id = p.partnership_id and a.person_id = p.id and a.status = 'approved' where p.partnership_id = ${partnershipId} and p.status = 'entitled' and a.id is null`);
      break;
    case 'plan-incomplete':
      rows = await query(sql`select distinct a.person_id as id from aftercare_plan a left join plan_need n on n.partnership_id = a.partnership_id and n.plan_id = a.id
        where a.partnership_id = ${partnershipId} and ((a.status <> 'superseded' and n.category not in ('section-117', 'care-act', 'nhs-chc', 'other-nhs', 'universal'))
          or (a.status = 'draft' and a.created_at < (${cutoff()}::date)::timestamp at time zone 'Europe/London'))`);
      break;
    case 'split-basis-missing':
      rows = await query(sql`select distinct s.person_id as id from plan_service s join aftercare_plan a on a.partnership_id = s.partnership_id and a.id = s.plan_id where a.partnership_id = ${partnershipId} and a.status = 'approved' and trim(both from s.split_basis) = ''`);
      break;
    case 'review-overdue':
      rows = await query(sql`select id from person where partnership_id = ${partnershipId} and status = 'entitled' and next_review_due < ${today}::date`);
      break;
    case 'flag-unresolved':
      rows = await query(sql`select distinct person_id as id from task where partnership_id = ${partnershipId} and kind = 'flag' and status = 'open' and created_at < (${cutoff()}::date)::timestamp at time zone 'Europe/London'`);
      break;
    case 'likely-duplicate':
      rows = await query(sql`select distinct a.id from person a join person b on b.partnership_id = a.partnership_id and b.id <> a.id and lower(b.given_name) = lower(a.given_name) and lower(b.family_name) = lower(a.family_name) and b.date_of_birth = a.date_of_birth and b.nhs_number <> a.nhs_number where a.partnership_id = ${partnershipId}`);
      break;
  }
  return new Set(rows.map((r) => r.id));
}

async function allListed(ctx: ServiceContext, rule: QualityRuleId): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const result = await qualityRulePage(ctx, rule, today, page);
    ids.push(...result.rows.map((r) => r.id));
    if (page * QUALITY_PAGE_SIZE >= result.total) break;
  }
  return ids;
}

const intersect = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => b.has(x)));

let nv: ServiceContext;
let manager: ServiceContext;
let sm: ServiceContext;
const made: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  nv = await contextFor(t, demo.practitioner);
  manager = await contextFor(t, demo.manager);
  sm = await contextFor(t, demo.senior);
  const db = t.database.db;

  // (1) NHS numbers: one failing the check digit, one not 10 digits (as a legacy import could store them).
  made.badCheckDigit = await make(nv, { givenName: 'Quinn', familyName: 'Checkdigit' });
  await db.execute(sql`update person set nhs_number = '9990000019' where id = ${made.badCheckDigit}`);
  made.notTenDigits = await make(nv, { givenName: 'Quinn', familyName: 'Shortnumber' });
  await db.execute(sql`update person set nhs_number = '99900' where id = ${made.notTenDigits}`);

  // (2) Entitled, but the ICB is missing.
  made.noIcb = await make(nv, { givenName: 'Quinn', familyName: 'Noicb' }, 'E06000901');
  await db.execute(sql`update person set responsible_icb = null where id = ${made.noIcb}`);

  // (3) and (6): entitled since March 2025, no plan, the first review long overdue.
  made.noPlan = await make(nv, { givenName: 'Quinn', familyName: 'Noplan' }, 'E06000901');

  // (4) An unclassified need in a draft; a draft started 40 days ago.
  made.unclassified = await make(nv, { givenName: 'Quinn', familyName: 'Unclassified' }, 'E06000901');
  const unclassified = await draftPlan(nv, made.unclassified);
  await db.execute(sql`update plan_need set category = 'not-yet-classified' where id = ${unclassified.needId}`);
  made.oldDraft = await make(nv, { givenName: 'Quinn', familyName: 'Olddraft' }, 'E06000901');
  const oldDraft = await draftPlan(nv, made.oldDraft);
  await db.execute(sql`update aftercare_plan set created_at = now() - interval '40 days' where id = ${oldDraft.planId}`);
  // A recent draft is not a problem.
  made.recentDraft = await make(nv, { givenName: 'Quinn', familyName: 'Recentdraft' }, 'E06000901');
  await draftPlan(nv, made.recentDraft);

  // (5) An approved plan whose service has a blank split basis; and one approved plan that is fine.
  made.blankSplit = await make(nv, { givenName: 'Quinn', familyName: 'Blanksplit' }, 'E06000901');
  const blank = await draftPlan(nv, made.blankSplit);
  await submitPlan(nv, made.blankSplit, blank.planId, await planVersion(blank.planId));
  // Issue 13: the services put cost on the ICB, so the ICB's commissioner agrees before the council's manager.
  const icb = await contextFor(t, demo.commissioner);
  await approvePlan(icb, made.blankSplit, blank.planId, await planVersion(blank.planId), 'Agreed for the ICB');
  await approvePlan(manager, made.blankSplit, blank.planId, await planVersion(blank.planId), 'Agreed');
  await db.execute(sql`update plan_service set split_basis = '   ' where plan_id = ${blank.planId}`);
  made.approved = await make(nv, { givenName: 'Quinn', familyName: 'Approved' }, 'E06000901');
  const fine = await draftPlan(nv, made.approved);
  await submitPlan(nv, made.approved, fine.planId, await planVersion(fine.planId));
  await approvePlan(icb, made.approved, fine.planId, await planVersion(fine.planId), 'Agreed for the ICB');
  await approvePlan(manager, made.approved, fine.planId, await planVersion(fine.planId), 'Agreed');

  // (7) A flag task open for 40 days, and one raised yesterday.
  made.oldFlag = await make(nv, { givenName: 'Quinn', familyName: 'Oldflag' });
  await db.insert(task).values({ partnershipId: nv.actor.partnershipId, personId: made.oldFlag, kind: 'flag', flag: 'ordinary-residence-ambiguous', title: 'Decide ordinary residence', createdAt: new Date(Date.now() - 40 * 86_400_000) });
  made.newFlag = await make(nv, { givenName: 'Quinn', familyName: 'Newflag' });
  await db.insert(task).values({ partnershipId: nv.actor.partnershipId, personId: made.newFlag, kind: 'flag', flag: 'ordinary-residence-ambiguous', title: 'Decide ordinary residence', createdAt: new Date(Date.now() - 86_400_000) });

  // (8) Two records of one person with different NHS numbers.
  made.duplicateA = await make(nv, { givenName: 'Quinn', familyName: 'Twice', dateOfBirth: '1971-07-07' });
  made.duplicateB = await make(nv, { givenName: 'quinn', familyName: 'TWICE', dateOfBirth: '1971-07-07' });

  // Southmere only: an invalid NHS number and a duplicate pair that Northvale must not see.
  made.southmereBad = await make(sm, { givenName: 'Quinn', familyName: 'Southmereonly' }, 'E06000902');
  await db.execute(sql`update person set nhs_number = '9990000027' where id = ${made.southmereBad}`);
  made.southmereDupA = await make(sm, { givenName: 'Quinn', familyName: 'Southtwice', dateOfBirth: '1966-06-06' });
  made.southmereDupB = await make(sm, { givenName: 'Quinn', familyName: 'Southtwice', dateOfBirth: '1966-06-06' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('data quality rules', () => {
  it('counts and lists, for each rule, exactly the people a direct SQL check finds among those the actor can see', async () => {
    for (const ctx of [manager, sm, await contextFor(t, demo.quality)]) {
      const visible = await visibleIds(ctx);
      const summary = await qualitySummary(ctx, today);
      expect(summary.total).toBe(visible.size);
      const union = new Set<string>();
      for (const rule of qualityRuleIds) {
        const expected = intersect(await directIds(rule, ctx.actor.partnershipId), visible);
        for (const id of expected) union.add(id);
        expect(summary.counts[rule], `${ctx.actor.displayName}: ${rule}`).toBe(expected.size);
        const listed = await allListed(ctx, rule);
        expect(new Set(listed).size, `${rule}: no one listed twice`).toBe(listed.length);
        expect([...listed].sort(), `${ctx.actor.displayName}: ${rule}`).toEqual([...expected].sort());
      }
      expect(summary.withProblems).toBe(union.size);
      expect(summary.score).toBe(Math.floor(((visible.size - union.size) * 100) / visible.size));
    }
  }, 120_000);

  it('finds each problem built for it, and not the people without it', async () => {
    const has = async (rule: QualityRuleId) => new Set(await allListed(manager, rule));
    const nhs = await has('nhs-number');
    expect(nhs.has(made.badCheckDigit!) && nhs.has(made.notTenDigits!)).toBe(true);
    expect(nhs.has(made.noPlan!)).toBe(false);
    expect((await has('no-responsible-body')).has(made.noIcb!)).toBe(true);
    const noPlan = await has('no-approved-plan');
    expect(noPlan.has(made.noPlan!)).toBe(true);
    expect(noPlan.has(made.approved!)).toBe(false);
    const incomplete = await has('plan-incomplete');
    expect([made.unclassified, made.oldDraft].every((id) => incomplete.has(id!))).toBe(true);
    expect(incomplete.has(made.recentDraft!)).toBe(false);
    const split = await has('split-basis-missing');
    expect(split.has(made.blankSplit!)).toBe(true);
    expect(split.has(made.approved!)).toBe(false);
    expect((await has('review-overdue')).has(made.noPlan!)).toBe(true);
    const flags = await has('flag-unresolved');
    expect(flags.has(made.oldFlag!)).toBe(true);
    expect(flags.has(made.newFlag!)).toBe(false);
    const duplicates = await has('likely-duplicate');
    expect(duplicates.has(made.duplicateA!) && duplicates.has(made.duplicateB!)).toBe(true);

    // The fix-it details: the plan to open, the flag task's title, how many duplicates.
    const incompletePage = await qualityRulePage(manager, 'plan-incomplete', today, 1);
    expect(incompletePage.rows.find((r) => r.id === made.oldDraft)?.planId).toEqual(expect.any(String));
    const flagPage = await qualityRulePage(manager, 'flag-unresolved', today, 1);
    expect(flagPage.rows.find((r) => r.id === made.oldFlag)?.detail).toBe('Decide ordinary residence');
  });

  it('never shows a Southmere user’s Northvale-only problems, or the other way round', async () => {
    const northvaleNhs = new Set(await allListed(manager, 'nhs-number'));
    const southmereNhs = new Set(await allListed(sm, 'nhs-number'));
    expect(northvaleNhs.has(made.southmereBad!)).toBe(false);
    expect(southmereNhs.has(made.southmereBad!)).toBe(true);
    expect(southmereNhs.has(made.badCheckDigit!)).toBe(false);
    const northvaleDuplicates = new Set(await allListed(manager, 'likely-duplicate'));
    expect(northvaleDuplicates.has(made.southmereDupA!)).toBe(false);
    const southmereDuplicates = new Set(await allListed(sm, 'likely-duplicate'));
    expect(southmereDuplicates.has(made.duplicateA!)).toBe(false);
    expect(southmereDuplicates.has(made.southmereDupA!)).toBe(true);
  });

  it('works out the score as the share of people with no problem, rounded down', () => {
    expect(qualityScore(0, 0)).toBeNull();
    expect(qualityScore(10, 0)).toBe(100);
    expect(qualityScore(10, 10)).toBe(0);
    expect(qualityScore(3, 1)).toBe(66);
    expect(qualityScore(1000, 1)).toBe(99);
  });
});

describe('data quality pages', () => {
  it('shows the score and each rule with its count and a link to its list', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get('/data-quality');
    expect(res.statusCode, res.body).toBe(200);
    const summary = await qualitySummary(manager, today);
    expect(res.body).toContain(`${summary.score}%`);
    for (const rule of qualityRuleIds) expect(res.body).toContain(`href="/data-quality/${rule}"`);
    expect(res.body).toContain('href="/data-quality"');
    expect(res.body).toContain('R27');
  });

  it('lists a rule’s people with fix-it links, 50 a page, and 404 for an unknown rule', async () => {
    const b = await signedIn(t, demo.manager);
    const res = await b.get('/data-quality/plan-incomplete');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(`href="/people/${made.oldDraft}/plans/`);
    const nhs = await b.get('/data-quality/nhs-number');
    expect(nhs.body).toContain(`href="/people/${made.badCheckDigit}/edit"`);
    const overdue = await b.get('/data-quality/review-overdue?page=2');
    expect(overdue.statusCode).toBe(200);
    expect((overdue.body.match(/data-qa="quality-row"/g) ?? []).length).toBeLessThanOrEqual(QUALITY_PAGE_SIZE);
    expect((await b.get('/data-quality/not-a-rule')).statusCode).toBe(404);
    expect((await b.get('/data-quality/nhs-number?page=abc')).statusCode).toBe(200);
  });

  it('downloads a rule’s whole list as CSV and XLSX with the same people as a direct check, and audits it (issue 7: any list)', async () => {
    const b = await signedIn(t, demo.manager);
    const page = await b.get('/data-quality/review-overdue');
    expect(page.body).toContain('href="/data-quality/review-overdue/people.csv"');
    const res = await b.get('/data-quality/review-overdue/people.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="aftercare-data-quality-review-overdue-${today}.csv"`);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('NHS number,Family name,Given name,Date of birth,Status,Responsible local authority code,Responsible ICB code,Next review due,Problem,Detail');
    const expected = intersect(await directIds('review-overdue', manager.actor.partnershipId), await visibleIds(manager));
    expect(lines).toHaveLength(expected.size + 1);
    const xlsx = await b.get('/data-quality/nhs-number/people.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await b.get('/data-quality/not-a-rule/people.csv')).statusCode).toBe(404);
    const audits = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'list.exported'));
    expect(audits.map((a) => a.after)).toEqual(expect.arrayContaining([expect.objectContaining({ list: 'data-quality:review-overdue', format: 'csv', rowCount: expected.size })]));
    const admin = await signedIn(t, demo.admin);
    expect((await admin.get('/data-quality/nhs-number/people.csv')).statusCode).toBe(403);
  });

  it('is refused to an administrator who cannot read people, and shown in the navigation of quality staff and managers only', async () => {
    const admin = await signedIn(t, demo.admin);
    expect((await admin.get('/data-quality')).statusCode).toBe(403);
    const quality = await signedIn(t, demo.quality);
    expect((await quality.get('/')).body).toContain('href="/data-quality"');
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get('/')).body).not.toContain('href="/data-quality"');
  });
});
