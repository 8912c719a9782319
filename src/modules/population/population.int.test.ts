import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type Browser, type TestApp } from '../../../test/app.ts';
import { addDays } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { clearDashboardCache, computeDashboard, parseDashboardQuery } from '../dashboards/dashboard.service.ts';
import { loadRegisterOptions } from '../register/list.queries.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { team } from '../register/schema.ts';
import { clearEqualityCache, computeEquality } from '../equality/equality.service.ts';
import { clockAt, contextFor as contextWithClock, createPartnership } from '../../../test/fixtures.ts';
import { saveFigure } from './population.service.ts';
import { populationFigure } from './schema.ts';

/*
 * Issue 7: the lead administrator enters or uploads the partnership's population; with it the
 * dashboard shows people entitled per 100,000 and equality monitoring shows rates next to
 * counts (suppressed with them). Bad input changes nothing; a stale page gets a conflict.
 */

let t: TestApp;
const today = todayInLondon();
const nhsNumbers = syntheticNhsNumbers(43_000);
let fixtureTeam: string;

async function contextFor(email: string): Promise<ServiceContext> {
  const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(t.database.db, user.id))!;
  return serviceContext({ db: t.database.db, actor, requestId: `test:${randomUUID()}`, config: t.config });
}

const figures = async () =>
  (await t.database.db.select().from(populationFigure)).map((f) => `${f.localAuthority}|${f.dimension}|${f.category}|${f.population}`).sort();
const audits = async (action: string) => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event where action = ${action}`))[0]!.n;

/** Post a multipart form with one CSV file, as a browser does. */
async function upload(b: Browser, fields: Record<string, string>, csv: string) {
  const boundary = `----aftercare${randomUUID()}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="population.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`);
  const payload = `${parts.join('')}--${boundary}--\r\n`;
  return t.app.inject({
    method: 'POST',
    url: '/settings/population/upload',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const northvale = (await db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
  fixtureTeam = (await db.insert(team).values({ partnershipId: northvale.partnershipId, organisationId: northvale.id, name: 'Population Fixture Team' }).returning())[0]!.id;
  const nv = await contextFor(demo.practitioner);
  const history = [
    { type: 'detention-started', date: '2023-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2023-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2023-03-01' },
    { type: 'reviewed', date: addDays(today, -10) },
  ];
  // Six entitled people of ethnic category A (shown), two of category N (suppressed).
  for (const [ethnicity, n] of [['A', 6], ['N', 2]] as const) {
    for (let i = 0; i < n; i++) {
      const created = await createPerson(nv, { givenName: `Pop${ethnicity}${i}`, familyName: 'Popfix', dateOfBirth: '1980-04-01', ethnicity, sex: 'female', nhsNumber: nhsNumbers.next().value as string, allocatedTeamId: fixtureTeam }, { confirmDuplicate: true });
      if (created.outcome !== 'created') throw new Error('not created');
      for (const event of history) await recordEvent(nv, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
    }
  }
});

afterAll(async () => {
  await t?.close();
});

beforeEach(() => {
  clearDashboardCache();
  clearEqualityCache();
});

describe('the population settings page', () => {
  it('is only for the lead organisation’s administrators', async () => {
    for (const who of [demo.manager, demo.laAdmin, demo.commissioner]) {
      const b = await signedInBrowser(t.app, who);
      expect((await b.get('/settings/population')).statusCode, who).toBe(403);
    }
    const admin = await signedInBrowser(t.app, demo.admin);
    const page = await admin.get('/settings/population');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-qa="not-configured"');
  });

  it('before any figures, the dashboard and equality monitoring say rates are not configured', async () => {
    const b = await signedInBrowser(t.app, demo.manager);
    const dash = await b.get('/dashboards?view=director');
    expect(dash.body).toContain('data-qa="population-not-configured">Not configured<');
    // A manager may not change settings, so no link to them.
    expect(dash.body).not.toContain('data-qa="population-link"');
    const eq = await b.get('/dashboards/equality');
    expect(eq.body).toContain('data-qa="population-not-configured"');
    expect(eq.body).not.toContain('Entitled per 100,000 population');
  });

  it('refuses bad figures with specific messages and saves nothing', async () => {
    const admin = await signedInBrowser(t.app, demo.admin);
    await admin.get('/settings/population');
    const res = await admin.post('/settings/population', { localAuthority: 'E99999999', dimension: 'ethnicity', category: 'ZZ', population: '12a', version: '0' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The population must be a whole number');
    const res2 = await admin.post('/settings/population', { localAuthority: 'E99999999', dimension: 'ethnicity', category: 'ZZ', population: '1000', version: '0' });
    expect(res2.statusCode).toBe(422);
    expect(res2.body).toContain('is not a local authority of the partnership');
    expect(res2.body).toContain('is not a ethnicity category');
    expect(await figures()).toEqual([]);
    // Without the CSRF token nothing is saved either.
    expect((await admin.post('/settings/population', { localAuthority: 'all', dimension: 'total', category: 'all', population: '1000', version: '0' }, null)).statusCode).toBe(403);
    expect(await figures()).toEqual([]);
  });

  it('saves a figure with an audit event, and a stale edit gets a conflict', async () => {
    const admin = await signedInBrowser(t.app, demo.admin);
    await admin.get('/settings/population');
    const before = await audits('population-figure.created');
    const res = await admin.post('/settings/population', { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: '200,000', version: '0' });
    expect(res.statusCode).toBe(302);
    expect(await figures()).toEqual(['E06000901|total|all|200000']);
    expect(await audits('population-figure.created')).toBe(before + 1);
    // Entering the same figure again as new is a conflict, not a silent overwrite.
    await admin.get('/settings/population');
    const again = await admin.post('/settings/population', { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: '1', version: '0' });
    expect(again.statusCode).toBe(409);
    // Two administrators open the same figure; the second to save gets a conflict.
    const first = await admin.get('/settings/population?la=E06000901&dimension=total&category=all');
    const version = hidden(first.body.slice(first.body.indexOf('data-qa="figure-form"')), 'version');
    expect(version).toBe('1');
    expect((await admin.post('/settings/population', { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: '210000', version })).statusCode).toBe(302);
    expect((await admin.post('/settings/population', { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: '220000', version })).statusCode).toBe(409);
    expect(await figures()).toEqual(['E06000901|total|all|210000']);
    expect(await audits('population-figure.updated')).toBeGreaterThanOrEqual(1);
  });

  it('uploads a CSV that replaces every figure, refuses a bad file with line numbers, and a stale upload', async () => {
    const admin = await signedInBrowser(t.app, demo.admin);
    const page = await admin.get('/settings/population');
    const csrf = admin.lastCsrf!;
    const shown = hidden(page.body, 'fingerprint');
    const bad = await upload(admin, { _csrf: csrf, fingerprint: shown }, 'local_authority,dimension,category,population\nE06000901,total,all,180000\nE06000901,sex,unknown,5\nE06000901,total,all,1\nNOWHERE,total,all,10\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Line 3: &quot;unknown&quot; is not a sex category');
    expect(bad.body).toContain('Line 4: the same figure');
    expect(bad.body).toContain('Line 5: &quot;NOWHERE&quot; is not a local authority');
    expect(await figures()).toEqual(['E06000901|total|all|210000']);

    const good = 'local_authority,dimension,category,population\nE06000901,total,all,180000\nE06000902,total,all,240000\nE06000901,ethnicity,A,60000\nE06000901,ethnicity,N,20000\nall,total,all,730000\n';
    const before = await audits('population-figures.replaced');
    const ok = await upload(admin, { _csrf: csrf, fingerprint: shown }, good);
    expect(ok.statusCode).toBe(302);
    expect(await figures()).toEqual(['E06000901|ethnicity|A|60000', 'E06000901|ethnicity|N|20000', 'E06000901|total|all|180000', 'E06000902|total|all|240000', 'all|total|all|730000'].sort());
    expect(await audits('population-figures.replaced')).toBe(before + 1);
    // The page the upload came from is now out of date: uploading from it again is refused.
    const stale = await upload(admin, { _csrf: csrf, fingerprint: shown }, 'local_authority,dimension,category,population\nall,total,all,1\n');
    expect(stale.statusCode).toBe(409);
    expect(await figures()).toHaveLength(5);
  });

  it('with figures, the dashboard shows people entitled per 100,000, overall and by local authority', async () => {
    const manager = await contextFor(demo.manager);
    const options = await loadRegisterOptions(manager);
    const all = await computeDashboard(manager, parseDashboardQuery({}, options, today), options, today);
    const entitledNv = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from person where status = 'entitled' and responsible_local_authority = 'E06000901'`))[0]!.n;
    expect(all.population!.overall.population).toBe(730000);
    expect(all.population!.overall.rate.value).toBe(Math.round((all.entitled.active.count / 730000) * 100000 * 10) / 10);
    const nv = all.population!.byLocalAuthority.find((l) => l.code === 'E06000901')!;
    expect(nv.entitled).toBe(entitledNv);
    expect(nv.rate.value).toBe(Math.round((entitledNv / 180000) * 100000 * 10) / 10);
    const filtered = await computeDashboard(manager, parseDashboardQuery({ la: 'E06000901' }, options, today), options, today);
    expect(filtered.population!.overall.population).toBe(180000);

    const b = await signedInBrowser(t.app, demo.manager);
    const html = (await b.get('/dashboards?la=E06000901&view=commissioner')).body;
    expect(html).toContain(`data-qa="population-rate-E06000901">${nv.rate.text}<`);
  });

  it('equality monitoring shows rates per 100,000 next to counts, suppressed with them', async () => {
    const manager = await contextFor(demo.manager);
    const options = await loadRegisterOptions(manager);
    const report = await computeEquality(manager, parseDashboardQuery({ team: fixtureTeam }, options, today), options, today);
    const ethnicity = report.breakdowns.find((x) => x.dimension === 'ethnicity')!;
    const a = ethnicity.groups.find((g) => g.key === 'A')!;
    expect(a.entitled.value).toBe(6);
    expect(a.entitledRate).toEqual({ value: 10, suppressed: false, text: '10.0' });
    const n = ethnicity.groups.find((g) => g.key === 'N')!;
    expect(n.entitled.suppressed).toBe(true);
    expect(n.entitledRate).toEqual({ value: null, suppressed: true, text: 'suppressed' });
    const la = report.breakdowns.find((x) => x.dimension === 'localAuthority')!.groups.find((g) => g.key === 'E06000901')!;
    // Everyone in the fixture team (six of category A, two of N) counts for their local authority.
    expect(la.entitled.value).toBe(8);
    expect(la.entitledRate.text).toBe(((8 / 180000) * 100000).toFixed(1));
    // A sex with no figure entered has no rate.
    const female = report.breakdowns.find((x) => x.dimension === 'sex')!.groups.find((g) => g.key === 'female')!;
    expect(female.entitledRate.text).toBe('not configured');

    const b = await signedInBrowser(t.app, demo.manager);
    const html = (await b.get(`/dashboards/equality?team=${fixtureTeam}`)).body;
    expect(html).toContain('Entitled per 100,000 population');
    const section = html.slice(html.indexOf('data-qa="equality-ethnicity"'), html.indexOf('data-qa="equality-ageBand"'));
    expect(section).toContain('data-qa="per-100k">10.0<');
    expect(section).toContain('data-qa="per-100k suppressed">suppressed<');
  });

  it('keeps to the administrator’s own partnership, and stamps a change with the application’s clock', async () => {
    const other = await createPartnership(t.database.db, 'Popother');
    await t.database.db.insert(populationFigure).values({ partnershipId: other.id, localAuthority: 'all', dimension: 'total', category: 'all', population: 424242 });
    const admin = await signedInBrowser(t.app, demo.admin);
    const page = await admin.get('/settings/population');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('730,000');
    expect(page.body).not.toContain('424,242');

    const ctx = await contextWithClock(t, demo.admin, { clock: clockAt('2031-02-03') });
    await saveFigure(ctx, { localAuthority: 'E06000901', dimension: 'total', category: 'all', population: 181000 }, 1);
    const saved = (await t.database.db.select().from(populationFigure).where(eq(populationFigure.localAuthority, 'E06000901'))).find((f) => f.dimension === 'total')!;
    expect(saved.population).toBe(181000);
    expect(saved.updatedAt.toISOString()).toBe('2031-02-03T12:00:00.000Z');
    // The other partnership's figure is untouched.
    expect((await t.database.db.select().from(populationFigure).where(eq(populationFigure.partnershipId, other.id))).map((f) => f.population)).toEqual([424242]);
  });
});
