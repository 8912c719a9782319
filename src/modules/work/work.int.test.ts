import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { deliverPending } from '../../platform/notifications/outbox.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { openDispute } from '../disputes/disputes.service.ts';
import { decideEnding, proposeEnding } from '../endings/endings.service.ts';
import { submitPanelCase } from '../panels/panels.service.ts';
import { addNeed, addService, startPlan, submitPlan } from '../plans/index.ts';
import { aftercarePlan } from '../plans/schema.ts';
import { person, task } from '../register/schema.ts';

/*
 * Issue 13, item 1: work finds people. Through HTTP as the demo users (practitioner@ and manager@
 * of Northvale Council, senior@ a senior practitioner there, commissioner@ and panel@ of the ICB),
 * each thing that waits on someone is in their "Waiting for you" queue, on Home and My work, and
 * they are told in the app and by email through the outbox; tasks are completed, handed on and
 * put aside there, one or several at once.
 */
const TODAY = '2026-06-01';
let t: TestApp;
const clock = clockAt(TODAY);
let practitioner: ServiceContext;
const nextNhs = nhsNumbers(860_000);

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  practitioner = await contextFor(t, demo.practitioner, { clock: clockAt(TODAY) });
});
afterAll(async () => {
  await t.close();
});

async function userId(email: string): Promise<string> {
  return (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0]!.id;
}
async function told(email: string, kind: string, personId: string) {
  return t.database.db.select().from(notification).where(and(eq(notification.recipientUserId, await userId(email)), eq(notification.kind, kind), eq(notification.personId, personId)));
}
const rowsOf = (html: string) => html.split('data-qa="waiting-row"').slice(1);
const rowFor = (html: string, needle: string) => rowsOf(html).find((r) => r.includes(needle));

async function submittedPlan(personId: string, pounds: string) {
  const plan = await startPlan(practitioner, personId);
  const version = async () => (await t.database.db.select().from(aftercarePlan).where(eq(aftercarePlan.id, plan.id)))[0]!.version;
  const need = await addNeed(practitioner, personId, plan.id, await version(), {
    domain: 'accommodation',
    description: 'Supported accommodation with staff on site',
    level: 'high',
    arisesFromMentalDisorder: true,
    reducesRiskOfDeterioration: true,
    testsRationale: 'Relapsed twice when living alone without support',
    accommodationEnhanced: true,
    accommodationFeature: '24-hour staffing',
  });
  await addService(practitioner, personId, plan.id, await version(), {
    needIds: [need.id],
    serviceType: 'Supported living',
    provider: 'Riverside Supported Living',
    startOn: TODAY,
    endOn: '',
    frequency: '24-hour support',
    unitsPerWeek: '1',
    unitCostPence: pounds,
    deliveryRoute: 'commissioned',
    localAuthorityPercent: '100',
    icbPercent: '0',
    splitBasis: 'Agreed under the joint section 117 policy',
    chargePence: '',
    topUp: null,
  });
  await submitPlan(practitioner, personId, plan.id, await version());
  return plan.id;
}

describe('a submitted plan waits on the approvers of the body that pays', () => {
  it('is in the council manager’s queue on Home, My work and Waiting for you, they are told, and they approve it from there', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Quinn', familyName: 'Queue' });
    const planId = await submittedPlan(personId, '300');
    const manager = await signedIn(t, demo.manager);
    for (const url of ['/waiting?kind=plan', '/waiting']) {
      const page = await manager.get(url);
      expect(page.statusCode).toBe(200);
      const row = rowFor(page.body, `/people/${personId}/plans/${planId}#approve`);
      expect(row, url).toBeDefined();
      expect(row).toContain('Quinn Queue');
      expect(row).toContain('Approve or return plan 1, for Northvale Council');
    }
    const home = await manager.get('/');
    expect(home.body).toContain('data-qa="waiting-summary"');
    expect(home.body).toMatch(/Plans to approve: \d+/);
    const myWork = await manager.get('/my-work');
    expect(myWork.body).toMatch(/Plans to approve: \d+/);
    expect(await told(demo.manager, 'plan-agreement-needed', personId)).toHaveLength(1);
    await deliverPending(t.database.db, null);
    const notices = await manager.get('/notifications');
    expect(notices.body).toContain('Aftercare plan 1 for Quinn Queue needs Northvale Council’s agreement');

    // The practitioner who submitted it has nothing of it in their queue: it waits on others.
    const own = await (await signedIn(t, demo.practitioner)).get('/waiting?kind=plan');
    expect(own.body).not.toContain(`/plans/${planId}#approve`);

    // The manager follows the row's link and approves it; it leaves the queue and the practitioner is told.
    const plan = await manager.get(`/people/${personId}/plans/${planId}`);
    const version = /name="version" value="(\d+)"/.exec(plan.body.slice(plan.body.indexOf('id="approve"')))![1]!;
    const approved = await manager.post(`/people/${personId}/plans/${planId}/approve`, { version, decision: 'approve', note: '' });
    expect(approved.statusCode, approved.body.slice(0, 500)).toBe(302);
    expect((await manager.get('/waiting?kind=plan')).body).not.toContain(`/plans/${planId}#approve`);
    expect(await told(demo.practitioner, 'plan-approved', personId)).toHaveLength(1);
  });
});

describe('an ending proposed waits on both bodies', () => {
  it('is in the council manager’s and the ICB commissioner’s queues, both are told, and the proposer hears each decision', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Ellis', familyName: 'Ending' });
    const proposal = await proposeEnding(practitioner, personId, {
      kind: 'ending',
      effectiveOn: TODAY,
      reasonCodes: ['no-longer-in-need'],
      reasons: 'Settled at home, working, no contact with services for a year',
      personInvolved: true,
      personView: 'Wants to end it',
      otherCarePlan: 'None',
      messageToPerson: 'We think you no longer need aftercare under section 117.',
    });
    for (const [email, body] of [
      [demo.manager, 'the local authority'],
      [demo.commissioner, 'the ICB'],
    ] as const) {
      const page = await (await signedIn(t, email)).get('/waiting?kind=ending');
      const row = rowFor(page.body, `/people/${personId}/endings/${proposal.id}`);
      expect(row, email).toBeDefined();
      expect(row).toContain(`Decide whether aftercare ends on 1 June 2026, for ${body}`);
      expect(await told(email, 'ending-decision-needed', personId), email).toHaveLength(1);
    }
    const manager = await contextFor(t, demo.manager, { clock: clockAt(TODAY) });
    await decideEnding(manager, personId, proposal.id, proposal.version, { decision: 'decline', body: 'local-authority', reason: 'Not yet: the person has just moved' });
    const heard = await told(demo.practitioner, 'ending-decided', personId);
    expect(heard).toHaveLength(1);
    expect(heard[0]!.subject).toContain('the local authority declined it');
    // Decided: it has left both queues.
    const after = await (await signedIn(t, demo.commissioner)).get('/waiting?kind=ending');
    expect(after.body).not.toContain(`/endings/${proposal.id}`);
  });
});

describe('panel cases and disputes wait on the panel and on the parties', () => {
  it('a case sent to the panel is in a panel member’s queue and they are told', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Pat', familyName: 'Panel' });
    const planId = await submittedPlan(personId, '500');
    const created = await submitPanelCase(practitioner, personId, planId, { summary: 'Split of supported living', localAuthorityPercent: '50', basis: 'Mixed health and social care needs' });
    const page = await (await signedIn(t, demo.panel)).get('/waiting?kind=panel-case');
    expect(rowFor(page.body, `/panels/cases/${created.id}`)).toContain('Put the case on a funding panel meeting’s agenda');
    expect(await told(demo.panel, 'panel-case-waiting', personId)).toHaveLength(1);
    expect(await told(demo.practitioner, 'panel-case-waiting', personId)).toHaveLength(0);
  });

  it('a dispute in local negotiation is in each party’s managers’ queues, with its referral date', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Dana', familyName: 'Dispute' });
    const orgs = await t.database.db.select().from(organisation);
    const council = orgs.find((o) => o.name === 'Northvale Council')!;
    const icb = orgs.find((o) => o.type === 'icb')!;
    const d = await openDispute(practitioner, personId, { kind: 'funding', partyAOrganisationId: council.id, partyBOrganisationId: icb.id, aroseOn: '2026-05-01', interimLeadOrganisationId: council.id, summary: 'Who pays for the placement' });
    for (const email of [demo.manager, demo.commissioner]) {
      const page = await (await signedIn(t, email)).get('/waiting?kind=dispute');
      expect(rowFor(page.body, `/disputes/${d.id}`), email).toContain('Agree how the cost is shared, or escalate it');
      expect(await told(email, 'dispute-needs-you', personId), email).toHaveLength(1);
    }
  });
});

describe('tasks: completed, handed on and put aside from the queue', () => {
  async function openTask(personId: string, title: string, dueOn: string | null = null) {
    const [p] = await t.database.db.select().from(person).where(eq(person.id, personId));
    const [row] = await t.database.db.insert(task).values({ partnershipId: p!.partnershipId, personId, kind: 'follow-up', title, ownerUserId: await userId(demo.practitioner), dueOn }).returning();
    return row!;
  }
  async function taskRow(id: string) {
    return (await t.database.db.select().from(task).where(eq(task.id, id)))[0]!;
  }

  it('shows each task with its age and due date, and completes two at once with one outcome, audited', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Toni', familyName: 'Tasks' });
    const a = await openTask(personId, 'Phone the GP about medication', '2026-05-20');
    const b = await openTask(personId, 'Send the plan to the care home');
    const browser = await signedIn(t, demo.practitioner);
    const page = await browser.get('/waiting?kind=task');
    const row = rowFor(page.body, `/waiting/tasks/${a.id}`)!;
    expect(row).toContain('Phone the GP about medication');
    expect(row).toContain('20 May 2026');
    expect(row).toContain('Overdue');
    expect(rowFor(page.body, `/waiting/tasks/${b.id}`)).toContain('No date set');

    const response = await browser.post('/waiting/tasks', { tasks: [`${a.id}:${a.version}`, `${b.id}:${b.version}`], action: 'complete', outcome: 'Done on the phone' });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(302);
    expect((await browser.get('/waiting')).body).toContain('2 tasks have been completed.');
    for (const id of [a.id, b.id]) expect(await taskRow(id)).toMatchObject({ status: 'done', outcome: 'Done on the phone' });
    const audits = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'task.completed'), eq(auditEvent.subjectId, personId)));
    expect(audits).toHaveLength(2);
  });

  it('refuses an action with nothing chosen or without its details, and changes nothing', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Nell', familyName: 'Nothing' });
    const a = await openTask(personId, 'Check the benefits claim');
    const browser = await signedIn(t, demo.practitioner);
    const none = await browser.post('/waiting/tasks', { action: 'complete', outcome: 'x' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('There is a problem');
    expect(none.body).toContain('Select at least one task');
    const noOutcome = await browser.post('/waiting/tasks', { tasks: `${a.id}:${a.version}`, action: 'complete', outcome: '  ' });
    expect(noOutcome.statusCode).toBe(422);
    expect(noOutcome.body).toContain('Enter what was decided or done');
    const pastDate = await browser.post(`/waiting/tasks/${a.id}/snooze`, { version: String(a.version), 'until-day': '1', 'until-month': '1', 'until-year': '2026', reason: 'Waiting for the benefits office' });
    expect(pastDate.statusCode).toBe(422);
    expect(pastDate.body).toContain('The date to bring it back must be in the future');
    const stale = await browser.post('/waiting/tasks', { tasks: `${a.id}:${a.version + 5}`, action: 'complete', outcome: 'Done' });
    expect(stale.statusCode).toBe(409);
    expect(await taskRow(a.id)).toMatchObject({ status: 'open', version: a.version, snoozedUntil: null });
  });

  it('puts a task aside until a date with a reason: it leaves the queue, is listed as put aside, and comes back', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Sam', familyName: 'Snooze' });
    const a = await openTask(personId, 'Review the tenancy');
    const browser = await signedIn(t, demo.practitioner);
    const response = await browser.post(`/waiting/tasks/${a.id}/snooze`, { version: String(a.version), 'until-day': '1', 'until-month': '7', 'until-year': '2026', reason: 'Waiting for the landlord' });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(302);
    expect(await taskRow(a.id)).toMatchObject({ status: 'open', snoozedUntil: '2026-07-01', snoozeReason: 'Waiting for the landlord' });
    const queue = await browser.get('/waiting?kind=task');
    expect(queue.body).not.toContain(`/waiting/tasks/${a.id}`);
    expect(queue.body).toMatch(/\d+ tasks? put aside/);
    const aside = await browser.get('/waiting?snoozed=yes&kind=task');
    expect(rowFor(aside.body, `/waiting/tasks/${a.id}`)).toContain('Put aside until 1 July 2026: Waiting for the landlord');
    // On the day it was put aside until, it is back.
    clock.set('2026-07-01');
    try {
      const back = await (await signedIn(t, demo.practitioner)).get('/waiting?kind=task');
      expect(back.body).toContain(`/waiting/tasks/${a.id}`);
    } finally {
      clock.set(TODAY);
    }
  });

  it('hands a task on to a colleague, who finds it in their queue and is told; the audit says who and when', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Hana', familyName: 'Handover' });
    const a = await openTask(personId, 'Arrange the CPA meeting');
    const browser = await signedIn(t, demo.practitioner);
    const taskPage = await browser.get(`/waiting/tasks/${a.id}`);
    expect(taskPage.statusCode).toBe(200);
    // Colleagues of the practitioner's own council only (senior@ works for Southmere).
    const senior = await userId(demo.manager);
    expect(taskPage.body).toContain(`value="user:${senior}"`);
    expect(taskPage.body).not.toContain(`value="user:${await userId(demo.senior)}"`);
    const response = await browser.post(`/waiting/tasks/${a.id}/reassign`, { version: String(a.version), to: `user:${senior}` });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(302);
    expect(await taskRow(a.id)).toMatchObject({ ownerUserId: senior, status: 'open' });
    const theirs = await (await signedIn(t, demo.manager)).get('/waiting?kind=task');
    expect(rowFor(theirs.body, `/waiting/tasks/${a.id}`)).toContain('Arrange the CPA meeting');
    const heard = await told(demo.manager, 'task-assigned', personId);
    expect(heard).toHaveLength(1);
    expect(heard[0]!.subject).toBe('A task about Hana Handover has been given to you');
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'task.reassigned'), eq(auditEvent.subjectId, personId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(await userId(demo.practitioner));
  });

  it('refuses a task action by someone who may not change the person’s record before reading the form', async () => {
    const personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), givenName: 'Rory', familyName: 'Readonly' });
    const a = await openTask(personId, 'Not theirs to do');
    const reader = await signedIn(t, demo.readOnly);
    const response = await reader.post(`/waiting/tasks/${a.id}/complete`, { version: String(a.version) });
    expect(response.statusCode).toBe(403);
    expect(await taskRow(a.id)).toMatchObject({ status: 'open', version: a.version });
  });
});
