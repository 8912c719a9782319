import { formatPounds } from '../../domain/funding.ts';

/** The funding an old register gave one person, as recorded by the import. */
export interface ImportedFunding {
  weeklyCostPence: number | null;
  /** The council's share in basis points (6000 = 60%); the ICB pays the rest. */
  localAuthorityBasisPoints: number | null;
}

const percent = (basisPoints: number) => `${Number((basisPoints / 100).toFixed(2))}%`;

/** "£1,200.00 a week, council 60%, ICB 40%", or as much of it as the old register gave. */
export function importedFundingWords(f: ImportedFunding): string {
  const split = f.localAuthorityBasisPoints === null ? null : `council ${percent(f.localAuthorityBasisPoints)}, ICB ${percent(10_000 - f.localAuthorityBasisPoints)}`;
  if (f.weeklyCostPence !== null && split) return `${formatPounds(f.weeklyCostPence)} a week, ${split}`;
  if (f.weeklyCostPence !== null) return `${formatPounds(f.weeklyCostPence)} a week (the old register gave no split between the council and the ICB)`;
  return `${split ?? 'nothing'} (the old register gave no weekly cost)`;
}
