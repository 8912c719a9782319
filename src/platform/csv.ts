import { parse } from 'csv-parse/sync';

/** A line of an uploaded file that could not be used, and why. */
export interface LineProblem {
  line: number;
  message: string;
}

/** A column name as people write it ("NHS Number", "nhs-number") in the form loaders use ("nhs_number"). */
export const normaliseHeader = (h: string): string => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Read CSV text for a loader: every record with its line number, blank lines skipped, and every
 * line that is not valid CSV reported rather than dropped.
 */
export function readCsvRecords(text: string): { records: Array<{ record: string[]; info: { lines: number } }>; unreadable: LineProblem[] } {
  const unreadable: LineProblem[] = [];
  const records = parse(text, {
    bom: true,
    info: true,
    trim: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) unreadable.push({ line: Number(error.lines), message: `not valid CSV: ${error.message}` });
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return { records, unreadable };
}
