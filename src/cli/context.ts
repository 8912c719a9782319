import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Actor, OrganisationType } from '../platform/access/actor.ts';
import { loadConfig, type Config } from '../platform/config/config.ts';
import { openDatabase, type Database } from '../platform/db/database.ts';
import { organisation, partnership } from '../platform/db/schema.ts';
import { contextAs, serviceContext, type ServiceContext } from '../platform/http/context.ts';

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
  return serviceContext({ db: database.db, actor, requestId: `cli:${randomUUID()}`, config });
}

/**
 * The context a file loader acts in. A file (an extract, a finance system's charges) names
 * people whatever organisation first recorded them, so the loader may write to any person in
 * the partnership: it acts as a practitioner in every organisation, working for the one
 * named by --org, which the audit trail records.
 */
export async function loaderContext(base: ServiceContext, displayName: string): Promise<ServiceContext> {
  const orgs = await base.data.read((q) => q.select().from(organisation).where(eq(organisation.partnershipId, base.actor.partnershipId)).orderBy(asc(organisation.name)));
  const actor: Actor = {
    ...base.actor,
    displayName,
    memberships: orgs.map((o) => ({
      organisationId: o.id,
      organisationCode: o.code,
      organisationOnsCode: o.onsCode,
      organisationName: o.name,
      organisationType: o.type,
      isLead: o.isLead,
      roles: ['practitioner'],
    })),
  };
  return contextAs(base, actor);
}

/**
 * The arguments every loader takes (`<file> --org CODE [--partnership ID]`) and the file's
 * text. Writes the usage or the reason to stderr and returns null when it cannot go on.
 */
export async function loaderArguments(
  args: string[],
  usage: string,
  stderr: { write(text: string): unknown },
): Promise<{ file: string; text: string; org: string; partnership: string | undefined } | null> {
  const { options, positional } = parseOptions(args);
  const unknownOptions = Object.keys(options).filter((k) => k !== 'org' && k !== 'partnership');
  const file = positional[0];
  if (!file || positional.length > 1 || typeof options.org !== 'string' || unknownOptions.length > 0 || options.partnership === true) {
    if (unknownOptions.length) stderr.write(`Unknown option${unknownOptions.length > 1 ? 's' : ''}: ${unknownOptions.map((o) => `--${o}`).join(', ')}\n\n`);
    stderr.write(`${usage}\n`);
    return null;
  }
  try {
    const text = await fs.readFile(file, 'utf8');
    return { file, text, org: options.org, partnership: options.partnership };
  } catch (error) {
    stderr.write(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return null;
  }
}
