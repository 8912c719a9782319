import fs from 'node:fs/promises';
import { buildFinanceFile } from '../../modules/feeds/index.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { countOf } from '../../platform/plain-language.ts';
import { organisation } from '../../platform/db/schema.ts';
import { cliContext, CliError, parseOptions, resolvePartnership, withDatabase } from '../context.ts';
import type { CliCommand } from '../io.ts';
import { desc, eq } from 'drizzle-orm';

const USAGE = `Usage: npx aftercare feed finance --out FILE [--date YYYY-MM-DD] [--partnership ID]

Writes the finance file (docs/finance-feed.md): one row for each service of the approved
aftercare plan of everyone with a section 117 entitlement, now or ended (and one row for a
person with no services), with the weekly cost, each body's share and the do-not-charge
marker. --date is the day the file describes (today unless given). --out - writes to standard output.
Exit status: 0 written, 2 usage error.`;

export const feedFinanceCommand: CliCommand = async (args, io) => {
  const { options, positional } = parseOptions(args);
  const unknown = Object.keys(options).filter((k) => !['out', 'date', 'partnership'].includes(k));
  if (typeof options.out !== 'string' || positional.length > 0 || unknown.length > 0 || options.date === true || options.partnership === true) {
    if (unknown.length) io.stderr.write(`Unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.map((o) => `--${o}`).join(', ')}\n\n`);
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const out = options.out;
  const date = typeof options.date === 'string' ? options.date : todayInLondon();
  try {
    return await withDatabase(async (database, config) => {
      const partnershipId = await resolvePartnership(database, options.partnership);
      const lead = (await database.db.select().from(organisation).where(eq(organisation.partnershipId, partnershipId)).orderBy(desc(organisation.isLead), organisation.name))[0];
      if (!lead) throw new CliError('The partnership has no organisation yet.');
      const file = await buildFinanceFile(cliContext(database, config, partnershipId, lead), date);
      if (out === '-') io.stdout.write(file.content);
      else {
        await fs.writeFile(out, file.content, 'utf8');
        io.stdout.write(`Wrote ${out}: the finance file for ${date}, ${countOf(file.rows, 'row')} for ${countOf(file.people, 'person', 'people')}.\n`);
      }
      return 0;
    });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`${error.issues.map((i) => i.message).join('\n')}\n`);
      return 2;
    }
    throw error;
  }
};
