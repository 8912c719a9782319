import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { sentenceStats } from '../../domain/readability.ts';
import { SettableClock } from '../../platform/clock.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { auditEvent } from '../../platform/db/schema.ts';
import { sha256Hex } from '../../platform/documents/pdf.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { aftercarePlan, planNeed } from '../plans/schema.ts';
import { person } from '../register/schema.ts';
import { informationGiven, personDocument } from './schema.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

async function addPerson(b: Browser, nhsNumber: string, extra: Record<string, string | string[]> = {}) {
  await b.get('/people/new');
  const res = await b.post('/people/new', {
    nhsNumber,
    givenName: 'Alex',
    familyName: 'Documents',
    ...dateForm('dateOfBirth', '1980-05-17'),
    address: '1 Test Street, Northvale',
    postcode: 'ZZ99 1AA',
    sex: 'not-known',
    engagement: 'engaged',
    interpreterNeeded: 'false',
    dischargePlanning: 'not-started',
    // The same name and date of birth for every test person: not duplicates, different NHS numbers.
    confirmDuplicate: 'yes',
    ...extra,
  });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
  return /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
}

async function recordEvent(b: Browser, personId: string, type: string, fields: Record<string, string>) {
  await b.get(`/people/${personId}/events/new/${type}`);
  await b.post(`/people/${personId}/events/new/${type}`, fields);
  const res = await b.post(`/people/${personId}/events/new/${type}`, { ...fields, confirm: 'yes' });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
}

/** A person entitled to section 117 aftercare from 1 March 2025 (Northvale Council, the ICB). */
async function entitledPerson(b: Browser, nhsNumber: string, extra: Record<string, string | string[]> = {}) {
  const id = await addPerson(b, nhsNumber, extra);
  await recordEvent(b, id, 'detention-started', { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
  await recordEvent(b, id, 'detention-ended', { ...dateForm('date', '2025-03-01'), reason: 'discharged' });
  await recordEvent(b, id, 'left-hospital', { ...dateForm('date', '2025-03-01') });
  return id;
}

const documentsOf = (personId: string) => t.database.db.select().from(personDocument).where(eq(personDocument.personId, personId));
const personRow = async (personId: string) => (await t.database.db.select().from(person).where(eq(person.id, personId)))[0]!;
/** Audit events other than views: the changes. */
const changes = async () => rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event where action <> 'person.viewed'`))[0]!.n;
const count = async (table: 'information_given' | 'person_document') => rowsOf<{ n: number }>(await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe('documents for the person', () => {
  let b: Browser;
  let id: string;
  beforeAll(async () => {
    b = await signedIn(demo.practitioner);
    id = await entitledPerson(b, '9990000018');
  });

  it('produces an easy read statement, stores it with its hash, and downloads exactly those bytes, audited', async () => {
    const page = await b.get(`/people/${id}/documents`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Produce easy read PDF');
    expect(page.body).toContain('No documents have been produced yet.');

    const res = await b.post(`/people/${id}/documents/statement`, { version: 'easy-read' });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    // The page after producing offers to record that it was given (issue 13: was the plain documents page).
    expect(res.headers.location).toMatch(new RegExp(`^/people/${id}/documents\\?produced=[0-9a-f-]{36}#produced$`));
    const list = await b.get(`/people/${id}/documents`);
    expect(list.body).toContain('Your section 117 aftercare (easy read) has been produced');

    const [doc] = await documentsOf(id);
    expect(doc).toBeDefined();
    expect(doc!.kind).toBe('statement');
    expect(doc!.accessibleFormat).toBe('easy-read');
    expect(doc!.mediaType).toBe('application/pdf');
    expect(list.body).toContain(doc!.contentHash.slice(0, 12));

    const stored = (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'document.stored'), eq(auditEvent.subjectId, id))))[0]!;
    expect((stored.after as { contentHash: string }).contentHash).toBe(doc!.contentHash);
    expect(JSON.stringify(stored.after)).not.toContain('"content"');

    const download = await b.get(`/people/${id}/documents/${doc!.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="your-section-117-aftercare-easy-read[^"]*\.pdf"/);
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(doc!.contentHash, 'hex').toString('base64')}:`);
    const bytes = download.rawPayload;
    expect(sha256Hex(bytes)).toBe(doc!.contentHash);
    expect(bytes.length).toBe(doc!.sizeBytes);

    const views = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, id)));
    const downloadView = views.find((v) => (v.after as { document?: { id: string } } | null)?.document?.id === doc!.id);
    expect(downloadView).toBeDefined();
    expect((downloadView!.after as { document: { contentHash: string } }).document.contentHash).toBe(doc!.contentHash);

    // What was sent reads as easy read: the person's facts, in short sentences.
    const pdf = await extractPdf(bytes);
    expect(pdf.text).toContain('This is for Alex Documents.');
    expect(pdf.text).toContain('It started on 1 March 2025.');
    expect(pdf.text).toContain('Your council is Northvale Council.');
    expect(pdf.text).toContain('01632 960');
    expect(sentenceStats(pdf.text).averageWordsPerSentence).toBeLessThan(15);
  });

  it('starts with a covering letter to their address when asked', async () => {
    await b.get(`/people/${id}/documents`);
    const res = await b.post(`/people/${id}/documents/statement`, { version: 'standard', coveringLetter: 'yes' });
    expect(res.statusCode).toBe(302);
    const letter = (await documentsOf(id)).find((d) => d.kind === 'letter')!;
    const pdf = await extractPdf(letter.content);
    expect(pdf.pages[0]).toContain('Our reference: NHS number 999 000 0018');
    expect(pdf.pages[0]).toContain('1 Test Street');
    expect(pdf.pages[0]).toContain('Sam Okafor');
    expect(pdf.text).toContain('What section 117 aftercare is');
  });

  it('shows the statement as an accessible web page from the same facts, and audits the view', async () => {
    const res = await b.get(`/people/${id}/statement?version=easy-read`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<article lang="en-GB"');
    expect(res.body).toMatch(/<h1 class="govuk-heading-xl">Your section 117 aftercare<\/h1>/);
    expect(res.body).toContain('What is section 117 aftercare?');
    expect(res.body).toContain('Your council is Northvale Council.');
    const standard = await b.get(`/people/${id}/statement?version=standard`);
    expect(standard.body).toContain('govuk-summary-list');
    expect(standard.body).toContain('Responsible local authority');
    const views = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'person.viewed'), eq(auditEvent.subjectId, id)));
    expect(views.some((v) => (v.after as { statement?: string } | null)?.statement === 'easy-read')).toBe(true);
  });

  it('shows the easy read statement page in 24px (18pt) type with a picture beside every point, credited', async () => {
    const res = await b.get(`/people/${id}/statement?version=easy-read`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<article lang="en-GB" data-qa="document" class="app-easy-read">');
    const points = res.body.split('data-qa="easy-read-point"').slice(1);
    expect(points.length).toBeGreaterThanOrEqual(30);
    // Each point: its picture (hidden from screen readers, the text says it all), then its lines.
    for (const point of points) expect(point).toMatch(/^>\s*<svg width="64" height="64" aria-hidden="true" focusable="false" class="app-pictogram" viewBox="0 0 72 72"/);
    expect(res.body).not.toContain('id="emoji"');
    expect(res.body).toContain('Pictures: OpenMoji (openmoji.org), licensed under CC BY-SA 4.0.');
    // The stylesheet sets easy read text at 24px on every screen size (18pt: above the 16pt floor).
    const sass = await import('sass');
    const css = sass.compile('src/platform/views/assets/app.scss', { importers: [new sass.NodePackageImporter()], loadPaths: ['.'], quietDeps: true, logger: sass.Logger.silent, silenceDeprecations: ['import'] }).css;
    expect(css).toMatch(/\.app-easy-read \.govuk-body,\s*\.app-easy-read \.govuk-body-l,[^{]*\{\s*font-size: 24px;/);
  });

  it('lists the section 117 needs of the person’s approved plan on the statement (provided by the plans module)', async () => {
    const withPlan = await entitledPerson(b, '9990000182');
    const before = await b.get(`/people/${withPlan}/statement?version=standard`);
    expect(before.body).toContain('If you do not have a copy of your plan');
    const p = await personRow(withPlan);
    const [plan] = await t.database.db.insert(aftercarePlan).values({ partnershipId: p.partnershipId, personId: withPlan, planNumber: 1, status: 'approved' }).returning();
    await t.database.db.insert(planNeed).values({
      partnershipId: p.partnershipId,
      planId: plan!.id,
      personId: withPlan,
      domain: 'accommodation',
      description: 'Somewhere safe to live with support',
      arisesFromMentalDisorder: true,
      reducesRiskOfDeterioration: true,
      testsRationale: 'Both tests met',
      category: 'section-117',
      s117: true,
      classification: {},
    });
    const after = await b.get(`/people/${withPlan}/statement?version=standard`);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Your current plan says your section 117 needs are:');
    expect(after.body).toContain('Somewhere safe to live with support');
  });

  it('says what format their record asks for, and after producing offers to record it as given, with the format filled in', async () => {
    const easy = await entitledPerson(b, '9990000204', { communicationNeeds: ['easy-read'] });
    const page = await b.get(`/people/${easy}/documents`);
    expect(page.body).toMatch(/Format their record asks for\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Easy read\s*<\/dd>/);
    expect(page.body).not.toContain('data-qa="record-given-offer"');

    const res = await b.post(`/people/${easy}/documents/statement`, { version: 'easy-read' });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const [doc] = await documentsOf(easy);
    const after = await b.get(res.headers.location as string);
    expect(after.body).toContain('data-qa="record-given-offer"');
    const href = `/people/${easy}/information-given/new?document=${doc!.id}&amp;subject=rights-statement&amp;format=easy-read`;
    expect(after.body).toContain(`href="${href}"`);
    expect(after.body).toContain('Record that you gave this to them');

    const form = await b.get(href.replaceAll('&amp;', '&'));
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/value="rights-statement" checked/);
    expect(form.body).toMatch(/value="easy-read" checked/);
    expect(form.body).toMatch(new RegExp(`value="${doc!.id}" selected`));
    expect(form.body).not.toMatch(/\d{4}-\d{2}-\d{2}</);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const saved = await b.post(`/people/${easy}/information-given/new`, { subject: 'rights-statement', format: 'easy-read', language: 'English', documentId: doc!.id, understood: 'yes', offerAgain: 'no', version, ...dateForm('givenOn', '2025-03-06') });
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(302);
    expect((await personRow(easy)).rightsGivenInWritingOn).toBe('2025-03-06');
  });

  it('puts the covering letter on the producer’s own letterhead, signed by them for it, opening with what they wrote to the person', async () => {
    // The trust's practitioner, who recorded this person's detention and discharge.
    const trust = await signedIn('trust@demo.aftercare.example');
    const id = await entitledPerson(trust, '9990000239');
    const res = await trust.post(`/people/${id}/documents/statement`, {
      version: 'standard',
      coveringLetter: 'yes',
      whatToTellThePerson: 'Thank you for seeing me on the ward today. This is the statement about your rights we talked about.',
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    const [letter] = (await documentsOf(id)).filter((d) => d.kind === 'letter');
    const pdf = await extractPdf(letter!.content);
    const trustName = 'Northvale and Southmere Mental Health NHS Foundation Trust';
    const head = pdf.text.slice(0, pdf.text.indexOf('Dear '));
    expect(head.split('\n')[0]).toContain(trustName);
    expect(head).not.toContain('Northvale Council');
    const afterDear = pdf.text.slice(pdf.text.indexOf('Dear '));
    expect(afterDear.split('\n')[1]).toBe('Thank you for seeing me on the ward today. This is the statement about your rights we talked about.');
    expect(afterDear).toContain(`Yours sincerely,\nLee Ashworth ${trustName}`);
  });

  it('records the rights statement given in easy read, and sets the date rights were last given in writing', async () => {
    const [doc] = await documentsOf(id);
    const form = await b.get(`/people/${id}/information-given/new`);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const answers = { subject: 'rights-statement', format: 'easy-read', language: 'English', documentId: doc!.id, understood: 'partly', offerAgain: 'no', version };
    const res = await b.post(`/people/${id}/information-given/new`, { ...answers, ...dateForm('givenOn', '2025-03-05') });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    expect((await personRow(id)).rightsGivenInWritingOn).toBe('2025-03-05');

    // An earlier written record does not move the date back; a verbal one never sets it.
    let again = await b.get(`/people/${id}/information-given/new`);
    let v2 = /name="version" value="(\d+)"/.exec(again.body)![1]!;
    expect((await b.post(`/people/${id}/information-given/new`, { ...answers, version: v2, ...dateForm('givenOn', '2025-03-02') })).statusCode).toBe(302);
    again = await b.get(`/people/${id}/information-given/new`);
    v2 = /name="version" value="(\d+)"/.exec(again.body)![1]!;
    const verbal = { ...answers, format: 'verbal', documentId: '', version: v2, offerAgain: 'yes', offerAgainReason: 'They were unwell after a crisis: offer again next week.' };
    expect((await b.post(`/people/${id}/information-given/new`, { ...verbal, ...dateForm('givenOn', '2025-03-10') })).statusCode).toBe(302);
    const row = await personRow(id);
    expect(row.rightsGivenInWritingOn).toBe('2025-03-05');

    const records = await t.database.db.select().from(informationGiven).where(eq(informationGiven.personId, id));
    expect(records).toHaveLength(3);
    expect(records.filter((r) => r.inWriting)).toHaveLength(2);
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'information-given.recorded'), eq(auditEvent.subjectId, id)));
    expect(audit).toHaveLength(3);

    const page = await b.get(`/people/${id}/documents`);
    expect(page.body).toMatch(/data-qa="rights-given-in-writing">5 March 2025</);
    expect(page.body).toContain('data-qa="offer-again"');
    expect(page.body).toContain('They were unwell after a crisis');
    expect(page.body).toContain('data-qa="offer-again-warning"');
    expect((await b.get(`/people/${id}`)).body).toContain('Rights last given in writing: 5 March 2025');
  });

  it('refuses an impossible date with an error summary and saves nothing', async () => {
    const form = await b.get(`/people/${id}/information-given/new`);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const before = { given: await count('information_given'), changes: await changes(), person: await personRow(id) };
    const res = await b.post(`/people/${id}/information-given/new`, {
      subject: 'rights-statement',
      'givenOn-day': '30',
      'givenOn-month': '2',
      'givenOn-year': '2025',
      format: 'standard',
      language: 'English',
      understood: 'yes',
      offerAgain: 'no',
      version,
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Date it was given must be a real date');
    expect(res.body).toContain('href="#givenOn-day"');
    expect(res.body).toContain('<title>Error: ');
    expect(await count('information_given')).toBe(before.given);
    // Showing the form again is a view of the record; no change is written.
    expect(await changes()).toBe(before.changes);
    const after = await personRow(id);
    expect(after.version).toBe(before.person.version);
    expect(after.rightsGivenInWritingOn).toBe(before.person.rightsGivenInWritingOn);

    const missing = await b.post(`/people/${id}/information-given/new`, { version });
    expect(missing.statusCode).toBe(422);
    for (const message of ['Select what was given', 'Enter the date it was given', 'Select the format it was given in', 'Select whether they understood it', 'Select whether to offer it again']) {
      expect(missing.body).toContain(message);
    }
  });

  it('refuses a stale form when the record changed since it was opened (optimistic concurrency)', async () => {
    const form = await b.get(`/people/${id}/information-given/new`);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const given = await count('information_given');
    const res = await b.post(`/people/${id}/information-given/new`, {
      subject: 'rights-statement',
      ...dateForm('givenOn', '2025-04-01'),
      format: 'large-print',
      language: 'English',
      understood: 'yes',
      offerAgain: 'no',
      version: String(Number(version) - 1),
    });
    expect(res.statusCode).toBe(409);
    expect(await count('information_given')).toBe(given);
    expect((await personRow(id)).rightsGivenInWritingOn).toBe('2025-03-05');
  });
});

describe('who may see and produce documents', () => {
  let id: string;
  let docId: string;
  beforeAll(async () => {
    const b = await signedIn(demo.practitioner);
    id = await entitledPerson(b, '9990000026');
    await b.get(`/people/${id}/documents`);
    expect((await b.post(`/people/${id}/documents/statement`, { version: 'standard' })).statusCode).toBe(302);
    docId = (await documentsOf(id))[0]!.id;
  });

  it('lets someone who may only read the record see and download, but not produce or record (403)', async () => {
    for (const email of [demo.commissioner, demo.quality]) {
      const reader = await signedIn(email);
      const page = await reader.get(`/people/${id}/documents`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Produce standard PDF');
      expect(page.body).not.toContain('Record information given</a>');
      expect((await reader.get(`/people/${id}/documents/${docId}`)).statusCode).toBe(200);
      const before = await count('person_document');
      expect((await reader.post(`/people/${id}/documents/statement`, { version: 'standard' })).statusCode).toBe(403);
      expect(await count('person_document')).toBe(before);
      expect((await reader.get(`/people/${id}/information-given/new`)).statusCode).toBe(403);
      const posted = await reader.post(`/people/${id}/information-given/new`, { subject: 'plan', ...dateForm('givenOn', '2025-04-01'), format: 'standard', language: 'English', understood: 'yes', offerAgain: 'no', version: '1' });
      expect(posted.statusCode).toBe(403);
    }
  });

  it('refuses anyone without a relationship to the person, as the register does', async () => {
    const south = await signedIn(demo.senior);
    expect((await south.get(`/people/${id}/documents`)).statusCode).toBe(403);
    expect((await south.get(`/people/${id}/documents/${docId}`)).statusCode).toBe(403);
    expect((await south.get(`/people/${id}/statement`)).statusCode).toBe(403);
    await south.get('/');
    expect((await south.post(`/people/${id}/documents/statement`, { version: 'standard' })).statusCode).toBe(403);
    const admin = await signedIn(demo.laAdmin);
    expect((await admin.get(`/people/${id}/documents/${docId}`)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown person or document, and for a document under another person', async () => {
    const b = await signedIn(demo.practitioner);
    expect((await b.get('/people/00000000-0000-0000-0000-000000000000/documents')).statusCode).toBe(404);
    expect((await b.get(`/people/${id}/documents/00000000-0000-0000-0000-000000000000`)).statusCode).toBe(404);
    expect((await b.get(`/people/${id}/documents/not-a-uuid`)).statusCode).toBe(404);
    const other = await addPerson(b, '9990000034');
    expect((await b.get(`/people/${other}/documents/${docId}`)).statusCode).toBe(404);
  });
});

describe('the statement is only for people who are entitled or pending', () => {
  it('refuses a person who is not entitled with a clear message, and stores nothing', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await addPerson(b, '9990000042');
    const page = await b.get(`/people/${id}/documents`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-qa="statement-unavailable"');
    expect(page.body).not.toContain('Produce standard PDF');
    const res = await b.post(`/people/${id}/documents/statement`, { version: 'standard' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('can only be produced for someone who is entitled, or will be when they leave hospital');
    expect(await documentsOf(id)).toHaveLength(0);
    const html = await b.get(`/people/${id}/statement`);
    expect(html.statusCode).toBe(422);
    expect(html.body).toContain('data-qa="statement-refusal"');
  });

  it('produces large print whenever the person’s record asks for it, and says what else to send', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await entitledPerson(b, '9990000050', { communicationNeeds: ['large-print', 'braille'] });
    const page = await b.get(`/people/${id}/documents`);
    expect(page.body).toContain('data-qa="large-print-note"');
    expect(page.body).toContain('Their record also asks for Braille');
    const res = await b.post(`/people/${id}/documents/statement`, { version: 'standard' });
    expect(res.statusCode).toBe(302);
    expect((await b.get(`/people/${id}/documents`)).body).toContain('in large print, as their record asks');
    const [doc] = await documentsOf(id);
    expect(doc!.accessibleFormat).toBe('large-print');
    const pdf = await extractPdf(doc!.content);
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(18);
  });
});

describe('issue 12, the one door to the data: documents take the date from the application’s clock', () => {
  it('dates the statement of entitlement, on the page and in the stored PDF, by the clock the app was given', async () => {
    const clock = new SettableClock('2031-02-03');
    const own = await createTestApp({}, { clock });
    try {
      const b = await signedInBrowser(own.app, demo.practitioner);
      const addAndEntitle = async () => {
        await b.get('/people/new');
        const res = await b.post('/people/new', {
          nhsNumber: '9990000204', givenName: 'Clock', familyName: 'Documents', ...dateForm('dateOfBirth', '1980-05-17'), address: '1 Test Street', postcode: 'ZZ99 1AA',
          sex: 'not-known', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started', confirmDuplicate: 'yes',
        });
        expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
        const personId = /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
        for (const [type, fields] of [
          ['detention-started', { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }],
          ['detention-ended', { ...dateForm('date', '2025-03-01'), reason: 'discharged' }],
          ['left-hospital', { ...dateForm('date', '2025-03-01') }],
        ] as const) {
          await b.get(`/people/${personId}/events/new/${type}`);
          await b.post(`/people/${personId}/events/new/${type}`, fields);
          const done = await b.post(`/people/${personId}/events/new/${type}`, { ...fields, confirm: 'yes' });
          expect(done.statusCode, done.body.slice(0, 2000)).toBe(302);
        }
        return personId;
      };
      const personId = await addAndEntitle();
      const page = await b.get(`/people/${personId}/statement?version=standard`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('produced on 3 February 2031');
      const produced = await b.post(`/people/${personId}/documents/statement`, { version: 'standard' });
      expect(produced.statusCode, produced.body.slice(0, 2000)).toBe(302);
      const [doc] = await own.database.db.select().from(personDocument).where(eq(personDocument.personId, personId));
      expect(doc!.fileName).toContain('2031-02-03');
    } finally {
      await own.close();
    }
  });
});
