/** Formatting shared by the documents' builders. Pure: no clock, no locale data needed. */

import { govukDate } from '../../platform/plain-language.ts';

/** "2026-03-01" → "1 March 2026" (the platform's one date format). Anything that is not an ISO date is returned as it is. */
export function longDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? govukDate(value) || value : value;
}

/** Contact details of an organisation as lines ("Telephone: …"), leaving out what is not recorded. */
export interface OrganisationContact {
  name: string;
  contactPhone: string | null;
  contactEmail: string | null;
  contactAddress: string | null;
}

/** A file name from a title and date: "your-section-117-aftercare-easy-read-2026-03-01.pdf". */
export function fileNameFor(title: string, date: string, extension = 'pdf'): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'document'}-${date}.${extension}`;
}
