/**
 * `aftercare rules evaluate`: every scenario fixture through the CLI in-process (same decision
 * as the library), and a few real processes for the exit codes and standard input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../../domain/rules/index.ts';
import { loadScenarioFixtures, projectDecision } from '../../domain/rules/testing/scenario-fixtures.ts';
import { main } from '../index.ts';
import type { CliIo } from '../io.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = loadScenarioFixtures();

async function runCli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const input = new PassThrough();
  input.end(stdin);
  const io: CliIo = {
    stdin: input,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-rules-'));
  tempDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('rules evaluate (in-process)', () => {
  it.each(fixtures.map(({ fixture, path }) => [`${fixture.scenario}: ${fixture.title}`, fixture, path] as const))(
    '%s',
    async (_name, fixture, fixturePath) => {
      const file = tempFile('case.json', JSON.stringify(fixture.input));
      const result = await runCli(['rules', 'evaluate', file]);
      expect(result.code).toBe(0);
      const decision = JSON.parse(result.stdout);
      expect(projectDecision(decision, fixture.expected)).toEqual(fixture.expected);
      const parsed = parseCase(JSON.parse(readFileSync(fixturePath, 'utf8')).input);
      if (!parsed.ok) throw new Error(parsed.problem.detail);
      expect(decision).toEqual(evaluate(parsed.value));
    },
  );

  it('reads the case from standard input with "-"', async () => {
    const result = await runCli(['rules', 'evaluate', '-'], JSON.stringify(fixtures[0]!.fixture.input));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('entitled');
  });

  it('prints the problem on standard output and exits 2 for an invalid case', async () => {
    const result = await runCli(['rules', 'evaluate', '-'], '{"asOf": "2025-02-30", "events": []}');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 422,
      errors: [{ path: 'asOf', message: 'The asOf date must be a real date: 2025-02-30 does not exist' }],
    });
  });

  it('reports malformed JSON at the body', async () => {
    const result = await runCli(['rules', 'evaluate', '-'], '{"asOf": ');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).errors[0]).toMatchObject({ path: '', message: expect.stringContaining('The JSON is malformed') });
  });

  it('prints the usage and exits 2 without a file, or with too many', async () => {
    for (const args of [['rules', 'evaluate'], ['rules', 'evaluate', 'a.json', 'b.json']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage: npx aftercare rules evaluate <file.json|->');
    }
  });

  it('prints the usage and exits 0 for --help', async () => {
    const result = await runCli(['rules', 'evaluate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage:');
  });

  it('says so and exits 2 when the file cannot be read', async () => {
    const result = await runCli(['rules', 'evaluate', join(tmpdir(), 'no-such-aftercare-case.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such file');
  });
});

describe('rules evaluate (real processes)', () => {
  const bin = join(repoRoot, 'bin', 'aftercare.mjs');
  const spawn = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, 'rules', 'evaluate', ...args], { cwd: repoRoot, input, encoding: 'utf8', timeout: 30_000 });

  it('exits 0 and prints the decision for a fixture file', () => {
    const { path, fixture } = fixtures.find((f) => f.fixture.scenario === 'T15')!;
    const file = tempFile('case.json', JSON.stringify(fixture.input));
    const result = spawn([file]);
    expect(result.status).toBe(0);
    expect(projectDecision(JSON.parse(result.stdout), fixture.expected)).toEqual(fixture.expected);
    expect(path).toContain('T15-');
  }, 30_000);

  it('reads standard input with "-"', () => {
    const result = spawn(['-'], JSON.stringify(fixtures.find((f) => f.fixture.scenario === 'T28')!.fixture.input));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('manual-review');
  }, 30_000);

  it('exits 2 with the problem for an unknown legal status code', () => {
    const input = {
      asOf: '2025-06-01',
      events: [{ type: 'detention-started', date: '2025-01-01', legalStatusCode: '42', ordinaryResidence: 'none', icbOfGpRegistration: 'E54000040' }],
    };
    const result = spawn(['-'], JSON.stringify(input));
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).errors[0].path).toBe('events[0].legalStatusCode');
  }, 30_000);
});
