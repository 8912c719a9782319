import fs from 'node:fs';
import axe from 'axe-core';
import { chromium, selectors, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/** Debian's Chromium (apt-get install -y chromium); CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);

export const DEMO_PASSWORD = 'demo-aftercare-117';

/*
 * Every journey shares the one app's database, so each takes synthetic NHS numbers
 * (syntheticNhsNumbers(skip), about 909,000 in all) from a block no other journey's can reach,
 * or a number it adds is already someone else's: the demo's 400 people are the first numbers;
 * capacity 500,000+, Care Act 520,000+, carers 540,000+, safeguarding 560,000+, subject access
 * and work queues 600,000+, case notes 650,000+, chronology, disputes, record, risk and uploads
 * 700,000+, the import's spreadsheet 780,000 to 782,200, register 800,000+, forms 860,000+,
 * charges 905,000. A new journey takes a block of its own.
 */

export function baseUrl(): string {
  return inject('baseUrl');
}

export async function launch(): Promise<Browser> {
  selectors.setTestIdAttribute('data-qa');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh browser context. bypassCSP lets axe-core inject its script under our strict
 * CSP; the pages themselves are unchanged.
 */
export async function newContext(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl(), bypassCSP: true, timezoneId: 'Europe/London', locale: 'en-GB', ...options });
  context.setDefaultTimeout(10_000);
  return context;
}

/** axe at a phone's width (390 px, where nothing may scroll sideways) and a desk's (1280 px). */
export async function checkDeskAndPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await checkA11y(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${page.url()} scrolls sideways at 390 px`).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });
  await checkA11y(page);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Every page a journey visits is scanned: WCAG 2.0, 2.1 and 2.2 A and AA rules, and axe's best
 * practice, no violations allowed. axe-core runs in the page itself, put there once for each
 * document, and reports only violations: three to five times cheaper than @axe-core/playwright's
 * builder, which injected axe afresh into every frame and a new blank page for each scan and
 * described every passing node (measured on the register: 3.9 s a scan to 0.75 s). Aftercare's
 * pages have no frames, so the top document is the whole page.
 */
/**
 * The one known exception, as narrow as it can be: GOV.UK Frontend's radios put `aria-expanded`
 * on a radio that reveals a conditional question, which ARIA 1.2 does not allow on a radio. The
 * GOV.UK Design System keeps it on purpose, because screen readers announce it and research with
 * their users found it helps (alphagov/govuk-frontend#979, a documented known issue). Any other
 * attribute, element or rule still fails.
 */
function isGovukConditionalRadio(rule: string, node: axe.NodeResult): boolean {
  if (rule !== 'aria-allowed-attr' || !node.html.includes('govuk-radios__input') || !node.html.includes('aria-controls="conditional-')) return false;
  const failing = [...node.all, ...node.any, ...node.none].flatMap((check) => {
    const data = check.data as { values?: unknown } | unknown[] | null;
    const values = Array.isArray(data) ? data : Array.isArray(data?.values) ? data.values : [];
    return values.map(String);
  });
  return failing.length > 0 && failing.every((attribute) => attribute.startsWith('aria-expanded='));
}

export async function checkA11y(page: Page): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const found = await page.evaluate(
    async (tags) => (await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations,
    AXE_TAGS,
  );
  const violations = found.map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isGovukConditionalRadio(v.id, n)) })).filter((v) => v.nodes.length > 0);
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  if (summary.length > 0) throw new Error(`Accessibility violations on ${page.url()}:\n${summary.join('\n')}`);
  expect(violations).toHaveLength(0);
}

/**
 * Open a list's filter panel if it is closed. With JavaScript, below 1600 px wide, the register's
 * filter starts closed behind a "Show filter" button (MoJ's filter toggle button).
 */
export async function showFilter(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Show filter' });
  if ((await toggle.count()) > 0 && (await toggle.isVisible())) await toggle.click();
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect.poll(() => page.url()).toContain('/signed-out');
}

/** Fill a GOV.UK date input found by its fieldset legend. */
export async function fillDate(page: Page, legend: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(d)));
  await group.getByLabel('Month').fill(String(Number(m)));
  await group.getByLabel('Year').fill(y!);
}

/**
 * Record a legal event from the person's page: choose it, answer its questions, check the
 * answers, record it. With `a11y`, each page of the journey is scanned with axe.
 */
export async function recordEvent(page: Page, what: string, answer: (page: Page) => Promise<void>, options: { a11y?: boolean } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Record an event' }).click();
  if (options.a11y) await checkA11y(page);
  await page.getByLabel(what, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await answer(page);
  if (options.a11y) await checkA11y(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check the details before recording');
  if (options.a11y) await checkA11y(page);
  await page.getByRole('button', { name: 'Record event' }).click();
  await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('recorded');
}

/**
 * An entitled person added through the pages: detained under section 3 at Northvale Hospital
 * (ordinarily resident in Northvale, GP in the ICB), discharged (or onto a CTO, `onto: 'cto'`) and
 * left hospital on `discharged`. Returns the person's path.
 */
export async function addEntitledPerson(
  page: Page,
  person: { nhsNumber: string; givenName: string; familyName: string; dateOfBirth: string; detained: string; discharged: string; onto?: 'discharged' | 'cto' },
): Promise<string> {
  await page.goto('/people/new');
  await page.getByLabel('NHS number').fill(person.nhsNumber);
  await page.getByLabel('First name').fill(person.givenName);
  await page.getByLabel('Last name').fill(person.familyName);
  await fillDate(page, 'Date of birth', person.dateOfBirth);
  await page.getByRole('button', { name: 'Save' }).click();
  await recordEvent(page, 'Detained in hospital', async (p) => {
    await fillDate(p, 'Date', person.detained);
    await p.getByLabel('Legal status').selectOption('03');
    await p.getByLabel('Hospital').fill('Northvale Hospital');
    await p.getByLabel('Ordinary residence immediately before this detention').selectOption('E06000901');
    await p.getByLabel('ICB of their GP practice when the application was made').selectOption('E54000901');
  });
  await recordEvent(page, 'Detention ended', async (p) => {
    await fillDate(p, 'Date', person.discharged);
    await p.getByLabel(person.onto === 'cto' ? 'Onto a community treatment order' : 'Discharged', { exact: true }).check();
  });
  await recordEvent(page, 'Left hospital', async (p) => {
    await fillDate(p, 'Date', person.discharged);
  });
  return new URL(page.url()).pathname.replace(/\/history$/, '');
}
