import { createHash } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ageBandLabels, ageBands, ALL_CATEGORIES, populationDimensions, WHOLE_PARTNERSHIP, type PopulationDimension, type PopulationRow } from '../../domain/population.ts';
import { assertCan } from '../../platform/access/policy.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import { normaliseHeader, readCsvRecords } from '../../platform/csv.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { ConflictError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { ethnicCodes, ethnicLabel, sexes, sexLabels } from '../register/index.ts';
import { populationFigure } from './schema.ts';

/*
 * The partnership's population figures (issue 7, items 1 and 4), entered one at a time or
 * uploaded as CSV (local_authority,dimension,category,population) by the lead organisation's
 * administrators ('settings:manage'). Every write is in a transaction with an audit event;
 * editing one figure checks its version, replacing them all checks a fingerprint of the whole
 * set as it was when the page was opened, so nobody overwrites a change they have not seen.
 */

export const MAX_POPULATION = 100_000_000;
export const MAX_UPLOAD_ROWS = 5_000;

export const dimensionLabels: Record<PopulationDimension, string> = { total: 'Total', ethnicity: 'Ethnicity', 'age-band': 'Age band', sex: 'Sex' };

export interface StoredFigure extends PopulationRow {
  version: number;
  updatedAt: Date;
}

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

export async function localAuthorityChoices(db: DbOrTx, partnershipId: string): Promise<Array<{ code: string; name: string }>> {
  return db
    .select({ code: organisation.code, name: organisation.name })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.type, 'local-authority')))
    .orderBy(asc(organisation.name));
}

/** Every figure of the partnership (for rates; any reader of dashboards may use them). */
export async function loadPopulation(db: DbOrTx, partnershipId: string): Promise<StoredFigure[]> {
  return db
    .select({
      localAuthority: populationFigure.localAuthority,
      dimension: populationFigure.dimension,
      category: populationFigure.category,
      population: populationFigure.population,
      version: populationFigure.version,
      updatedAt: populationFigure.updatedAt,
    })
    .from(populationFigure)
    .where(eq(populationFigure.partnershipId, partnershipId))
    .orderBy(asc(populationFigure.localAuthority), asc(populationFigure.dimension), asc(populationFigure.category));
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

/** Writers of the set take turns: a replacement sees every edit committed before it, and none after its check. */
async function lockSet(tx: DbOrTx, partnershipId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`population:${partnershipId}`}))`);
}

const subject = (partnershipId: string) => ({ subjectType: 'population-figures', subjectId: partnershipId });

/** Add a figure (expectedVersion 0) or change one (its version as shown). */
export async function saveFigure(ctx: ServiceContext, figure: PopulationRow, expectedVersion: number): Promise<void> {
  assertCan(ctx.actor, 'settings:manage');
  const partnershipId = ctx.actor.partnershipId;
  await ctx.db.transaction(async (tx) => {
    const key = and(
      eq(populationFigure.partnershipId, partnershipId),
      eq(populationFigure.localAuthority, figure.localAuthority),
      eq(populationFigure.dimension, figure.dimension),
      eq(populationFigure.category, figure.category),
    );
    await lockSet(tx, partnershipId);
    const [before] = await tx.select().from(populationFigure).where(key);
    if (expectedVersion === 0) {
      if (before) throw new ConflictError('Somebody else has already entered this figure. Nothing was saved: check the figure shown, then change it if you need to.');
      await tx.insert(populationFigure).values({ partnershipId, ...figure, updatedBy: ctx.actor.userId });
    } else {
      expectOneUpdated(
        await tx
          .update(populationFigure)
          .set({ population: figure.population, updatedBy: ctx.actor.userId, updatedAt: new Date(), version: sql`${populationFigure.version} + 1` })
          .where(and(key, eq(populationFigure.version, expectedVersion)))
          .returning({ version: populationFigure.version }),
      );
    }
    await recordChange(tx, { actor: ctx.actor, requestId: ctx.requestId }, {
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
  await ctx.db.transaction(async (tx) => {
    await lockSet(tx, partnershipId);
    expectOneUpdated(
      await tx
        .delete(populationFigure)
        .where(
          and(
            eq(populationFigure.partnershipId, partnershipId),
            eq(populationFigure.localAuthority, key.localAuthority),
            eq(populationFigure.dimension, key.dimension),
            eq(populationFigure.category, key.category),
            eq(populationFigure.version, expectedVersion),
          ),
        )
        .returning({ version: populationFigure.version }),
    );
    await recordChange(tx, { actor: ctx.actor, requestId: ctx.requestId }, { action: 'population-figure.removed', ...subject(partnershipId), before: key, after: null });
  });
}

/** Replace every figure with an uploaded set, if nobody changed the set since `expectedFingerprint`. */
export async function replaceFigures(ctx: ServiceContext, figures: readonly PopulationRow[], expectedFingerprint: string): Promise<{ before: number; after: number }> {
  assertCan(ctx.actor, 'settings:manage');
  if (figures.length === 0) throw new InputError([{ path: 'file', message: 'The file has no figures' }]);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.db.transaction(async (tx) => {
    await lockSet(tx, partnershipId);
    const current = await loadPopulation(tx, partnershipId);
    if (fingerprint(current) !== expectedFingerprint) throw new ConflictError('Somebody else changed the population figures after you opened this page. Nothing was saved: check the figures shown, then upload again.');
    await tx.delete(populationFigure).where(eq(populationFigure.partnershipId, partnershipId));
    await tx.insert(populationFigure).values(figures.map((f) => ({ partnershipId, ...f, updatedBy: ctx.actor.userId })));
    await recordChange(tx, { actor: ctx.actor, requestId: ctx.requestId }, {
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
