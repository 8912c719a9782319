import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatReferenceFile, refreshReferenceFile, ReferenceFileError, referenceKinds, type ReferenceFile, type ReferenceKind } from '../../domain/reference/reference-file.ts';
import { parseOptions } from '../context.ts';
import type { CliCommand } from '../io.ts';

/** Where the shipped lists live (src/domain/reference/data/), beside the module that reads them. */
export const referenceDataDir = path.resolve(import.meta.dirname, '../../domain/reference/data');

const USAGE = `Usage: npx aftercare reference refresh --from FILE.csv --kind ${referenceKinds.join('|')} [--source "WHERE IT CAME FROM"]
Rebuilds src/domain/reference/data/<kind>.json from an official download:
  local-authorities  ONS "… Names and Codes" CSV with LADyyCD/LADyyNM, UTLAyyCD/UTLAyyNM or CTYyyCD/CTYyyNM
                     (councils with social services duties kept: E06, E08, E09, E10, W06)
  icbs               ONS "Integrated Care Boards … Names and Codes" CSV (ICByyCD, ICByyCDH, ICByyNM)
                     or "Local Health Boards … Names and Codes" (LHByyCD, LHByyNM)
  trusts             NHS ODS etr.csv (no header: code, name, …, column 12 the close date; closed trusts dropped)`;

const defaultSources: Record<ReferenceKind, string> = {
  'local-authorities': 'Office for National Statistics, Open Geography Portal: names and codes download',
  icbs: 'Office for National Statistics, Open Geography Portal: names and codes download',
  trusts: 'NHS England Organisation Data Service (ODS): NHS trusts, etr.csv',
};

/**
 * `npx aftercare reference refresh --from FILE.csv --kind KIND`: prints what was added and removed,
 * then writes the file (review the diff and commit it). `--out DIR` writes elsewhere (tests).
 */
export const referenceRefresh: CliCommand = async (args, io) => {
  const { options } = parseOptions(args);
  const kind = options.kind;
  if (typeof options.from !== 'string' || typeof kind !== 'string' || !(referenceKinds as readonly string[]).includes(kind)) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dir = typeof options.out === 'string' ? options.out : referenceDataDir;
  const target = path.join(dir, `${kind}.json`);
  let text: string;
  try {
    text = await fs.readFile(options.from, 'utf8');
  } catch {
    io.stderr.write(`Cannot read ${options.from}\n`);
    return 2;
  }
  // The list to refresh: the one at the target if there is one, else the shipped one.
  const current = JSON.parse(await fs.readFile(target, 'utf8').catch(() => fs.readFile(path.join(referenceDataDir, `${kind}.json`), 'utf8'))) as ReferenceFile;
  const rows: string[][] = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  const file = path.basename(options.from);
  const source = typeof options.source === 'string' ? options.source : `${defaultSources[kind as ReferenceKind]} (${file})`;
  try {
    const result = refreshReferenceFile(kind as ReferenceKind, rows, current, { compiled: new Date().toISOString().slice(0, 10), source });
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(target, formatReferenceFile(result.file));
    for (const b of result.added) io.stdout.write(`Added ${b.code} ${b.name}\n`);
    for (const b of result.removed) io.stdout.write(`Removed ${b.code} ${b.name}\n`);
    io.stdout.write(`${result.file.bodies.length} ${kind} written to ${target} (${result.added.length} added, ${result.removed.length} removed, ${result.skipped} rows of the file not taken).\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReferenceFileError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
};
