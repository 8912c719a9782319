import fs from 'node:fs/promises';
import path from 'node:path';
import { eq, and } from 'drizzle-orm';
import { guessMapping, importFields, requiredFields } from '../../domain/legacy-register.ts';
import { organisation } from '../../platform/db/schema.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { checkImport, ImportRejectedRowsError, importOptions, rejectionFile, rowsPage, runApply, startApply, type ImportMode } from '../../modules/imports/index.ts';
import { readUpload, UploadFormatError } from '../../modules/imports/index.ts';
import { createImport } from '../../modules/imports/index.ts';
import { cliContext, CliError, findOrganisation, parseOptions, resolvePartnership, withDatabase } from '../context.ts';
import { contextAs } from '../../platform/http/context.ts';
import type { CliCommand } from '../io.ts';

const USAGE = `Usage: npx aftercare import register <file.xlsx|file.csv> [--mapping FILE] [--dry-run]
         [--org CODE] [--mode all-or-nothing|valid-only] [--no-entitlement reject|accept]
         [--month-first] [--rejections FILE] [--partnership ID]

Imports an existing section 117 register (a spreadsheet, one row per person). The first row
holds the column headings. --mapping is a JSON file {"field": "heading"} naming the heading of
the fields the file has (${importFields.join(', ')}); it may name only some of them, and the
others are guessed from the headings; without it every heading is guessed. The file must have
columns for ${requiredFields.join(', ')}.
--no-entitlement says what to do with rows whose section gives no right to aftercare (s2, s4,
s5, s135, s136…): reject them (the default) or import them with a warning.
--dry-run checks every row and changes nothing. --mode all-or-nothing (the default) imports
every row or, if any is rejected, none; valid-only imports the valid rows. --rejections writes
the rejected rows (original cells, row number, reasons) as CSV. --org is the organisation the
import is recorded for (default: the partnership's lead organisation). Ambiguous dates such as
03/04/2024 are read day first (UK) unless --month-first is given.
Exit status: 0 done, 1 rows rejected in a dry run or in all-or-nothing mode (nothing imported), 2 usage error.
See docs/import.md.`;

const known = new Set(['mapping', 'dry-run', 'org', 'mode', 'month-first', 'rejections', 'partnership', 'no-entitlement']);
/** Options that take no value: a word after one of them is the file, not its value. */
const flags = ['dry-run', 'month-first'];

export const importRegisterCommand: CliCommand = async (args, io) => {
  const { options, positional } = parseOptions(args);
  for (const flag of flags) {
    const value = options[flag];
    if (typeof value === 'string') {
      positional.push(value);
      options[flag] = true;
    }
  }
  const unknown = Object.keys(options).filter((k) => !known.has(k));
  const mode = (options.mode ?? 'all-or-nothing') as ImportMode;
  const noEntitlement = options['no-entitlement'] ?? 'reject';
  const file = positional[0];
  if (
    !file ||
    positional.length > 1 ||
    unknown.length ||
    (mode !== 'all-or-nothing' && mode !== 'valid-only') ||
    (noEntitlement !== 'reject' && noEntitlement !== 'accept') ||
    options.mapping === true ||
    options.org === true ||
    options.rejections === true
  ) {
    if (unknown.length) io.stderr.write(`Unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((o) => `--${o}`).join(', ')}\n\n`);
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let data: Buffer;
  let mapping: unknown;
  try {
    data = await fs.readFile(file);
    if (typeof options.mapping === 'string') mapping = JSON.parse(await fs.readFile(options.mapping, 'utf8')) as unknown;
  } catch (error) {
    io.stderr.write(`Cannot read ${error instanceof SyntaxError ? `${String(options.mapping)}: not valid JSON` : (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${(error as NodeJS.ErrnoException).path ?? file}: no such file` : (error as Error).message}\n`);
    return 2;
  }
  let read: Awaited<ReturnType<typeof readUpload>>;
  try {
    read = await readUpload(data, path.basename(file));
  } catch (error) {
    if (error instanceof UploadFormatError) {
      io.stderr.write(`${path.basename(file)}: ${error.message}\nNothing was imported.\n`);
      return 2;
    }
    throw error;
  }
  try {
    return await withDatabase(async (database, config) => {
      const partnershipId = await resolvePartnership(database, options.partnership);
      const org =
        typeof options.org === 'string'
          ? await findOrganisation(database, partnershipId, options.org)
          : (await database.db.select().from(organisation).where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.isLead, true))))[0];
      if (!org) throw new CliError('The partnership has no lead organisation: give --org CODE');
      const base = cliContext(database, config, partnershipId, org);
      const ctx = contextAs(base, { ...base.actor, displayName: 'Command line: import register' });
      const started = performance.now();
      const created = await createImport(ctx, read, path.basename(file), org.id);
      // A mapping file may name only some fields: the others are guessed from the headings
      // (a heading it has already taken is not guessed again).
      const headings = importOptions(created).headings;
      const given = mapping && typeof mapping === 'object' && !Array.isArray(mapping) ? (mapping as Record<string, unknown>) : null;
      const taken = new Set(given ? Object.values(given) : []);
      const guessed = guessMapping(headings.filter((h) => !taken.has(h)));
      const columns = mapping === undefined ? created.columns : given ? { ...guessed, ...given } : mapping;
      let checked;
      try {
        checked = await checkImport(ctx, created.id, { columns, dayFirst: options['month-first'] !== true, noEntitlement, mappingFrom: 'file' });
      } catch (error) {
        if (error instanceof InputError) {
          io.stderr.write(`The file cannot be checked:\n${error.issues.map((i) => `  ${i.message}\n`).join('')}The file's headings are: ${headings.join(', ')}.\nNothing was imported.\n`);
          return 2;
        }
        throw error;
      }
      const counts = checked.counts as Record<string, number>;
      // Every rejected row with its reasons, in row order.
      for (let page = 1; ; page++) {
        const p = await rowsPage(ctx, created.id, { outcome: 'reject', page });
        for (const r of p.rows) io.stderr.write(`row ${r.rowNumber}: rejected: ${r.reasons.join('; ')}\n`);
        if (page >= p.pages) break;
      }
      io.stdout.write(`Checked ${path.basename(file)} (${read.format.toUpperCase()}, ${read.rows.length} rows, SHA-256 ${read.sha256}) as ${org.name} (${org.code}).\n`);
      const used = checked.columns as Record<string, string>;
      io.stdout.write(`Columns: ${importFields.filter((f) => used[f]).map((f) => `${f} = '${used[f]}'`).join(', ')}.\n`);
      io.stdout.write(`Rows whose section gives no right to aftercare: ${noEntitlement === 'accept' ? 'imported with a warning' : 'rejected'}.\n`);
      io.stdout.write(`Would create: ${counts.create ?? 0}\nWould update: ${counts.update ?? 0}\nUnchanged: ${counts.unchanged ?? 0}\nRejected: ${counts.reject ?? 0}\n`);
      if (typeof options.rejections === 'string' && (counts.reject ?? 0) > 0) {
        const { csv } = await rejectionFile(ctx, created.id);
        await fs.writeFile(options.rejections, csv);
        io.stdout.write(`Rejected rows written to ${options.rejections}\n`);
      }
      if (options['dry-run'] === true) {
        io.stdout.write('Dry run: nothing was changed.\n');
        return (counts.reject ?? 0) > 0 ? 1 : 0;
      }
      await startApply(ctx, created.id, mode);
      try {
        const done = await runApply(ctx, created.id, {
          onProgress: (processed, total) => {
            io.stdout.write(`progress: ${processed}/${total} rows\n`);
          },
        });
        const final = done.counts as Record<string, number>;
        const seconds = (performance.now() - started) / 1000;
        io.stdout.write(
          `Imported (${mode}) in ${seconds.toFixed(1)} s (${Math.round(read.rows.length / Math.max(seconds, 0.001))} rows/s): created ${final.create ?? 0}, updated ${final.update ?? 0}, unchanged ${final.unchanged ?? 0}, rejected ${final.reject ?? 0}.\nImport id: ${created.id}\n`,
        );
        return 0;
      } catch (error) {
        if (error instanceof ImportRejectedRowsError) {
          io.stderr.write(`${error.message}\n`);
          return 1;
        }
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
};
