import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The one path for legal events (docs/decisions/0007-legal-events-one-path.md), as a property
 * of the code rather than a habit: only events.service.ts writes the legal_event table, and only
 * the workflows that own an event may grant the authority to record it.
 */

const root = path.resolve(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const production = sourceFiles('src');

function filesMatching(pattern: RegExp): string[] {
  return production.filter((file) => pattern.test(fs.readFileSync(path.join(root, file), 'utf8')));
}

describe('finding 1: one path for legal events', () => {
  it('finding 1: only the register’s events.service.ts inserts, updates or deletes legal events', () => {
    expect(production.length).toBeGreaterThan(100);
    // The statements themselves are in its data-layer file (docs/decisions/0006-one-door-to-the-data.md)…
    const writers = filesMatching(/\.(insert|update|delete)\(\s*legalEvent\s*\)|\b(insert\s+into|update|delete\s+from)\s+legal_event\b/i);
    expect(writers).toEqual(['src/modules/register/events.queries.ts']);
    // …which only events.service.ts (the guard, the checks, the decision and the audit) may import.
    const importers = filesMatching(/['"`][^'"`]*\/events\.queries(\.ts)?['"`]/);
    expect(importers).toEqual(['src/modules/register/events.service.ts']);
  });

  it('finding 1: only the endings and disputes workflows (and the demo’s fictional history) may grant a workflow’s authority', () => {
    const granting = filesMatching(/\bgrantWorkflowAuthority\b/);
    expect(granting).toEqual([
      'src/modules/demo/people.ts',
      'src/modules/disputes/disputes.service.ts',
      'src/modules/endings/endings.service.ts',
      // The register's front door re-exports it for the workflows (other modules import only index.ts).
      'src/modules/register/index.ts',
      'src/modules/register/workflow-authority.ts',
    ]);
  });

  it('finding 1: audit rows are written only by the platform’s recorder, which scrubs them (the import no longer writes its own)', () => {
    const writers = filesMatching(/\.insert\(\s*auditEvent\s*\)|\binsert\s+into\s+audit_event\b/i);
    // The demo seed's "partnership.seeded" row (no actor) is the one other writer (platform, demo only).
    expect(writers).toEqual(['src/modules/demo/demo.queries.ts', 'src/platform/audit/audit.ts']);
  });

  it('finding 1: every caller records events through applyEvents / recordEvent (a batch of one) / recordEvents, or the import through insertEvents', () => {
    // The legal-status feed, the import, the people API and the forms each reach the one module.
    const callers = filesMatching(/\b(applyEvents|insertEvents|recordEvents?)\(/);
    for (const file of ['src/modules/register/ingest.service.ts', 'src/modules/imports/imports.service.ts', 'src/modules/register/api.service.ts', 'src/modules/register/person.routes.ts', 'src/modules/endings/endings.service.ts']) {
      expect(callers).toContain(file);
    }
  });
});
