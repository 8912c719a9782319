import fs from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The lint rule that keeps drizzle-orm in the data layer (eslint.config.js), checked against the
 * files as they are; and the service context, which carries the door and no raw database.
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
  it('is imported by no module file but its data layer (schema.ts, *.queries.ts, *.repository.ts)', () => {
    const outside = moduleFiles(modulesDir).filter((file) => !exempt.test(file) && !dataLayer.test(file) && importsDrizzle(file));
    expect(outside).toEqual([]);
  });

  it('is forbidden by the lint rule in every module file that is not a data-layer file or a test', async () => {
    const eslint = new ESLint({ cwd: root });
    const files = moduleFiles(modulesDir).filter((file) => !exempt.test(file) && !dataLayer.test(file));
    const unguarded: string[] = [];
    for (const file of files) {
      if (!forbidsDrizzle((await eslint.calculateConfigForFile(path.join(root, file))) as Linter.Config)) unguarded.push(file);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(unguarded).toEqual([]);
  });

  it('gives services no raw database: the context carries the door, not `db`', () => {
    const context = fs.readFileSync(path.join(root, 'src/platform/http/context.ts'), 'utf8');
    const contextInterface = context.slice(context.indexOf('export interface ServiceContext {'), context.indexOf('}', context.indexOf('export interface ServiceContext {')));
    expect(contextInterface).toContain('data: DataDoor');
    expect(contextInterface).not.toMatch(/\bdb\??:/);
    const usesCtxDb = moduleFiles(modulesDir).filter((file) => !exempt.test(file) && /\bctx\.db\b/.test(fs.readFileSync(path.join(root, file), 'utf8')));
    expect(usesCtxDb).toEqual([]);
  });
});
