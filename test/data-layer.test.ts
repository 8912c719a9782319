import fs from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The lint rule that keeps drizzle-orm in the data layer (eslint.config.js), checked against the
 * files as they are: the allow-list of modules not yet through the door can only shrink.
 */

const root = path.resolve(import.meta.dirname, '..');
const modulesDir = path.join(root, 'src/modules');
const dataLayer = /(\/schema\.ts|\.queries\.ts|\.repository\.ts)$/;
const exempt = /(\.test\.ts$|\/testing\/)/;

function moduleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return moduleFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(root, full)] : [];
  });
}

const importsDrizzle = (file: string) => /from 'drizzle-orm(\/[^']*)?'/.test(fs.readFileSync(path.join(root, file), 'utf8'));

function forbidsDrizzle(config: Linter.Config): boolean {
  const setting = config.rules?.['no-restricted-imports'];
  return JSON.stringify(setting ?? null).includes('drizzle-orm');
}

describe('drizzle-orm only in the data layer', () => {
  it('lists, as not yet through the door, only files that still import drizzle-orm', async () => {
    const { notYetThroughTheDoor } = (await import(path.join(root, 'eslint.config.js'))) as { notYetThroughTheDoor: string[] };
    const stale = notYetThroughTheDoor.filter((file) => !fs.existsSync(path.join(root, file)) || !importsDrizzle(file) || dataLayer.test(file));
    expect(stale, 'Remove these from notYetThroughTheDoor in eslint.config.js').toEqual([]);
  });

  it('forbids drizzle-orm in every other module file that is not a data-layer file or a test', async () => {
    const eslint = new ESLint({ cwd: root });
    const files = moduleFiles(modulesDir).filter((file) => !exempt.test(file));
    const { notYetThroughTheDoor } = (await import(path.join(root, 'eslint.config.js'))) as { notYetThroughTheDoor: string[] };
    const unguarded: string[] = [];
    for (const file of files) {
      if (dataLayer.test(file) || notYetThroughTheDoor.includes(file)) continue;
      if (!forbidsDrizzle((await eslint.calculateConfigForFile(path.join(root, file))) as Linter.Config)) unguarded.push(file);
    }
    expect(unguarded).toEqual([]);
    // The exemplar module is through the door: its service has no drizzle-orm import.
    expect(importsDrizzle('src/modules/settings/settings.service.ts')).toBe(false);
    expect(notYetThroughTheDoor.some((file) => file.startsWith('src/modules/settings/'))).toBe(false);
  });
});
