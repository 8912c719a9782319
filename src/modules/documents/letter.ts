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
 * and address, the date, the reference (NHS number), what the practitioner wrote to the
 * person, a covering note and a sign-off by the same body (or bodies) as the letterhead.
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

/** A body a letter comes from, and the person who signs for it (someone who works for that body). */
export interface LetterSender {
  body: OrganisationContact;
  signedBy: string;
}

export interface LetterDetails {
  recipient: { name: string; address: string | null; postcode: string | null };
  /** ISO date of the letter. */
  date: string;
  /** The person's NHS number: the reference on every letter. */
  nhsNumber: string;
  /**
   * The body the letter comes from, or both bodies for a joint letter (an ending decided by the
   * local authority and the ICB). The letterhead names each body and each signs: the
   * letterhead and the signatures are always the same bodies.
   */
  from: [LetterSender, ...LetterSender[]];
  /**
   * What to tell the person: written to them by the practitioner, in plain English, and shown
   * first after "Dear …". Case notes and staff reasons are never passed here.
   */
  whatToTellThePerson?: string | null;
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

function letterhead(body: OrganisationContact): Block[] {
  return [
    p(addressLines(body.name, body.contactAddress)),
    ...(body.contactPhone || body.contactEmail
      ? [p([body.contactPhone ? `Telephone: ${body.contactPhone}` : '', body.contactEmail ? `Email: ${body.contactEmail}` : ''].filter(Boolean).join('\n'))]
      : []),
  ];
}

/** The practitioner's words to the person, one paragraph per paragraph they wrote. */
export function paragraphsOf(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\n\s*\n/)
    .map((para) => para.trim())
    .filter(Boolean);
}

/** The document in letter form: letter heading first, then the document's own blocks. */
export function wrapInLetter(doc: DocumentModel, letter: LetterDetails): DocumentModel {
  const format = letterFormat(letter.communicationNeeds ?? []);
  const covering =
    letter.covering ??
    (letter.easyRead
      ? ['We are sending you information about your aftercare.', 'Please keep it safe.', 'Tell us if you want it in a different way.']
      : [
          'I enclose a statement about your section 117 aftercare. It explains your right to free aftercare, who is responsible for it, how it is reviewed and how to complain.',
          'Please keep it safe. If you would like it in another format or language, please contact us.',
        ]);
  const joint = letter.from.length > 1;
  const blocks: Block[] = [
    ...(joint ? [p(`A joint letter from ${letter.from.map((s) => s.body.name).join(' and ')}`, true)] : []),
    ...letter.from.flatMap((s) => letterhead(s.body)),
    p(addressLines(letter.recipient.name, letter.recipient.address, letter.recipient.postcode)),
    p(longDate(letter.date)),
    p(`Our reference: NHS number ${formatNhsNumber(letter.nhsNumber)}`),
    p(`Dear ${letter.recipient.name},`),
    ...paragraphsOf(letter.whatToTellThePerson).map((text) => p(text)),
    ...covering.map((text) => p(text)),
    p('Yours sincerely,'),
    ...letter.from.map((s) => p(`${s.signedBy}\n${s.body.name}`)),
    pageBreak(),
    ...doc.blocks,
  ];
  return {
    ...doc,
    author: letter.from.map((s) => s.body.name).join(' and '),
    ...(format.largePrint || doc.largePrint ? { largePrint: true } : {}),
    blocks,
  };
}
