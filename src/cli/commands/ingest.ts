import path from 'node:path';
import { ExtractFormatError, extractColumns, ingestLegalStatus, readExtract } from '../../modules/register/index.ts';
import { cliContext, CliError, findOrganisation, loaderArguments, loaderContext, resolvePartnership, withDatabase } from '../context.ts';
import type { CliCommand } from '../io.ts';

const USAGE = `Usage: npx aftercare ingest legal-status <file.csv> --org CODE [--partnership ID]

Loads an MHSDS-style extract of legal status periods, one row per period, with a header
row naming the columns (any order): ${extractColumns.join(', ')}.
Dates are YYYY-MM-DD or DD/MM/YYYY. --org is the organisation the extract comes from
(usually the trust's MHA office). Loading the same extract again changes nothing.
Exit status: 0 every row loaded, 1 some rows rejected (the rest are loaded), 2 usage error.
See docs/ingest.md.`;


export const ingestLegalStatusCommand: CliCommand = async (args, io) => {
  const loaded = await loaderArguments(args, USAGE, io.stderr);
  if (!loaded) return 2;
  const { file, text } = loaded;
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
      const partnershipId = await resolvePartnership(database, loaded.partnership);
      const org = await findOrganisation(database, partnershipId, loaded.org);
      const ctx = await loaderContext(cliContext(database, config, partnershipId, org), 'Command line: ingest legal-status');
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
