import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';
import { auditChecklistItem } from './schema.ts';

/**
 * Issue 13 (plain language): the audit checklist's sources cited the team's research brief
 * ("domain brief §7"). New checklists cite the sources themselves; migration 0012 rewrites a
 * checklist seeded before, and leaves a question the partnership has reworded alone.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const OLD = 'R v Manchester CC ex p Stennett [2002] UKHL 34; domain brief §7 audit checklist';
const NEW = 'R v Manchester CC ex p Stennett [2002] UKHL 34';

async function runMigration0012(): Promise<void> {
  const file = readFileSync(new URL('../../../drizzle/0012_plain-language-sources.sql', import.meta.url), 'utf8');
  for (const statement of file.split('--> statement-breakpoint')) {
    const body = statement.replace(/^\s*--.*$/gm, '').trim();
    if (body) await t.database.db.execute(sql.raw(body));
  }
}

describe('the audit checklist’s sources', () => {
  it('cite no research brief in a new checklist, and migration 0012 rewrites one seeded before', async () => {
    const quality = await signedInBrowser(t.app, demo.quality);
    const fresh = await quality.get('/audits/checklist');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain(NEW);
    expect(fresh.body).not.toMatch(/brief|§/i);

    // A checklist seeded before this change, and one question the partnership reworded.
    await t.database.db.update(auditChecklistItem).set({ source: OLD }).where(eq(auditChecklistItem.source, NEW));
    await t.database.db.update(auditChecklistItem).set({ source: 'Our own wording; domain brief §2' }).where(eq(auditChecklistItem.code, 'P2.1'));
    expect((await quality.get('/audits/checklist')).body).toContain('domain brief §7');

    await runMigration0012();
    const after = await quality.get('/audits/checklist');
    expect(after.body).toContain(NEW);
    expect(after.body).not.toContain('domain brief §7');
    expect(after.body).toContain('Our own wording; domain brief §2');
  });
});
