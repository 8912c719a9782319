import type { Tx } from '../../platform/db/database.ts';
import { findLocalAuthorityCodes, insertPopulationFigures } from './demo.queries.ts';

/*
 * SYNTHETIC population figures for the demo partnership's fictional local authorities, so the
 * demo shows rates per 100,000. These are invented round numbers for invented places: they are
 * not ONS estimates and describe no real area. A real partnership enters its own figures at
 * /settings/population.
 */

/** Synthetic totals and a synthetic split by sex and age band (the shares add up to the total). */
const SYNTHETIC_TOTALS: Record<string, number> = { E06000901: 180_000, E06000902: 240_000, E08000903: 310_000 };
const SEX_SHARES = { female: 0.51, male: 0.49 } as const;
const AGE_SHARES = { 'under-18': 0.21, '18-25': 0.1, '26-35': 0.14, '36-50': 0.2, '51-65': 0.19, '66-plus': 0.16 } as const;

export function syntheticDemoPopulation(localAuthorities: readonly string[]): Array<{ localAuthority: string; dimension: string; category: string; population: number }> {
  const rows: Array<{ localAuthority: string; dimension: string; category: string; population: number }> = [];
  for (const la of localAuthorities) {
    const total = SYNTHETIC_TOTALS[la];
    if (total === undefined) continue;
    rows.push({ localAuthority: la, dimension: 'total', category: 'all', population: total });
    for (const [category, share] of Object.entries(SEX_SHARES)) rows.push({ localAuthority: la, dimension: 'sex', category, population: Math.round(total * share) });
    for (const [category, share] of Object.entries(AGE_SHARES)) rows.push({ localAuthority: la, dimension: 'age-band', category, population: Math.round(total * share) });
  }
  return rows;
}

/** A demo seed step (seedDemoWithPeople `after`): writes the synthetic figures; returns how many. */
export async function seedDemoPopulation(tx: Tx, partnershipId: string): Promise<number> {
  // A seed step on the seed's own transaction, outside the door (see demo.queries.ts).
  const rows = syntheticDemoPopulation(await findLocalAuthorityCodes(tx, partnershipId));
  await insertPopulationFigures(tx, partnershipId, rows);
  return rows.length;
}
