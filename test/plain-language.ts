/**
 * For tests only: the plain-language check (issue #13, item 4). Finds, in the text a person
 * sees on a page or in a document, what staff and letters must never show:
 *  - an ISO date (2026-12-04): GOV.UK writes "4 December 2026";
 *  - a raw reason code from the rules engine's catalogues ("time-elapsed"): show its label;
 *  - a bracketed internal note ("[O]", "UNCONFIRMED", "(title inferred)", "brief", "§");
 *  - an ONS code (E06000901) without its organisation's name beside it.
 * Input values and attributes are not visible text (a date input keeps its ISO value), and nor is
 * a record shown exactly as it is stored, in a <pre class="app-pre"> block (the audit trail's
 * before and after): that is evidence of what was saved, not wording.
 */
import {
  conditionalDischargeEndReasons,
  ctoEndReasons,
  detentionEndReasons,
  disputeKinds,
  endReasons,
  episodeEndReasons,
  eventTypes,
  flagCodes,
  rejectionCodes,
  statuses,
} from '../src/domain/rules/contract.ts';
import { legalPositions } from '../src/domain/rules/legal-position.ts';
import { needCategories, needDomainIds } from '../src/domain/rules/needs.ts';

/** Every kebab-case code in the domain's catalogues (one-word codes read as ordinary English). */
export const reasonCodes: readonly string[] = [
  ...new Set<string>(
    [
      eventTypes,
      detentionEndReasons,
      ctoEndReasons,
      conditionalDischargeEndReasons,
      endReasons,
      statuses,
      episodeEndReasons,
      disputeKinds,
      flagCodes,
      rejectionCodes,
      needDomainIds,
      needCategories,
      legalPositions,
    ]
      .flat()
      .map(String)
      .filter((code) => code.includes('-')),
  ),
].sort((a, b) => b.length - a.length);

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', pound: '£', hellip: '…', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”' };

/** The text of an HTML page as a reader sees it: no head, scripts, styles, attributes or form values. */
export function visibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/gi, ' ')
    .replace(/<(script|style|textarea|template|title)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<pre class="app-pre">[\s\S]*?<\/pre>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

export interface Finding {
  kind: 'ISO date' | 'reason code' | 'internal note' | 'code without a name';
  text: string;
}

const internalNotes: RegExp[] = [/\[O\]/, /\bUNCONFIRMED\b/i, /\binferred\b/i, /§/, /\bbrief\b/i, /\bSwindon procedure\b/i, /\basOf\b/, /\bby recorded\b/i];

/**
 * What the check finds in a visible text. `organisations` maps an ONS code to its name: a code is
 * accepted beside its name, or as "outside this partnership (code …)" when the name is unknown.
 */
export function plainLanguageFindings(text: string, organisations: ReadonlyMap<string, string>): Finding[] {
  const findings: Finding[] = [];
  const around = (index: number, length: number, width = 60) => text.slice(Math.max(0, index - width), index + length + width);
  for (const m of text.matchAll(/\b\d{4}-\d{2}-\d{2}\b/g)) findings.push({ kind: 'ISO date', text: around(m.index, m[0].length) });
  for (const code of reasonCodes) {
    const pattern = new RegExp(`(?<![\\w-])${code.replace(/[-]/g, '\\-')}(?![\\w-])`, 'g');
    for (const m of text.matchAll(pattern)) findings.push({ kind: 'reason code', text: around(m.index, m[0].length) });
  }
  for (const pattern of internalNotes) {
    for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      findings.push({ kind: 'internal note', text: around(m.index, m[0].length) });
    }
  }
  for (const m of text.matchAll(/\b[EW]\d{8}\b/g)) {
    const near = around(m.index, m[0].length, 120);
    const name = organisations.get(m[0]);
    // Beside its name: the partnership's name for it, or an example's ("E06000030 for Swindon").
    const named = (name !== undefined && near.includes(name)) || /^ for [A-Z]/.test(text.slice(m.index + m[0].length));
    const outside = near.includes(`outside this partnership (code ${m[0]})`);
    if (!named && !outside) findings.push({ kind: 'code without a name', text: around(m.index, m[0].length) });
  }
  return findings;
}
