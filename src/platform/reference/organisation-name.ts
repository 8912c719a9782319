import { referenceName } from '../../domain/reference/organisations.ts';

/**
 * The name of an organisation by its code, for pages that show a body outside the partnership
 * (an out-of-area council, another ICB, a trust): from the shipped reference list
 * (src/domain/reference/data/), or the code itself when the list does not hold it (issue 14, item 1).
 */
export function organisationName(code: string): string {
  return referenceName(code.trim().toUpperCase()) ?? code;
}

/** The name from the reference list, or null when the list does not hold the code. */
export function knownOrganisationName(code: string): string | null {
  return referenceName(code.trim().toUpperCase());
}
