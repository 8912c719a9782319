import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { clockAt, contextFor, createPartnership, nhsNumbers, signedIn, type TestPartnership } from '../../../test/fixtures.ts';
import { appUser } from '../../platform/db/schema.ts';
import { notification } from '../../platform/notifications/schema.ts';
import { queueReviewReminders } from './reminders.ts';
import { createPerson, recordEvent } from '../register/index.ts';

/*
 * Issue 13, item 9: My work counts as people say them ("1 overdue review", not "1 overdue
 * reviews") and writes NHS numbers as the register and the person's record do ("999 000 0018").
 */

const clock = clockAt('2026-06-01');
const nextNhs = nhsNumbers(32_000);
let t: TestApp;
let part: TestPartnership;
let nhsNumber: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  part = await createPartnership(t.database.db, 'Wordshire');
  const ctx = await contextFor(t, part.users.practitioner, { clock });
  const me = (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, part.users.practitioner)))[0]!.id;
  nhsNumber = nextNhs();
  const created = await createPerson(ctx, { givenName: 'Oona', familyName: 'Overdue', dateOfBirth: '1980-04-01', nhsNumber, leadPractitionerId: me }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  // Entitled since March 2024: the first review, 6 weeks on, is long overdue.
  const events = [
    { type: 'detention-started', date: '2024-01-10', legalStatusCode: '03', ordinaryResidence: part.organisations.localAuthority.code, icbOfGpRegistration: part.organisations.icb.onsCode },
    { type: 'detention-ended', date: '2024-03-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2024-03-01' },
  ];
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Wordshire Hospital' : null });
});

afterAll(async () => {
  await t.close();
});

describe('My work in plain words', () => {
  it('says "1 overdue review" and "0 reviews due", never "1 overdue reviews"', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const res = await b.get('/my-work?scope=me');
    expect(res.statusCode).toBe(200);
    const summary = /data-qa="summary">([\s\S]*?)<\/p>/.exec(res.body)![1]!;
    expect(summary).toContain('1 overdue review,');
    expect(summary).toContain('0 reviews due in the next 30 days');
    expect(summary).toContain('0 open tasks');
    expect(summary).toContain('1 person with flags'); // the overdue review is a flag too
    expect(summary).not.toMatch(/\b1 (\w+ )?reviews\b|\b1 people\b/);
  });

  it('writes the NHS number spaced, as the register does', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const res = await b.get('/my-work?scope=me');
    const spaced = `${nhsNumber.slice(0, 3)}\u00a0${nhsNumber.slice(3, 6)}\u00a0${nhsNumber.slice(6)}`;
    const overdue = /data-qa="overdue"[\s\S]*?<\/table>/.exec(res.body)![0];
    expect(overdue).toContain(spaced);
    expect(overdue).not.toContain(nhsNumber);
    const register = await b.get(`/register?q=${nhsNumber}`);
    expect(/data-qa="nhs-number">([^<]+)</.exec(register.body)![1]).toBe(spaced);
  });
});

describe('a review one day overdue', () => {
  let personId: string;
  beforeAll(async () => {
    const ctx = await contextFor(t, part.users.practitioner, { clock });
    const me = (await t.database.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, part.users.practitioner)))[0]!.id;
    const created = await createPerson(ctx, { givenName: 'Una', familyName: 'Oneday', dateOfBirth: '1980-04-01', nhsNumber: nextNhs(), leadPractitionerId: me }, { confirmDuplicate: true });
    if (created.outcome !== 'created') throw new Error('not created');
    personId = created.person.id;
    // Entitled from 19 April 2026: the first review, 6 weeks on, was due on 31 May, the day before today.
    const events = [
      { type: 'detention-started', date: '2026-02-10', legalStatusCode: '03', ordinaryResidence: part.organisations.localAuthority.code, icbOfGpRegistration: part.organisations.icb.onsCode },
      { type: 'detention-ended', date: '2026-04-19', reason: 'discharged' },
      { type: 'left-hospital', date: '2026-04-19' },
    ];
    for (const event of events) await recordEvent(ctx, personId, { event, hospital: event.type === 'detention-started' ? 'Wordshire Hospital' : null });
  });

  it('is "1 day" overdue on My work and in the reminder, not "1 days"', async () => {
    const b = await signedIn(t, part.users.practitioner);
    const res = await b.get('/my-work?scope=me');
    const overdue = /data-qa="overdue"[\s\S]*?<\/table>/.exec(res.body)![0];
    expect(overdue).toMatch(/govuk-tag--red">\s*1 day\s*</);
    expect(overdue).not.toContain('1 days');

    await queueReviewReminders(t.database.db, { clock });
    const reminders = await t.database.db.select({ body: notification.body }).from(notification).where(and(eq(notification.partnershipId, part.id), eq(notification.personId, personId)));
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders[0]!.body).toContain('and is 1 day overdue.');
  });
});
