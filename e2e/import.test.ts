import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyRegister, legacyXlsx } from '../src/modules/imports/testing/legacy-file.ts';
import { checkA11y, hasChromium, launch, newContext, signIn } from './support.ts';

/*
 * An administrator imports a messy 2,000-row spreadsheet: mixed date formats, NHS numbers with
 * spaces, sections written "S3" and "section 37/41", duplicate rows, blank lines, an injected
 * formula and some genuinely bad rows. The dry run shows every problem with its row number;
 * then only the valid rows are imported. axe checks every page.
 */

describe.skipIf(!hasChromium)('import of an existing register', () => {
  let browser: Browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-e2e-import-'));
  const file = legacyRegister({ rows: 2000, messy: true, xlsx: true, skip: 780_000 });
  const xlsxPath = path.join(dir, 'partnership-register.xlsx');

  beforeAll(async () => {
    fs.writeFileSync(xlsxPath, await legacyXlsx(file));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function rejectedRowsShown(page: Page): Promise<Map<number, string>> {
    const shown = new Map<number, string>();
    for (const row of await page.locator('[data-qa="row"]').all()) shown.set(Number(await row.getAttribute('data-row')), (await row.textContent()) ?? '');
    return shown;
  }

  it('an administrator dry-runs a messy spreadsheet, sees every problem with its row number, then imports the valid rows', async () => {
    expect(file.dataRows).toBe(2000);
    expect(file.bad.size).toBeGreaterThan(0);
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, 'admin@demo.aftercare.example');
    await page.goto('/admin');
    await checkA11y(page);
    await page.getByRole('link', { name: 'Import an existing register' }).click();
    await checkA11y(page);

    await page.getByLabel('Register file').setInputFiles(xlsxPath);
    await page.getByRole('button', { name: 'Upload and match columns' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Match the columns');
    await checkA11y(page);
    // The headings were recognised.
    expect(await page.getByLabel('NHS number').inputValue()).toBe('NHS Number');
    expect(await page.getByLabel('Section', { exact: true }).inputValue()).toBe('Section');
    await page.getByLabel('Save this mapping for next time').check();
    await page.getByLabel('Name for the saved mapping (if saving)').fill('Partnership spreadsheet');
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();

    await expect.poll(() => page.locator('h1').textContent()).toBe('Check the import (dry run)');
    await checkA11y(page);
    expect(await page.getByTestId('count-reject').textContent()).toBe(String(file.bad.size));
    expect(await page.getByTestId('count-unchanged').textContent()).toBe(String(file.duplicates.size));
    expect(await page.getByTestId('count-create').textContent()).toBe(String(2000 - file.bad.size - file.duplicates.size));
    // The injected formula is flagged on its row, as text.
    const formulaPage = Math.ceil((file.formulaRow! - 1) / 50);
    await page.goto(`${new URL(page.url()).pathname}?page=${formulaPage}`);
    expect(await page.locator(`[data-row="${file.formulaRow}"]`).textContent()).toContain('starts with =');

    // Every rejected row, page by page, with its reason.
    await page.getByLabel('Show').selectOption('reject');
    await page.getByRole('button', { name: 'Show rows' }).click();
    await checkA11y(page);
    const shown = await rejectedRowsShown(page);
    const importPath = new URL(page.url()).pathname;
    for (let p = 2; p <= Math.ceil(file.bad.size / 50); p++) {
      await page.goto(`${importPath}?outcome=reject&page=${p}`);
      for (const [n, text] of await rejectedRowsShown(page)) shown.set(n, text);
    }
    expect([...shown.keys()].sort((a, b) => a - b)).toEqual([...file.bad.keys()].sort((a, b) => a - b));
    for (const [n, reason] of file.bad) expect(shown.get(n), `row ${n}`).toContain(reason);
    await checkA11y(page);

    // Import the valid rows; the page shows progress until it is done.
    await page.goto(importPath);
    expect(await page.getByRole('link', { name: /Download the rejected rows/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Import only the valid rows' }).click();
    await checkA11y(page);
    for (let i = 0; i < 120 && (await page.getByTestId('status').textContent()) !== 'Imported'; i++) {
      await page.waitForTimeout(500);
      const refresh = page.getByTestId('refresh');
      if (await refresh.count()) await refresh.click();
      else await page.reload();
    }
    expect(await page.getByTestId('status').textContent()).toBe('Imported');
    expect(await page.locator('h1').textContent()).toBe('Register imported');
    expect(await page.getByTestId('count-create').textContent()).toBe(String(2000 - file.bad.size - file.duplicates.size));
    await checkA11y(page);

    await context.close();

    // Administrators manage accounts, not records: the ICB's commissioner finds an imported
    // person on the register, with the responsible bodies the rules engine worked out.
    const first = file.rows[0]!;
    const nhs = String(first[0]).replace(/\D/g, '');
    const commissioner = await (await newContext(browser)).newPage();
    await signIn(commissioner, 'commissioner@demo.aftercare.example');
    await commissioner.goto(`/register?q=${nhs}`);
    await checkA11y(commissioner);
    const main = (await commissioner.locator('main').textContent()) ?? '';
    expect(main).toContain(String(first[2]));
    expect(main).toContain('Northvale Council');
    await commissioner.context().close();
  }, 240_000);
});
