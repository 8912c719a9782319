import { and, eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, demo, type Browser, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { cliContext } from '../../cli/context.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { createToken } from '../admin/index.ts';
import { protectionMeeting, queueOverdueDecisionReminders, safeguardingConcern, safeguardingEnquiryRecord } from './index.ts';

/*
 * Issue 16, item 1: safeguarding adults through HTTP, with the settable clock. A concern raised by
 * the trust's practitioner waits for Northvale Council's decision (in the team manager's queue, told
 * to them, overdue after the partnership's timescale); "met" needs all three s42(1) answers yes; the
 * enquiry is led by Northvale's practitioner, with a strategy meeting, an action, a protection plan
 * and an outcome. Everyone who may read the person sees the flag; only the roles the partnership
 * chose (and the raiser, the lead and the local authority's deciders) see the details: not on the
 * pages, the API, the chronology (or its search), nor in a subject access export. Another
 * organisation is refused every route; read-only staff are refused writes before their input is read.
 */

const clock = clockAt('2026-12-07T10:00:00Z'); // a Monday
let t: TestApp;
let personId = '';
let concernId = '';
const trust = 'trust@demo.aftercare.example';
const eastbridge = 'eastbridge@demo.aftercare.example';
const numbers = nhsNumbers(16_100);
const SECRET = 'Nephew takes her bank card on Fridays';

function concernForm(fields: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    categories: ['financial', 'psychological'],
    concern: `${SECRET} and shouts at her when she refuses.`,
    reportedBy: 'Ward staff at Northvale Hospital',
    riskSource: 'known-to-individual',
    location: 'own-home',
    ...dateForm('raisedOn', '2026-12-07'),
    personAsked: 'yes',
    personsViews: '“I want him to stop, but I do not want him in trouble.”',
    desiredOutcomes: 'To keep her money safe and still see her nephew.',
    ...fields,
  };
}

const allYes = { needsCareAndSupport: 'yes', experiencingAbuse: 'yes', unableToProtect: 'yes' };

async function concern(id = concernId) {
  return (await t.database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.id, id)))[0]!;
}

async function userId(email: string) {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}

async function notificationsFor(email: string, id: string) {
  return (await t.database.db.select().from(notification).where(eq(notification.recipientUserId, await userId(email)))).filter((n) => n.link?.endsWith(id));
}

async function tokenFor(code: string): Promise<string> {
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, code)))[0]!;
  return (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: `Safeguarding API tests ${code}` })).token;
}

function api(method: 'GET' | 'POST', url: string, token: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function raise(b: Browser, fields: Record<string, string | string[]> = {}) {
  await b.get(`/people/${personId}/safeguarding/new`);
  return b.post(`/people/${personId}/safeguarding/new`, concernForm(fields));
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  // Recorded by the trust (so it is involved); Northvale Council is the responsible local authority.
  const ctx = await contextFor(t, trust, { clock });
  personId = await entitledPerson(ctx, { nhsNumber: numbers(), givenName: 'Morgan', familyName: 'Safeguardfixture' });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('safeguarding adults (issue 16, item 1)', () => {
  it('refuses a concern without a category, the concern or the person’s views, saving nothing (422)', async () => {
    const b = await signedIn(t, trust);
    const res = await raise(b, { categories: [], concern: ' ', personsViews: '', personAsked: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Choose at least one category of abuse or neglect');
    expect(res.body).toContain('Describe the concern');
    expect(res.body).toContain('Say whether the person was asked what they want to happen');
    expect(await t.database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.personId, personId))).toHaveLength(0);
  });

  it('lets the trust’s practitioner raise a concern: Northvale’s team manager is told and has the decision waiting, due in 2 working days', async () => {
    const b = await signedIn(t, trust);
    const res = await raise(b);
    expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
    const [row] = await t.database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.personId, personId));
    concernId = row!.id;
    expect(row).toMatchObject({ status: 'awaiting-decision', raisedOn: '2026-12-07', decisionDueOn: '2026-12-09', categories: ['financial', 'psychological'], personAsked: true, raisedBy: await userId(trust) });
    // The audit trail keeps the record's id and state, never its words.
    const [audited] = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'safeguarding-concern.raised'), eq(auditEvent.subjectId, concernId)));
    expect(JSON.stringify(audited)).not.toContain('Nephew');
    const told = await notificationsFor(demo.manager, concernId);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).not.toContain('Nephew');
    expect(await notificationsFor(demo.practitioner, concernId)).toHaveLength(0);

    const manager = await signedIn(t, demo.manager);
    const queue = await manager.get('/waiting?kind=safeguarding');
    expect(queue.body).toContain(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect(queue.body).toContain('Decide whether the section 42(1) criteria are met');
    expect(queue.body).toContain('9 December 2026');
    expect((await (await signedIn(t, demo.practitioner)).get('/waiting')).body).not.toContain(concernId);
    // The raiser sees their own concern.
    expect((await b.get(res.headers.location as string)).body).toContain(SECRET);
  });

  it('shows the flag to everyone who may read the person, and the details to nobody outside the chosen roles: pages, API, chronology, search, export', async () => {
    const readOnly = await signedIn(t, demo.readOnly);
    const personPage = await readOnly.get(`/people/${personId}`);
    expect(personPage.body).toContain('Open safeguarding concern');
    expect(personPage.body).not.toContain(concernId);
    const page = await readOnly.get(`/people/${personId}/safeguarding`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1 open concern whose details are seen only by the roles your partnership chose');
    expect(page.body).not.toContain(SECRET);
    expect(page.body).not.toContain('Financial or material abuse');
    expect((await readOnly.get(`/people/${personId}/safeguarding/concerns/${concernId}`)).statusCode).toBe(404);
    const viaApi = await readOnly.get(`/api/v1/people/${personId}/safeguarding`);
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json()).toMatchObject({ openConcern: true, detailsRestricted: true, concerns: [] });
    expect((await readOnly.get(`/api/v1/people/${personId}/safeguarding/${concernId}`)).statusCode).toBe(404);
    const chronology = await readOnly.get(`/people/${personId}/chronology?kind=safeguarding`);
    expect(chronology.body).toContain('Safeguarding concern raised (details restricted)');
    expect(chronology.body).not.toContain('Nephew');
    expect((await readOnly.get(`/people/${personId}/chronology?q=bank+card`)).body).not.toContain('Safeguarding concern raised');
    // The register's filter finds the person for them (the flag, not the details).
    expect((await readOnly.get('/register?safeguarding=open')).body).toContain(`/people/${personId}`);

    // The commissioner of the responsible ICB reads the record, not the details.
    const commissioner = await signedIn(t, demo.commissioner);
    expect((await commissioner.get(`/people/${personId}/safeguarding`)).body).not.toContain(SECRET);
    expect((await commissioner.get(`/people/${personId}/chronology`)).body).not.toContain('Nephew');

    // The chosen roles see them, in the chronology and its search too.
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(`/people/${personId}/safeguarding`)).body).toContain('Financial or material abuse, Psychological abuse');
    expect((await practitioner.get(`/people/${personId}/chronology?q=bank+card`)).body).toContain('Safeguarding concern raised: financial or material abuse, psychological abuse');

    // A subject access export withholds safeguarding records pending review.
    const quality = await signedIn(t, demo.quality);
    await quality.get(`/people/${personId}/subject-access`);
    const res = await quality.post(`/people/${personId}/subject-access`, {});
    expect(res.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(res.rawPayload);
    const text = await zip.file('person.json')!.async('string');
    const json = JSON.parse(text) as { tables: Record<string, { rows: unknown[] }>; withheld: Record<string, string> };
    expect(json.tables.safeguarding_concern!.rows).toHaveLength(0);
    expect(json.withheld.safeguarding_concern).toBe('1 safeguarding concern withheld pending review');
    expect(text).not.toContain('Nephew');
    expect(await zip.file('views.json')!.async('string')).not.toContain('Nephew');
  });

  it('refuses another organisation every route, read-only staff every write before reading the form, and practitioners the decision (403)', async () => {
    const other = await signedIn(t, eastbridge);
    expect([403, 404]).toContain((await other.get(`/people/${personId}/safeguarding`)).statusCode);
    expect([403, 404]).toContain((await other.get(`/people/${personId}/safeguarding/concerns/${concernId}`)).statusCode);
    expect([403, 404]).toContain((await other.get(`/api/v1/people/${personId}/safeguarding`)).statusCode);
    await other.get('/');
    for (const path of ['new', `concerns/${concernId}/decision`, `concerns/${concernId}/records`, `concerns/${concernId}/plan`, `concerns/${concernId}/outcome`, 'protection-meetings']) {
      expect((await other.post(`/people/${personId}/safeguarding/${path}`, {})).statusCode, path).toBe(403);
    }
    const readOnly = await signedIn(t, demo.readOnly);
    for (const path of ['new', `concerns/${concernId}/decision`, `concerns/${concernId}/records`, 'protection-meetings']) {
      expect((await readOnly.post(`/people/${personId}/safeguarding/${path}`, {})).statusCode, path).toBe(403);
    }
    const practitioner = await signedIn(t, demo.practitioner);
    await practitioner.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect((await practitioner.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'met', reason: 'x', leadId: '', version: '1' })).statusCode).toBe(403);
    const raiser = await signedIn(t, trust);
    await raiser.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect((await raiser.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'met', reason: 'x', leadId: '', version: '1' })).statusCode).toBe(403);
    expect((await concern()).status).toBe('awaiting-decision');
  });

  it('refuses "criteria met" unless all three s42(1) questions are yes, and "not met" when they all are (422, nothing saved)', async () => {
    const manager = await signedIn(t, demo.manager);
    const page = await manager.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect(page.body).toContain('Care Act 2014, section 42(1)(c)');
    const lead = await userId(demo.practitioner);
    const notAll = await manager.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, unableToProtect: 'no', decision: 'met', reason: 'She can protect herself.', leadId: lead, version: '1' });
    expect(notAll.statusCode).toBe(422);
    expect(notAll.body).toContain('The section 42(1) criteria are met only when all three questions are answered yes');
    const wrongWay = await manager.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'not-met', reason: 'No.', leadId: '', version: '1' });
    expect(wrongWay.statusCode).toBe(422);
    expect(wrongWay.body).toContain('an enquiry must be made');
    const noLead = await manager.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'met', reason: 'All three apply.', leadId: await userId(trust), version: '1' });
    expect(noLead.statusCode).toBe(422);
    expect(noLead.body).toContain('Choose who leads the enquiry, from the local authority');
    expect((await concern())).toMatchObject({ status: 'awaiting-decision', decision: null });
  });

  it('opens the enquiry when the criteria are met, led by the council’s practitioner, who is told; the decision leaves the queue; a stale form is a 409', async () => {
    const manager = await signedIn(t, demo.manager);
    await manager.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    const lead = await userId(demo.practitioner);
    const res = await manager.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'met', reason: 'Care and support needs from her psychosis; money taken weekly; she cannot stop him.', leadId: lead, version: '1' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    expect(await concern()).toMatchObject({ status: 'enquiry', decision: 'met', decidedOn: '2026-12-07', enquiryLeadId: lead, enquiryStartedOn: '2026-12-07', decidedBy: await userId(demo.manager) });
    expect(await notificationsFor(demo.practitioner, concernId)).toHaveLength(1);
    expect((await manager.get('/waiting?kind=safeguarding')).body).not.toContain(concernId);
    const again = await manager.post(`/people/${personId}/safeguarding/concerns/${concernId}/decision`, { ...allYes, decision: 'met', reason: 'Again', leadId: lead, version: '1' });
    expect(again.statusCode).toBe(409);
    const page = await manager.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect(page.body).toContain('Section 42(1) criteria met: an enquiry will be made');
    expect(page.body).toContain('(within the timescale)');
  });

  it('records the strategy meeting, an action, the protection plan and the outcome as the lead; the raiser may look but not write; the concern closes', async () => {
    const lead = await signedIn(t, demo.practitioner);
    await lead.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    const bad = await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/records`, { kind: 'strategy-meeting', ...dateForm('heldOn', '2026-12-08'), who: '', detail: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The date it was held or agreed must be today or in the past');
    expect((await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/records`, { kind: 'strategy-meeting', ...dateForm('heldOn', '2026-12-07'), who: 'Sam Okafor (Northvale), Lee Ashworth (trust), PC Hale', detail: 'Bank to be contacted; nephew to be spoken to by police.' })).statusCode).toBe(302);
    expect((await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/records`, { kind: 'action', ...dateForm('heldOn', '2026-12-07'), who: 'Sam Okafor', detail: 'Help Morgan set up a new bank card.', ...dateForm('dueOn', '2026-12-11') })).statusCode).toBe(302);
    expect(await t.database.db.select().from(safeguardingEnquiryRecord).where(eq(safeguardingEnquiryRecord.concernId, concernId))).toHaveLength(2);

    const raiser = await signedIn(t, trust);
    const seen = await raiser.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect(seen.body).toContain('Bank to be contacted');
    expect((await raiser.post(`/people/${personId}/safeguarding/concerns/${concernId}/records`, { kind: 'action', ...dateForm('heldOn', '2026-12-07'), who: 'x', detail: 'y' })).statusCode).toBe(403);

    await lead.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    const version = String((await concern()).version);
    expect((await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/plan`, { plan: 'Weekly visit; bank alerts on her account.', ...dateForm('reviewOn', '2027-01-07'), version })).statusCode).toBe(302);
    expect(await concern()).toMatchObject({ protectionPlanReviewOn: '2027-01-07' });
    await lead.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    const missing = await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/outcome`, { outcome: '', outcomesAchieved: '', detail: '', version: String((await concern()).version) });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choose the outcome for the risk');
    const done = await lead.post(`/people/${personId}/safeguarding/concerns/${concernId}/outcome`, { outcome: 'reduced', outcomesAchieved: 'partially', detail: 'New card; nephew warned; she still sees him.', version: String((await concern()).version) });
    expect(done.statusCode).toBe(302);
    expect(await concern()).toMatchObject({ status: 'closed', outcome: 'reduced', outcomesAchieved: 'partially', concludedOn: '2026-12-07' });
    const page = await lead.get(`/people/${personId}/safeguarding/concerns/${concernId}`);
    expect(page.body).toContain('Risk reduced');
    expect(page.body).toContain('Partially achieved');
    // Closed: the flag is down for everyone.
    expect((await (await signedIn(t, demo.readOnly)).get(`/people/${personId}`)).body).toContain('No open safeguarding concern');
    expect((await lead.get(`/people/${personId}/chronology?kind=safeguarding`)).body).toContain('Safeguarding enquiry concluded: risk reduced');
  });

  it('records a MARAC attended, seen by the chosen roles on the safeguarding page and never by read-only staff', async () => {
    const manager = await signedIn(t, demo.manager);
    await manager.get(`/people/${personId}/safeguarding`);
    const bad = await manager.post(`/people/${personId}/safeguarding/protection-meetings`, { kind: 'marac', ...dateForm('heldOn', '2026-12-01'), outcome: '', ...dateForm('nextOn', '2026-11-01') });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The next meeting must be after this one');
    const ok = await manager.post(`/people/${personId}/safeguarding/protection-meetings`, { kind: 'marac', ...dateForm('heldOn', '2026-12-01'), outcome: 'Referred to the independent domestic violence adviser.', ...dateForm('nextOn', '2027-03-01') });
    expect(ok.statusCode).toBe(302);
    expect(await t.database.db.select().from(protectionMeeting).where(eq(protectionMeeting.personId, personId))).toHaveLength(1);
    const page = await manager.get(`/people/${personId}/safeguarding`);
    expect(page.body).toContain('MARAC (multi-agency risk assessment conference)');
    expect(page.body).toContain('1 March 2027');
    const readOnly = await signedIn(t, demo.readOnly);
    expect((await readOnly.get(`/people/${personId}/safeguarding`)).body).not.toContain('independent domestic violence adviser');
  });

  it('lets the lead administrator choose the roles and the timescale; a practitioner then sees only the concerns they lead; an overdue decision is flagged and told', async () => {
    const admin = await signedIn(t, demo.admin);
    const settings = await admin.get('/admin/plan-settings');
    expect(settings.body).toContain('Roles that see safeguarding details');
    const none = await admin.post('/admin/plan-settings/safeguarding', { safeguardingVersion: '0', decisionWorkingDays: '0' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Choose at least one role that sees safeguarding details');
    expect(none.body).toContain('The timescale must be between 1 and 28 working days');
    expect((await admin.post('/admin/plan-settings/safeguarding', { safeguardingVersion: '0', safeguardingRoles: ['team-manager'], decisionWorkingDays: '3' })).statusCode).toBe(302);
    expect((await admin.post('/admin/plan-settings/safeguarding', { safeguardingVersion: '0', safeguardingRoles: ['practitioner'], decisionWorkingDays: '2' })).statusCode).toBe(409);
    const manager = await signedIn(t, demo.manager);
    expect((await manager.post('/admin/plan-settings/safeguarding', { safeguardingVersion: '1', safeguardingRoles: ['practitioner'], decisionWorkingDays: '2' })).statusCode).toBe(403);

    const raiser = await signedIn(t, trust);
    expect((await raise(raiser, { categories: ['self-neglect'], concern: 'Not eating; flat cold.' })).statusCode).toBe(302);
    const second = (await t.database.db.select().from(safeguardingConcern).where(eq(safeguardingConcern.personId, personId))).find((c) => c.id !== concernId)!;
    expect(second.decisionDueOn).toBe('2026-12-10');
    const practitioner = await signedIn(t, demo.practitioner);
    expect((await practitioner.get(`/people/${personId}/safeguarding/concerns/${second.id}`)).statusCode).toBe(404);
    expect((await practitioner.get(`/people/${personId}/safeguarding/concerns/${concernId}`)).statusCode).toBe(200);
    expect((await practitioner.get(`/people/${personId}/safeguarding`)).body).not.toContain('Not eating');

    clock.set('2026-12-14T10:00:00Z');
    try {
      const queue = await manager.get('/waiting?kind=safeguarding');
      expect(queue.body).toContain(second.id);
      expect(queue.body).toMatch(/Overdue/);
      expect((await manager.get(`/people/${personId}`)).body).toContain('Decision overdue');
      await queueOverdueDecisionReminders(t.database.db, { clock });
      await queueOverdueDecisionReminders(t.database.db, { clock });
      const told = (await notificationsFor(demo.manager, second.id)).filter((n) => n.subject.startsWith('Safeguarding decision overdue'));
      expect(told).toHaveLength(1);
    } finally {
      clock.set('2026-12-07T10:00:00Z');
    }
  });

  it('serves the API with the same rules: a token raises a concern (201) but never reads details; bad input is problem+json; another organisation is refused', async () => {
    const northvale = await tokenFor('E06000901');
    const body = { categories: ['physical'], reportedBy: 'Her GP', riskSource: 'unknown-to-individual', location: 'community', raisedOn: '2026-12-06', concern: 'Bruising on both arms.', personAsked: false, personsViews: 'Too unwell to be asked today.' };
    const bad = await api('POST', `/api/v1/people/${personId}/safeguarding`, northvale, { ...body, categories: ['hitting'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const created = await api('POST', `/api/v1/people/${personId}/safeguarding`, northvale, body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'awaiting-decision', decisionDueOn: '2026-12-09', categories: ['physical'] });
    const list = await api('GET', `/api/v1/people/${personId}/safeguarding`, northvale);
    expect(list.json()).toMatchObject({ openConcern: true, detailsRestricted: true, concerns: [] });
    expect(list.body).not.toContain('Bruising');
    const southmere = await tokenFor('E06000902');
    expect([403, 404]).toContain((await api('POST', `/api/v1/people/${personId}/safeguarding`, southmere, {})).statusCode);
    expect([403, 404]).toContain((await api('GET', `/api/v1/people/${personId}/safeguarding`, southmere)).statusCode);
    const manager = await signedIn(t, demo.manager);
    const full = await manager.get(`/api/v1/people/${personId}/safeguarding/${concernId}`);
    expect(full.json()).toMatchObject({ outcome: 'reduced', enquiryRecords: [{ kind: 'strategy-meeting' }, { kind: 'action', dueOn: '2026-12-11' }] });
    const spec = (await manager.get('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(spec.paths['/api/v1/people/{id}/safeguarding']).toBeDefined();
    expect(spec.paths['/api/v1/people/{id}/safeguarding/{concernId}']).toBeDefined();
  });

  it('counts concerns, decisions within the timescale and open enquiries on the dashboard, and exports the month’s Safeguarding Adults Collection figures', async () => {
    const manager = await signedIn(t, demo.manager);
    const dashboard = await manager.get('/dashboards');
    expect(dashboard.body).toContain('Safeguarding adults (Care Act 2014, section 42)');
    // Three concerns raised; one decided (on the day: within the timescale), concluded; none open as an enquiry.
    expect(dashboard.body).toMatch(/data-qa="safeguarding-concerns">3</);
    expect(dashboard.body).toMatch(/data-qa="safeguarding-decisions">1</);
    expect(dashboard.body).toMatch(/data-qa="safeguarding-timeliness">100%</);
    expect(dashboard.body).toMatch(/data-qa="safeguarding-enquiries-concluded">1</);
    expect(dashboard.body).toMatch(/data-qa="safeguarding-enquiries-open">0</);
    const csv = await manager.get('/safeguarding/collection.csv?month=2026-12');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Period,Table,Measure,Breakdown,Value');
    expect(csv.body).toContain('2026-12,Summary,Safeguarding concerns,All,3');
    expect(csv.body).toContain('2026-12,Summary,Section 42 enquiries concluded,All,1');
    expect(csv.body).toContain('2026-12,Concluded section 42 enquiries by type of risk,Section 42 enquiries concluded,Financial or material abuse,1');
    expect(csv.body).toContain('2026-12,Concluded section 42 enquiries by location of risk,Section 42 enquiries concluded,Own home,1');
    expect(csv.body).toContain('2026-12,Concluded section 42 enquiries by risk outcome,Section 42 enquiries concluded,Risk reduced,1');
    expect(csv.body).toContain('2026-12,Making Safeguarding Personal,Desired outcomes expressed,Partially achieved,1');
    expect(csv.body).not.toContain('Morgan');
    // Counts are for assurance roles: a practitioner is refused.
    expect((await (await signedIn(t, demo.practitioner)).get('/safeguarding/collection.csv?month=2026-12')).statusCode).toBe(403);
  });
});
