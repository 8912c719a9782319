/**
 * npm run docs:rules            writes docs/rules.md from the rule catalogue and the contract
 * npm run docs:rules -- --check  exits 1 if docs/rules.md is out of date (for CI)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc, RULES_DOC_PATH } from '../src/domain/rules/rules-doc.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(root, RULES_DOC_PATH);
const expected = renderRulesDoc();

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => null);
  if (current === expected) {
    console.log(`${RULES_DOC_PATH} is up to date.`);
  } else {
    console.error(
      current === null
        ? `${RULES_DOC_PATH} is missing. Run: npm run docs:rules`
        : `${RULES_DOC_PATH} is out of date with the rule catalogue or the contract. Run: npm run docs:rules`,
    );
    process.exitCode = 1;
  }
} else {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, expected);
  console.log(`Wrote ${RULES_DOC_PATH}.`);
}
