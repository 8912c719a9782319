import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { p, pageBreak, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { communicationNeedLabels } from '../register/index.ts';
import { longDate, type OrganisationContact } from './format.ts';

/**
 * Letters to the person, in the format their record asks for (Accessible Information
 * Standard). `letterFormat` reads the person's recorded communication needs:
 *  - large print recorded: every letter is produced in large print (18pt or more);
 *  - easy read recorded: easy read is the suggested version;
 *  - braille, BSL or audio recorded: Aftercare cannot produce these, so the documents page
 *    says "also send in …" and the information-given record says when it was done.
 * `wrapInLetter` puts a document in letter form: the sender's address, the recipient's name
 * and address, the date, the reference (NHS number), a covering note and a sign-off.
 */

export type CommunicationNeed = keyof typeof communicationNeedLabels;

/** Needs Aftercare cannot meet by producing a PDF: someone must arrange them. */
const arrangedSeparately: CommunicationNeed[] = ['braille', 'bsl', 'audio'];

export interface LetterFormat {
  /** Produce in large print (recorded need, or asked for). */
  largePrint: boolean;
  /** The version to suggest first: easy read when recorded. */
  suggested: 'standard' | 'easy-read' | 'large-print';
  /** Formats to arrange as well, as labels ("Braille", "Audio"). */
  alsoSendIn: string[];
}

export function letterFormat(communicationNeeds: readonly string[]): LetterFormat {
  const needs = new Set(communicationNeeds);
  const largePrint = needs.has('large-print');
  return {
    largePrint,
    suggested: needs.has('easy-read') ? 'easy-read' : largePrint ? 'large-print' : 'standard',
    alsoSendIn: arrangedSeparately.filter((n) => needs.has(n)).map((n) => communicationNeedLabels[n]),
  };
}

export interface LetterDetails {
  recipient: { name: string; address: string | null; postcode: string | null };
  /** ISO date of the letter. */
  date: string;
  /** The person's NHS number: the reference on every letter. */
  nhsNumber: string;
  /** The organisation the letter comes from, with its address. */
  from: OrganisationContact | null;
  signOff: { name: string; organisation: string };
  /** What the letter is about, one or two sentences; a default covers statements. */
  covering?: string[];
  /** Short sentences for an easy read letter. */
  easyRead?: boolean;
  /** The person's recorded communication needs: large print is applied when recorded. */
  communicationNeeds?: readonly string[];
}

function addressLines(...parts: Array<string | null | undefined>): string {
  return parts
    .flatMap((part) => (part ? part.split(/\s*[\n,]\s*/) : []))
    .map((line) => line.trim())
    .filter((line, i, lines) => line !== '' && line !== lines[i - 1])
    .join('\n');
}

/** The document in letter form: letter heading first, then the document's own blocks. */
export function wrapInLetter(doc: DocumentModel, letter: LetterDetails): DocumentModel {
  const format = letterFormat(letter.communicationNeeds ?? []);
  const from = letter.from;
  const sender: Block[] = from
    ? [
        p(addressLines(from.name, from.contactAddress)),
        ...(from.contactPhone || from.contactEmail
          ? [p([from.contactPhone ? `Telephone: ${from.contactPhone}` : '', from.contactEmail ? `Email: ${from.contactEmail}` : ''].filter(Boolean).join('\n'))]
          : []),
      ]
    : [];
  const covering =
    letter.covering ??
    (letter.easyRead
      ? ['We are sending you information about your aftercare.', 'Please keep it safe.', 'Tell us if you want it in a different way.']
      : [
          'I enclose a statement about your section 117 aftercare. It explains your right to free aftercare, who is responsible for it, how it is reviewed and how to complain.',
          'Please keep it safe. If you would like it in another format or language, please contact us.',
        ]);
  const blocks: Block[] = [
    ...sender,
    p(addressLines(letter.recipient.name, letter.recipient.address, letter.recipient.postcode)),
    p(longDate(letter.date)),
    p(`Our reference: NHS number ${formatNhsNumber(letter.nhsNumber)}`),
    p(`Dear ${letter.recipient.name},`),
    ...covering.map((text) => p(text)),
    p('Yours sincerely,'),
    p(`${letter.signOff.name}\n${letter.signOff.organisation}`),
    pageBreak(),
    ...doc.blocks,
  ];
  return {
    ...doc,
    ...(format.largePrint || doc.largePrint ? { largePrint: true } : {}),
    blocks,
  };
}
