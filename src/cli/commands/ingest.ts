import fs from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.ts';
import { organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { ExtractFormatError, extractColumns, ingestLegalStatus, readExtract } from '../../modules/register/ingest.service.ts';
import { CliError, cliContext, findOrganisation, parseOptions, resolvePartnership, withDatabase } from '../context.ts';
import type { CliCommand } from '../io.ts';

const USAGE = `Usage: npx aftercare ingest legal-status <file.csv> --org CODE [--partnership ID]

Loads an MHSDS-style extract of legal status periods, one row per period, with a header
row naming the columns (any order): ${extractColumns.join(', ')}.
Dates are YYYY-MM-DD or DD/MM/YYYY. --org is the organisation the extract comes from
(usually the trust's MHA office). Loading the same extract again changes nothing.
Exit status: 0 every row loaded, 1 some rows rejected (the rest are loaded), 2 usage error.
See docs/ingest.md.`;

/**
 * Whoever runs the CLI holds the database credentials and acts for the whole partnership
 * (cliContext). An extract names people whatever organisation first recorded them, so the
 * loader may write to any person in the partnership: it acts as a practitioner in every
 * organisation, with the organisation named by --org as the one it works for. That
 * organisation is recorded in the audit trail and becomes involved with each person it
 * sends events for.
 */
async function ingestContext(base: ServiceContext): Promise<ServiceContext> {
  const orgs = await base.db
    .select()
    .from(organisation)
    .where(eq(organisation.partnershipId, base.actor.partnershipId))
    .orderBy(asc(organisation.name));
  const actor: Actor = {
    ...base.actor,
    displayName: 'Command line: ingest legal-status',
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

export const ingestLegalStatusCommand: CliCommand = async (args, io) => {
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
  let extract: ReturnType<typeof readExtract>;
  try {
    extract = readExtract(text);
  } catch (error) {
    if (error instanceof ExtractFormatError) {
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
      const result = await ingestLegalStatus(ctx, extract);
      const seconds = (performance.now() - started) / 1000;
      // The report, in line order: every rejected row with its reasons, then the warnings.
      for (const p of result.rejected) io.stderr.write(`line ${p.line}: rejected: ${p.message}\n`);
      for (const w of result.warnings) io.stderr.write(`line ${w.line}: warning: ${w.message}\n`);
      const rate = seconds > 0 ? Math.round(result.rowsRead / seconds) : result.rowsRead;
      io.stdout.write(
        [
          `Loaded ${path.basename(file)} as ${org.name} (${org.code}) in ${seconds.toFixed(1)} s (${rate} rows/s).`,
          `Rows read: ${result.rowsRead}`,
          `People created: ${result.peopleCreated}`,
          `Events recorded: ${result.eventsRecorded}`,
          `Events already present: ${result.eventsAlreadyPresent}`,
          `Rows rejected: ${result.rowsRejected}`,
          ...(result.possibleDuplicates ? [`Possible duplicates added (see the warnings): ${result.possibleDuplicates}`] : []),
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

/** 3, 7, 12, … and N more: enough to find them without repeating the whole report. */
function summariseLines(lines: number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return lines.length > 10 ? `${shown} and ${lines.length - 10} more` : shown;
}
