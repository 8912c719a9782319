import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { roles, type Role } from '../../platform/access/actor.ts';
import { organisation } from '../../platform/db/schema.ts';
import { isEmpty } from '../../modules/demo/index.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { createUser } from '../../modules/admin/index.ts';
import { createToken } from '../../modules/admin/index.ts';
import { seedDemoRecords } from '../../modules/demo/index.ts';
import { seedDemoWithPeople } from '../../modules/demo/index.ts';
import { CliError, cliContext, findOrganisation, parseOptions, resolvePartnership, withDatabase } from '../context.ts';
import type { CliCommand, CliIo } from '../io.ts';

async function run(io: CliIo, fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (error) {
    if (error instanceof CliError) io.stderr.write(`${error.message}\n`);
    else if (error instanceof InputError) for (const issue of error.issues) io.stderr.write(`${issue.path}: ${issue.message}\n`);
    else throw error;
    return 2;
  }
}

export const migrate: CliCommand = async (_args, io) =>
  run(io, () =>
    withDatabase(async (database) => {
      io.stdout.write(`Migrations applied (${database.engine}).\n`);
    }),
  );

export const seed: CliCommand = async (_args, io) =>
  run(io, () =>
    withDatabase(async (database, config) => {
      if (!(await isEmpty(database.db))) throw new CliError('The database already holds a partnership; the demo is only seeded into an empty database.');
      const seeded = await seedDemoWithPeople(database, { config, after: seedDemoRecords });
      io.stdout.write(`Seeded the synthetic demo partnership ${seeded.partnershipId}.\n`);
      io.stdout.write(`Added ${seeded.people} synthetic people (${seeded.events} legal events, ${seeded.contacts} contacts) in ${(seeded.milliseconds / 1000).toFixed(1)} s.\n`);
    }),
  );

export const orgsList: CliCommand = async (args, io) =>
  run(io, () =>
    withDatabase(async (database) => {
      const { options } = parseOptions(args);
      const partnershipId = await resolvePartnership(database, options.partnership);
      const rows = await database.db
        .select({ code: organisation.code, name: organisation.name, type: organisation.type, isLead: organisation.isLead, active: organisation.active, id: organisation.id })
        .from(organisation)
        .where(eq(organisation.partnershipId, partnershipId))
        .orderBy(asc(organisation.type), asc(organisation.name));
      if (options.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else for (const r of rows) io.stdout.write(`${r.code.padEnd(10)} ${r.type.padEnd(16)} ${r.name}${r.isLead ? ' (lead)' : ''}${r.active ? '' : ' [inactive]'}\n`);
    }),
  );

const USERS_USAGE = `Usage: npx aftercare users create --email EMAIL --name "FULL NAME" --org CODE --roles ROLE[,ROLE] [--password PASSWORD]
Roles: ${roles.join(', ')}
Without --password a random one is generated and printed.`;

export const usersCreate: CliCommand = async (args, io) =>
  run(io, () =>
    withDatabase(async (database, config) => {
      const { options } = parseOptions(args);
      if (typeof options.email !== 'string' || typeof options.name !== 'string' || typeof options.org !== 'string' || typeof options.roles !== 'string') {
        throw new CliError(USERS_USAGE);
      }
      const partnershipId = await resolvePartnership(database, options.partnership);
      const org = await findOrganisation(database, partnershipId, options.org);
      const password = typeof options.password === 'string' ? options.password : randomBytes(18).toString('base64url');
      const ctx = cliContext(database, config, partnershipId, org);
      const { user } = await createUser(ctx, {
        email: options.email,
        displayName: options.name,
        password,
        organisationId: org.id,
        roles: options.roles.split(',').map((r) => r.trim()) as Role[],
      });
      io.stdout.write(`Created ${user.email} in ${org.name}.\n`);
      if (typeof options.password !== 'string') io.stdout.write(`Password: ${password}\n`);
    }),
  );

export const tokensCreate: CliCommand = async (args, io) =>
  run(io, () =>
    withDatabase(async (database, config) => {
      const { options } = parseOptions(args);
      if (typeof options.org !== 'string' || typeof options.name !== 'string') {
        throw new CliError('Usage: npx aftercare tokens create --org CODE --name NAME\nPrints the new token as the last line. It is shown once only.');
      }
      const partnershipId = await resolvePartnership(database, options.partnership);
      const org = await findOrganisation(database, partnershipId, options.org);
      const created = await createToken(cliContext(database, config, partnershipId, org), { organisationId: org.id, name: options.name });
      io.stdout.write(`Created API token "${created.name}" for ${org.name}. Store it now: it cannot be shown again.\n`);
      io.stdout.write(`${created.token}\n`);
    }),
  );
