import { and, asc, eq, sql } from 'drizzle-orm';
import type { PopulationRow } from '../../domain/population.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { organisation } from '../../platform/db/schema.ts';
import { populationFigure } from './schema.ts';

/*
 * The population module's data layer: the only file of the module that imports drizzle-orm.
 * The service hands these functions the handle the door gave it, so row-level security
 * confines them to the actor's partnership; the partnership filters pick the rows and stay as
 * a second line. `loadPopulation` is also used by dashboards and equality inside their reads.
 */

export interface StoredFigure extends PopulationRow {
  version: number;
  updatedAt: Date;
}

export type FigureKey = Omit<PopulationRow, 'population'>;
export type FigureRow = typeof populationFigure.$inferSelect;

/** The partnership's local authorities (code and name), by name. */
export async function findLocalAuthorities(q: DbOrTx, partnershipId: string): Promise<Array<{ code: string; name: string }>> {
  return q
    .select({ code: organisation.code, name: organisation.name })
    .from(organisation)
    .where(and(eq(organisation.partnershipId, partnershipId), eq(organisation.type, 'local-authority')))
    .orderBy(asc(organisation.name));
}

/** Every figure of the partnership (for rates; any reader of dashboards may use them). */
export async function loadPopulation(q: DbOrTx, partnershipId: string): Promise<StoredFigure[]> {
  return q
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

/** Writers of the set take turns: a replacement sees every edit committed before it, and none after its check. */
export async function lockPopulationSet(tx: DbOrTx, partnershipId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`population:${partnershipId}`}))`);
}

const keyOf = (partnershipId: string, key: FigureKey) =>
  and(
    eq(populationFigure.partnershipId, partnershipId),
    eq(populationFigure.localAuthority, key.localAuthority),
    eq(populationFigure.dimension, key.dimension),
    eq(populationFigure.category, key.category),
  );

export async function findFigure(q: DbOrTx, partnershipId: string, key: FigureKey): Promise<FigureRow | undefined> {
  return (await q.select().from(populationFigure).where(keyOf(partnershipId, key)))[0];
}

export async function insertFigure(tx: DbOrTx, partnershipId: string, figure: PopulationRow, updatedBy: string | null): Promise<void> {
  await tx.insert(populationFigure).values({ partnershipId, ...figure, updatedBy });
}

/** Change the population of the figure saved at `version` (optimistic concurrency): none returned if somebody changed it first. */
export async function updateFigureAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  figure: PopulationRow,
  version: number,
  by: { userId: string | null; at: Date },
): Promise<Array<{ version: number }>> {
  return tx
    .update(populationFigure)
    .set({ population: figure.population, updatedBy: by.userId, updatedAt: by.at, version: sql`${populationFigure.version} + 1` })
    .where(and(keyOf(partnershipId, figure), eq(populationFigure.version, version)))
    .returning({ version: populationFigure.version });
}

/** Delete the figure saved at `version`: none returned if somebody changed or removed it first. */
export async function deleteFigureAtVersion(tx: DbOrTx, partnershipId: string, key: FigureKey, version: number): Promise<Array<{ version: number }>> {
  return tx
    .delete(populationFigure)
    .where(and(keyOf(partnershipId, key), eq(populationFigure.version, version)))
    .returning({ version: populationFigure.version });
}

/** Replace the partnership's whole set of figures. */
export async function replaceAllFigures(tx: DbOrTx, partnershipId: string, figures: readonly PopulationRow[], updatedBy: string | null): Promise<void> {
  await tx.delete(populationFigure).where(eq(populationFigure.partnershipId, partnershipId));
  await tx.insert(populationFigure).values(figures.map((f) => ({ partnershipId, ...f, updatedBy })));
}
