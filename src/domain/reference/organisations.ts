/**
 * Reference list of the bodies a section 117 record names: English and Welsh local authorities
 * with social services responsibilities, English integrated care boards (ICBs) and Welsh local
 * health boards. Shipped as data so forms offer them by name (issue #13, item 3).
 *
 * Sources (Open Government Licence v3.0):
 *  - Local authorities: Office for National Statistics, "Local Authority Districts (December
 *    2023) Names and Codes in the UK" and "Counties (December 2023) Names and Codes in England",
 *    Open Geography Portal (geoportal.statistics.gov.uk). Codes as they stand from 1 April 2023
 *    (Cumberland, Westmorland and Furness, North Yorkshire and Somerset as unitary authorities).
 *  - ICBs: ONS "Integrated Care Boards (April 2023) Names and Codes in England" (E54…) with the
 *    ICB's ODS code from NHS England's Organisation Data Service; from April 2023 Surrey
 *    Heartlands is E54000063 and Sussex E54000064 (their 2022 codes were E54000052 and
 *    E54000053, kept below only to name old records).
 *  - Welsh local health boards: ONS "Local Health Boards (April 2019) Names and Codes in Wales"
 *    (W11…) with their ODS codes (7A1–7A7).
 * Compiled December 2026. NHS trusts (ODS codes) were added for partnership set-up (issue #14);
 * their source is stated in data/trusts.json.
 *
 * What it covers: the 153 English councils with social services responsibilities (63 unitary
 * authorities including the Council of the Isles of Scilly, 36 metropolitan districts, the 32
 * London boroughs and the City of London, 21 county councils), the 22 Welsh principal councils,
 * the 42 ICBs and the 7 Welsh local health boards. It does not cover shire districts (E07), which
 * have no social services duties, nor ICB mergers after April 2023: a partnership adds a body
 * that is missing as one of its own organisations, and the forms offer its own bodies first.
 */

import localAuthoritiesFile from './data/local-authorities.json' with { type: 'json' };
import icbsFile from './data/icbs.json' with { type: 'json' };
import trustsFile from './data/trusts.json' with { type: 'json' };
import type { ReferenceFile } from './reference-file.ts';

export interface ReferenceBody {
  /** The ONS (GSS) code the register and the rules engine use; the ODS code for a trust. */
  readonly code: string;
  readonly name: string;
  /** The ODS code, for ICBs and health boards. */
  readonly odsCode?: string;
}

/*
 * The lists themselves are data (issue #14, item 1): data/*.json, each stating its source and
 * date, rebuilt from an official download by `npx aftercare reference refresh` (see data/README.md).
 */
const files = { localAuthorities: localAuthoritiesFile as ReferenceFile, icbs: icbsFile as ReferenceFile, trusts: trustsFile as ReferenceFile };

/** English and Welsh councils with social services responsibilities, by ONS code. */
export const referenceLocalAuthorities: readonly ReferenceBody[] = files.localAuthorities.bodies;

/** The 42 ICBs (E54…, April 2023) and the 7 Welsh local health boards (W11…). */
export const referenceIcbs: readonly ReferenceBody[] = files.icbs.bodies;

/** NHS trusts in England, by ODS code (data/trusts.json says which download). */
export const referenceTrusts: readonly ReferenceBody[] = files.trusts.bodies;

/** Where each list came from and when, for pages and the command line to show. */
export const referenceSources: Readonly<Record<'localAuthorities' | 'icbs' | 'trusts', { source: string; compiled: string }>> = {
  localAuthorities: { source: files.localAuthorities.source, compiled: files.localAuthorities.compiled },
  icbs: { source: files.icbs.source, compiled: files.icbs.compiled },
  trusts: { source: files.trusts.source, compiled: files.trusts.compiled },
};

/** Codes of bodies replaced since, kept only so old records still read as names. */
const formerNames: Readonly<Record<string, string>> = {
  E54000052: 'NHS Surrey Heartlands Integrated Care Board',
  E54000053: 'NHS Sussex Integrated Care Board',
};

const byCode = new Map<string, string>([...referenceLocalAuthorities, ...referenceIcbs, ...referenceTrusts].map((b) => [b.code, b.name]));
// An ICB is also known by its ODS code (QOX), which is what an organisation record holds.
for (const b of referenceIcbs) if (b.odsCode && !byCode.has(b.odsCode)) byCode.set(b.odsCode, b.name);

/** A body of the reference list by any of its codes (ONS, or ODS for ICBs and trusts), with its kind. */
export function referenceBody(code: string): (ReferenceBody & { kind: 'local-authority' | 'icb' | 'nhs-trust' }) | null {
  const upper = code.trim().toUpperCase();
  const la = referenceLocalAuthorities.find((b) => b.code === upper);
  if (la) return { ...la, kind: 'local-authority' };
  const icb = referenceIcbs.find((b) => b.code === upper || b.odsCode === upper);
  if (icb) return { ...icb, kind: 'icb' };
  const trust = referenceTrusts.find((b) => b.code === upper);
  if (trust) return { ...trust, kind: 'nhs-trust' };
  return null;
}

/** The name of a local authority, ICB, health board or trust from the reference list, or null. */
export function referenceName(code: string): string | null {
  return byCode.get(code) ?? formerNames[code] ?? null;
}
