import path from 'node:path';
import { chargeColumns, ChargesFileFormatError, ingestCharges, readChargesFile } from '../../modules/charges/index.ts';
import { cliContext, CliError, findOrganisation, loaderArguments, loaderContext, resolvePartnership, withDatabase } from '../context.ts';
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


export const ingestChargesCommand: CliCommand = async (args, io) => {
  const loaded = await loaderArguments(args, USAGE, io.stderr);
  if (!loaded) return 2;
  const { file, text } = loaded;
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
      const partnershipId = await resolvePartnership(database, loaded.partnership);
      const org = await findOrganisation(database, partnershipId, loaded.org);
      const ctx = await loaderContext(cliContext(database, config, partnershipId, org), 'Command line: ingest charges');
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
