import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { createPartnership } from '../../modules/setup/index.ts';
import { parseOptions, withDatabase } from '../context.ts';
import type { CliCommand, CliIo } from '../io.ts';

const USAGE = `Usage: npx aftercare partnership create --name NAME --icb CODE --local-authorities CODE[,CODE…] [--trusts CODE[,CODE…]] --admin-email EMAIL [--admin-name "FULL NAME"]
Codes come from the shipped reference list (src/domain/reference/data/): the ICB or Welsh health board by
ONS code (E54000040) or ODS code (QOX), local authorities by ONS code (E06000030), trusts by ODS code (RXT).
Prints a one-time link for the administrator to set their password as the last line (valid 24 hours).`;

const list = (value: string | true | undefined) => (typeof value === 'string' ? value.split(',') : []);

/** The command on a database already open (tests call this with their own database and clock). */
export async function runPartnershipCreate(args: string[], io: CliIo, database: Database, config: Config, clock: Clock = systemClock): Promise<number> {
  const { options } = parseOptions(args);
  if (typeof options.name !== 'string' || typeof options.icb !== 'string' || typeof options['local-authorities'] !== 'string' || typeof options['admin-email'] !== 'string') {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const created = await createPartnership(
      database.db,
      {
        name: options.name,
        icb: options.icb,
        localAuthorities: list(options['local-authorities']),
        trusts: list(options.trusts),
        adminEmail: options['admin-email'],
        ...(typeof options['admin-name'] === 'string' ? { adminName: options['admin-name'] } : {}),
      },
      { clock, requestId: `cli:${randomUUID()}`, publicBaseUrl: config.publicBaseUrl },
    );
    io.stdout.write(`Created the partnership ${created.name} (${created.partnershipId}) with ${created.organisations.length} organisations:\n`);
    for (const o of created.organisations) io.stdout.write(`  ${o.code.padEnd(10)} ${o.name}${o.isLead ? ' (lead)' : ''}\n`);
    io.stdout.write(`Its administrator is ${created.adminEmail}. Send them this link to set their password; it works once, until ${created.expiresAt.toISOString()}:\n`);
    io.stdout.write(`${created.link}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) io.stderr.write(`${issue.message}\n`);
    return 2;
  }
}

export const partnershipCreate: CliCommand = async (args, io) => withDatabase((database, config) => runPartnershipCreate(args, io, database, config));
