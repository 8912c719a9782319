import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { addDays, ageOn } from '../../domain/calendar-date.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseDashboardQuery } from '../dashboards/dashboard.service.ts';
import { loadRegisterOptions } from '../register/list.queries.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { team } from '../register/schema.ts';
import { computeEquality, equalityCounts } from './equality.service.ts';

/*
 * Issue 7 item 4: the breakdowns add up to direct SQL counts, and no count under 5 (nor a rate
 * built on one) reaches the page.
 */

let t: TestApp;
const today = todayInLondon();
const nextNhs = nhsNumbers(37_000);
let fixtureTeam: string;
let northvaleId: string;

async function make(ctx: ServiceContext, input: Record<string, unknown>, events: Array<Record<string, unknown>>): Promise<string> {
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), allocatedTeamId: fixtureTeam, ...input }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return created.person.id;
}

const entitledHistory = [
  { type: 'detention-started', date: '2023-01-10', legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' },
  { type: 'detention-ended', date: '2023-03-01', reason: 'discharged' },
  { type: 'left-hospital', date: '2023-03-01' },
];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const northvale = (await db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
  northvaleId = northvale.id;
  fixtureTeam = (await db.insert(team).values({ partnershipId: northvale.partnershipId, organisationId: northvale.id, name: 'Equality Fixture Team' }).returning())[0]!.id;
  const nv = await contextFor(t, demo.practitioner);
  // Seven people of ethnic category A, reviewed recently (in date); three of category N, overdue.
  for (let i = 0; i < 7; i++) await make(nv, { givenName: `Eqa${i}`, familyName: 'Eqfix', ethnicity: 'A', sex: 'female' }, [...entitledHistory, { type: 'reviewed', date: addDays(today, -15) }]);
  for (let i = 0; i < 3; i++) await make(nv, { givenName: `Eqn${i}`, familyName: 'Eqfix', ethnicity: 'N', sex: 'male', dateOfBirth: '2000-01-01' }, entitledHistory);
});

afterAll(async () => {
  await t?.close();
});

describe('equality monitoring', () => {
  it('counts what a direct SQL count finds, in every breakdown', async () => {
    const manager = await contextFor(t, demo.manager);
    const options = await loadRegisterOptions(manager);
    const parsed = parseDashboardQuery({}, options, today);
    const rows = await equalityCounts(manager, parsed, options, today);
    const sum = (key: 'entitled' | 'reviewsInDate' | 'disputes') => rows.reduce((s, r) => s + r[key], 0);
    // The manager (Northvale Council only) sees people Northvale is responsible for or involved with.
    const scope = `p.partnership_id = '${manager.actor.partnershipId}' and (p.responsible_local_authority = 'E06000901' or p.involved_organisations && array['${northvaleId}']::uuid[])`;
    const direct = async (cond: string) => rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from person p where ${scope} and ${cond}`)))[0]!.n;
    expect(sum('entitled')).toBe(await direct(`p.status = 'entitled'`));
    expect(sum('reviewsInDate')).toBe(await direct(`p.status = 'entitled' and p.next_review_due >= '${today}'`));
    expect(sum('disputes')).toBe(await direct(`exists (select 1 from dispute d where d.partnership_id = p.partnership_id and d.person_id = p.id and d.stage <> 'resolved')`));
    const byEthnicity = rowsOf<{ ethnicity: string; n: number }>(await t.database.db.execute(sql.raw(`select p.ethnicity, count(*)::int as n from person p where ${scope} and p.status = 'entitled' group by p.ethnicity`)));
    for (const e of byEthnicity) expect(rows.filter((r) => r.ethnicity === e.ethnicity).reduce((s, r) => s + r.entitled, 0), e.ethnicity).toBe(e.n);
    const bySex = rowsOf<{ sex: string; n: number }>(await t.database.db.execute(sql.raw(`select p.sex, count(*)::int as n from person p where ${scope} and p.status = 'entitled' group by p.sex`)));
    for (const e of bySex) expect(rows.filter((r) => r.sex === e.sex).reduce((s, r) => s + r.entitled, 0), e.sex).toBe(e.n);
    // Age bands from the same dates the domain's ageOn uses.
    const people = rowsOf<{ dob: string }>(await t.database.db.execute(sql.raw(`select p.date_of_birth::text as dob from person p where ${scope} and p.status = 'entitled'`)));
    const under26 = people.filter((p) => ageOn(p.dob, today) <= 25).length;
    expect(rows.filter((r) => r.ageBand === 'under-18' || r.ageBand === '18-25').reduce((s, r) => s + r.entitled, 0)).toBe(under26);
  });

  it('shows counts under 5 as "fewer than 5" and suppresses rates built on them', async () => {
    const manager = await contextFor(t, demo.manager);
    const options = await loadRegisterOptions(manager);
    const report = await computeEquality(manager, parseDashboardQuery({ team: fixtureTeam }, options, today), options, today);
    const ethnicity = report.breakdowns.find((b) => b.dimension === 'ethnicity')!;
    const a = ethnicity.groups.find((g) => g.key === 'A')!;
    const n = ethnicity.groups.find((g) => g.key === 'N')!;
    expect(a.entitled).toEqual({ value: 7, suppressed: false, text: '7' });
    expect(a.reviewsInDateRate.text).toBe('100%');
    expect(n.entitled).toEqual({ value: null, suppressed: true, text: 'fewer than 5' });
    expect(n.reviewsInDateRate.suppressed).toBe(true);

    const b = await signedIn(t, demo.manager);
    const res = await b.get(`/dashboards/equality?team=${fixtureTeam}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const section = html.slice(html.indexOf('data-qa="equality-ethnicity"'), html.indexOf('data-qa="equality-ageBand"'));
    expect(section).toContain('data-qa="entitled">7<');
    expect(section).toContain('data-qa="entitled suppressed">fewer than 5<');
    expect(section).toContain('data-qa="rate suppressed">suppressed<');
    // No cell of any breakdown shows a number from 1 to 4.
    expect([...html.matchAll(/data-qa="[a-z-]+">([^<]*)</g)].map((m) => m[1]!.trim()).filter((v) => /^[0-4]$/.test(v))).toEqual([]);
    // Nor does a chart's description (a suppressed bar reads "fewer than 5").
    expect([...html.matchAll(/aria-label="(By [^"]*)"/g)].map((m) => m[1]!).filter((label) => /\s[0-4](?:;|$)/.test(label))).toEqual([]);
  });

  it('says when the figures were worked out by the application’s clock', async () => {
    const manager = await contextFor(t, demo.manager, { clock: clockAt('2031-02-03') });
    const options = await loadRegisterOptions(manager);
    const report = await computeEquality(manager, parseDashboardQuery({ team: fixtureTeam }, options, today), options, today);
    expect(report.computedAt).toBe('2031-02-03T12:00:00.000Z');
    expect(report.breakdowns.find((b) => b.dimension === 'ethnicity')!.groups.find((g) => g.key === 'A')!.entitled.value).toBe(7);
  });
});
