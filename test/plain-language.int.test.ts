import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personDocument } from '../src/modules/documents/schema.ts';
import { aftercarePlan } from '../src/modules/plans/schema.ts';
import { person } from '../src/modules/register/schema.ts';
import { todayInLondon } from '../src/platform/clock.ts';
import { buildApp } from '../src/app.ts';
import { seedDemoRecords, seedDemoWithPeople } from '../src/modules/demo/index.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { organisation } from '../src/platform/db/schema.ts';
import { extractPdf } from '../src/platform/documents/testing/pdf-text.ts';
import type { FastifyInstance } from 'fastify';
import { demo, signedInBrowser, type Browser } from './app.ts';
import { freshDatabase } from './database.ts';
import { contextFor } from './fixtures.ts';
import { importChargeFromApi } from '../src/modules/charges/import.service.ts';
import { plainLanguageFindings, visibleText, type Finding } from './plain-language.ts';

/**
 * Issue #13, item 4 "Plain language everywhere": every page the demo roles reach by following
 * links from Home, and every document they can open, read as a person reads them, shows no ISO
 * date, no raw reason code, no internal research note and no ONS code without its name.
 *
 * Besides the demo's own records, the set-up makes one of every document the demo lacks: a
 * statement and its covering letter (stored), an ending refused by the rules engine and one
 * approved by both bodies (its letters), a panel meeting with a case (its pack) and a wrongful
 * charge (its refund letter).
 */

const MAX_PAGES_PER_ROLE = 150;
/** Pages of one shape (the same path with ids in it, the same query keys) are read this many times. */
const PER_SHAPE = 2;

let database: Database;
let app: FastifyInstance;
let config: ReturnType<typeof loadConfig>;
const organisations = new Map<string, string>();

beforeAll(async () => {
  database = await freshDatabase();
  config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', SIGN_IN_MAX_PER_15_MIN: '1000' });
  await seedDemoWithPeople(database, { count: 40, config, after: seedDemoRecords });
  app = await buildApp({ config, database, logger: false });
  await app.ready();
  for (const o of await database.db.select().from(organisation)) {
    organisations.set(o.code, o.name);
    if (o.onsCode) organisations.set(o.onsCode, o.name);
  }
  await makeOneOfEveryDocument();
}, 120_000);

/** Northvale people who are entitled, with an approved plan first (the panel needs one). */
let refusedEnding: { personId: string; location: string; page: string } | null = null;
const produced: Array<{ what: string; text: string }> = [];

async function makeOneOfEveryDocument(): Promise<void> {
  const entitled = await database.db
    .select({ id: person.id, flags: person.flags })
    .from(person)
    .where(and(eq(person.status, 'entitled'), eq(person.responsibleLocalAuthority, 'E06000901'), eq(person.responsibleIcb, 'E54000901')));
  const plans = await database.db.select({ personId: aftercarePlan.personId, id: aftercarePlan.id }).from(aftercarePlan).where(eq(aftercarePlan.status, 'approved'));
  const withPlan = entitled.find((p) => plans.some((plan) => plan.personId === p.id))!;
  const plan = plans.find((x) => x.personId === withPlan.id)!;
  const others = entitled.filter((p) => p.id !== withPlan.id && p.flags.length === 0);
  const practitioner = await signedInBrowser(app, demo.practitioner);
  const today = todayInLondon();
  const [y, m, d] = today.split('-');
  const endingForm = (reasonCodes: string[]) => ({
    kind: 'ending',
    'effectiveOn-day': String(Number(d)),
    'effectiveOn-month': String(Number(m)),
    'effectiveOn-year': y!,
    reasonCodes,
    reasons: 'Settled for a year with no mental health support needed; agreed at the joint review.',
    personInvolved: 'yes',
    personView: 'Happy to stop.',
    otherCarePlan: 'GP reviews medication every six months.',
    messageToPerson: 'You are well and settled, so your aftercare is ending.',
  });

  // An ending the rules engine refuses (its only reasons cannot end aftercare).
  await practitioner.get(`/people/${withPlan.id}/endings/new`);
  const refused = await practitioner.post(`/people/${withPlan.id}/endings/new`, endingForm(['time-elapsed', 'refuses-services']));
  expect(refused.statusCode, refused.body).toBe(302);
  refusedEnding = { personId: withPlan.id, location: refused.headers.location!, page: (await practitioner.get(refused.headers.location!)).body };
  const refusedId = refused.headers.location!.split('/').pop()!;
  const version = /name="version" value="(\d+)"/.exec(refusedEnding.page)?.[1] ?? '1';
  expect((await practitioner.post(`/people/${withPlan.id}/endings/${refusedId}/withdraw`, { version })).statusCode).toBe(302);

  // An ending both bodies approve: its letters are stored on the person's documents page.
  const manager = await signedInBrowser(app, demo.manager);
  const commissioner = await signedInBrowser(app, demo.commissioner);
  for (const candidate of others.slice(0, 5)) {
    await practitioner.get(`/people/${candidate.id}/endings/new`);
    const res = await practitioner.post(`/people/${candidate.id}/endings/new`, endingForm(['no-longer-in-need']));
    const page = await practitioner.get(res.headers.location!);
    if (!page.body.includes('has been saved.')) continue;
    const endingUrl = res.headers.location!;
    for (const [browser, body] of [[manager, 'local-authority'], [commissioner, 'icb']] as const) {
      const current = await browser.get(endingUrl);
      const v = /name="version" value="(\d+)"/.exec(current.body)![1]!;
      expect((await browser.post(`${endingUrl}/decide`, { version: v, decision: 'approve', body })).statusCode).toBe(302);
    }
    break;
  }

  // The statement in every version, one with its covering letter, and the plan's PDF: stored.
  for (const [version, coveringLetter] of [['standard', 'yes'], ['easy-read', 'no'], ['large-print', 'no']]) {
    await practitioner.get(`/people/${withPlan.id}/documents`);
    expect((await practitioner.post(`/people/${withPlan.id}/documents/statement`, { version: version!, coveringLetter: coveringLetter! })).statusCode).toBe(302);
  }
  await practitioner.get(`/people/${withPlan.id}/plans/${plan.id}`);
  expect((await practitioner.post(`/people/${withPlan.id}/plans/${plan.id}/pdf`, {})).statusCode).toBe(302);

  // A panel case on a meeting: its pack.
  await practitioner.get(`/people/${withPlan.id}/plans/${plan.id}/panel`);
  const submitted = await practitioner.post(`/people/${withPlan.id}/plans/${plan.id}/panel`, { summary: 'Needs daily support after discharge', localAuthorityPercent: '50', basis: 'Equal health and social care needs' });
  if (submitted.statusCode === 302) {
    const caseId = submitted.headers.location!.split('/').pop()!;
    const panel = await signedInBrowser(app, demo.panel);
    await panel.get('/panels/meetings/new');
    const meeting = await panel.post('/panels/meetings/new', { 'meetsOn-day': String(Number(d)), 'meetsOn-month': String(Number(m)), 'meetsOn-year': y!, location: 'Room 2, Northvale House', agenda: 'Funding decisions' });
    expect(meeting.statusCode, meeting.body).toBe(302);
    await panel.get(meeting.headers.location!);
    await panel.post(`${meeting.headers.location!}/cases`, { caseId });
    const pack = await panel.get(`${meeting.headers.location!}/pack.pdf`);
    expect(pack.statusCode).toBe(200);
    produced.push({ what: 'panel pack', text: (await extractPdf(pack.rawPayload)).text });
  }

  // A wrongful charge (from the finance system) and its refund letter: a download made by a form.
  const ctx = await contextFor({ database, config }, demo.practitioner);
  await importChargeFromApi(ctx, withPlan.id, { externalId: 'plain-language-1', serviceDescription: 'Supported accommodation', s117: true, chargedFrom: `${Number(y) - 1}-04-01`, chargedTo: `${Number(y) - 1}-04-30`, amountPence: 50000, paidOn: `${Number(y) - 1}-05-02` });
  await practitioner.get(`/people/${withPlan.id}/charges/refund`);
  const letter = await practitioner.post(`/people/${withPlan.id}/charges/refund/letter`, { to: today });
  expect(letter.statusCode, letter.body.slice(0, 500)).toBe(200);
  produced.push({ what: 'refund letter', text: (await extractPdf(letter.rawPayload)).text });
}

afterAll(async () => {
  await app?.close();
  await database?.close();
});

const skipped = /^\/(sign-out|sign-in|assets|static|public|api\/|favicon)|\.(csv|xlsx|ics|json|zip)(\?|$)|\/(export|download)\b/;

/** List controls (sorting, filters, paging) show the same page again: one shape whatever they hold. */
const listControls = new Set(['sort', 'order', 'page', 'status', 'rights', 'review', 'team', 'engagement', 'la', 'icb', 'source', 'view', 'scope', 'all', 'from', 'to', 'month', 'format', 'q']);

/** The kind of page a link opens: its path with ids taken out, and the query keys that change what it shows. */
function shapeOf(url: string): string {
  const [path, query = ''] = url.split('?');
  const kept = [...new URLSearchParams(query)].filter(([key]) => !listControls.has(key)).map(([key, value]) => `${key}=${value}`).sort().join('&');
  return `${path!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n')}?${kept}`;
}

function linksIn(html: string): string[] {
  const links: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/gi)) {
    const href = m[1]!.replace(/&amp;/g, '&').split('#')[0]!;
    if (href.startsWith('/') && !href.startsWith('//')) links.push(href);
  }
  return links;
}

interface Offence {
  url: string;
  finding: Finding;
}

async function crawl(browser: Browser): Promise<{ pages: number; documents: number; offences: Offence[] }> {
  const queue: string[] = ['/'];
  const seen = new Set<string>(['/']);
  const shapes = new Map<string, number>();
  const offences: Offence[] = [];
  let pages = 0;
  let documents = 0;
  while (queue.length > 0 && pages < MAX_PAGES_PER_ROLE) {
    const url = queue.shift()!;
    const res = await browser.get(url);
    const type = String(res.headers['content-type'] ?? '');
    let text: string;
    if (type.startsWith('application/pdf')) {
      documents += 1;
      text = (await extractPdf(res.rawPayload)).text;
    } else if (type.startsWith('text/html') && res.statusCode === 200) {
      pages += 1;
      text = visibleText(res.body);
      for (const link of linksIn(res.body)) {
        if (seen.has(link) || skipped.test(link)) continue;
        seen.add(link);
        const shape = shapeOf(link);
        const n = shapes.get(shape) ?? 0;
        if (n >= PER_SHAPE) continue;
        shapes.set(shape, n + 1);
        queue.push(link);
      }
    } else continue;
    for (const finding of plainLanguageFindings(text, organisations)) offences.push({ url, finding });
  }
  return { pages, documents, offences };
}

describe('one banner that tells the truth', () => {
  it('shows a proposal the rules engine refuses as saved but blocked, never as a success, with its reasons in words', () => {
    const page = refusedEnding!.page;
    expect(page).not.toContain('govuk-notification-banner--success');
    expect(page).not.toMatch(/>\s*Success\s*</);
    const text = visibleText(page);
    expect(text).toContain('has been saved, but it cannot be approved');
    expect(text).toContain('time has passed, refuses services');
    expect(text).not.toMatch(/time-elapsed|refuses-services|no-longer-in-need/);
  });
});

describe('the rules engine’s reasons, for staff', () => {
  it('gives dates in words, bodies by name, the law as a link, and who recorded each event', async () => {
    const practitioner = await signedInBrowser(app, demo.practitioner);
    const page = await practitioner.get(`/people/${refusedEnding!.personId}`);
    expect(page.statusCode).toBe(200);
    const why = /<ol class="govuk-list govuk-list--number" data-qa="why">([\s\S]*?)<\/ol>/.exec(page.body)![1]!;
    expect(why).toContain('href="https://www.legislation.gov.uk/ukpga/1983/20/section/117"');
    expect(visibleText(why)).toMatch(/entitled to section 117 aftercare since \d{1,2} [A-Z][a-z]+ \d{4} \(local authority Northvale Council, ICB NHS Northvale and Southmere Integrated Care Board\)/);
    const history = await practitioner.get(`/people/${refusedEnding!.personId}/history`);
    expect(visibleText(history.body)).not.toContain('by recorded in Aftercare');
    expect(history.body).toMatch(/<p class="moj-timeline__byline">by (Sam Okafor|Alex Mensah|Lee Ashworth|Jo Lindqvist|Robin Tiernan)<\/p>/);
  });
});

describe('plain language in every document', () => {
  it('made one of each document the demo lacks', () => {
    expect(produced.map((p) => p.what).sort()).toEqual(['panel pack', 'refund letter']);
  });

  it('shows none in any stored document: statements, covering letters, plans, ending letters and refund letters', async () => {
    const stored = await database.db.select({ kind: personDocument.kind, title: personDocument.title, mediaType: personDocument.mediaType, content: personDocument.content }).from(personDocument);
    expect(new Set(stored.map((d) => d.kind))).toEqual(new Set(['statement', 'letter', 'plan', 'ending-letter', 'refund-letter']));
    const report: string[] = [];
    for (const d of stored) {
      expect(d.mediaType).toBe('application/pdf');
      const text = `${d.title}\n${(await extractPdf(d.content)).text}`;
      for (const f of plainLanguageFindings(text, organisations)) report.push(`${d.kind} “${d.title}”\n    ${f.kind}: …${f.text}…`);
    }
    expect(report).toEqual([]);
  });

  it('shows no ISO date, reason code, internal note or code without a name in a document made by a form', () => {
    const report = produced.flatMap((p) => plainLanguageFindings(p.text, organisations).map((f) => `${p.what}\n    ${f.kind}: …${f.text}…`));
    expect(report).toEqual([]);
  });
});

describe('plain language on every page and document the demo roles reach', () => {
  const roles = Object.entries(demo);
  it.each(roles)('as %s: no ISO date, reason code, internal note or code without a name', async (_role, email) => {
    const browser = await signedInBrowser(app, email);
    const { pages, offences } = await crawl(browser);
    expect(pages).toBeGreaterThan(3);
    const report = offences.map((o) => `${o.url}\n    ${o.finding.kind}: …${o.finding.text}…`);
    expect(report).toEqual([]);
  }, 90_000);
});
