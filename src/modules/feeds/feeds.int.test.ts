import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aftercarePlan, approvePlan, addNeed, addService, planService, startPlan, submitPlan } from '../plans/index.ts';
import { person } from '../register/index.ts';
import { createToken } from '../admin/index.ts';
import { endingProposal } from '../endings/index.ts';
import { seedDemoPeople } from '../demo/people.ts';
import { seedDemoPlans } from '../demo/plans.ts';
import { cliContext } from '../../cli/context.ts';
import { auditEvent, organisation } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { deliverWebhooks } from '../../platform/webhooks/deliver.ts';
import { webhookSubscription } from '../../platform/webhooks/schema.ts';
import { verifyWebhook } from '../../platform/webhooks/signing.ts';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { buildFinanceFile, createSubscription, financeFields, financeHeader, produceDailyFinanceFiles } from './index.ts';

/*
 * Issue 14, item 5: the daily finance file validated against its documented layout, webhooks to a
 * real receiver that checks signatures and gets every change once despite a failure, the feeds'
 * permissions, and the assurance API's figures against the dashboard page's.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const clock = clockAt('2026-12-07');
const nextNhs = nhsNumbers(14_500);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  // The demo partnership's people (entitled, ended, pending …) and their plans, as `npm start` seeds them.
  await seedDemoPeople(t.database, { count: 160 });
  const partnershipId = (await t.database.db.select({ p: person.partnershipId }).from(person).limit(1))[0]!.p;
  await t.database.db.transaction(async (tx) => {
    await seedDemoPlans(tx, partnershipId, t.config);
  });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

/** The field table of docs/finance-feed.md: | # | `name` | type | Yes/No | format | `example` | meaning | */
function documentedFields(): Array<{ name: string; type: string; optional: boolean; example: string }> {
  const doc = fs.readFileSync(path.join(root, 'docs/finance-feed.md'), 'utf8');
  return doc
    .split('\n')
    .filter((line) => /^\| \d+ \| `/.test(line))
    .map((line) => {
      const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
      return { name: cells[1]!.replace(/`/g, ''), type: cells[2]!, optional: cells[3] === 'Yes', example: cells[5]!.replace(/`/g, '') };
    });
}

const qa = (html: string, name: string): string => {
  const match = new RegExp(`data-qa="${name}"[^>]*>(?:<a [^>]*>)?([^<]*)`).exec(html);
  if (!match) throw new Error(`No data-qa="${name}" on the page`);
  return match[1]!.trim();
};
const int = (text: string) => Number(text.replace(/[£,]/g, ''));

describe('the daily finance file (issue 14, item 5)', () => {
  it('is documented field by field, and the document matches the layout the file is written from', () => {
    const documented = documentedFields();
    expect(documented.map((f) => f.name)).toEqual(financeHeader);
    for (const [i, f] of financeFields.entries()) {
      expect(documented[i]!.type, f.name).toBe(f.type);
      expect(documented[i]!.optional, f.name).toBe(f.optional);
      expect(documented[i]!.example, f.name).toBe(f.example);
      expect(f.pattern.test(f.example), `${f.name}: its example ${f.example} fits its format`).toBe(true);
    }
  });

  it('for the demo partnership: every person entitled or ended, every row in the documented layout, do-not-charge Y for section 117 services, splits totalling 100', async () => {
    const ctx = await contextFor(t, demo.admin, { clock });
    const file = await buildFinanceFile(ctx, '2026-12-07');
    expect(file.filename).toBe('aftercare-finance-2026-12-07.csv');
    expect(file.content.split('\r\n')[0]).toBe(documentedFields().map((f) => f.name).join(','));
    const rows = parse(file.content, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(file.rows);

    const layout = new Map(financeFields.map((f) => [f.name, f]));
    const serviceFields = ['plan_id', 'plan_version', 'service_id', 'service_type_code', 'service_type', 'provider', 'delivery_route', 'service_start', 'weekly_cost', 'la_share_pct', 'icb_share_pct', 'do_not_charge'];
    const problems: string[] = [];
    rows.forEach((row, i) => {
      for (const [name, value] of Object.entries(row)) {
        const field = layout.get(name)!;
        if (value === '') {
          if (!field.optional) problems.push(`row ${i + 1}: ${name} is blank`);
        } else if (!field.pattern.test(value)) problems.push(`row ${i + 1}: ${name} "${value}" does not fit its format`);
      }
      if (row.record_type === 'SERVICE') {
        for (const name of serviceFields) if (row[name] === '') problems.push(`row ${i + 1}: a SERVICE row without ${name}`);
        const total = Math.round((Number(row.la_share_pct) + Number(row.icb_share_pct)) * 100);
        if (total !== 10_000) problems.push(`row ${i + 1}: the split adds up to ${total / 100}`);
      } else {
        for (const name of [...serviceFields, 'service_end']) if (row[name] !== '') problems.push(`row ${i + 1}: a PERSON row with ${name}`);
      }
      if (row.s117_status === 'ENDED' && row.entitlement_end === '') problems.push(`row ${i + 1}: ended without an end date`);
      if (row.s117_status === 'ENTITLED' && row.entitlement_end !== '') problems.push(`row ${i + 1}: entitled with an end date`);
      if (row.extract_date !== '2026-12-07') problems.push(`row ${i + 1}: extract date ${row.extract_date}`);
    });
    expect(problems).toEqual([]);

    // Everyone with an entitlement, now or ended, and nobody else; their NHS numbers and names as recorded.
    const db = t.database.db;
    const people = await db.select().from(person).where(and(eq(person.partnershipId, ctx.actor.partnershipId), inArray(person.status, ['entitled', 'ended'])));
    expect(new Set(rows.map((r) => r.local_person_id))).toEqual(new Set(people.map((p) => p.id)));
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const row of rows) {
      const p = byId.get(row.local_person_id!)!;
      expect([row.nhs_number, row.family_name, row.s117_status]).toEqual([p.nhsNumber, p.familyName, p.status.toUpperCase()]);
    }
    expect(rows.some((r) => r.s117_status === 'ENDED')).toBe(true);
    expect(rows.some((r) => r.record_type === 'PERSON')).toBe(true);

    // The marker and the money come from the plan's services: Y exactly for section 117 services.
    const services = rows.filter((r) => r.record_type === 'SERVICE');
    expect(services.length).toBeGreaterThan(20);
    const stored = new Map((await db.select().from(planService).where(inArray(planService.id, services.map((s) => s.service_id!)))).map((s) => [s.id, s]));
    for (const row of services) {
      const s = stored.get(row.service_id!)!;
      expect([row.do_not_charge, Math.round(Number(row.weekly_cost) * 100), Math.round(Number(row.la_share_pct) * 100)], row.service_id).toEqual([s.s117 ? 'Y' : 'N', s.weeklyCostPence, s.localAuthorityBasisPoints]);
    }
    expect(services.some((r) => r.do_not_charge === 'Y')).toBe(true);
  });

  it('is kept once a day by the job; lead administrators download it (audited); everyone else is refused', async () => {
    expect(await produceDailyFinanceFiles(t.database.db, t.config, clock)).toBeGreaterThanOrEqual(1);
    expect(await produceDailyFinanceFiles(t.database.db, t.config, clock)).toBe(0);

    const admin = await signedIn(t, demo.admin);
    const page = await admin.get('/admin/feeds');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('7 December 2026');
    expect(page.body).toContain('by the daily job');
    const id = /\/admin\/feeds\/finance\/([0-9a-f-]{36})/.exec(page.body)![1]!;
    const download = await admin.get(`/admin/feeds/finance/${id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('text/csv');
    expect(download.headers['content-disposition']).toContain('aftercare-finance-2026-12-07.csv');
    expect(download.body.split('\r\n')[0]).toBe(financeHeader.join(','));
    const audited = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'finance-feed.downloaded'), eq(auditEvent.subjectId, id)));
    expect(audited).toHaveLength(1);

    for (const email of [demo.laAdmin, demo.practitioner, demo.commissioner, demo.manager]) {
      const other = await signedIn(t, email);
      expect((await other.get('/admin/feeds')).statusCode, email).toBe(403);
      expect((await other.get(`/admin/feeds/finance/${id}`)).statusCode, email).toBe(403);
    }
  });
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

describe('signed webhooks (issue 14, item 5)', () => {
  const received: Received[] = [];
  let server: http.Server;
  let url = '';

  beforeAll(async () => {
    // A receiver that refuses each message the first time it sees its id (500), then accepts it.
    const seen = new Set<string>();
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        const answered = seen.has(id) ? 200 : 500;
        seen.add(id);
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
        res.statusCode = answered;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aftercare-events`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('an administrator subscribes (secret shown once, kept encrypted); each change reaches the receiver signed, once, despite a failure', async () => {
    const admin = await signedIn(t, demo.admin);
    const form = await admin.get('/admin/feeds/webhooks/new');
    expect(form.statusCode).toBe(200);
    const refused = await admin.post('/admin/feeds/webhooks/new', { name: '', url: 'not an address' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain('Enter a name for the receiving system');
    expect(refused.body).toContain('Choose at least one event to send');
    expect(await t.database.db.select().from(webhookSubscription)).toHaveLength(0);

    const created = await admin.post('/admin/feeds/webhooks/new', { name: 'Northvale ContrOCC', url, eventTypes: ['entitlement.started', 'entitlement.status-changed', 'plan.approved'] });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const secret = /data-qa="webhook-secret">(whsec_[A-Za-z0-9+/=]+)</.exec(created.body)![1]!;
    const [subscription] = await t.database.db.select().from(webhookSubscription);
    expect(subscription!.secretEncrypted).not.toContain(secret.slice(6, 20));
    const listed = await admin.get('/admin/feeds');
    expect(listed.body).toContain('Northvale ContrOCC');
    expect(listed.body).not.toContain(secret);
    const audit = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'webhook-subscription.created'));
    expect(JSON.stringify(audit)).not.toContain(secret.slice(6, 20));

    // Changes: a person becomes entitled (pending, then entitled) and their plan is approved.
    const practitioner = await contextFor(t, demo.practitioner, { clock });
    const nhsNumber = nextNhs();
    const personId = await entitledPerson(practitioner, { nhsNumber, detainedOn: '2026-09-01', dischargedOn: '2026-11-20' });
    let plan = await startPlan(practitioner, personId);
    const need = await addNeed(practitioner, personId, plan.id, plan.version, {
      domain: 'mental-health-relapse-prevention',
      description: 'Support to notice early signs of relapse',
      level: 'medium',
      arisesFromMentalDisorder: true,
      reducesRiskOfDeterioration: true,
      testsRationale: 'Relapse last year followed losing contact',
    });
    plan = await currentPlan(plan.id);
    await addService(practitioner, personId, plan.id, plan.version, {
      needIds: [need.id],
      serviceType: 'Community support worker',
      provider: 'Riverside Supported Living',
      startOn: '2026-11-20',
      frequency: '3 visits a week',
      unitsPerWeek: 3,
      unitCostPence: 2150,
      deliveryRoute: 'commissioned',
      localAuthorityPercent: 100,
      icbPercent: 0,
      splitBasis: 'Social care need only',
    });
    const current = (await t.database.db.select().from(notification).where(eq(notification.channel, 'webhook'))).length;
    expect(current).toBeGreaterThanOrEqual(2);
    const manager = await contextFor(t, demo.manager, { clock });
    const draft = await currentPlan(plan.id);
    const submitted = await submitPlan(practitioner, personId, plan.id, draft.version);
    const outcome = await approvePlan(manager, personId, plan.id, submitted.version, '');
    expect(outcome.approved).toBe(true);

    const queued = await t.database.db.select().from(notification).where(eq(notification.channel, 'webhook'));
    const types = queued.map((n) => n.subject).sort();
    expect(types).toEqual(['entitlement.started', 'entitlement.status-changed', 'plan.approved']);

    // First delivery: the receiver refuses each (500); they wait to be tried again.
    const first = await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() });
    expect(first).toEqual({ sent: 0, retrying: 3, failed: 0 });
    expect(received.map((r) => r.answered)).toEqual([500, 500, 500]);
    // Nothing is due again until the backoff has passed.
    expect(await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() })).toEqual({ sent: 0, retrying: 0, failed: 0 });

    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    expect(await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() })).toEqual({ sent: 3, retrying: 0, failed: 0 });
    clock.set(new Date(clock.now().getTime() + 60 * 60_000));
    expect(await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() })).toEqual({ sent: 0, retrying: 0, failed: 0 });

    // Every message is signed with the secret; each change was accepted exactly once, with the same id on its retry.
    expect(received).toHaveLength(6);
    for (const r of received) expect(verifyWebhook(secret, r.headers, r.body, { now: new Date(Number(r.headers['webhook-timestamp']) * 1000) }), r.body).toBe(true);
    expect(verifyWebhook('whsec_' + Buffer.alloc(32, 1).toString('base64'), received[0]!.headers, received[0]!.body, { now: new Date(Number(received[0]!.headers['webhook-timestamp']) * 1000) })).toBe(false);
    expect(verifyWebhook(secret, received[0]!.headers, received[0]!.body.replace('entitle', 'Entitle'), { now: new Date(Number(received[0]!.headers['webhook-timestamp']) * 1000) })).toBe(false);
    const accepted = received.filter((r) => r.answered === 200);
    const ids = accepted.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size).toBe(3);
    expect(new Set(received.map((r) => String(r.headers['webhook-id'])))).toEqual(new Set(ids));
    const bodies = accepted.map((r) => JSON.parse(r.body) as { id: string; type: string; occurredAt: string; data: Record<string, unknown> });
    for (const b of bodies) expect(ids).toContain(b.id);
    const started = bodies.find((b) => b.type === 'entitlement.started')!;
    expect(started.data).toMatchObject({ personId, nhsNumber, status: 'entitled', previousStatus: 'pending', entitlementStart: '2026-11-20', entitlementEnd: null, responsibleLocalAuthority: 'E06000901' });
    expect(started.data).not.toHaveProperty('familyName');
    const approved = bodies.find((b) => b.type === 'plan.approved')!;
    const [stored] = await t.database.db.select().from(planService).where(eq(planService.planId, plan.id));
    expect(stored!.weeklyCostPence).toBeGreaterThan(0);
    expect(approved.data).toMatchObject({
      personId,
      nhsNumber,
      plan: { id: plan.id, version: 1 },
      services: [{ id: stored!.id, weeklyCostPence: stored!.weeklyCostPence, localAuthorityPercent: 100, icbPercent: 0, doNotCharge: true }],
      weeklyTotalPence: { localAuthority: stored!.weeklyCostPence, icb: 0, total: stored!.weeklyCostPence },
    });

    // The delivery log shows each attempt with the receiver's answer.
    const log = await admin.get('/admin/feeds/webhooks/deliveries');
    expect(log.statusCode).toBe(200);
    expect(log.body.match(/data-qa="delivery"/g)).toHaveLength(3);
    expect(log.body.match(/answered 500/g)).toHaveLength(3);
    expect(log.body.match(/answered 200/g)).toHaveLength(3);
    expect(log.body).toContain('Delivered');
  });

  it('turned off, a subscription is sent nothing more; only lead administrators manage subscriptions', async () => {
    const admin = await signedIn(t, demo.admin);
    const [subscription] = await t.database.db.select().from(webhookSubscription);
    await admin.get('/admin/feeds');
    const off = await admin.post(`/admin/feeds/webhooks/${subscription!.id}/active`, { version: String(subscription!.version), active: 'false' });
    expect(off.statusCode).toBe(302);
    const before = (await t.database.db.select().from(notification).where(eq(notification.channel, 'webhook'))).length;
    await entitledPerson(await contextFor(t, demo.practitioner, { clock }), { nhsNumber: nextNhs(), detainedOn: '2026-09-01', dischargedOn: '2026-11-21' });
    expect((await t.database.db.select().from(notification).where(eq(notification.channel, 'webhook'))).length).toBe(before);

    for (const email of [demo.laAdmin, demo.practitioner, demo.commissioner]) {
      const other = await signedIn(t, email);
      expect((await other.get('/admin/feeds/webhooks/new')).statusCode, email).toBe(403);
      expect((await other.post('/admin/feeds/webhooks/new', { name: 'Sneaky', url: 'https://evil.example/', eventTypes: 'plan.approved' })).statusCode, email).toBe(403);
      expect((await other.get('/admin/feeds/webhooks/deliveries')).statusCode, email).toBe(403);
    }
    expect(await t.database.db.select().from(webhookSubscription)).toHaveLength(1);
  });
  it('sends entitlement.ended, with the end date, when both bodies approve an ending', async () => {
    const admin = await contextFor(t, demo.admin, { clock });
    const { secret } = await createSubscription(admin, { name: 'Mosaic Finance', url, eventTypes: ['entitlement.ended'] });
    const practitioner = await contextFor(t, demo.practitioner, { clock });
    const nhsNumber = nextNhs();
    const personId = await entitledPerson(practitioner, { nhsNumber, detainedOn: '2025-01-10', dischargedOn: '2025-03-01' });
    const northvale = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
    const { token } = await createToken(cliContext(t.database, t.config, northvale.partnershipId, northvale), { organisationId: northvale.id, name: 'Northvale case system' });
    const proposed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/people/${personId}/endings`,
      headers: { authorization: `Bearer ${token}` },
      payload: { effectiveOn: '2026-12-01', reasonCodes: ['no-longer-in-need'], reasons: 'Settled for a year with no mental health support needed; agreed at the joint review.', personInvolved: true, personView: 'Happy to stop.', otherCarePlan: 'GP reviews medication every six months.', messageToPerson: 'You are well and settled, so your aftercare is ending.' },
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const endingId = proposed.json<{ id: string }>().id;
    for (const [email, body] of [[demo.manager, 'local-authority'], [demo.commissioner, 'icb']] as const) {
      const b = await signedIn(t, email);
      await b.get(`/people/${personId}/endings/${endingId}`);
      const version = (await t.database.db.select({ v: endingProposal.version }).from(endingProposal).where(eq(endingProposal.id, endingId)))[0]!.v;
      expect((await b.post(`/people/${personId}/endings/${endingId}/decide`, { version: String(version), decision: 'approve', body })).statusCode).toBe(302);
    }
    expect((await t.database.db.select({ status: person.status }).from(person).where(eq(person.id, personId)))[0]!.status).toBe('ended');

    const before = received.length;
    clock.set(new Date(clock.now().getTime() + 60 * 60_000));
    expect(await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    expect(await deliverWebhooks(t.database.db, { key: t.config.webhookSecretKey, now: clock.now() })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const mine = received.slice(before);
    expect(mine.map((r) => r.answered)).toEqual([500, 200]);
    for (const r of mine) expect(verifyWebhook(secret, r.headers, r.body, { now: clock.now() })).toBe(true);
    const ended = JSON.parse(mine[1]!.body) as { type: string; data: Record<string, unknown> };
    expect(ended).toMatchObject({ type: 'entitlement.ended', data: { personId, nhsNumber, status: 'ended', previousStatus: 'entitled', entitlementStart: '2025-03-01', entitlementEnd: '2026-12-01' } });
  });
});

async function currentPlan(planId: string) {
  return (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.id, planId)))[0]!;
}

describe('the assurance API (issue 14, item 5)', () => {
  it('gives the dashboard page’s figures, for the caller’s own access: a user’s and an API token’s organisation', async () => {
    const commissioner = await signedIn(t, demo.commissioner);
    const page = await commissioner.get('/dashboards?view=director');
    expect(page.statusCode).toBe(200);
    const api = await commissioner.get('/api/v1/assurance/dashboard');
    expect(api.statusCode, api.body).toBe(200);
    const figures = api.json<{ entitled: { active: number; endedInPeriod: number }; reviews: { overdue: number }; neverGivenRightsInWriting: number; cost: { weekly: { totalPence: number } } }>();
    expect(figures.entitled.active).toBe(int(qa(page.body, 'headline-active')));
    expect(figures.reviews.overdue).toBe(int(qa(page.body, 'headline-overdue')));
    expect(figures.neverGivenRightsInWriting).toBe(int(qa(page.body, 'headline-never-in-writing')));
    expect(figures.entitled.endedInPeriod).toBe(int(qa(page.body, 'ended')));
    expect(figures.cost.weekly.totalPence).toBe(Math.round(int(qa(page.body, 'headline-weekly-cost')) * 100));

    // Eastbridge's token sees what Eastbridge's practitioner sees, which is less than the ICB.
    const eastbridge = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E08000903')))[0]!;
    const { token } = await createToken(cliContext(t.database, t.config, eastbridge.partnershipId, eastbridge), { organisationId: eastbridge.id, name: 'Assurance feed' });
    const byToken = await t.app.inject({ method: 'GET', url: '/api/v1/assurance/dashboard', headers: { authorization: `Bearer ${token}` } });
    expect(byToken.statusCode, byToken.body).toBe(200);
    const eastbridgePage = await (await signedIn(t, 'eastbridge@demo.aftercare.example')).get('/dashboards?view=director');
    const tokenFigures = byToken.json<{ entitled: { active: number } }>();
    expect(tokenFigures.entitled.active).toBe(int(qa(eastbridgePage.body, 'headline-active')));
    expect(tokenFigures.entitled.active).toBeLessThan(figures.entitled.active);

    // A filter the page would leave out is refused, with the field named; no access, no figures.
    const bad = await commissioner.get('/api/v1/assurance/dashboard?from=31-31-2026');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json<{ errors: Array<{ path: string }> }>().errors.map((e) => e.path)).toContain('from');
    expect((await (await signedIn(t, demo.admin)).get('/api/v1/assurance/dashboard')).statusCode).toBe(403);
  });

  it('gives the monthly return as JSON, the same lines as the CSV download; a wrong month is a 422 problem', async () => {
    const commissioner = await signedIn(t, demo.commissioner);
    const json = await commissioner.get('/api/v1/assurance/monthly-return?month=2026-11');
    expect(json.statusCode, json.body).toBe(200);
    const ret = json.json<{ month: string; lines: Array<{ localAuthorityName: string; entitledAtMonthEnd: number; weeklyCostTotalPence: number }> }>();
    expect(ret.month).toBe('2026-11');
    const csv = await commissioner.get('/exports/monthly-return?month=2026-11&format=csv');
    const csvRows = parse(csv.body, { columns: true, skip_empty_lines: true, bom: true }) as Array<Record<string, string>>;
    // The CSV's lines, then its total line.
    expect(ret.lines.map((l) => [l.localAuthorityName, l.entitledAtMonthEnd, l.weeklyCostTotalPence])).toEqual(
      csvRows.slice(0, -1).map((r) => [r['Local authority'], Number(r['People entitled at month end']), Math.round(Number(r['Weekly cost, total (£)']) * 100)]),
    );
    expect(ret.lines.reduce((n, l) => n + l.entitledAtMonthEnd, 0)).toBeGreaterThan(0);

    const wrong = await commissioner.get('/api/v1/assurance/monthly-return?month=2026-13');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect((await commissioner.get('/api/v1/assurance/monthly-return')).statusCode).toBe(422);
    expect((await (await signedIn(t, demo.admin)).get('/api/v1/assurance/monthly-return?month=2026-11')).statusCode).toBe(403);

    const openapi = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/v1/assurance/dashboard', '/api/v1/assurance/monthly-return']));
  });
});
