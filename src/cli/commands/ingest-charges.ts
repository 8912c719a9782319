import fs from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import { organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { chargeColumns, ChargesFileFormatError, ingestCharges, readChargesFile } from '../../modules/charges/import.service.ts';
import { CliError, cliContext, findOrganisation, parseOptions, resolvePartnership, withDatabase } from '../context.ts';
import type { CliCommand } from '../io.ts';

const USAGE = `Usage: npx aftercare ingest charges <file.csv> --org CODE [--partnership ID]

Loads the charges a finance system has made to people, one row per charge, with a header
row naming the columns (any order): ${chargeColumns.join(', ')}.
Dates are YYYY-MM-DD or DD/MM/YYYY; amount is in pounds (125.50); s117 is yes or no (or empty
when service is the id of a service in the person's aftercare plan). A charge for a section 117
service is recorded as a refund due, with a refund task. --org is the organisation the file
comes from (usually the council's finance team). Loading the same file again changes nothing.
Exit status: 0 every row loaded, 1 some rows rejected (the rest are loaded), 2 usage error.
See docs/charges.md.`;

/**
 * Whoever runs the CLI holds the database credentials and acts for the whole partnership
 * (cliContext). A finance file names people whichever organisation recorded them, so the
 * loader may write charges for anyone in the partnership: it acts as a practitioner in every
 * organisation, working for the organisation named by --org, which the audit trail records.
 */
async function ingestContext(base: ServiceContext): Promise<ServiceContext> {
  const orgs = await base.db.select().from(organisation).where(eq(organisation.partnershipId, base.actor.partnershipId)).orderBy(asc(organisation.name));
  const actor: Actor = {
    ...base.actor,
    displayName: 'Command line: ingest charges',
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
  return { ...base, actor };
}

export const ingestChargesCommand: CliCommand = async (args, io) => {
  const { options, positional } = parseOptions(args);
  const unknownOptions = Object.keys(options).filter((k) => k !== 'org' && k !== 'partnership');
  const file = positional[0];
  if (!file || positional.length > 1 || typeof options.org !== 'string' || unknownOptions.length > 0 || options.partnership === true) {
    if (unknownOptions.length) io.stderr.write(`Unknown option${unknownOptions.length > 1 ? 's' : ''}: ${unknownOptions.map((o) => `--${o}`).join(', ')}\n\n`);
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return 2;
  }
  let charges: ReturnType<typeof readChargesFile>;
  try {
    charges = readChargesFile(text);
  } catch (error) {
    if (error instanceof ChargesFileFormatError) {
      io.stderr.write(`${path.basename(file)}: ${error.message}\nNothing was loaded.\n`);
      return 2;
    }
    throw error;
  }

  try {
    return await withDatabase(async (database, config) => {
      const partnershipId = await resolvePartnership(database, options.partnership);
      const org = await findOrganisation(database, partnershipId, options.org as string);
      const ctx = await ingestContext(cliContext(database, config, partnershipId, org));
      const started = performance.now();
      const result = await ingestCharges(ctx, charges);
      const seconds = (performance.now() - started) / 1000;
      // Every rejected row with its reasons, in line order.
      for (const p of result.rejected) io.stderr.write(`line ${p.line}: rejected: ${p.message}\n`);
      io.stdout.write(
        [
          `Loaded ${path.basename(file)} as ${org.name} (${org.code}) in ${seconds.toFixed(1)} s.`,
          `Rows read: ${result.rowsRead}`,
          `Charges recorded: ${result.chargesRecorded}`,
          `Charges already present: ${result.chargesAlreadyPresent}`,
          `Charges for section 117 services, now due to be refunded: ${result.refundsDue}`,
          `Refund tasks created: ${result.refundTasksCreated}`,
          `Rows rejected: ${result.rowsRejected}`,
          ...(result.rowsRejected
            ? [`Rejected rows changed nothing; every other row was loaded. Fix the rejected rows (lines ${summariseLines(result.rejected.map((r) => r.line))}) and load the file again: rows already loaded are skipped.`]
            : []),
          '',
        ].join('\n'),
      );
      return result.rowsRejected > 0 ? 1 : 0;
    });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
};

function summariseLines(lines: number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return lines.length > 10 ? `${shown} and ${lines.length - 10} more` : shown;
}
