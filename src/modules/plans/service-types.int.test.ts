import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { contextFor, entitledPerson, nhsNumbers } from '../../../test/fixtures.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { cliContext } from '../../cli/context.ts';
import { createToken } from '../admin/tokens.service.ts';
import { partnershipServiceType } from '../settings/schema.ts';
import { planService } from './schema.ts';

/*
 * Issue 13, item 8: a plan's services are chosen from a coded list of types (with the
 * partnership's own additions, which its administrators add on a settings page), so dashboards
 * count "Supported living" once however it was written; a service that fits no type is "Other"
 * with its words.
 */

let t: TestApp;
const nextNhs = nhsNumbers(47_000);
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);
const version = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

async function draftWithNeed(b: Browser): Promise<{ planUrl: string; needId: string }> {
  const ctx = await contextFor(t, demo.practitioner);
  const id = await entitledPerson(ctx, { nhsNumber: nextNhs(), givenName: 'Sam', familyName: 'Typeperson' });
  const started = await b.post(`/people/${id}/plans`, {});
  expect(started.statusCode).toBe(302);
  const planUrl = started.headers.location as string;
  const f = await b.get(`${planUrl}/needs/new`);
  const res = await b.post(`${planUrl}/needs/new`, {
    version: version(f.body), level: 'medium', personWords: '', strengths: '', desiredOutcome: '',
    domain: 'accommodation', accommodationEnhanced: 'true', accommodationFeature: '24-hour mental health staffing',
    description: 'Supported accommodation with staff on site', arisesFromMentalDisorder: 'true', reducesRiskOfDeterioration: 'true', testsRationale: 'Relapsed twice when living alone',
  });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  const form = await b.get(`${planUrl}/services/new`);
  const needId = /name="needIds" type="checkbox" value="([0-9a-f-]{36})"/.exec(form.body)?.[1] ?? /value="([0-9a-f-]{36})"/.exec(form.body.slice(form.body.indexOf('needIds')))![1]!;
  return { planUrl, needId };
}

const serviceFields = (needId: string) => ({
  needIds: needId,
  provider: 'Riverside Supported Living',
  ...dateForm('startOn', '2025-03-01'),
  frequency: '24-hour support',
  unitsPerWeek: '1',
  unitCost: '1,000.00',
  deliveryRoute: 'commissioned',
  localAuthorityPercent: '60',
  icbPercent: '40',
  splitBasis: 'Mostly social care needs with health oversight',
});

async function storedServices(planUrl: string) {
  const planId = planUrl.split('/').at(-1)!;
  return t.database.db.select({ serviceType: planService.serviceType, serviceTypeCode: planService.serviceTypeCode }).from(planService).where(eq(planService.planId, planId));
}

describe('types of service on the plan (issue 13, item 8)', () => {
  it('the service form offers the types as a select that works without JavaScript, and stores the chosen type with its name', async () => {
    const b = await signedIn(demo.practitioner);
    const { planUrl, needId } = await draftWithNeed(b);
    const form = await b.get(`${planUrl}/services/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/<select class="govuk-select[^"]*" id="serviceTypeCode" name="serviceTypeCode"/);
    expect(form.body).toContain('<option value="supported-living">Supported living</option>');
    expect(form.body).toContain('<option value="other">Other (not on the list): describe it below</option>');

    // Nothing chosen: an error beside the select.
    let res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(form.body), serviceTypeCode: '', serviceType: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#serviceTypeCode">Choose the type of service');
    // Other, without saying what it is.
    res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(form.body), serviceTypeCode: 'other', serviceType: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Describe the service, as its type is not on the list');
    // A code that is not on the list.
    res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(form.body), serviceTypeCode: 'made-up', serviceType: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Choose a type of service from the list');
    expect(await storedServices(planUrl)).toEqual([]);

    res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(form.body), serviceTypeCode: 'supported-living', serviceType: '' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    let page = await b.get(planUrl);
    expect(page.body).toContain('Supported living has been added to the plan');

    // Other, in words: kept and shown as "Other: …". Words that clearly name a type take that type.
    let f = await b.get(`${planUrl}/services/new`);
    res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(f.body), serviceTypeCode: 'other', serviceType: 'Gym membership' });
    expect(res.statusCode).toBe(302);
    f = await b.get(`${planUrl}/services/new`);
    res = await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(f.body), serviceTypeCode: 'other', serviceType: 'Supported living (24-hour staffed)' });
    expect(res.statusCode).toBe(302);
    page = await b.get(planUrl);
    expect(page.body).toContain('Other: Gym membership');
    expect(await storedServices(planUrl)).toEqual(
      expect.arrayContaining([
        { serviceType: 'Supported living', serviceTypeCode: 'supported-living' },
        { serviceType: 'Gym membership', serviceTypeCode: 'other' },
      ]),
    );
    expect((await storedServices(planUrl)).filter((s) => s.serviceTypeCode === 'supported-living')).toHaveLength(2);
  });

  it('a service recorded in words before the list opens with the type its words name, or Other with its words', async () => {
    const b = await signedIn(demo.practitioner);
    const { planUrl, needId } = await draftWithNeed(b);
    const f = await b.get(`${planUrl}/services/new`);
    expect((await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(f.body), serviceTypeCode: 'other', serviceType: 'Allotment' })).statusCode).toBe(302);
    const planId = planUrl.split('/').at(-1)!;
    // As migration 0017 found them: no code.
    await t.database.db.update(planService).set({ serviceTypeCode: null }).where(eq(planService.planId, planId));
    const page = await b.get(planUrl);
    const serviceId = new RegExp(`${planUrl}/services/([0-9a-f-]{36})"`).exec(page.body)![1]!;
    const edit = await b.get(`${planUrl}/services/${serviceId}`);
    expect(edit.body).toContain('<option value="other" selected>Other (not on the list): describe it below</option>');
    expect(edit.body).toMatch(/id="serviceType" name="serviceType" type="text" value="Allotment"/);
  });

  it('migration 0017 gives services recorded in words the type their words clearly name, and the rest "other"', async () => {
    const b = await signedIn(demo.practitioner);
    const { planUrl, needId } = await draftWithNeed(b);
    for (const words of ['Supported living (24-hour staffed)', 'Home support', 'Gym membership', 'supported  LIVING']) {
      const f = await b.get(`${planUrl}/services/new`);
      expect((await b.post(`${planUrl}/services/new`, { ...serviceFields(needId), version: version(f.body), serviceTypeCode: 'other', serviceType: 'placeholder' })).statusCode).toBe(302);
      const planId = planUrl.split('/').at(-1)!;
      // As they were recorded before the list: words only.
      await t.database.db.update(planService).set({ serviceType: words, serviceTypeCode: null }).where(and(eq(planService.planId, planId), eq(planService.serviceType, 'placeholder')));
    }
    const file = readFileSync(new URL('../../../drizzle/0017_service-types.sql', import.meta.url), 'utf8');
    const update = file.split('--> statement-breakpoint').map((st) => st.replace(/^\s*--.*$/gm, '').trim()).find((st) => st.startsWith('UPDATE "plan_service"'))!;
    await t.database.db.execute(sql.raw(update));
    const stored = await storedServices(planUrl);
    expect(stored.map((x) => [x.serviceType, x.serviceTypeCode]).sort()).toEqual(
      [
        ['Supported living (24-hour staffed)', 'supported-living'],
        ['Home support', 'home-care'],
        ['Gym membership', 'other'],
        ['supported  LIVING', 'supported-living'],
      ].sort(),
    );
  });

  it('the plans API takes a type code, or words it maps the same way', async () => {
    const b = await signedIn(demo.practitioner);
    const { planUrl, needId } = await draftWithNeed(b);
    const [, personId, planId] = /\/people\/([0-9a-f-]+)\/plans\/([0-9a-f-]+)/.exec(planUrl)!;
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const token = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Service types API test' })).token;
    const call = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    const body = (extra: Record<string, unknown>) => ({
      needIds: [needId], provider: 'Riverside', startOn: '2025-03-01', frequency: 'Weekly', unitsPerWeek: 1, unitCostPence: 10_000, deliveryRoute: 'commissioned',
      localAuthorityPercent: 100, icbPercent: 0, splitBasis: 'Social care need', ...extra,
    });
    const url = `/api/v1/people/${personId}/plans/${planId}/services`;
    let v = (await call('GET', `/api/v1/people/${personId}/plans/${planId}`)).json().version as number;
    let res = await call('POST', url, { version: v, ...body({ serviceTypeCode: 'day-services' }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().service).toMatchObject({ serviceType: 'Day services', serviceTypeCode: 'day-services' });
    v = res.json().planVersion;
    res = await call('POST', url, { version: v, ...body({ serviceType: 'Day centre' }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().service).toMatchObject({ serviceType: 'Day services', serviceTypeCode: 'day-services' });
    res = await call('POST', url, { version: res.json().planVersion, ...body({ serviceTypeCode: 'nonsense' }) });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await storedServices(planUrl)).toEqual([
      { serviceType: 'Day services', serviceTypeCode: 'day-services' },
      { serviceType: 'Day services', serviceTypeCode: 'day-services' },
    ]);
  });
});

describe('the partnership’s own types of service', () => {
  it('an administrator adds one (audited), it is offered on the plan, and a name already on the list is refused', async () => {
    const admin = await signedIn(demo.admin);
    const page = await admin.get('/admin/service-types');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Supported living');
    let res = await admin.post('/admin/service-types', { label: 'Supported living (24-hour)', description: 'Again' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('“Supported living” is already a type of service');
    res = await admin.post('/admin/service-types', { label: '', description: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter the name of the type of service');
    res = await admin.post('/admin/service-types', { label: 'Crisis house', description: 'Short stays in a crisis house instead of admission.' });
    expect(res.statusCode).toBe(302);
    const stored = await t.database.db.select().from(partnershipServiceType).where(eq(partnershipServiceType.code, 'local-crisis-house'));
    expect(stored).toHaveLength(1);
    const audited = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'service-type.added')));
    expect(audited).toHaveLength(1);

    const b = await signedIn(demo.practitioner);
    const { planUrl } = await draftWithNeed(b);
    const form = await b.get(`${planUrl}/services/new`);
    expect(form.body).toContain('<option value="local-crisis-house">Crisis house</option>');

    // Retired: no longer offered.
    const list = await admin.get('/admin/service-types');
    const v = /action="\/admin\/service-types\/local-crisis-house\/retire"[\s\S]*?name="version" value="(\d+)"/.exec(list.body)![1]!;
    res = await admin.post('/admin/service-types/local-crisis-house/retire', { version: v });
    expect(res.statusCode).toBe(302);
    expect((await b.get(`${planUrl}/services/new`)).body).not.toContain('local-crisis-house');
  });

  it('is refused to someone who does not manage settings, before their input is read', async () => {
    const manager = await signedIn(demo.manager);
    expect((await manager.get('/admin/service-types')).statusCode).toBe(403);
    const res = await manager.post('/admin/service-types', { label: '', description: '' });
    expect(res.statusCode).toBe(403);
  });
});
