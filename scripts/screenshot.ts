// Refreshes docs/screenshot.png for the README: `npx tsx scripts/screenshot.ts http://localhost:3000`
// with the app running on the demo seed and Debian's Chromium installed.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1200, height: 860 }, baseURL: base });
await page.goto('/sign-in');
await page.getByLabel('Email address').fill(process.env.SCREENSHOT_USER ?? 'admin@demo.aftercare.example');
await page.getByLabel('Password').fill('demo-aftercare-117');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL(`${base}/`);
await page.goto(process.env.SCREENSHOT_PATH ?? '/');
await page.screenshot({ path: 'docs/screenshot.png' });
await browser.close();
console.log('Wrote docs/screenshot.png');
