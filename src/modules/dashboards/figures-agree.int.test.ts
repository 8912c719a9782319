import { and, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { seedDemoPeople } from '../demo/people.ts';
import { seedDemoPlans } from '../demo/plans.ts';
import { seedDemoPopulation } from '../demo/population.ts';
import { visibleText } from '../../../test/plain-language.ts';
import { dispute } from '../disputes/schema.ts';
import { person, task } from '../register/schema.ts';

/*
 * Issue 13, item 8 ("every list and every count agree"): on the demo partnership, seen as
 * several roles through HTTP, every linked figure on the dashboard (the headline and each
 * section) equals the number of people on the register list it links to; the weekly cost
 * equals the total of its types; the open disputes by age add up to the disputes list; every
 * dispute task has its dispute on the list; and most entitled people have been given their
 * rights in writing.
 */

let t: TestApp;
let partnershipId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoPeople(t.database, { count: 120 });
  partnershipId = (await t.database.db.select({ p: person.partnershipId }).from(person).limit(1))[0]!.p;
  await t.database.db.transaction(async (tx) => {
    await seedDemoPlans(tx, partnershipId, t.config);
    await seedDemoPopulation(tx, partnershipId);
  });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const decode = (href: string) => href.replace(/&amp;/g, '&');
const number = (text: string) => Number(text.replace(/[£,]/g, ''));

/** The number of people a register page says it lists. */
function listed(html: string): number {
  const showing = /data-qa="showing">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  if (showing.includes('No people match')) return 0;
  const m = /of (more than )?<b>([\d,]+)<\/b>/.exec(showing);
  expect(m, showing).not.toBeNull();
  expect(m![1], 'the list is counted exactly').toBeUndefined();
  return number(m![2]!);
}

/** Every figure on the page that links to the register: its number, where it goes, and what it is. */
function registerLinks(html: string): Array<{ figure: number; href: string; what: string }> {
  return [...html.matchAll(/<a class="govuk-link" href="(\/register\?[^"]+)">([\d,]+)<span class="govuk-visually-hidden">([^<]*)<\/span><\/a>/g)].map((m) => ({
    href: decode(m[1]!),
    figure: number(m[2]!),
    what: m[3]!.trim(),
  }));
}

const qa = (html: string, name: string) => new RegExp(`data-qa="${name}"[^>]*>(?:<a [^>]*>)?([^<]*)`).exec(html)?.[1]?.trim() ?? null;

describe('dashboard figures and their lists agree (issue 13, item 8)', () => {
  for (const [who, email] of [
    ['a Northvale team manager', demo.manager],
    ['the ICB commissioner', demo.commissioner],
    ['a Southmere senior practitioner', demo.senior],
    ['a Northvale practitioner', demo.practitioner],
  ] as const) {
    it(`for ${who}: each linked figure equals the number of people on its list, the weekly cost the total of its types, and open disputes the disputes list`, async () => {
      const b = await signedInBrowser(t.app, email);
      const page = await b.get('/dashboards?view=director');
      expect(page.statusCode).toBe(200);

      const links = registerLinks(page.body);
      // The headline's three people figures are among them, and at least one section's.
      for (const name of ['entitled now', 'overdue reviews', 'never given rights in writing']) expect(links.some((l) => l.what.startsWith(name)), name).toBe(true);
      expect(links.length).toBeGreaterThan(3);
      expect(links.some((l) => l.figure > 0)).toBe(true);
      for (const link of links) {
        const list = await b.get(link.href);
        expect(list.statusCode, link.href).toBe(200);
        expect({ what: link.what, count: listed(list.body) }).toEqual({ what: link.what, count: link.figure });
      }

      // The weekly cost is the total of the cost by type of service.
      const weekly = number(qa(page.body, 'headline-weekly-cost')!);
      const byType = [...page.body.matchAll(/data-qa="cost-type-week-[^"]+">([^<]+)</g)].reduce((sum, m) => sum + number(m[1]!), 0);
      expect(Math.round(byType * 100)).toBe(Math.round(weekly * 100));

      // Open disputes by age add up to the open disputes list.
      const ages = ['disputes-under2', 'disputes-2to4', 'disputes-over4'].reduce((sum, name) => sum + number(new RegExp(`data-qa="${name}"><a [^>]*>([\\d,]+)`).exec(page.body)![1]!), 0);
      const disputes = await b.get('/disputes');
      expect(disputes.statusCode).toBe(200);
      expect([...disputes.body.matchAll(/data-qa="dispute"/g)].length).toBe(ages);
    }, 120_000);
  }

  it('the demo has disputes, and every open dispute task has its dispute on the disputes list', async () => {
    const tasks = await t.database.db
      .select({ personId: task.personId, flag: task.flag })
      .from(task)
      .where(and(eq(task.partnershipId, partnershipId), eq(task.status, 'open'), eq(task.flag, 'sos-referral-due')));
    expect(tasks.length).toBeGreaterThan(0);
    const open = await t.database.db
      .select({ personId: dispute.personId })
      .from(dispute)
      .where(and(eq(dispute.partnershipId, partnershipId), ne(dispute.stage, 'resolved'), inArray(dispute.personId, tasks.map((x) => x.personId))));
    expect(new Set(open.map((d) => d.personId))).toEqual(new Set(tasks.map((x) => x.personId)));
    // And the list a manager opens shows them.
    const b = await signedInBrowser(t.app, demo.manager);
    const list = (await b.get('/disputes')).body;
    expect(list).not.toContain('data-qa="no-disputes"');
    expect([...list.matchAll(/data-qa="referral-due"/g)].length).toBeGreaterThan(0);
    // Resolved disputes are on the full list too.
    const all = (await b.get('/disputes?all=true')).body;
    expect([...all.matchAll(/data-qa="dispute"/g)].length).toBeGreaterThan([...list.matchAll(/data-qa="dispute"/g)].length);
  });

  it('most people entitled have been given their rights in writing; a minority have not', async () => {
    const entitled = await t.database.db.select({ on: person.rightsGivenInWritingOn }).from(person).where(and(eq(person.partnershipId, partnershipId), eq(person.status, 'entitled')));
    const never = entitled.filter((p) => p.on === null).length;
    expect(entitled.length).toBeGreaterThan(30);
    expect(never).toBeGreaterThan(0);
    expect(never).toBeLessThan(entitled.length * 0.3);
  });

  it('names bodies outside the partnership, never by a code, on the dashboard and equality monitoring', async () => {
    const b = await signedInBrowser(t.app, demo.commissioner);
    const dashboard = visibleText((await b.get('/dashboards?view=director')).body);
    const equality = visibleText((await b.get('/dashboards/equality')).body);
    // The demo's out-of-area people are the responsibility of Swindon (E06000030 in the reference list).
    expect(dashboard).toContain('Swindon Borough Council (outside this partnership)');
    for (const text of [dashboard, equality]) expect(text.match(/\b[EW]\d{8}\b/g)).toBeNull();
  });
});
