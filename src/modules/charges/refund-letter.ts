import { formatPounds } from '../../domain/funding.ts';
import type { RefundCalculation } from '../../domain/refund.ts';
import { h1, h2, h3, inset, p, summary, type DocumentModel } from '../../platform/documents/model.ts';
import { longDate, type OrganisationContact } from '../documents/index.ts';
import { wrapInLetter } from '../documents/index.ts';
import { basisPointsToPercent } from '../../domain/money.ts';

/*
 * The refund letter: every charge wrongly made for section 117 aftercare, refunded in full with
 * simple interest (R20, R48), as a letter to the person. Pure: the figures come from
 * `calculateRefund` (src/domain/refund.ts) and are printed exactly as the page shows them.
 */

export const REFUND_LETTER_TITLE = 'Refund of charges for your section 117 aftercare';

export interface RefundLetterFacts {
  calculation: RefundCalculation;
  rateBasisPoints: number;
  /** ISO date of the letter. */
  date: string;
  person: { givenName: string; familyName: string; address: string | null; postcode: string | null; nhsNumber: string; communicationNeeds: readonly string[] };
  /** The organisation the letter comes from: the body of whoever signs it. */
  from: OrganisationContact;
  /** Who signs it, for `from`. */
  signedBy: string;
  /** What to tell the person, written to them (opens the letter). */
  whatToTellThePerson?: string | null;
}

const period = (from: string, to: string) => (from === to ? longDate(from) : `${longDate(from)} to ${longDate(to)}`);

export function refundLetter(facts: RefundLetterFacts): DocumentModel {
  const c = facts.calculation;
  const rate = `${basisPointsToPercent(facts.rateBasisPoints)}%`;
  const to = longDate(c.toDate);
  const contact = [facts.from.contactPhone ? `telephone ${facts.from.contactPhone}` : '', facts.from.contactEmail ? `email ${facts.from.contactEmail}` : ''].filter(Boolean).join(' or ');
  const doc: DocumentModel = {
    title: REFUND_LETTER_TITLE,
    language: 'en-GB',
    subject: 'Section 117 aftercare is free: charges refunded with interest',
    author: facts.from.name,
    blocks: [
      h1(REFUND_LETTER_TITLE),
      p('Section 117 aftercare is free. Nobody may charge you for it (section 117 of the Mental Health Act 1983; R v Manchester City Council, ex parte Stennett, House of Lords, 2002).'),
      p(`You were charged for services that are part of your section 117 aftercare. We are refunding every one of these charges in full, with interest to ${to}.`),
      summary([
        { key: 'Charges refunded', value: `${formatPounds(c.principalPence)} (${c.lines.length} ${c.lines.length === 1 ? 'charge' : 'charges'})` },
        { key: 'Interest', value: formatPounds(c.interestPence) },
        { key: 'Total refund', value: formatPounds(c.totalPence) },
      ]),
      // One short block for each charge rather than a wide table: it reads the same aloud and
      // stays legible in large print.
      h2('The charges we are refunding'),
      ...c.lines.flatMap((line, i) => [
        h3(`${i + 1}. ${line.description}`),
        summary([
          { key: 'Charged for', value: period(line.chargedFrom, line.chargedTo) },
          { key: 'You paid on', value: longDate(line.paidOn) },
          { key: 'Amount you paid', value: formatPounds(line.amountPence) },
          { key: 'Interest', value: `${formatPounds(line.interestPence)} (${line.days} ${line.days === 1 ? 'day' : 'days'})` },
          { key: 'Refund', value: formatPounds(line.totalPence) },
        ]),
      ]),
      h2('How we worked out the interest'),
      p(`Simple interest at ${rate} a year on each charge, from the day you paid it to ${to}, counting 365 days in a year, rounded to the nearest penny.`),
      h2('What happens next'),
      p(`We will pay you ${formatPounds(c.totalPence)}. If the refund is paid after ${to}, we will add the interest for the extra days.`),
      inset(`If you think we have missed a charge, or any figure is wrong, please contact us${contact ? `: ${contact}` : ''}, quoting your NHS number.`),
      h2('If you are unhappy'),
      p('You can complain to us. If you are still unhappy after our reply, you can ask the Local Government and Social Care Ombudsman to look at your complaint.'),
    ],
  };
  return wrapInLetter(doc, {
    recipient: { name: `${facts.person.givenName} ${facts.person.familyName}`, address: facts.person.address, postcode: facts.person.postcode },
    date: facts.date,
    nhsNumber: facts.person.nhsNumber,
    from: [{ body: facts.from, signedBy: facts.signedBy }],
    whatToTellThePerson: facts.whatToTellThePerson ?? null,
    covering: [
      'I am writing about charges you paid for services that are part of your section 117 aftercare.',
      `Section 117 aftercare is free, so we are refunding these charges in full, with interest: ${formatPounds(c.totalPence)} in all. The details are on the next page.`,
    ],
    communicationNeeds: facts.person.communicationNeeds,
  });
}
