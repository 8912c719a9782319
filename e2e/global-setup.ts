import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startAftercare, type AftercareProcess } from './aftercare-process.ts';

/**
 * Starts Aftercare exactly as the README says (`node bin/aftercare.mjs serve`, which is
 * what `npm start` runs) on a free port, with a fresh embedded database seeded with the
 * demo partnership, and stops it afterwards.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let app: AftercareProcess | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-e2e-'));
  app = await startAftercare(dataDir);
  project.provide('baseUrl', app.baseUrl);
}

export async function teardown(): Promise<void> {
  await app?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
