import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { signedIn as signedInTo } from '../../../test/fixtures.ts';
import { defaultResourceAllocation, needLevels } from '../../domain/personal-budget.ts';
import { needDomains } from '../../domain/rules/needs.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent, partnership } from '../../platform/db/schema.ts';
import { planSettings } from './schema.ts';
import { settingsFormValues } from './settings.form.ts';
import { getPlanSettings } from './settings.service.ts';

let t: TestApp;
let partnershipId: string;

beforeAll(async () => {
  t = await createTestApp();
  partnershipId = (await t.database.db.select().from(partnership))[0]!.id;
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string) => signedInTo(t, email);

/** The form as the page fills it in, with some fields changed. */
function form(version: number, changes: Record<string, string> = {}): Record<string, string> {
  const values = settingsFormValues({ resourceAllocation: defaultResourceAllocation, refundInterestBasisPoints: 800, weeksPerYear: 52 });
  return { version: String(version), poundsPerPoint: values.poundsPerPoint, refundInterestPercent: values.refundInterestPercent, weeksPerYear: values.weeksPerYear, ...values.points, ...changes };
}

async function storedRow() {
  return (await t.database.db.select().from(planSettings).where(eq(planSettings.partnershipId, partnershipId)))[0];
}

async function auditCount(action: string): Promise<number> {
  return rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event where action = ${action}`))[0]!.n;
}

describe('planning settings', () => {
  it('gives the defaults to other modules before anything is stored', async () => {
    expect(await storedRow()).toBeUndefined();
    const settings = await getPlanSettings(t.database.db, partnershipId);
    expect(settings).toMatchObject({ refundInterestBasisPoints: 800, refundInterestPercent: 8, weeksPerYear: 52, version: 0 });
    expect(settings.resourceAllocation).toEqual(defaultResourceAllocation);
  });

  it('refuses everyone but the lead organisation’s administrators with 403, and saves nothing', async () => {
    for (const email of [demo.laAdmin, demo.practitioner, demo.commissioner, demo.quality]) {
      const b = await signedIn(email);
      expect((await b.get('/admin/plan-settings')).statusCode, email).toBe(403);
      await b.get('/');
      const post = await b.post('/admin/plan-settings', form(1, { weeksPerYear: '53' }));
      expect(post.statusCode, email).toBe(403);
    }
    expect(await storedRow()).toBeUndefined();
    // The administration page offers the settings only to those who may change them.
    const la = await signedIn(demo.laAdmin);
    expect((await la.get('/admin')).body).not.toContain('/admin/plan-settings');
  });

  it('shows the lead administrator the defaults, stored (and audited) on first opening', async () => {
    const b = await signedIn(demo.admin);
    expect((await b.get('/admin')).body).toContain('href="/admin/plan-settings"');
    const page = await b.get('/admin/plan-settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Planning settings</h1>');
    expect(page.body).toMatch(/name="poundsPerPoint"[^>]*value="15.00"/);
    expect(page.body).toMatch(/name="refundInterestPercent"[^>]*value="8"/);
    expect(page.body).toMatch(/name="points-daily-living-high"[^>]*value="24"/);
    expect(page.body).toContain('name="version" value="1"');
    // Every input in the table has a label naming its domain and level.
    for (const { id, label } of needDomains) {
      for (const level of needLevels) expect(page.body).toContain(`<label class="govuk-label govuk-visually-hidden" for="points-${id}-${level}">`);
      expect(page.body).toContain(`${label}: low need`);
    }
    expect((await storedRow())?.version).toBe(1);
    expect(await auditCount('plan-settings.created')).toBe(1);
    // Opening it again creates nothing more.
    await b.get('/admin/plan-settings');
    expect(await auditCount('plan-settings.created')).toBe(1);
  });

  it('saves valid settings with the audit trail before and after, and plans read them', async () => {
    const b = await signedIn(demo.admin);
    await b.get('/admin/plan-settings');
    const res = await b.post('/admin/plan-settings', form(1, { poundsPerPoint: '£16.25', 'points-daily-living-high': '30', refundInterestPercent: '3.25', weeksPerYear: '53' }));
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    expect(res.headers.location).toBe('/admin/plan-settings');
    const page = await b.get('/admin/plan-settings');
    expect(page.body).toContain('The planning settings have been saved.');
    expect(page.body).toContain('Last saved by Charlie Novak');
    const row = (await storedRow())!;
    expect(row.version).toBe(2);
    expect(row.refundInterestBasisPoints).toBe(325);
    expect(row.weeksPerYear).toBe(53);
    const settings = await getPlanSettings(t.database.db, partnershipId);
    expect(settings.resourceAllocation.pencePerPoint).toBe(1625);
    expect(settings.resourceAllocation.points['daily-living']).toEqual({ low: 5, medium: 12, high: 30 });
    expect(settings.refundInterestPercent).toBe(3.25);
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'plan-settings.updated'), eq(auditEvent.subjectId, partnershipId)));
    expect(events).toHaveLength(1);
    expect((events[0]!.before as { refundInterestBasisPoints: number }).refundInterestBasisPoints).toBe(800);
    expect((events[0]!.after as { refundInterestBasisPoints: number }).refundInterestBasisPoints).toBe(325);
  });

  it('shows every invalid value in the error summary, linked to its field, and saves nothing', async () => {
    const b = await signedIn(demo.admin);
    await b.get('/admin/plan-settings');
    const before = await storedRow();
    const updates = await auditCount('plan-settings.updated');
    const res = await b.post(
      '/admin/plan-settings',
      form(before!.version, {
        poundsPerPoint: '-3',
        'points-accommodation-low': '',
        'points-medication-medium': 'lots',
        'points-carers-high': '1', // below medium (3)
        refundInterestPercent: '8.125',
        weeksPerYear: '60',
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('<title>Error: Planning settings');
    const summary = [
      ['#poundsPerPoint', 'The amount a point is worth cannot be negative'],
      ['#points-accommodation-low', 'Enter the points for accommodation at low need'],
      ['#points-medication-medium', 'The points for Medication (medium) must be'],
      ['#points-carers-high', 'The points for Carers (high) must be at least the points for medium (3)'],
      ['#refundInterestPercent', 'The refund interest rate must be a percentage from 0 to 100, with at most 2 decimal places'],
      ['#weeksPerYear', 'Weeks in a year must be a whole number from 1 to 53'],
    ];
    for (const [href, text] of summary) {
      expect(res.body).toMatch(new RegExp(`<a href="${href}">${text!.replace(/[()]/g, '\\$&')}`));
    }
    // In the order of the form.
    const positions = summary.map(([href]) => res.body.indexOf(`<a href="${href}">`));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // What was typed is shown back.
    expect(res.body).toMatch(/name="points-medication-medium"[^>]*value="lots"/);
    expect(res.body).toMatch(/name="poundsPerPoint"[^>]*value="-3"/);
    expect(await storedRow()).toEqual(before);
    expect(await auditCount('plan-settings.updated')).toBe(updates);
  });

  it('refuses a stale save with 409: nothing is overwritten and the entries are kept beside what was saved', async () => {
    const first = await signedIn(demo.admin);
    const second = await signedIn(demo.admin);
    const opened = await first.get('/admin/plan-settings');
    await second.get('/admin/plan-settings');
    const version = Number(/name="version" value="(\d+)"/.exec(opened.body)![1]);
    const saved = await second.post('/admin/plan-settings', form(version, { refundInterestPercent: '5' }));
    expect(saved.statusCode).toBe(302);
    const stored = await storedRow();
    const updates = await auditCount('plan-settings.updated');

    const stale = await first.post('/admin/plan-settings', form(version, { refundInterestPercent: '9.5', weeksPerYear: '52' }));
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Somebody else saved these settings after you opened them');
    expect(stale.body).toContain('<a href="#conflict">');
    expect(stale.body).toMatch(/name="refundInterestPercent"[^>]*value="9.5"/);
    expect(stale.body).toContain('<td class="govuk-table__cell">5% a year</td>');
    expect(stale.body).toContain('<td class="govuk-table__cell">9.5% a year</td>');
    expect(stale.body).toContain(`name="version" value="${stored!.version}"`);
    expect(await storedRow()).toEqual(stored);
    expect(await auditCount('plan-settings.updated')).toBe(updates);

    // Saving again after seeing theirs is a knowing choice, and works.
    const again = await first.post('/admin/plan-settings', form(stored!.version, { refundInterestPercent: '9.5' }));
    expect(again.statusCode).toBe(302);
    expect((await storedRow())!.refundInterestBasisPoints).toBe(950);
  });
});
