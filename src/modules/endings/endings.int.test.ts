import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { cliContext } from '../../cli/context.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { createToken } from '../admin/tokens.service.ts';
import { personDocument } from '../documents/schema.ts';
import { legalEvent, person } from '../register/schema.ts';
import { endingProposal } from './schema.ts';

/*
 * Ending section 117 aftercare (issue 6), through HTTP: proposals through the API with a
 * Northvale bearer token, decisions on the pages, signed in as the demo users.
 *
 * The demo partnership: ICB QZV (E54000901), Northvale Council E06000901, Southmere E06000902.
 * manager@ is a Northvale team manager, commissioner@ the ICB's commissioner, panel@ a panel
 * member of both the ICB and Northvale, senior@ a Southmere senior practitioner, practitioner@ a
 * Northvale practitioner.
 */
let t: TestApp;
let northvale: string;
const numbers = syntheticNhsNumbers(870_000);
const nextNhs = () => numbers.next().value as string;

beforeAll(async () => {
  t = await createTestApp();
  const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000901')))[0]!;
  northvale = (await createToken(cliContext(t.database, t.config, org.partnershipId, org), { organisationId: org.id, name: 'Northvale case system' })).token;
});
afterAll(async () => {
  await t.close();
});

function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${northvale}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function recordEvent(id: string, event: Record<string, unknown>) {
  const r = await call('POST', `/api/v1/people/${id}/events`, { event });
  expect(r.statusCode, r.body).toBe(201);
}

/** An entitled person (s3, Northvale, ICB E54000901); `onto` 'cto' discharges them onto a CTO. */
async function entitledPerson(options: { onto?: 'discharged' | 'cto' | 'conditional-discharge'; communicationNeeds?: string[] } = {}): Promise<string> {
  const res = await call('POST', '/api/v1/people', { nhsNumber: nextNhs(), givenName: 'Ending', familyName: `Person${Math.random().toString(36).slice(2, 8)}`, dateOfBirth: '1979-06-15', ...(options.communicationNeeds ? { communicationNeeds: options.communicationNeeds } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  // A restricted hospital order (s37/41, code 09) for a conditional discharge; otherwise s3.
  const legalStatusCode = options.onto === 'conditional-discharge' ? '09' : '03';
  await recordEvent(id, { type: 'detention-started', date: '2025-01-10', legalStatusCode, ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' });
  await recordEvent(id, { type: 'detention-ended', date: '2025-03-01', reason: options.onto ?? 'discharged' });
  await recordEvent(id, { type: 'left-hospital', date: '2025-03-01' });
  expect(await statusOf(id)).toBe('entitled');
  return id;
}

async function statusOf(id: string): Promise<string> {
  return (await t.database.db.select({ status: person.status }).from(person).where(eq(person.id, id)))[0]!.status;
}

interface ApiEnding {
  id: string;
  status: string;
  version: number;
  checksPassed: boolean;
  checks: Array<{ code: string; outcome: string; rule: string; source: string; detail: string }>;
  legalEventId: string | null;
}

const lawful = { effectiveOn: '2025-12-01', reasonCodes: ['no-longer-in-need'], reasons: 'Settled for a year with no mental health support needed; agreed at the joint review.', personInvolved: true, personView: 'Happy to stop.', otherCarePlan: 'GP reviews medication every six months.', messageToPerson: 'You are well and settled, so your aftercare is ending. Your GP will still check your medicine.' };

async function propose(id: string, body: Record<string, unknown> = lawful): Promise<ApiEnding> {
  const res = await call('POST', `/api/v1/people/${id}/endings`, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ApiEnding;
}

async function proposal(endingId: string) {
  return (await t.database.db.select().from(endingProposal).where(eq(endingProposal.id, endingId)))[0]!;
}

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

/** Open the proposal's page (for the CSRF token and version) and post a decision. */
async function decide(browser: Browser, personId: string, endingId: string, form: Record<string, string>, version?: number) {
  const page = await browser.get(`/people/${personId}/endings/${endingId}`);
  expect(page.statusCode, page.body).toBe(200);
  const current = version ?? (await proposal(endingId)).version;
  return browser.post(`/people/${personId}/endings/${endingId}/decide`, { version: String(current), ...form });
}

describe('ending section 117 aftercare', () => {
  let manager: Browser;
  let commissioner: Browser;
  let panel: Browser;
  beforeAll(async () => {
    [manager, commissioner, panel] = await Promise.all([signedIn(demo.manager), signedIn(demo.commissioner), signedIn(demo.panel)]);
  });

  it('blocks an ending while the person is on a CTO: the checklist fails and approval is refused; it passes once the CTO ends', async () => {
    const id = await entitledPerson({ onto: 'cto' });
    const ending = await propose(id);
    expect(ending.status).toBe('proposed');
    expect(ending.checksPassed).toBe(false);
    const cto = ending.checks.find((c) => c.code === 'ending-while-cto')!;
    expect(cto).toMatchObject({ outcome: 'fail', rule: 'R7' });
    expect(cto.source).toContain('s117(2)');

    const page = await manager.get(`/people/${id}/endings/${ending.id}`);
    expect(page.body).toContain('cannot be approved while a check fails');
    const refused = await decide(manager, id, ending.id, { decision: 'approve', body: 'local-authority' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('community treatment order since 1 March 2025');
    expect((await proposal(ending.id)).laDecision).toBeNull();

    // The CTO ends: re-checked on the next view, and the proposal can now be approved.
    await recordEvent(id, { type: 'cto-ended', date: '2025-09-01', reason: 'discharged' });
    const again = (await call('GET', `/api/v1/people/${id}/endings/${ending.id}`)).json() as ApiEnding;
    expect(again.checksPassed).toBe(true);
    expect((await decide(manager, id, ending.id, { decision: 'approve' })).statusCode).toBe(302);
  });

  it('stays pending with only the local authority’s approval, and ends with both: ended, legal event recorded, letters stored', async () => {
    const id = await entitledPerson({ communicationNeeds: ['large-print'] });
    const ending = await propose(id);
    expect(ending.checksPassed).toBe(true);

    expect((await decide(manager, id, ending.id, { decision: 'approve', body: 'local-authority' })).statusCode).toBe(302);
    let row = await proposal(ending.id);
    expect(row).toMatchObject({ status: 'proposed', laDecision: 'approved', icbDecision: null, legalEventId: null });
    expect(await statusOf(id)).toBe('entitled');

    expect((await decide(commissioner, id, ending.id, { decision: 'approve', body: 'icb' })).statusCode).toBe(302);
    row = await proposal(ending.id);
    expect(row.status).toBe('recorded');
    expect(row.legalEventId).not.toBeNull();
    expect(await statusOf(id)).toBe('ended');
    const event = (await t.database.db.select().from(legalEvent).where(eq(legalEvent.id, row.legalEventId!)))[0]!;
    expect(event).toMatchObject({ type: 'aftercare-ended', occurredOn: '2025-12-01', payload: { approvedBy: ['local-authority', 'icb'], reasons: ['no-longer-in-need'], personInvolved: true } });

    const letters = await t.database.db.select().from(personDocument).where(and(eq(personDocument.personId, id), eq(personDocument.kind, 'ending-letter')));
    expect(letters.map((l) => l.accessibleFormat).sort()).toEqual(['easy-read', 'large-print']);
    const page = await commissioner.get(`/people/${id}/endings/${ending.id}`);
    const href = /href="(\/people\/[^"]+\/documents\/[^"]+)" data-qa="letter"/.exec(page.body)![1]!;
    const pdf = await commissioner.get(href);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const actions = (await t.database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectId, id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['ending.proposed', 'ending.approved', 'legal-event.recorded', 'ending.recorded', 'document.stored']));
  });

  it('sends only what was written to the person: case notes and staff reasons never reach either letter; a joint letter headed and signed by both bodies', async () => {
    const id = await entitledPerson();
    const staffWords = {
      reasons: 'Kofi, his CPN and I agreed STAFFREASON-7741 at the review.',
      personView: 'Her last two relapses STAFFVIEW-5512 followed changes of worker.',
      otherCarePlan: 'Case note STAFFCARE-3390: GP to review lithium levels.',
    };
    const message = 'We met on 20 November and agreed your aftercare can end.\n\nYour GP will still check your medicine every six months. WRITTENTOYOU-2201';
    const ending = await propose(id, { ...lawful, ...staffWords, messageToPerson: message });
    expect((await decide(manager, id, ending.id, { decision: 'approve', body: 'local-authority' })).statusCode).toBe(302);
    expect((await decide(commissioner, id, ending.id, { decision: 'approve', body: 'icb' })).statusCode).toBe(302);

    const letters = await t.database.db.select().from(personDocument).where(and(eq(personDocument.personId, id), eq(personDocument.kind, 'ending-letter')));
    expect(letters.map((l) => l.accessibleFormat).sort()).toEqual(['easy-read', 'standard']);
    const row = await proposal(ending.id);
    const [laDecider] = await t.database.db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, row.laDecidedBy!));
    const [icbDecider] = await t.database.db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, row.icbDecidedBy!));
    for (const letter of letters) {
      const pdf = await extractPdf(letter.content);
      const everything = pdf.pages.join('\n');
      for (const staff of ['STAFFREASON-7741', 'STAFFVIEW-5512', 'STAFFCARE-3390', 'Kofi, his CPN', 'Her last two relapses', 'lithium']) expect(everything, `${letter.accessibleFormat}: ${staff}`).not.toContain(staff);
      expect(pdf.text).toContain('We met on 20 November and agreed your aftercare can end.');
      expect(pdf.text).toContain('WRITTENTOYOU-2201');
      // Joint: both bodies head the letter, and the person who decided for each signs for it.
      const head = pdf.text.slice(0, pdf.text.indexOf('Dear '));
      expect(head).toContain('A joint letter from Northvale Council and NHS Northvale and Southmere Integrated Care Board');
      const signatures = pdf.text.slice(pdf.text.indexOf('Yours sincerely,'), pdf.text.indexOf('Your section 117 aftercare has ended'));
      expect(signatures).toContain(`${laDecider!.name} Northvale Council`);
      expect(signatures).toContain(`${icbDecider!.name} NHS Northvale and Southmere Integrated Care Board`);
      expect(pdf.info.Author).toBe('Northvale Council and NHS Northvale and Southmere Integrated Care Board');
    }
    // The proposal page shows staff what goes in the letter.
    const page = await manager.get(`/people/${id}/endings/${ending.id}`);
    expect(page.body).toContain('What to tell them in the letter');
    expect(page.body).toContain('WRITTENTOYOU-2201');
  });

  it('asks for what to tell the person on the proposal form, with a hint, and will not save an ending without it', async () => {
    const id = await entitledPerson();
    const form = await manager.get(`/people/${id}/endings/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What to tell Ending in the letter');
    expect(form.body).toContain('Only this goes in the letter.');
    const res = await call('POST', `/api/v1/people/${id}/endings`, { ...lawful, messageToPerson: '   ' });
    expect(res.statusCode, res.body).toBe(422);
    expect((res.json() as { errors: Array<{ path: string; message: string }> }).errors).toContainEqual({ path: 'messageToPerson', message: 'Enter what to tell them in the letter, written to them' });
  });

  it('never lets the same person approve for both bodies (panel@ is in both)', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    expect((await decide(panel, id, ending.id, { decision: 'approve', body: 'local-authority' })).statusCode).toBe(302);
    const page = await panel.get(`/people/${id}/endings/${ending.id}`);
    expect(page.body).toContain('You have already decided for the local authority');
    const second = await decide(panel, id, ending.id, { decision: 'approve', body: 'icb' });
    expect(second.statusCode).toBe(422);
    expect(second.body).toContain('must be made by a different person');
    expect((await proposal(ending.id)).icbDecision).toBeNull();
    expect(await statusOf(id)).toBe('entitled');
  });

  it('refuses (403) a user of a body that is not responsible, and a practitioner', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    const senior = await signedIn(demo.senior);
    // Southmere has no relationship with the person: the page itself is refused.
    await senior.get('/');
    const res = await senior.post(`/people/${id}/endings/${ending.id}/decide`, { version: String(ending.version), decision: 'approve' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You do not have access to this person');
    const practitioner = await signedIn(demo.practitioner);
    const notApprover = await decide(practitioner, id, ending.id, { decision: 'approve' });
    expect(notApprover.statusCode).toBe(403);
    expect(notApprover.body).toContain('Only a team manager, senior practitioner or panel member of the responsible local authority');
    expect(await proposal(ending.id)).toMatchObject({ laDecision: null, icbDecision: null });
  });

  it('lets either body decline, with reasons', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    const noReason = await decide(commissioner, id, ending.id, { decision: 'decline', body: 'icb' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('Give the reasons for declining');
    expect((await decide(commissioner, id, ending.id, { decision: 'decline', body: 'icb', reason: 'Still needs the support worker to stay well.' })).statusCode).toBe(302);
    expect(await proposal(ending.id)).toMatchObject({ status: 'declined', icbDecision: 'declined', icbReason: 'Still needs the support worker to stay well.' });
    expect(await statusOf(id)).toBe('entitled');
    // Declined is closed: a new proposal can be made.
    await propose(id);
  });

  it('refuses a decision made on a stale version (409)', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    expect((await decide(manager, id, ending.id, { decision: 'approve' })).statusCode).toBe(302);
    const stale = await decide(commissioner, id, ending.id, { decision: 'approve' }, ending.version);
    expect(stale.statusCode).toBe(409);
    expect(await statusOf(id)).toBe('entitled');
  });

  it('saves a proposal with unlawful reasons but shows why it cannot be approved (R10)', async () => {
    const id = await entitledPerson();
    const ending = await propose(id, { ...lawful, reasonCodes: ['refuses-services'] });
    expect(ending.checks.find((c) => c.code === 'ending-reason-not-lawful')).toMatchObject({ outcome: 'fail', rule: 'R10' });
    const refused = await decide(manager, id, ending.id, { decision: 'approve' });
    expect(refused.statusCode).toBe(422);
    // The engine's reason in words, not its codes (issue 13, plain language).
    expect(refused.body).toContain('The reasons given (refuses services) do not include that the person no longer needs aftercare services');
  });

  it('reinstates a mistaken ending by the same joint route: the ending is voided and the entitlement restored, with audit', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    await decide(manager, id, ending.id, { decision: 'approve' });
    await decide(commissioner, id, ending.id, { decision: 'approve' });
    expect(await statusOf(id)).toBe('ended');
    const endedEventId = (await proposal(ending.id)).legalEventId!;

    const reinstatement = await propose(id, { kind: 'reinstatement', reasons: 'The review was about a different person with the same name.', personInvolved: true, personView: 'Wants the support back.' });
    expect(reinstatement.checksPassed).toBe(true);
    expect((await decide(commissioner, id, reinstatement.id, { decision: 'approve' })).statusCode).toBe(302);
    expect(await statusOf(id)).toBe('ended');
    expect((await decide(manager, id, reinstatement.id, { decision: 'approve' })).statusCode).toBe(302);
    expect(await statusOf(id)).toBe('entitled');
    expect(await proposal(reinstatement.id)).toMatchObject({ status: 'recorded', legalEventId: endedEventId });
    const voided = (await t.database.db.select().from(legalEvent).where(eq(legalEvent.id, endedEventId)))[0]!;
    expect(voided.voidedAt).not.toBeNull();
    expect(voided.voidReason).toContain('different person with the same name');
    const actions = (await t.database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectId, id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['reinstatement.proposed', 'reinstatement.approved', 'legal-event.voided', 'reinstatement.recorded']));
  });

  it('lists proposals and shows the pages to a practitioner', async () => {
    const id = await entitledPerson();
    const ending = await propose(id);
    const list = await call('GET', `/api/v1/people/${id}/endings`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ open: ending.id, endings: [{ id: ending.id, status: 'proposed' }] });
    const practitioner = await signedIn(demo.practitioner);
    expect((await practitioner.get(`/people/${id}/endings`)).body).toContain('A proposal is waiting for decisions');
    // One open proposal per person.
    const second = await call('POST', `/api/v1/people/${id}/endings`, lawful);
    expect(second.statusCode).toBe(422);
    // The form, and its errors.
    expect((await practitioner.get(`/people/${id}/endings/new`)).statusCode).toBe(200);
    const other = await entitledPerson();
    await practitioner.get(`/people/${other}/endings/new`);
    const empty = await practitioner.post(`/people/${other}/endings/new`, { kind: 'ending' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Explain the reasons in your own words');
    expect(empty.body).toContain('Choose at least one reason') ;
  });
});

describe('the endings API', () => {
  it('refuses an unknown field or a wrong type with a 422 naming it, and asks for the answers an ending needs', async () => {
    const id = await entitledPerson();
    const wrong = await call('POST', `/api/v1/people/${id}/endings`, { ...lawful, personInvolved: 'yes', approvedBy: ['icb'] });
    expect(wrong.statusCode, wrong.body).toBe(422);
    const paths = (wrong.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['personInvolved', 'approvedBy']));
    const missing = await call('POST', `/api/v1/people/${id}/endings`, { reasons: 'x', personInvolved: true, personView: 'y' });
    expect(missing.statusCode, missing.body).toBe(422);
    expect((missing.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(expect.arrayContaining(['effectiveOn', 'reasonCodes', 'otherCarePlan', 'messageToPerson']));
    expect((await call('GET', `/api/v1/people/${id}/endings/not-a-uuid`)).statusCode).toBe(404);
  });

  it('is in the OpenAPI document, tagged, with no approval endpoint', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; responses: Record<string, unknown> }>> };
    const endings = '/api/v1/people/{id}/endings';
    for (const [path, method, statuses] of [
      [endings, 'get', ['200', '403', '404']],
      [endings, 'post', ['201', '403', '404', '422']],
      [`${endings}/{endingId}`, 'get', ['200', '403', '404']],
    ] as const) {
      const op = spec.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeTruthy();
      expect(op!.tags).toEqual(['endings']);
      for (const status of statuses) expect(op!.responses[status], `${method} ${path} ${status}`).toBeTruthy();
    }
    expect(spec.paths[endings]!.post!.requestBody).toBeTruthy();
    expect(Object.keys(spec.paths).filter((p) => p.includes('endings') && /decide|approve/.test(p))).toEqual([]);
  });
});

describe('ending while conditionally discharged (R8)', () => {
  it('blocks without legal sign-off, needs the sign-off described, and passes with it', async () => {
    const id = await entitledPerson({ onto: 'conditional-discharge' });
    const blocked = await propose(id);
    expect(blocked.checksPassed).toBe(false);
    expect(blocked.checks.find((c) => c.rule === 'R8')?.outcome).toBe('fail');
    const b = await signedIn(demo.practitioner);
    expect((await b.post(`/people/${id}/endings/${blocked.id}/withdraw`, { version: String(blocked.version) })).statusCode).toBe(302);
    expect((await t.database.db.select().from(endingProposal).where(eq(endingProposal.id, blocked.id)))[0]!.status).toBe('withdrawn');

    const noNote = await call('POST', `/api/v1/people/${id}/endings`, { ...lawful, legalOverride: true });
    expect(noNote.statusCode).toBe(422);
    expect((noNote.json() as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('legalOverrideNote');

    const signedOff = await propose(id, { ...lawful, legalOverride: true, legalOverrideNote: 'Ministry of Justice and the responsible clinician agreed on 20 November 2025: absolute discharge application pending.' });
    expect(signedOff.checks.find((c) => c.rule === 'R8')?.outcome).toBe('pass');
    expect(signedOff.checksPassed).toBe(true);
  });
});
