import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { runAfter } from '../../domain/report-schedule.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { clockAt } from '../../../test/fixtures.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { deliverPending, type MailMessage, type MailTransport } from '../../platform/notifications/outbox.ts';
import { clearDashboardCache } from '../dashboards/dashboard.service.ts';
import { createPerson, recordEvent } from '../register/people.service.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { reportSchedule } from './schema.ts';
import { sendScheduledReports } from './send-scheduled-reports.ts';

/*
 * Reports on a schedule (issue 7, item 7): the pages, the monthly job and what each recipient
 * receives. Each copy must be built with the recipient's own access and hold the figures their
 * page shows; a month's copy is queued once however often the job runs.
 */

let t: TestApp;
const today = todayInLondon();
const numbers = syntheticNhsNumbers(640_000);
const nhs: Record<string, string> = {};
const users: Record<string, string> = {};
const db = () => t.database.db;

async function contextFor(email: string): Promise<ServiceContext> {
  const actor = (await loadUserActor(db(), users[email]!))!;
  return serviceContext({ db: db(), actor, requestId: `test:${randomUUID()}`, config: t.config });
}

async function entitledPerson(email: string, familyName: string, ordinaryResidence: string): Promise<string> {
  const ctx = await contextFor(email);
  const nhsNumber = numbers.next().value as string;
  const created = await createPerson(ctx, { givenName: 'Report', familyName, dateOfBirth: '1979-06-01', nhsNumber }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  const events = [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' },
    { type: 'detention-ended', date: '2025-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-03-01' },
  ];
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  nhs[familyName] = nhsNumber;
  return created.person.id;
}

async function workbookOf(base64: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return wb;
}

/** A cell's value as text (rich text and formulas would show as JSON, never as "[object Object]"). */
const text = (v: ExcelJS.CellValue): string => (typeof v === 'object' && v !== null && !(v instanceof Date) ? JSON.stringify(v) : String(v));

/** A sheet's rows as label → value (first column → second). */
function pairs(sheet: ExcelJS.Worksheet): Map<string, unknown> {
  const out = new Map<string, unknown>();
  sheet.eachRow((row) => out.set(text(row.getCell(1).value), row.getCell(2).value));
  return out;
}

/** The text of an element with this data-qa on a page (its first number). */
function figure(html: string, qa: string): number {
  const m = new RegExp(`data-qa="${qa}"[^>]*>(?:\\s*<a[^>]*>)?\\s*([\\d,]+)`).exec(html);
  if (!m) throw new Error(`no figure ${qa}`);
  return Number(m[1]!.replace(/,/g, ''));
}

const reportsFor = (scheduleId: string) => db().select().from(notification).where(eq(notification.kind, 'scheduled-report')).then((rows) => rows.filter((r) => r.dedupeKey.startsWith(`report:${scheduleId}:`)));
const scheduleByName = async (name: string) => (await db().select().from(reportSchedule).where(eq(reportSchedule.name, name)))[0]!;

/** Bring a schedule's day forward to today, as if its day had come. */
async function makeDue(id: string) {
  await db().update(reportSchedule).set({ nextRunOn: today }).where(eq(reportSchedule.id, id));
}

beforeAll(async () => {
  t = await createTestApp();
  for (const row of await db().select({ id: appUser.id, email: appUser.email }).from(appUser)) users[row.email] = row.id;
  await entitledPerson(demo.manager, 'Northvaleperson', 'E06000901');
  await entitledPerson(demo.manager, 'Formulaperson', 'E06000901');
  await entitledPerson(demo.senior, 'Southmereperson', 'E06000902');
  // A name a spreadsheet would run as a formula.
  await db().execute(`update person set given_name = '=HYPERLINK("http://evil.example")' where family_name = 'Formulaperson'`);
});

afterAll(async () => {
  await t.close();
});

describe('scheduled report pages', () => {
  it('refuses people without the permission (403)', async () => {
    const practitioner = await signedInBrowser(t.app, demo.practitioner);
    expect((await practitioner.get('/reports/schedules')).statusCode).toBe(403);
    expect((await practitioner.get('/reports/schedules/new?source=dashboard')).statusCode).toBe(403);
    const res = await practitioner.post('/reports/schedules/new', { name: 'Sneaky', source: 'dashboard', query: '', recipientUserIds: [users[demo.practitioner]!], dayOfMonth: '3' });
    expect(res.statusCode).toBe(403);
    expect(await db().select().from(reportSchedule)).toHaveLength(0);
    // Nor does the dashboard offer it to them.
    const admin = await signedInBrowser(t.app, demo.admin);
    expect((await admin.get('/reports/schedules')).statusCode).toBe(403);
  });

  it('shows each problem of a bad form in the error summary and saves nothing', async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    await manager.get('/reports/schedules/new?source=dashboard&la=E06000901');
    const res = await manager.post('/reports/schedules/new', { name: '  ', source: 'dashboard', query: 'la=E06000901', dayOfMonth: '31' });
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Enter a name for the report');
    expect(res.body).toContain('Choose at least one person to send it to');
    expect(res.body).toContain('Day of the month must be from 1 to 28');
    expect(res.body).toContain('href="#recipientUserIds"');
    const unknownLa = await manager.post('/reports/schedules/new', { name: 'Bad filter', source: 'dashboard', query: 'la=E09999999', recipientUserIds: [users[demo.manager]!], dayOfMonth: '3' });
    expect(unknownLa.body).toContain('There is a problem');
    expect(unknownLa.body).toContain('is not a local authority in this partnership');
    const stranger = await manager.post('/reports/schedules/new', { name: 'Stranger', source: 'dashboard', query: '', recipientUserIds: [randomUUID()], dayOfMonth: '3' });
    expect(stranger.body).toContain('Choose people from the list');
    expect(await db().select().from(reportSchedule)).toHaveLength(0);
  });

  it('the "Email this monthly" link carries the dashboard filters into the form', async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = await manager.get('/dashboards?la=E06000901');
    const href = /href="([^"]+)" data-qa="email-monthly"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    // The filters and the role view shown; not the period (each copy covers the 12 months to its day).
    expect(href).toBe('/reports/schedules/new?source=dashboard&la=E06000901&view=manager');
    const form = await manager.get(href!);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/data-qa="report-filters">Northvale Council; view: Team manager</);
    expect(form.body).toContain('value="la=E06000901&amp;view=manager"');
  });
});

describe('issue 12, finding 4: only a schedule’s owner changes it', () => {
  it('refuses another organisation’s senior practitioner and the ICB commissioner (403, schedule unchanged), hides the controls from them, and lets the owner change it', async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    await manager.get('/reports/schedules/new?source=dashboard');
    expect((await manager.post('/reports/schedules/new', { name: 'Owned by the manager', source: 'dashboard', query: '', recipientUserIds: [users[demo.manager]!], dayOfMonth: '5' })).statusCode).toBe(302);
    const s = await scheduleByName('Owned by the manager');
    const version = String(s.version);
    const form = { name: 'Renamed by someone else', source: 'dashboard', query: '', recipientUserIds: [users[demo.commissioner]!], dayOfMonth: '6', version };

    for (const email of [demo.commissioner, demo.senior]) {
      const other = await signedInBrowser(t.app, email);
      const list = await other.get('/reports/schedules');
      expect(list.statusCode).toBe(200);
      const row = list.body.slice(list.body.indexOf('Owned by the manager'));
      expect(row.slice(0, row.indexOf('</tr>'))).not.toMatch(/\/edit|\/pause|\/delete/);
      expect(row.slice(0, row.indexOf('</tr>'))).toContain('Set up by someone else');
      expect((await other.get(`/reports/schedules/${s.id}/edit`)).statusCode).toBe(403);
      expect((await other.get(`/reports/schedules/${s.id}/delete`)).statusCode).toBe(403);
      expect((await other.post(`/reports/schedules/${s.id}/edit`, form)).statusCode).toBe(403);
      expect((await other.post(`/reports/schedules/${s.id}/pause`, { version })).statusCode).toBe(403);
      expect((await other.post(`/reports/schedules/${s.id}/delete`, { version })).statusCode).toBe(403);
    }
    const after = await scheduleByName('Owned by the manager');
    expect(after).toMatchObject({ name: 'Owned by the manager', active: true, dayOfMonth: 5, version: s.version, recipientUserIds: [users[demo.manager]!] });

    // The owner sees the controls and changes it.
    const own = await manager.get('/reports/schedules');
    expect(own.body).toContain(`/reports/schedules/${s.id}/edit`);
    await manager.get(`/reports/schedules/${s.id}/edit`);
    expect((await manager.post(`/reports/schedules/${s.id}/edit`, { ...form, name: 'Renamed by its owner', recipientUserIds: [users[demo.manager]!] })).statusCode).toBe(302);
    expect((await scheduleByName('Renamed by its owner')).dayOfMonth).toBe(6);
  });

  it('lets the lead organisation’s quality and audit staff pause or delete any schedule, but not change what it sends', async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    await manager.get('/reports/schedules/new?source=dashboard');
    await manager.post('/reports/schedules/new', { name: 'Stoppable', source: 'dashboard', query: '', recipientUserIds: [users[demo.manager]!], dayOfMonth: '7' });
    const s = await scheduleByName('Stoppable');
    const quality = await signedInBrowser(t.app, demo.quality);
    const list = await quality.get('/reports/schedules');
    const row = list.body.slice(list.body.indexOf('Stoppable'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain(`/reports/schedules/${s.id}/pause`);
    expect(row.slice(0, row.indexOf('</tr>'))).not.toContain(`/reports/schedules/${s.id}/edit`);
    expect((await quality.post(`/reports/schedules/${s.id}/edit`, { name: 'Changed', source: 'dashboard', query: '', recipientUserIds: [users[demo.quality]!], dayOfMonth: '7', version: String(s.version) })).statusCode).toBe(403);
    expect((await quality.post(`/reports/schedules/${s.id}/pause`, { version: String(s.version) })).statusCode).toBe(302);
    expect((await scheduleByName('Stoppable')).active).toBe(false);
    await quality.get(`/reports/schedules/${s.id}/delete`);
    expect((await quality.post(`/reports/schedules/${s.id}/delete`, { version: String(s.version + 1) })).statusCode).toBe(302);
    expect(await db().select().from(reportSchedule).where(eq(reportSchedule.id, s.id))).toHaveLength(0);
  });
});

describe('the monthly job', () => {
  let dashboardId: string;

  beforeAll(async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    await manager.get('/reports/schedules/new?source=dashboard&la=E06000901');
    const res = await manager.post('/reports/schedules/new', {
      name: 'Northvale dashboard',
      source: 'dashboard',
      query: 'la=E06000901',
      recipientUserIds: [users[demo.manager]!, users[demo.commissioner]!],
      dayOfMonth: '5',
    });
    expect(res.statusCode).toBe(302);
    const s = await scheduleByName('Northvale dashboard');
    expect(s.query).toEqual({ la: ['E06000901'] });
    expect(s.nextRunOn.slice(8)).toBe('05');
    expect(s.nextRunOn >= today).toBe(true);
    dashboardId = s.id;
  });

  it('sends nothing before the day comes', async () => {
    const s = await scheduleByName('Northvale dashboard');
    if (s.nextRunOn > today) {
      await sendScheduledReports(db(), t.config, { today });
      expect(await reportsFor(dashboardId)).toHaveLength(0);
    }
  });

  it('queues one notification per recipient with an XLSX whose figures equal the page', async () => {
    await makeDue(dashboardId);
    const result = await sendScheduledReports(db(), t.config, { today });
    expect(result.queued).toBe(2);
    const rows = await reportsFor(dashboardId);
    expect(rows.map((r) => r.recipientUserId).sort()).toEqual([users[demo.manager], users[demo.commissioner]].sort());
    for (const r of rows) {
      expect(r.dedupeKey).toBe(`report:${dashboardId}:${today.slice(0, 7)}:${r.recipientUserId}`);
      expect(r.attachmentName).toMatch(/^northvale-dashboard-\d{4}-\d{2}-\d{2}\.xlsx$/);
      expect(r.attachmentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    }
    // The manager's copy holds what the manager's dashboard shows for Northvale.
    clearDashboardCache();
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = (await manager.get('/dashboards?la=E06000901')).body;
    const copy = await workbookOf(rows.find((r) => r.recipientUserId === users[demo.manager])!.attachmentBase64!);
    const headline = pairs(copy.getWorksheet('Headline figures')!);
    expect(headline.get('Entitled now')).toBe(figure(page, 'headline-active'));
    expect(headline.get('Entitled now')).toBeGreaterThanOrEqual(2);
    expect(headline.get('Overdue reviews')).toBe(figure(page, 'headline-overdue'));
    const reviews = copy.worksheets.find((w) => w.name.startsWith('Reviews of people'))!;
    const reviewRows = new Map<string, unknown>();
    reviews.eachRow((row, n) => {
      if (n > 2) reviewRows.set(text(row.getCell(1).value), row.getCell(2).value);
    });
    expect(reviewRows.get('Due in the next 30 days')).toBe(figure(page, 'due'));
    expect(reviewRows.get('No review date')).toBe(figure(page, 'no-date'));
    expect(pairs(copy.getWorksheet('About')!).get('Filters')).toBe('Northvale Council');
    // Without a view in the schedule, each recipient gets their own default view, as on their page.
    const sheets = copy.worksheets.map((w) => w.name);
    expect(sheets.some((n) => n.startsWith('Reviews of people'))).toBe(true);
    expect(sheets.some((n) => n.startsWith('Cost of services'))).toBe(false);
    const commissionerCopy = await workbookOf(rows.find((r) => r.recipientUserId === users[demo.commissioner])!.attachmentBase64!);
    expect(commissionerCopy.worksheets.some((w) => w.name.startsWith('Cost of services'))).toBe(true);
    // The schedule moves on to next month's day.
    const s = await scheduleByName('Northvale dashboard');
    expect(s.nextRunOn).toBe(runAfter(5, today));
    expect(s.lastRunAt).not.toBeNull();
  });

  it('queues a month once even when the job runs again', async () => {
    await makeDue(dashboardId);
    await Promise.all([sendScheduledReports(db(), t.config, { today }), sendScheduledReports(db(), t.config, { today })]);
    await makeDue(dashboardId);
    const again = await sendScheduledReports(db(), t.config, { today });
    expect(again.queued).toBe(0);
    expect(await reportsFor(dashboardId)).toHaveLength(2);
  });

  it('builds each copy with the recipient’s own access: nobody gets a person they cannot see', async () => {
    const ctx = await contextFor(demo.manager);
    const manager = await signedInBrowser(t.app, demo.manager);
    await manager.get('/reports/schedules/new?source=register&status=entitled');
    const res = await manager.post('/reports/schedules/new', {
      name: 'Entitled people',
      source: 'register',
      query: 'status=entitled',
      recipientUserIds: [users[demo.manager]!, users[demo.senior]!],
      dayOfMonth: '12',
    });
    expect(res.statusCode).toBe(302);
    const s = await scheduleByName('Entitled people');
    expect(s.organisationId).toBe(ctx.actor.activeOrganisationId);
    await makeDue(s.id);
    await sendScheduledReports(db(), t.config, { today });
    const rows = await reportsFor(s.id);
    expect(rows).toHaveLength(2);
    const nhsNumbersIn = async (userId: string) => {
      const wb = await workbookOf(rows.find((r) => r.recipientUserId === userId)!.attachmentBase64!);
      const sheet = wb.getWorksheet('Register')!;
      const values: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1) values.push(text(row.getCell(1).value));
      });
      return { values, sheet };
    };
    // NHS numbers are spaced in the spreadsheet, as everywhere people read them (issue 13, item 9).
    const managerCopy = await nhsNumbersIn(users[demo.manager]!);
    expect(managerCopy.values).toContain(formatNhsNumber(nhs.Northvaleperson!));
    expect(managerCopy.values).not.toContain(formatNhsNumber(nhs.Southmereperson!));
    const seniorCopy = await nhsNumbersIn(users[demo.senior]!);
    expect(seniorCopy.values).toContain(formatNhsNumber(nhs.Southmereperson!));
    expect(seniorCopy.values).not.toContain(formatNhsNumber(nhs.Northvaleperson!));
    // Formula-safe: the injected name reaches the spreadsheet as text with an apostrophe.
    const givenNames: string[] = [];
    managerCopy.sheet.eachRow((row) => givenNames.push(text(row.getCell(3).value)));
    expect(givenNames).toContain(`'=HYPERLINK("http://evil.example")`);
    expect(givenNames.some((g) => g.startsWith('='))).toBe(false);
  });

  it('gives the mailer the attachment', async () => {
    await db().update(notification).set({ channel: 'email' }).where(and(eq(notification.kind, 'scheduled-report'), eq(notification.recipientUserId, users[demo.commissioner]!)));
    const sent: MailMessage[] = [];
    const transport: MailTransport = {
      async send(message) {
        sent.push(message);
      },
    };
    await deliverPending(db(), transport, { now: new Date() });
    const mail = sent.find((m) => m.to === demo.commissioner)!;
    expect(mail.subject).toMatch(/^Northvale dashboard: /);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments![0]!.filename).toMatch(/\.xlsx$/);
    expect(mail.attachments![0]!.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(mail.attachments![0]!.content as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Headline figures')).toBeDefined();
  });

  it('offers the attachment on the recipient’s notifications page, and to nobody else', async () => {
    await deliverPending(db(), null, { now: new Date() });
    const manager = await signedInBrowser(t.app, demo.manager);
    const page = await manager.get('/notifications');
    expect(page.body).toContain('Download the spreadsheet');
    const own = (await reportsFor(dashboardId)).find((r) => r.recipientUserId === users[demo.manager])!;
    const download = await manager.get(`/notifications/${own.id}/attachment`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('spreadsheetml');
    expect(download.headers['content-disposition']).toContain(own.attachmentName!);
    expect(download.rawPayload.equals(Buffer.from(own.attachmentBase64!, 'base64'))).toBe(true);
    const commissioner = await signedInBrowser(t.app, demo.commissioner);
    expect((await commissioner.get(`/notifications/${own.id}/attachment`)).statusCode).toBe(404);
  });

  it('a paused report is not sent; a deleted one is gone', async () => {
    const manager = await signedInBrowser(t.app, demo.manager);
    const s = await scheduleByName('Northvale dashboard');
    await manager.get('/reports/schedules');
    expect((await manager.post(`/reports/schedules/${s.id}/pause`, { version: String(s.version) })).statusCode).toBe(302);
    const list = await manager.get('/reports/schedules');
    expect(list.body).toContain('Paused');
    // A stale version is refused (someone else changed it first).
    expect((await manager.post(`/reports/schedules/${s.id}/resume`, { version: String(s.version) })).statusCode).toBe(409);
    await db().update(reportSchedule).set({ nextRunOn: '2020-01-05' }).where(eq(reportSchedule.id, s.id));
    const result = await sendScheduledReports(db(), t.config, { today });
    expect((await reportsFor(s.id)).filter((r) => r.dedupeKey.includes(':2020-01:'))).toHaveLength(0);
    expect(result.queued).toBe(0);
    const paused = await scheduleByName('Northvale dashboard');
    await manager.get(`/reports/schedules/${s.id}/delete`);
    expect((await manager.post(`/reports/schedules/${s.id}/delete`, { version: String(paused.version) })).statusCode).toBe(302);
    expect(await db().select().from(reportSchedule).where(eq(reportSchedule.id, s.id))).toHaveLength(0);
  });

  it('runs by the job’s clock: each copy is sent and recorded as its recipient’s, and the schedule moves on from that day', async () => {
    const s = await scheduleByName('Entitled people');
    await db().update(reportSchedule).set({ nextRunOn: '2031-02-12' }).where(eq(reportSchedule.id, s.id));
    // Every schedule due by then is sent (others of this file too): at least this one's two copies.
    const result = await sendScheduledReports(db(), t.config, { clock: clockAt('2031-02-12') });
    expect(result.queued).toBeGreaterThanOrEqual(2);
    const sent = (await reportsFor(s.id)).filter((r) => r.dedupeKey.includes(':2031-02:'));
    expect(sent.map((r) => r.recipientUserId).sort()).toEqual([users[demo.manager], users[demo.senior]].sort());
    const recorded = await db().select().from(auditEvent).where(and(eq(auditEvent.action, 'report.sent'), eq(auditEvent.subjectId, s.id)));
    const thisMonth = recorded.filter((e) => (e.after as { month: string }).month === '2031-02');
    expect(thisMonth.map((e) => e.actorUserId).sort()).toEqual([users[demo.manager], users[demo.senior]].sort());
    const after = await scheduleByName('Entitled people');
    expect(after.nextRunOn).toBe(runAfter(12, '2031-02-12'));
    expect(after.lastRunAt!.toISOString()).toBe('2031-02-12T12:00:00.000Z');
  });
});
