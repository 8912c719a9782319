import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ageBandLabels, ageBands, ALL_CATEGORIES, populationDimensions, WHOLE_PARTNERSHIP, type PopulationDimension, type PopulationRow } from '../../domain/population.ts';
import { assertCan } from '../../platform/access/policy.ts';
import { normaliseHeader, readCsvRecords } from '../../platform/csv.ts';
import { ConflictError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { ethnicCodes, ethnicLabel, sexes, sexLabels } from '../register/index.ts';
import {
  deleteFigureAtVersion,
  findFigure,
  findLocalAuthorities,
  insertFigure,
  loadPopulation,
  lockPopulationSet,
  replaceAllFigures,
  updateFigureAtVersion,
  type StoredFigure,
} from './population.queries.ts';

export { loadPopulation, type StoredFigure };

/*
 * The partnership's population figures (issue 7, items 1 and 4), entered one at a time or
 * uploaded as CSV (local_authority,dimension,category,population) by the lead organisation's
 * administrators ('settings:manage'). Every write is in a transaction with an audit event;
 * editing one figure checks its version, replacing them all checks a fingerprint of the whole
 * set as it was when the page was opened, so nobody overwrites a change they have not seen.
 * Reads and writes go through the door (ctx.data); the queries are in population.queries.ts.
 */

export const MAX_POPULATION = 100_000_000;
export const MAX_UPLOAD_ROWS = 5_000;

export const dimensionLabels: Record<PopulationDimension, string> = { total: 'Total', ethnicity: 'Ethnicity', 'age-band': 'Age band', sex: 'Sex' };

/** The categories each dimension accepts, with their labels. */
export function categoriesOf(dimension: PopulationDimension): Array<{ value: string; text: string }> {
  switch (dimension) {
    case 'total':
      return [{ value: ALL_CATEGORIES, text: 'Everyone' }];
    case 'ethnicity':
      return ethnicCodes.map((c) => ({ value: c, text: `${c}: ${ethnicLabel(c)}` }));
    case 'age-band':
      return ageBands.map((b) => ({ value: b, text: ageBandLabels[b] }));
    case 'sex':
      return sexes.map((s) => ({ value: s, text: sexLabels[s] }));
  }
}

/** What the page shows: every figure of the partnership and its local authorities, in one read. */
export async function populationPage(ctx: ServiceContext): Promise<{ figures: StoredFigure[]; localAuthorities: Array<{ code: string; name: string }> }> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read(async (q) => ({ figures: await loadPopulation(q, partnershipId), localAuthorities: await findLocalAuthorities(q, partnershipId) }));
}

/** The ONS codes of the partnership's local authorities, to check figures against. */
export async function localAuthorityCodes(ctx: ServiceContext): Promise<string[]> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  return (await ctx.data.read((q) => findLocalAuthorities(q, partnershipId))).map((l) => l.code);
}

/** A fingerprint of the whole set: changes whenever any figure is added, changed or removed. */
export function fingerprint(figures: ReadonlyArray<Pick<StoredFigure, 'localAuthority' | 'dimension' | 'category' | 'version'>>): string {
  const text = figures.map((f) => `${f.localAuthority}|${f.dimension}|${f.category}|${f.version}`).sort().join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export const figureInputSchema = z.strictObject({
  localAuthority: z.string({ error: 'Choose the local authority, or the whole partnership' }).trim().min(1, { error: 'Choose the local authority, or the whole partnership' }),
  dimension: z.enum(populationDimensions, { error: 'Choose what the figure counts: total, ethnicity, age band or sex' }),
  category: z.string({ error: 'Enter the category' }).trim().min(1, { error: 'Enter the category' }),
  population: z
    .string({ error: 'Enter the population, a whole number, for example 312000' })
    .trim()
    .min(1, { error: 'Enter the population, a whole number, for example 312000' })
    .transform((s) => s.replace(/,/g, ''))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, { error: 'The population must be a whole number, for example 312000' })
        .transform(Number)
        .pipe(z.number().int().min(1, { error: 'The population must be at least 1' }).max(MAX_POPULATION, { error: `The population must be at most ${MAX_POPULATION.toLocaleString('en-GB')}` })),
    ),
});
export type FigureInput = z.output<typeof figureInputSchema>;

/** Check one figure against the partnership's local authorities and the dimension's categories. */
export function checkFigure(raw: Record<string, unknown>, localAuthorities: readonly string[], prefix = ''): { figure: PopulationRow | null; issues: FieldIssue[] } {
  const parsed = figureInputSchema.safeParse(raw);
  const issues: FieldIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push({ path: String(issue.path[0] ?? 'form'), message: `${prefix}${issue.message}` });
    return { figure: null, issues };
  }
  const f = parsed.data;
  if (f.localAuthority !== WHOLE_PARTNERSHIP && !localAuthorities.includes(f.localAuthority)) {
    issues.push({ path: 'localAuthority', message: `${prefix}"${f.localAuthority}" is not a local authority of the partnership: use its ONS code (for example ${localAuthorities[0] ?? 'E06000001'}) or "${WHOLE_PARTNERSHIP}"` });
  }
  const categories = categoriesOf(f.dimension).map((c) => c.value);
  if (!categories.includes(f.category)) {
    issues.push({ path: 'category', message: `${prefix}"${f.category}" is not a ${dimensionLabels[f.dimension].toLowerCase()} category: use one of ${categories.join(', ')}` });
  }
  return issues.length > 0 ? { figure: null, issues } : { figure: { localAuthority: f.localAuthority, dimension: f.dimension, category: f.category, population: f.population }, issues };
}

/** Read an uploaded CSV: every problem with its line number; no figures unless all lines are good. */
export function parsePopulationCsv(text: string, localAuthorities: readonly string[]): { figures: PopulationRow[]; issues: FieldIssue[] } {
  const { records, unreadable } = readCsvRecords(text);
  const issues: FieldIssue[] = unreadable.map((p) => ({ path: 'file', message: `Line ${p.line}: ${p.message}` }));
  const [header, ...rows] = records;
  const expected = ['local_authority', 'dimension', 'category', 'population'];
  if (!header || expected.some((h, i) => normaliseHeader(header.record[i] ?? '') !== h)) {
    return { figures: [], issues: [{ path: 'file', message: `The first line must be the header: ${expected.join(',')}` }] };
  }
  if (rows.length === 0) issues.push({ path: 'file', message: 'The file has a header but no figures' });
  if (rows.length > MAX_UPLOAD_ROWS) return { figures: [], issues: [{ path: 'file', message: `The file has ${rows.length} figures: at most ${MAX_UPLOAD_ROWS.toLocaleString('en-GB')} can be uploaded` }] };
  const figures: PopulationRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const [localAuthority, dimension, category, population] = record;
    const { figure, issues: lineIssues } = checkFigure({ localAuthority: localAuthority ?? '', dimension: dimension ?? '', category: category ?? '', population: population ?? '' }, localAuthorities, `Line ${line}: `);
    issues.push(...lineIssues.map((i) => ({ path: 'file', message: i.message })));
    if (!figure) continue;
    const key = `${figure.localAuthority}|${figure.dimension}|${figure.category}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({ path: 'file', message: `Line ${line}: the same figure (${figure.localAuthority}, ${figure.dimension}, ${figure.category}) is already on line ${earlier}` });
      continue;
    }
    seen.set(key, line);
    figures.push(figure);
  }
  return issues.length > 0 ? { figures: [], issues } : { figures, issues };
}

const subject = (partnershipId: string) => ({ subjectType: 'population-figures', subjectId: partnershipId });

/** Add a figure (expectedVersion 0) or change one (its version as shown). */
export async function saveFigure(ctx: ServiceContext, figure: PopulationRow, expectedVersion: number): Promise<void> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  await ctx.data.transaction(async (tx, audit) => {
    await lockPopulationSet(tx, partnershipId);
    const before = await findFigure(tx, partnershipId, figure);
    if (expectedVersion === 0) {
      if (before) throw new ConflictError('Somebody else has already entered this figure. Nothing was saved: check the figure shown, then change it if you need to.');
      await insertFigure(tx, partnershipId, figure, ctx.actor.userId);
    } else {
      expectOneUpdated(await updateFigureAtVersion(tx, partnershipId, figure, expectedVersion, { userId: ctx.actor.userId, at: ctx.clock.now() }));
    }
    await audit.change({
      action: expectedVersion === 0 ? 'population-figure.created' : 'population-figure.updated',
      ...subject(partnershipId),
      before: before ? { localAuthority: before.localAuthority, dimension: before.dimension, category: before.category, population: before.population } : null,
      after: figure,
    });
  });
}

/** Remove one figure (its version as shown). */
export async function removeFigure(ctx: ServiceContext, key: Omit<PopulationRow, 'population'>, expectedVersion: number): Promise<void> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  await ctx.data.transaction(async (tx, audit) => {
    await lockPopulationSet(tx, partnershipId);
    expectOneUpdated(await deleteFigureAtVersion(tx, partnershipId, key, expectedVersion));
    await audit.change({ action: 'population-figure.removed', ...subject(partnershipId), before: key, after: null });
  });
}

/** Replace every figure with an uploaded set, if nobody changed the set since `expectedFingerprint`. */
export async function replaceFigures(ctx: ServiceContext, figures: readonly PopulationRow[], expectedFingerprint: string): Promise<{ before: number; after: number }> {
  assertCan(ctx.actor, 'settings:manage');
  if (figures.length === 0) throw new InputError([{ path: 'file', message: 'The file has no figures' }]);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    await lockPopulationSet(tx, partnershipId);
    const current = await loadPopulation(tx, partnershipId);
    if (fingerprint(current) !== expectedFingerprint) throw new ConflictError('Somebody else changed the population figures after you opened this page. Nothing was saved: check the figures shown, then upload again.');
    await replaceAllFigures(tx, partnershipId, figures, ctx.actor.userId);
    await audit.change({
      action: 'population-figures.replaced',
      ...subject(partnershipId),
      before: { figures: current.map(({ localAuthority, dimension, category, population }) => ({ localAuthority, dimension, category, population })) },
      after: { figures },
    });
    return { before: current.length, after: figures.length };
  });
}

export function assertCanManagePopulation(ctx: ServiceContext): void {
  assertCan(ctx.actor, 'settings:manage');
}
