/**
 * A rule's source as citations a reader can follow: each citation of the source ("MHA 1983
 * s117(2)", "[2023] UKSC 31", "SI 2022/635") with a link to the text where one is published
 * (legislation.gov.uk for Acts and statutory instruments, BAILII for judgments). Pure: the
 * citation data stays in the rule; this only reads it.
 */

export interface SourcePart {
  text: string;
  href: string | null;
}

const legislation = 'https://www.legislation.gov.uk';
const bailii = 'https://www.bailii.org';

const recognisers: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/\bMHA 1983 s(\d+[A-Z]?)/, (m) => `${legislation}/ukpga/1983/20/section/${m[1]}`],
  [/\bCare Act 2014 ss?(\d+)/, (m) => `${legislation}/ukpga/2014/23/section/${m[1]}`],
  [/\bNHS Act 2006 ss?(\d+)/, (m) => `${legislation}/ukpga/2006/41/section/${m[1]}`],
  [/\bSI (\d{4})\/(\d+)/, (m) => `${legislation}/uksi/${m[1]}/${m[2]}/contents`],
  [/\[(\d{4})\] UKSC (\d+)/, (m) => `${bailii}/uk/cases/UKSC/${m[1]}/${m[2]}.html`],
  [/\[(\d{4})\] UKHL (\d+)/, (m) => `${bailii}/uk/cases/UKHL/${m[1]}/${m[2]}.html`],
  [/\[(\d{4})\] EWCA Civ (\d+)/, (m) => `${bailii}/ew/cases/EWCA/Civ/${m[1]}/${m[2]}.html`],
  [/\[(\d{4})\] EWHC (\d+) \(Admin\)/, (m) => `${bailii}/ew/cases/EWHC/Admin/${m[1]}/${m[2]}.html`],
];

/** Where a citation is published, if it is a statute, statutory instrument or judgment we know how to find. */
export function citationLink(citation: string): string | null {
  for (const [pattern, href] of recognisers) {
    const m = pattern.exec(citation);
    if (m) return href(m);
  }
  return null;
}

/** The source split into its citations ("; " between them), each with its link if it has one. */
export function sourceParts(source: string): SourcePart[] {
  return source
    .split('; ')
    .filter((text) => text.trim() !== '')
    .map((text) => ({ text, href: citationLink(text) }));
}
