/**
 * The letter telling the person their section 117 aftercare has ended (issue 6): what changes,
 * from when, who decided, why (the reasons said to them, and what the practitioner wrote to
 * them), and how to challenge it. Staff's own words (the reasons, the person's view, the other
 * care plan) never reach it (issue 13, item 5).
 * In standard and easy read; large print when the person's record asks for it (wrapInLetter).
 */
import { h1, h2, list, p, point, strongPoint, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { PICTOGRAM_CREDIT } from '../../platform/documents/pictograms.ts';
import { longDate, paragraphsOf, type OrganisationContact } from '../documents/index.ts';

export const ENDING_LETTER_TITLE = 'Your section 117 aftercare has ended';

export interface EndingLetterFacts {
  personName: string;
  effectiveOn: string;
  /** The reasons as said to the person ("You no longer need …"): endReasonsForPerson. */
  reasonsForPerson: string[];
  /**
   * What to tell the person, written to them by the practitioner in plain English. The
   * proposal's reasons, the person's view and the other care plan are staff's words: they are
   * not facts of the letter, so they cannot reach it.
   */
  messageToPerson: string | null;
  localAuthority: OrganisationContact | null;
  icb: OrganisationContact | null;
  /** Who decided for each body ("Alex Mensah"); the bodies are named beside them. */
  decidedBy: { localAuthority: string; icb: string };
  producedOn: string;
}

const ombudsmen = [
  'the Local Government and Social Care Ombudsman (www.lgo.org.uk), about the council',
  'the Parliamentary and Health Service Ombudsman (www.ombudsman.org.uk), about the NHS',
];

function contactLines(body: OrganisationContact | null): string[] {
  if (!body) return [];
  const parts = [body.contactPhone ? `telephone ${body.contactPhone}` : '', body.contactEmail ? `email ${body.contactEmail}` : '', body.contactAddress ? `write to ${body.contactAddress}` : ''].filter(Boolean);
  return [`${body.name}${parts.length ? `: ${parts.join(', ')}` : ''}`];
}

function standardBlocks(f: EndingLetterFacts): Block[] {
  const la = f.localAuthority?.name ?? 'the local authority';
  const icb = f.icb?.name ?? 'the integrated care board';
  return [
    h1(ENDING_LETTER_TITLE),
    p(`This letter is for ${f.personName}. It was written on ${longDate(f.producedOn)}.`),
    h2('What changes, and from when'),
    p(`Your section 117 aftercare ended on ${longDate(f.effectiveOn)}.`, true),
    p('From that date, services are no longer provided free under section 117 of the Mental Health Act 1983. Some care or support may continue under other law (for example the Care Act 2014 or the NHS). Care under the Care Act may be charged for after a financial assessment.'),
    h2('Who decided'),
    p(`Section 117 aftercare can end only when both the local authority and the NHS integrated care board are satisfied that you no longer need aftercare services for your mental health. Both agreed, separately:`),
    list([`For ${la}: ${f.decidedBy.localAuthority}`, `For ${icb}: ${f.decidedBy.icb}`]),
    h2('Why'),
    ...(f.reasonsForPerson.length ? [list(f.reasonsForPerson)] : []),
    ...paragraphsOf(f.messageToPerson).map((text) => p(text)),
    h2('If you disagree'),
    p('You can ask us to look at the decision again. Please contact your care coordinator or lead worker, or complain to either organisation:'),
    list([...contactLines(f.localAuthority), ...contactLines(f.icb)]),
    p('If you are still unhappy after their answer, you can ask an ombudsman to look at your complaint. It is free:'),
    list(ombudsmen),
    p('An advocate can help you. Advocacy is free and independent. You may have a right to an independent mental health advocate (IMHA) or a Care Act advocate: ask your care coordinator or lead worker to arrange one.'),
    h2('If you need help again'),
    p('You can ask for a new assessment of your needs at any time.'),
    p('If the decision to end your aftercare was a mistake, or your mental health needs come back, it can be reinstated. If you are detained again under a section that gives a right to aftercare, you will be entitled again when you leave hospital.'),
    p('You can ask for this letter in another format or language, for example easy read, large print, braille or audio.'),
  ];
}

function easyReadBlocks(f: EndingLetterFacts): Block[] {
  const la = f.localAuthority?.name ?? 'your council';
  const icb = f.icb?.name ?? 'your NHS organisation';
  const message = paragraphsOf(f.messageToPerson);
  return [
    h1(`${ENDING_LETTER_TITLE} (easy read)`),
    point('person', `This is for ${f.personName}.`),
    point('calendar', `We wrote it on ${longDate(f.producedOn)}.`),
    h2('What has changed?'),
    strongPoint('stop', 'Your section 117 aftercare has stopped.', `It stopped on ${longDate(f.effectiveOn)}.`),
    point('money', 'Section 117 aftercare was free help after hospital.'),
    point('question', 'Some help may carry on in a different way.', 'Some of that help may cost money.'),
    h2('Who decided?'),
    point('together', 'Your council and the NHS both decided.', `${la}: ${f.decidedBy.localAuthority}.`, `${icb}: ${f.decidedBy.icb}.`),
    point('good', 'They think you do not need aftercare any more.'),
    h2('Why?'),
    ...f.reasonsForPerson.map((reason) => point('good', reason)),
    ...(message.length ? [point('talk', ...message)] : []),
    h2('What if you do not agree?'),
    point('talk', 'You can ask them to think again.'),
    point('complain', 'You can complain to your council or the NHS.', ...contactLines(f.localAuthority), ...contactLines(f.icb)),
    point('fair', 'Still not happy? You can ask an ombudsman to help. It is free.', 'For the council: the Local Government and Social Care Ombudsman.', 'For the NHS: the Parliamentary and Health Service Ombudsman.'),
    point('people', 'An advocate can help you speak up. It is free.', 'Ask your worker to find you an advocate.'),
    h2('What if you need help again?'),
    point('question', 'You can ask for a new check of your needs at any time.'),
    point('yes', 'Your aftercare can start again if you need it.'),
    p(PICTOGRAM_CREDIT),
  ];
}

export function buildEndingLetter(facts: EndingLetterFacts, version: 'standard' | 'easy-read'): DocumentModel {
  const easy = version === 'easy-read';
  const authors = [facts.localAuthority?.name, facts.icb?.name].filter((n): n is string => Boolean(n));
  return {
    title: easy ? `${ENDING_LETTER_TITLE} (easy read)` : ENDING_LETTER_TITLE,
    language: 'en-GB',
    subject: `The end of section 117 aftercare for ${facts.personName}`,
    author: authors.length ? authors.join(' and ') : 'Aftercare',
    ...(easy ? { easyRead: true } : {}),
    blocks: easy ? easyReadBlocks(facts) : standardBlocks(facts),
  };
}
