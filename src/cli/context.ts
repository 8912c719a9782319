import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Actor, OrganisationType } from '../platform/access/actor.ts';
import { loadConfig, type Config } from '../platform/config/config.ts';
import { openDatabase, type Database } from '../platform/db/database.ts';
import { organisation, partnership } from '../platform/db/schema.ts';
import type { ServiceContext } from '../platform/http/context.ts';

/** Parse `--name value` and `--flag` options; the rest are positional words. */
export function parseOptions(args: string[]): { options: Record<string, string | true>; positional: string[] } {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (inline !== undefined) options[key] = inline;
      else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) options[key] = args[++i]!;
      else options[key] = true;
    } else positional.push(arg);
  }
  return { options, positional };
}

export class CliError extends Error {}

export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  try {
    await database.migrate();
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

/** The partnership to act in: the only one, or the one named with --partnership <id>. */
export async function resolvePartnership(database: Database, option: string | true | undefined): Promise<string> {
  const all = await database.db.select({ id: partnership.id, name: partnership.name }).from(partnership);
  if (typeof option === 'string') {
    const found = all.find((p) => p.id === option);
    if (!found) throw new CliError(`No partnership with id ${option}`);
    return found.id;
  }
  if (all.length === 1) return all[0]!.id;
  if (all.length === 0) throw new CliError('The database holds no partnership yet. Start the app once (npm start) or run `npx aftercare seed`.');
  throw new CliError(`There are ${all.length} partnerships: say which with --partnership <id> (${all.map((p) => `${p.id} ${p.name}`).join('; ')})`);
}

export async function findOrganisation(database: Database, partnershipId: string, code: string) {
  const rows = await database.db
    .select()
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.code, code.toUpperCase())));
  const org = rows[0];
  if (!org) throw new CliError(`No organisation with code ${code} in this partnership. List them with \`npx aftercare orgs list\`.`);
  return org;
}

/**
 * Whoever runs the CLI has the server's database credentials, so acts as a partnership
 * administrator. Their changes go through the same services and are audited as
 * "command line" (no user id), with a request id starting "cli:".
 */
export function cliContext(database: Database, config: Config, partnershipId: string, org: { id: string; code: string; name: string; type: string }): ServiceContext {
  const actor: Actor = {
    kind: 'user',
    userId: null,
    tokenId: null,
    displayName: 'Command line',
    partnershipId,
    activeOrganisationId: org.id,
    memberships: [
      {
        organisationId: org.id,
        organisationCode: org.code,
        organisationName: org.name,
        organisationType: org.type as OrganisationType,
        isLead: true,
        roles: ['administrator'],
      },
    ],
  };
  return { db: database.db, actor, requestId: `cli:${randomUUID()}`, config };
}
