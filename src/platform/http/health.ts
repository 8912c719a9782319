import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { hasRole } from '../access/actor.ts';
import { srcRoot } from '../views/nunjucks.ts';

export const packageVersion: string = (JSON.parse(readFileSync(path.resolve(srcRoot, '../package.json'), 'utf8')) as { version: string }).version;

/** The commit: GIT_COMMIT from the deployment, else read from the checkout. */
export function gitCommit(configured: string | undefined): string | null {
  if (configured) return configured;
  try {
    const gitDir = path.resolve(srcRoot, '../.git');
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    return readFileSync(path.join(gitDir, head.slice(5)), 'utf8').trim();
  } catch {
    return null;
  }
}

export function setUpHealthChecks(app: FastifyInstance, database: Database, commit: string | null): void {
  app.get('/health', { config: { public: true } }, async (_request, reply) => {
    const started = performance.now();
    const up = await database.ping().then(
      () => true,
      (error: unknown) => {
        app.log.error({ err: error }, 'health check failed');
        return false;
      },
    );
    const database_ = { status: up ? 'UP' : 'DOWN', engine: database.engine, ms: Math.round(performance.now() - started) };
    return reply.status(up ? 200 : 503).send({ status: database_.status, components: { database: database_ } });
  });
  app.get('/ping', { config: { public: true } }, async () => ({ status: 'UP' }));
  // Not public (issue 12, finding 10): the commit and Node version tell an attacker which
  // known flaws to try. Signed-in users see the version; administrators also the commit and Node.
  app.get('/info', async (request) => {
    const actor = request.ctx().actor;
    return hasRole(actor, 'administrator')
      ? { name: 'aftercare', version: packageVersion, commit, node: process.version }
      : { name: 'aftercare', version: packageVersion };
  });
}
