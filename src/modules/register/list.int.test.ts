import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { addDays, addMonths } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { appUser, auditEvent } from '../../platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { createPerson, recordEvent } from './people.service.ts';
import { task, team } from './schema.ts';

/*
 * The register list, its downloads, the hospital pipeline and the lost-to-follow-up finder,
 * through HTTP as each role sees them. People are created through the service functions the
 * pages use, as signed-in demo users.
 */

let t: TestApp;
const today = todayInLondon();
const nhsNumbers = syntheticNhsNumbers(7_000);
const nextNhs = () => nhsNumbers.next().value as string;

async function contextFor(email: string): Promise<ServiceContext> {
  const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, email)))[0]!;
  const actor = (await loadUserActor(t.database.db, user.id))!;
  return serviceContext({ db: t.database.db, actor, requestId: `test:${randomUUID()}`, config: t.config });
}

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

interface Made {
  id: string;
  nhsNumber: string;
}

async function make(ctx: ServiceContext, input: Record<string, unknown>, events: Array<Record<string, unknown>> = []): Promise<Made> {
  const nhsNumber = (input.nhsNumber as string | undefined) ?? nextNhs();
  const created = await createPerson(ctx, { dateOfBirth: '1980-04-01', ...input, nhsNumber }, { confirmDuplicate: true });
  if (created.outcome !== 'created') throw new Error('not created');
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return { id: created.person.id, nhsNumber };
}

const detained = (date: string, ordinaryResidence = 'E06000901') => ({ type: 'detention-started', date, legalStatusCode: '03', ordinaryResidence, icbOfGpRegistration: 'E54000901' });
const discharged = (date: string) => [
  { type: 'detention-ended', date, reason: 'discharged' },
  { type: 'left-hospital', date },
];

/** A small RFC 4180 reader for the downloaded CSV. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const rowNames = (html: string) => [...html.matchAll(/data-qa="person-link">([^<]+)</g)].map((m) => m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));

let northvaleTeam: string;
let southmereTeam: string;
let samOkafor: string;
const p: Record<string, Made> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  northvaleTeam = (await db.select().from(team).where(eq(team.name, 'Northvale Community Mental Health Team')))[0]!.id;
  southmereTeam = (await db.select().from(team).where(eq(team.name, 'Southmere Recovery Team')))[0]!.id;
  samOkafor = (await db.select().from(appUser).where(eq(appUser.email, demo.practitioner)))[0]!.id;
  const nv = await contextFor(demo.practitioner);
  const sm = await contextFor(demo.senior);

  // Entitled, allocated, seen recently and reviewed: on the register, not lost. Detained before July 2022 (a flag).
  p.ada = await make(
    nv,
    { nhsNumber: '9990000018', givenName: 'Ada', familyName: 'Lovelace', ethnicity: 'A', engagement: 'engaged', allocatedTeamId: northvaleTeam, leadPractitionerId: samOkafor, lastContactOn: addDays(today, -10) },
    [detained('2021-05-01'), ...discharged('2021-09-01'), { type: 'reviewed', date: addDays(today, -20) }],
  );
  // Pending: discharge expected in 10 days, planning under way.
  p.ben = await make(nv, { givenName: 'Ben', familyName: 'Pending', expectedDischargeOn: addDays(today, 10), dischargePlanning: 'in-progress' }, [detained(addDays(today, -60))]);
  // Pending: expected discharge already passed, planning not started; Southmere is the prospective authority.
  p.cleo = await make(nv, { givenName: 'Cleo', familyName: 'Overstay', expectedDischargeOn: addDays(today, -5), dischargePlanning: 'not-started' }, [detained(addDays(today, -90), 'E06000902')]);
  // Entitled, review overdue, no team, never contacted, disengaged: lost for every reason.
  p.dan = await make(nv, { givenName: 'Dan', familyName: 'Adrift', ethnicity: 'N', engagement: 'disengaged' }, [detained('2024-01-10'), ...discharged('2024-03-01')]);
  // Entitled, allocated, reviewed, last contact 8 months ago: lost at 6 months, not at 12.
  p.eve = await make(nv, { givenName: 'Eve', familyName: 'Quiet', allocatedTeamId: northvaleTeam, lastContactOn: addMonths(today, -8) }, [
    detained('2024-02-01'),
    ...discharged('2024-04-01'),
    { type: 'reviewed', date: addDays(today, -30) },
  ]);
  // Entitled, first review due in two weeks.
  p.fay = await make(nv, { givenName: 'Fay', familyName: 'Dueson', allocatedTeamId: northvaleTeam, lastContactOn: addDays(today, -3) }, [
    detained(addDays(today, -100)),
    ...discharged(addDays(today, -28)),
  ]);
  // Text a spreadsheet would run as a formula.
  p.formula = await make(nv, { givenName: '=HYPERLINK("http://example.invalid","x")', familyName: '+Formula', lastContactOn: addDays(today, -1) });
  // Southmere's person: only Southmere (and the ICB) can see them.
  p.sue = await make(sm, { givenName: 'Sue', familyName: 'Southmereonly', allocatedTeamId: southmereTeam }, [detained('2024-05-01', 'E06000902'), ...discharged('2024-08-01')]);
  // Enough of Northvale's people to need a second page.
  for (let i = 0; i < 48; i++) await make(nv, { givenName: `Person${String(i).padStart(2, '0')}`, familyName: 'Bulk' });
}, 180_000);

afterAll(async () => {
  await t.close();
});

describe('the register list', () => {
  it('shows a practitioner the people they can see, 50 to a page, each linking to their record', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/register');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 class="govuk-heading-l">Register</h1>');
    expect(res.body).toMatch(/Showing <b>1<\/b> to <b>50<\/b> of <b>55<\/b> people/);
    expect(res.body).toContain(`href="/people/${p.dan!.id}"`);
    expect(res.body).toContain('class="govuk-pagination');
    expect(res.body).toContain('aria-sort="ascending"');
    expect(res.body).not.toContain('Southmereonly');
    // Everyone on the first page, by family name: "+Formula" sorts before letters.
    expect(rowNames(res.body)).toHaveLength(50);
    expect(rowNames(res.body)[0]).toBe('+Formula, =HYPERLINK("http://example.invalid","x")');

    const entitled = await b.get('/register?status=entitled');
    const ada = entitled.body.split('data-qa="register-row"').find((r) => r.includes('Lovelace, Ada'))!;
    expect(ada).toContain(`href="/people/${p.ada!.id}"`);
    expect(ada).toContain('999\u00a0000\u00a00018');
    expect(ada).toContain('1\u00a0Apr\u00a01980');
    expect(ada).toContain('Entitled');
    expect(ada).toContain('Northvale Council');
    expect(ada).toContain('NHS Northvale and Southmere Integrated Care Board');
    expect(ada).toContain('Northvale Community Mental Health Team');
    expect(ada).toContain('Sam Okafor');
    expect(ada).toContain('ICB rule before July 2022');
    const dan = entitled.body.split('data-qa="register-row"').find((r) => r.includes('Adrift, Dan'))!;
    expect(dan).toMatch(/govuk-tag--red">\s*Overdue/);
    expect(dan).toContain('No team');
  });

  it('finds someone by NHS number, with or without spaces, and by part of a name in any case', async () => {
    const b = await signedIn(demo.practitioner);
    for (const q of ['999 000 0018', '9990000018', ' 999-000-0018 ']) {
      const res = await b.get(`/register?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(rowNames(res.body)).toEqual(['Lovelace, Ada']);
    }
    expect(rowNames((await b.get('/register?q=LOVE')).body)).toEqual(['Lovelace, Ada']);
    expect(rowNames((await b.get('/register?q=ada')).body)).toEqual(['Lovelace, Ada']);
    expect(rowNames((await b.get('/register?q=ada+love')).body)).toEqual(['Lovelace, Ada']);
    expect(rowNames((await b.get('/register?q=velac')).body)).toEqual(['Lovelace, Ada']);
    // Wildcards are text, not patterns.
    expect(rowNames((await b.get('/register?q=%25')).body)).toEqual([]);
    const none = await b.get('/register?q=Nobodyhere');
    expect(none.body).toContain('No people match this search and these filters.');
  });

  it('explains a search it cannot run, on the search box, without a server error', async () => {
    const b = await signedIn(demo.practitioner);
    const short = await b.get('/register?q=99900');
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('There is a problem');
    expect(short.body).toContain('Enter a 10-digit NHS number, like 999 000 0018, or a name');
    expect(short.body).toContain('href="#q"');
    const check = await b.get('/register?q=9990000019');
    expect(check.statusCode).toBe(422);
    expect(check.body).toContain('fails the NHS number check digit');
    const long = await b.get(`/register?q=${'x'.repeat(101)}`);
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('Search must be 100 characters or fewer');
  });

  it('filters by status, authority, ICB, team, lead practitioner, flag, review, engagement and ethnicity', async () => {
    const b = await signedIn(demo.practitioner);
    const names = async (query: string) => {
      const res = await b.get(`/register?${query}`);
      expect(res.statusCode, query).toBe(200);
      return rowNames(res.body).sort();
    };
    const total = async (query: string) => {
      const res = await b.get(`/register?${query}`);
      return Number(/ of <b>(\d+)<\/b>/.exec(res.body)?.[1] ?? 0);
    };
    expect(await names('status=pending')).toEqual(['Overstay, Cleo', 'Pending, Ben']);
    expect(await names('status=entitled')).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Lovelace, Ada', 'Quiet, Eve']);
    expect(await names('status=pending&status=entitled')).toHaveLength(6);
    expect(await names('la=E06000902')).toEqual(['Overstay, Cleo']);
    expect(await names('la=E06000901&status=pending')).toEqual(['Pending, Ben']);
    expect(await total('la=none')).toBe(49);
    expect(await names('icb=QZV&status=entitled')).toHaveLength(4);
    expect(await names('team=' + northvaleTeam)).toEqual(['Dueson, Fay', 'Lovelace, Ada', 'Quiet, Eve']);
    expect(await total('team=none')).toBe(52);
    expect(await total('worker=none')).toBe(54);
    expect(await names('worker=' + samOkafor)).toEqual(['Lovelace, Ada']);
    expect(await names('flag=icb-rule-pre-2022')).toEqual(['Lovelace, Ada']);
    expect(await names('flag=icb-rule-pre-2022&flag=review-overdue')).toContain('Adrift, Dan');
    expect(await names('review=overdue')).toEqual(['Adrift, Dan']);
    expect(await names('review=due')).toEqual(['Dueson, Fay']);
    expect(await names('review=due&review=overdue')).toEqual(['Adrift, Dan', 'Dueson, Fay']);
    expect(await names('engagement=disengaged')).toEqual(['Adrift, Dan']);
    expect(await names('ethnicity=N')).toEqual(['Adrift, Dan']);
    expect(await names('status=entitled&engagement=engaged&q=lovelace')).toEqual(['Lovelace, Ada']);
  });

  it('finds entitled people never given their rights in writing', async () => {
    const b = await signedIn(demo.practitioner);
    const names = async (query: string) => rowNames((await b.get(`/register?${query}`)).body).sort();
    expect(await names('status=entitled&rights=never-in-writing')).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Lovelace, Ada', 'Quiet, Eve']);
    // Ada is given her rights statement in easy read: she leaves the "never" view and joins the other.
    const form = await b.get(`/people/${p.ada!.id}/information-given/new`);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const [y, m, d] = today.split('-');
    const saved = await b.post(`/people/${p.ada!.id}/information-given/new`, {
      version,
      subject: 'rights-statement',
      'givenOn-day': String(Number(d)),
      'givenOn-month': String(Number(m)),
      'givenOn-year': y!,
      format: 'easy-read',
      language: 'English',
      understood: 'yes',
      offerAgain: 'false',
    });
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(302);
    expect(await names('status=entitled&rights=never-in-writing')).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Quiet, Eve']);
    expect(await names('status=entitled&rights=in-writing')).toEqual(['Lovelace, Ada']);
  });

  it('shows chosen filters as tags that each remove one filter, and a link to clear them all', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/register?status=entitled&engagement=disengaged&q=adrift');
    expect(res.body).toContain('Selected filters');
    expect(res.body).toContain('<a class="moj-filter__tag" href="/register?q=adrift&amp;status=entitled"><span class="govuk-visually-hidden">Remove this filter</span> Disengaged</a>');
    expect(res.body).toContain('href="/register?q=adrift&amp;engagement=disengaged"');
    expect(res.body).toContain('href="/register?status=entitled&amp;engagement=disengaged"');
    expect(res.body).toMatch(/href="\/register">Clear filters<\/a>/);
    expect(res.body).toMatch(/<input class="govuk-checkboxes__input" id="status-3" name="status" type="checkbox" value="entitled" checked/);
  });

  it('leaves out filter values it does not know and says so, never a server error', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/register?status=bogus&la=E06000999&team=not-a-uuid&worker=00000000-0000-0000-0000-000000000000&flag=x&review=soon&engagement=&ethnicity=QQ&sort=colour&order=sideways&page=-3');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Some of the choices in the address could not be used');
    expect(res.body).toContain('Status: “bogus” is not one of the choices, so it was not used');
    expect(res.body).toContain('“E06000999” is not a local authority in this partnership');
    expect(res.body).toContain('“not-a-uuid” is not a team in this partnership');
    expect(res.body).toContain('is not a practitioner in this partnership');
    expect(res.body).toContain('The list cannot be sorted by “colour”');
    expect(res.body).toContain('Page number must be 1 or more');
    expect(res.body).toMatch(/Showing <b>1<\/b> to <b>50<\/b> of <b>55<\/b>/);
    const bad = await b.get('/register?page=abc&status[]=x');
    expect(bad.statusCode).toBe(200);
  });

  it('sorts on the server by the column chosen, marking it with aria-sort', async () => {
    const b = await signedIn(demo.practitioner);
    const desc = await b.get('/register?order=desc');
    expect(rowNames(desc.body)[0]).toBe('Quiet, Eve');
    expect(desc.body).toMatch(/aria-sort="descending">\s*<a class="govuk-link govuk-link--no-visited-state" href="\/register">Name/);

    const byReview = await b.get('/register?sort=review');
    expect(rowNames(byReview.body).slice(0, 4)).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Quiet, Eve', 'Lovelace, Ada']);
    expect(byReview.body).toMatch(/aria-sort="ascending">\s*<a [^>]*href="\/register\?sort=review&amp;order=desc">Next review/);
    expect(byReview.body.match(/aria-sort=/g)).toHaveLength(1);

    const byStatus = await b.get('/register?sort=status&status=entitled&status=pending');
    expect(rowNames(byStatus.body)).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Lovelace, Ada', 'Quiet, Eve', 'Overstay, Cleo', 'Pending, Ben']);

    const byLa = await b.get('/register?sort=la&order=desc&status=pending');
    expect(rowNames(byLa.body)).toEqual(['Overstay, Cleo', 'Pending, Ben']);

    const byNhs = await b.get('/register?sort=nhs');
    expect(rowNames(byNhs.body)[0]).toBe('Lovelace, Ada');
  });

  it('pages through the whole view without overlap, keeping filters and order', async () => {
    const b = await signedIn(demo.practitioner);
    const first = await b.get('/register?order=desc');
    expect(first.body).toContain('href="/register?order=desc&amp;page=2"');
    const second = await b.get('/register?order=desc&page=2');
    expect(second.body).toMatch(/Showing <b>51<\/b> to <b>55<\/b> of <b>55<\/b> people/);
    const all = [...rowNames(first.body), ...rowNames(second.body)];
    expect(all).toHaveLength(55);
    expect(new Set(all).size).toBe(55);
    expect(second.body).toContain('rel="prev"');
    // A page past the end shows the last page.
    const beyond = await b.get('/register?order=desc&page=99');
    expect(rowNames(beyond.body)).toEqual(rowNames(second.body));
  });

  it('never shows a Southmere practitioner a Northvale-only person, in the list, a search or a download', async () => {
    const b = await signedIn(demo.senior);
    const list = await b.get('/register');
    expect(rowNames(list.body)).toEqual(['Overstay, Cleo', 'Southmereonly, Sue']);
    expect((await b.get('/register?q=9990000018')).body).not.toContain('Lovelace');
    expect(rowNames((await b.get('/register?q=lovelace')).body)).toEqual([]);
    const csv = await b.get('/register.csv');
    expect(csv.body).not.toContain('Lovelace');
    expect(parseCsv(csv.body.replace(/^\uFEFF/, ''))).toHaveLength(3);
    const xlsx = await b.get('/register.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('Register')!.rowCount).toBe(2 + 1);
  });

  it('shows the ICB’s commissioner everyone the ICB is responsible for, across its local authorities', async () => {
    const b = await signedIn(demo.commissioner);
    const res = await b.get('/register?status=entitled&status=pending');
    expect(rowNames(res.body).sort()).toEqual(['Adrift, Dan', 'Dueson, Fay', 'Lovelace, Ada', 'Overstay, Cleo', 'Pending, Ben', 'Quiet, Eve', 'Southmereonly, Sue']);
    // Bulk people have no responsible bodies yet and were recorded by Northvale: not the ICB's.
    expect((await b.get('/register')).body).not.toContain('Bulk');
  });

  it('is refused to an administrator who holds no role that reads people', async () => {
    const b = await signedIn(demo.admin);
    expect((await b.get('/register')).statusCode).toBe(403);
    expect((await b.get('/register.csv')).statusCode).toBe(403);
    expect((await b.get('/pipeline')).statusCode).toBe(403);
    expect((await b.get('/lost-to-follow-up')).statusCode).toBe(403);
  });

  it('offers the lists in the navigation and on the home page to those who read people', async () => {
    const practitioner = await signedIn(demo.practitioner);
    const home = await practitioner.get('/');
    for (const text of ['Register', 'Hospital pipeline', 'Lost to follow-up']) expect(home.body).toContain(`>${text}</a>`);
    expect(home.body).toContain('href="/register"');
    const nav = await practitioner.get('/register');
    expect(nav.body).toMatch(/govuk-service-navigation__item--active[^]*?href="\/register"/);
    const admin = await signedIn(demo.admin);
    expect((await admin.get('/')).body).not.toContain('href="/register"');
  });
});

describe('downloading the register view', () => {
  it('downloads every row of the filtered, sorted view as CSV, safe from formula injection, and audits it', async () => {
    const b = await signedIn(demo.practitioner);
    const page = await b.get('/register?order=desc');
    expect(page.body).toContain('href="/register.csv?order=desc"');
    const res = await b.get('/register.csv?order=desc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="aftercare-register-${today}.csv"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]!.slice(0, 5)).toEqual(['NHS number', 'Family name', 'Given name', 'Date of birth', 'Status']);
    expect(rows).toHaveLength(56);
    // Descending by name: Quiet first, +Formula last.
    expect(rows[1]!.slice(1, 3)).toEqual(['Quiet', 'Eve']);
    const formula = rows[55]!;
    expect(formula[1]).toBe("'+Formula");
    expect(formula[2]).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    const ada = rows.find((r) => r[0] === '999 000 0018')!; // spaced, as everywhere people read it (issue 13, item 9)
    expect(ada).toEqual([
      '999 000 0018',
      'Lovelace',
      'Ada',
      '1980-04-01',
      'Entitled',
      '2021-09-01',
      'Northvale Council',
      'E06000901',
      'NHS Northvale and Southmere Integrated Care Board',
      'E54000901',
      addMonths(addDays(today, -20), 12),
      'ICB rule before July 2022',
      'Northvale Community Mental Health Team',
      'Sam Okafor',
      'Engaged',
      'White: British',
      addDays(today, -10),
    ]);

    const audit = await t.database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'register.exported'), eq(auditEvent.subjectType, 'register')));
    const csvAudit = audit.find((a) => (a.after as { format: string }).format === 'csv' && (a.after as { filters: { order?: string } }).filters.order === 'desc');
    expect(csvAudit).toBeTruthy();
    expect(csvAudit!.after).toEqual({ format: 'csv', filters: { sort: 'name', order: 'desc' }, rowCount: 55 });
    expect(csvAudit!.actorUserId).toBe(samOkafor);
  });

  it('downloads the view as XLSX that ExcelJS opens, with real dates and neutralised formulas', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/register.xlsx?status=entitled&sort=review');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="aftercare-register-${today}.xlsx"`);
    expect(res.headers['cache-control']).toBe('no-store');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('Register')!;
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(1).getCell(1).value).toBe('NHS number');
    const families = [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(2).value);
    expect(families).toEqual(['Adrift', 'Dueson', 'Quiet', 'Lovelace']);
    const ada = sheet.getRow(5);
    expect(ada.getCell(1).value).toBe('999 000 0018');
    expect(ada.getCell(4).value).toEqual(new Date('1980-04-01T00:00:00Z'));
    expect(ada.getCell(7).value).toBe('Northvale Council');

    const all = await b.get('/register.xlsx?q=formula');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(all.rawPayload as unknown as ExcelJS.Buffer);
    const row = wb2.getWorksheet('Register')!.getRow(2);
    expect(row.getCell(2).value).toBe("'+Formula");
    expect(row.getCell(3).value).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    expect(row.getCell(3).formula).toBeUndefined();

    const audit = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'register.exported'));
    expect(audit.map((a) => a.after)).toContainEqual({ format: 'xlsx', filters: { status: ['entitled'], sort: 'review', order: 'asc' }, rowCount: 4 });
  });

  it('refuses to download a search it cannot run', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/register.csv?q=12345');
    expect(res.statusCode).toBe(422);
  });
});

describe('the hospital pipeline', () => {
  it('lists pending people soonest discharge first, with days to discharge, planning and prospective bodies', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/pipeline');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('paragraph 33.10');
    expect(res.body).toContain('the planning of after-care needs to start as soon as the patient is admitted to hospital');
    const rows = res.body.split('data-qa="pipeline-row"').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Overstay, Cleo');
    expect(rows[0]).toContain('Overdue by 5 days');
    expect(rows[0]).toContain('govuk-tag--red');
    expect(rows[0]).toContain('Not started');
    expect(rows[0]).toContain('Southmere Borough Council');
    expect(rows[0]).toContain('Northvale Hospital');
    expect(rows[1]).toContain('Pending, Ben');
    expect(rows[1]).toContain('In 10 days');
    expect(rows[1]).toContain('In progress');
    expect(rows[1]).toContain('Northvale Council');
    expect(rows[1]).toContain('NHS Northvale and Southmere Integrated Care Board');
  });

  it('filters by the prospective local authority', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/pipeline?la=E06000901');
    expect(res.body).toContain('Pending, Ben');
    expect(res.body).not.toContain('Overstay, Cleo');
    expect(res.body).toContain('Selected filters');
    const bad = await b.get('/pipeline?la=nowhere');
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('“nowhere” is not a local authority in this partnership');
  });
});

describe('the lost-to-follow-up finder', () => {
  it('lists entitled people with no team, no recent contact or an overdue review, and says why', async () => {
    const b = await signedIn(demo.practitioner);
    const res = await b.get('/lost-to-follow-up');
    expect(res.statusCode).toBe(200);
    const rows = res.body.split('data-qa="lost-row"').slice(1);
    expect(rows.map((r) => /\/people\/[^"]+">([^<]+)</.exec(r)![1])).toEqual(['Adrift, Dan', 'Quiet, Eve']);
    expect(rows[0]).toContain('Review overdue: it was due on');
    expect(rows[0]).toContain('No contact recorded');
    expect(rows[0]).toContain('No allocated team');
    expect(rows[1]).toContain('No contact for more than 6 months: last contact on');
    expect(rows[1]).not.toContain('Review overdue');
    expect(res.body).toContain('Create follow-up task<span class="govuk-visually-hidden"> for Dan Adrift</span>');

    const year = await b.get('/lost-to-follow-up?months=12');
    expect(year.body).toContain('Adrift, Dan');
    expect(year.body).not.toContain('Quiet, Eve');
  });

  it('checks the number of months with a GOV.UK error', async () => {
    const b = await signedIn(demo.practitioner);
    for (const [months, message] of [
      ['0', 'Number of months must be between 1 and 36'],
      ['37', 'Number of months must be between 1 and 36'],
      ['six', 'Number of months must be a whole number, like 6'],
      ['2.5', 'Number of months must be a whole number, like 6'],
    ] as const) {
      const res = await b.get(`/lost-to-follow-up?months=${months}`);
      expect(res.statusCode, months).toBe(422);
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain(message);
      expect(res.body).toContain('href="#months"');
      expect(res.body).toContain('<title>Error: Lost to follow-up');
    }
  });

  it('creates a follow-up task in one click and comes back with a success banner', async () => {
    const b = await signedIn(demo.practitioner);
    await b.get('/lost-to-follow-up?months=3');
    const res = await b.post(`/lost-to-follow-up/${p.dan!.id}/follow-up`, { months: '3' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/lost-to-follow-up?months=3');
    const back = await b.get(res.headers.location as string);
    expect(back.body).toContain('govuk-notification-banner--success');
    expect(back.body).toContain('Follow-up task created for Dan Adrift, for Northvale Council. It is due today.');
    const danRow = back.body.split('data-qa="lost-row"').find((r) => r.includes('Adrift, Dan'))!;
    expect(danRow).toContain('Follow-up task open, due');
    const tasks = await t.database.db.select().from(task).where(and(eq(task.personId, p.dan!.id), eq(task.kind, 'follow-up')));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.title).toMatch(/^Follow up: review overdue \(due .+\); no contact recorded; no allocated team$/);
    expect(tasks[0]!.status).toBe('open');
    const audit = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'task.created'), eq(auditEvent.subjectId, p.dan!.id)));
    expect(audit).toHaveLength(1);

    // A second click makes no second task.
    const again = await b.post(`/lost-to-follow-up/${p.dan!.id}/follow-up`, {});
    expect(again.statusCode).toBe(302);
    expect((await b.get('/lost-to-follow-up')).body).toContain('Dan Adrift already has an open follow-up task, so no new task was created.');
    expect(await t.database.db.select().from(task).where(and(eq(task.personId, p.dan!.id), eq(task.kind, 'follow-up')))).toHaveLength(1);
  });

  it('refuses a follow-up without the form’s security token, and creates nothing', async () => {
    const b = await signedIn(demo.practitioner);
    await b.get('/lost-to-follow-up');
    const res = await b.post(`/lost-to-follow-up/${p.eve!.id}/follow-up`, {}, null);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Form expired or not valid');
    expect(await t.database.db.select().from(task).where(and(eq(task.personId, p.eve!.id), eq(task.kind, 'follow-up')))).toHaveLength(0);
  });

  it('does not create a task for someone no longer lost, someone unseen, or for a reader who cannot write', async () => {
    const practitioner = await signedIn(demo.practitioner);
    await practitioner.get('/lost-to-follow-up');
    const notLost = await practitioner.post(`/lost-to-follow-up/${p.ada!.id}/follow-up`, {});
    expect(notLost.statusCode).toBe(302);
    expect((await practitioner.get('/lost-to-follow-up')).body).toContain('Ada Lovelace is no longer lost to follow-up, so no task was created.');
    // Someone the practitioner has no relationship with: 403 before anything else, as on every route about a person (issue 12, permission matrix).
    expect((await practitioner.post(`/lost-to-follow-up/${p.sue!.id}/follow-up`, {})).statusCode).toBe(403);
    expect((await practitioner.post('/lost-to-follow-up/not-a-uuid/follow-up', {})).statusCode).toBe(404);

    const commissioner = await signedIn(demo.commissioner);
    const list = await commissioner.get('/lost-to-follow-up');
    expect(list.body).toContain('Southmereonly, Sue');
    expect(list.body).toContain('Only practitioners and managers can create tasks');
    expect((await commissioner.post(`/lost-to-follow-up/${p.sue!.id}/follow-up`, {})).statusCode).toBe(403);
    expect(await t.database.db.select().from(task).where(and(eq(task.personId, p.sue!.id), eq(task.kind, 'follow-up')))).toHaveLength(0);
  });
});

describe('downloading the pipeline and the lost-to-follow-up finder (issue 7: any list as CSV and XLSX)', () => {
  it('downloads every row of the pipeline as CSV and XLSX with the page’s filter, and audits it', async () => {
    const b = await signedIn(demo.practitioner);
    const page = await b.get('/pipeline?la=E06000901');
    expect(page.body).toContain('href="/pipeline.csv?la=E06000901"');
    const res = await b.get('/pipeline.csv?la=E06000901');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="aftercare-hospital-pipeline-${today}.csv"`);
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['NHS number', 'Family name', 'Given name', 'Hospital', 'Expected discharge', 'Discharge planning', 'Team', 'Responsible local authority', 'Responsible ICB']);
    expect(rows.slice(1).map((r) => `${r[1]}, ${r[2]}`)).toEqual(['Pending, Ben']);
    expect(rows[1]![5]).toBe('In progress');
    expect(rows[1]![4]).toBe(addDays(today, 10));

    const all = await b.get('/pipeline.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(all.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('Hospital pipeline')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(2).value).toBe('Overstay');
    expect(sheet.getRow(3).getCell(5).value).toEqual(new Date(`${addDays(today, 10)}T00:00:00.000Z`));

    const audits = await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'list.exported'));
    const pipeline = audits.filter((a) => (a.after as { list?: string }).list === 'pipeline');
    expect(pipeline.map((a) => (a.after as { format: string; rowCount: number }).rowCount).sort()).toEqual([1, 2]);
  });

  it('downloads the lost-to-follow-up finder with the reasons, for the chosen number of months', async () => {
    const b = await signedIn(demo.practitioner);
    const page = await b.get('/lost-to-follow-up?months=12');
    expect(page.body).toContain('href="/lost-to-follow-up.csv?months=12"');
    const rows = parseCsv((await b.get('/lost-to-follow-up.csv')).body.replace(/^\uFEFF/, ''));
    expect(rows.slice(1).map((r) => `${r[1]}, ${r[2]}`)).toEqual(['Adrift, Dan', 'Quiet, Eve']);
    expect(rows[1]![7]).toContain('Review overdue: it was due on');
    expect(rows[1]![7]).toContain('No allocated team');
    const year = parseCsv((await b.get('/lost-to-follow-up.csv?months=12')).body.replace(/^\uFEFF/, ''));
    expect(year.slice(1).map((r) => r[1])).toEqual(['Adrift']);
    const bad = await b.get('/lost-to-follow-up.csv?months=99');
    expect(bad.statusCode).toBe(422);
  });

  it('never puts people the user cannot see into a download, and refuses those who read nobody', async () => {
    const commissioner = await signedIn(demo.commissioner);
    const csv = (await commissioner.get('/pipeline.csv')).body;
    expect(csv).not.toContain('Bulk');
    const admin = await signedIn(demo.admin);
    expect((await admin.get('/pipeline.csv')).statusCode).toBe(403);
    expect((await admin.get('/lost-to-follow-up.xlsx')).statusCode).toBe(403);
  });
});
