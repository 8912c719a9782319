import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, type TestApp } from '../../../test/app.ts';
import { approvedPlan, clockAt, contextFor, createPartnership, entitledPerson, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { careOutcomes } from '../../domain/care-act.ts';
import { cliContext } from '../../cli/context.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { createToken } from '../admin/index.ts';
import { careActAssessment, financialAssessment } from './schema.ts';

/*
 * Issue 16, item 7: Care Act assessment and eligibility for needs that are not section 117, and
 * a financial assessment that can never put a charge on a section 117 service.
 */

const clock = clockAt('2026-12-07T10:00:00Z');
const nextNhs = nhsNumbers(895_000);
let t: TestApp;
let part: TestPartnership;
let other: TestPartnership;
let personId: string;
let planId: string;
let s117Line: string;
let careLine: string;
let dayLine: string;

/** Every outcome answered: `unable` for the codes given (without help), able for the rest. */
function answered(unable: string[]): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = { ...dateForm('assessedOn', '2026-12-01'), arisesFromImpairment: 'yes', significantImpact: 'yes', personsView: 'I want to cook for myself again' };
  for (const o of careOutcomes) {
    form[`outcome-${o.code}`] = unable.includes(o.code) ? 'unable' : 'able';
    if (unable.includes(o.code)) {
      form[`ways-${o.code}`] = ['without-assistance'];
      form[`impact-${o.code}`] = 'Goes without when alone';
    }
  }
  return form;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  part = await createPartnership(t.database.db, 'Careactshire');
  other = await createPartnership(t.database.db, 'Elsewhereshire');
  const ctx = await contextFor(t, part.users.practitioner, { clock });
  personId = await entitledPerson(ctx, { nhsNumber: nextNhs(), familyName: 'Needs', ordinaryResidence: part.organisations.localAuthority.code, icb: part.organisations.icb.onsCode! });
  const plan = await approvedPlan(t.database.db, { partnershipId: part.id, personId }, [
    { serviceType: 'Supported living', weeklyCostPence: 90_000, s117: true },
    { serviceType: 'Home care', provider: 'Acme Care', weeklyCostPence: 10_000, s117: false, localAuthorityBasisPoints: 10_000 },
    { serviceType: 'Day centre', provider: 'Northvale Day Services', weeklyCostPence: 3_000, s117: false, localAuthorityBasisPoints: 10_000 },
  ]);
  planId = plan.planId;
  [s117Line, careLine, dayLine] = plan.serviceIds as [string, string, string];
});
afterAll(async () => {
  await t.close();
});

describe('a Care Act assessment', () => {
  it('saves a draft with answers missing, then cannot complete it until every answer is there, naming each missing one', async () => {
    const b = await signedIn(t, part.users.practitioner);
    await b.get(`/people/${personId}/care-act/assessments/new`);
    const draft = await b.post(`/people/${personId}/care-act/assessments/new`, { ...dateForm('assessedOn', '2026-12-01'), arisesFromImpairment: 'yes', 'outcome-nutrition': 'unable', 'ways-nutrition': 'without-assistance', action: 'draft' });
    expect(draft.statusCode).toBe(302);
    const draftUrl = draft.headers.location as string;
    const row = (await t.database.db.select().from(careActAssessment).where(eq(careActAssessment.personId, personId)))[0]!;
    expect(row.status).toBe('draft');
    expect(row.eligible).toBeNull();

    // The draft opens as its form, with what was saved.
    const form = await b.get(draftUrl);
    expect(form.body).toContain('Continue the Care Act assessment');
    expect(form.body).toMatch(/name="outcome-nutrition"[^>]*value="unable"[^>]*checked/);

    const refused = await b.post(draftUrl, { ...dateForm('assessedOn', '2026-12-01'), arisesFromImpairment: 'yes', 'outcome-nutrition': 'unable', version: String(row.version), action: 'complete' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Say how they are unable to achieve “Managing and maintaining nutrition” (regulation 2(3))');
    expect(refused.body).toContain('Say whether they are able to achieve “Maintaining personal hygiene” (regulation 2(2)(b))');
    expect(refused.body).toContain('Say whether there is, or is likely to be, a significant impact on their well-being (regulation 2(1)(c))');
    expect((await t.database.db.select().from(careActAssessment).where(eq(careActAssessment.id, row.id)))[0]!.status).toBe('draft');

    const done = await b.post(draftUrl, { ...answered(['nutrition', 'habitable-home']), version: String(row.version), action: 'complete' });
    expect(done.statusCode).toBe(302);
    const page = await b.get(draftUrl);
    expect(page.body).toContain('Eligible needs');
    expect(page.body).toContain('They are unable to achieve 2 of the outcomes: two or more (regulation 2(1)(b)).');
    expect(page.body).toContain('I want to cook for myself again');
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.subjectType, 'care-act-assessment'), eq(auditEvent.subjectId, row.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['care-act-assessment.completed', 'care-act-assessment.saved']);

    // Completed: it cannot be changed.
    const again = await b.post(draftUrl, { ...answered([]), version: String(row.version + 1), action: 'complete' });
    expect(again.statusCode).toBe(409);
  });

  it('finds no eligible needs when only one outcome cannot be achieved', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const done = await b.post(`/people/${personId}/care-act/assessments/new`, { ...answered(['nutrition']), action: 'complete' });
    expect(done.statusCode).toBe(302);
    expect((await b.get(done.headers.location as string)).body).toContain('No eligible needs');
  });

  it('is recorded and read through the API, with the same rules', async () => {
    const council = (await t.database.db.select().from(organisation).where(eq(organisation.id, part.organisations.localAuthority.id)))[0]!;
    const { token } = await createToken(cliContext(t.database, t.config, council.partnershipId, council), { organisationId: council.id, name: 'Care Act API test' });
    const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    const outcomes = Object.fromEntries(careOutcomes.map((o) => [o.code, { unable: o.code === 'clothing' || o.code === 'community', ways: o.code === 'clothing' || o.code === 'community' ? ['takes-longer'] : [], impact: '' }]));
    const incomplete = await api('POST', `/api/v1/people/${personId}/care-act/assessments`, { assessedOn: '2026-12-02', arisesFromImpairment: true, significantImpact: null, outcomes, complete: true });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.headers['content-type']).toContain('application/problem+json');
    const ok = await api('POST', `/api/v1/people/${personId}/care-act/assessments`, { assessedOn: '2026-12-02', arisesFromImpairment: true, significantImpact: true, outcomes, complete: true });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'completed', eligible: true });
    const read = await api('GET', `/api/v1/people/${personId}/care-act`);
    expect(read.statusCode).toBe(200);
    expect(read.json().assessments[0]).toMatchObject({ eligible: true, unableToAchieve: ['clothing', 'community'] });
  });
});

describe('a financial assessment', () => {
  it('never puts a charge on a section 117 service: not offered, and refused if sent, with nothing saved', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const form = await b.get(`/people/${personId}/care-act/financial/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Free: section 117 aftercare');
    expect(form.body).not.toContain(`value="${s117Line}"`);
    const refused = await b.post(`/people/${personId}/care-act/financial/new`, { planId, lines: [careLine, s117Line], weeklyContribution: '50.00', ...dateForm('assessedOn', '2026-12-03') });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Supported living, Riverside Supported Living is section 117 aftercare, which is free');
    expect(await t.database.db.select().from(financialAssessment).where(eq(financialAssessment.personId, personId))).toHaveLength(0);
  });

  it('charges the chosen services up to their cost, and shows what could not be charged', async () => {
    const b = await signedIn(t, part.users.practitioner);
    await b.get(`/people/${personId}/care-act/financial/new`);
    const ok = await b.post(`/people/${personId}/care-act/financial/new`, { planId, lines: [careLine, dayLine], weeklyContribution: '150.00', ...dateForm('assessedOn', '2026-12-03') });
    expect(ok.statusCode).toBe(302);
    const row = (await t.database.db.select().from(financialAssessment).where(eq(financialAssessment.personId, personId)))[0]!;
    expect(row.charges).toEqual([
      { lineId: careLine, label: 'Home care, Acme Care', weeklyChargePence: 10_000 },
      { lineId: dayLine, label: 'Day centre, Northvale Day Services', weeklyChargePence: 3_000 },
    ]);
    expect(row.notChargedPence).toBe(2_000);
    const page = await b.get(`/people/${personId}/care-act`);
    expect(page.body).toContain('£150.00');
    expect(page.body).toContain('£20.00 a week: more than the services cost (Care Act 2014, section 14(4))');
  });

  it('refuses a contribution that is not money, and a date in the future', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const bad = await b.post(`/people/${personId}/care-act/financial/new`, { planId, lines: [careLine], weeklyContribution: 'lots', ...dateForm('assessedOn', '2027-01-01') });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter the weekly contribution in pounds and pence, like 45.50');
    expect(bad.body).toContain('The date of the financial assessment must be today or in the past');
  });
});

describe('who may', () => {
  it('lets the ICB commissioner read but not write (403 before any input is read), and another partnership neither', async () => {
    const commissioner = await signedIn(t, part.users.commissioner);
    expect((await commissioner.get(`/people/${personId}/care-act`)).statusCode).toBe(200);
    expect((await commissioner.post(`/people/${personId}/care-act/assessments/new`, {})).statusCode).toBe(403);
    expect((await commissioner.post(`/people/${personId}/care-act/financial/new`, {})).statusCode).toBe(403);
    expect((await commissioner.get(`/people/${personId}/care-act/financial/new`)).statusCode).toBe(403);
    const stranger = await signedIn(t, other.users.practitioner);
    for (const path of [`/people/${personId}/care-act`, `/people/${personId}/care-act/assessments/new`, `/people/${personId}/care-act/financial/new`, `/api/v1/people/${personId}/care-act`]) {
      expect([403, 404]).toContain((await stranger.get(path)).statusCode);
    }
  });
});
