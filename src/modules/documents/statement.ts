import { h1, h2, h3, inset, list, p, point, strongPoint, summary, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { PICTOGRAM_CREDIT } from '../../platform/documents/pictograms.ts';
import { InputError } from '../../platform/errors/errors.ts';
import { longDate, type OrganisationContact } from './format.ts';

/**
 * The statement of entitlement, "Your section 117 aftercare": the person's rights in writing,
 * built from the same facts in three versions (MHA 1983 s117; Code of Practice ch.33; the
 * Accessible Information Standard):
 *  - standard: the full statement;
 *  - easy-read: short sentences (under 15 words on average), plain words, one idea per
 *    line, headings as questions, "you" throughout, a picture beside each point and every
 *    piece of text 16pt or larger;
 *  - large-print: the standard statement in 18pt or larger.
 *
 * What it says, and where that comes from (see the domain brief):
 *  - who is responsible: the local authority and ICB (s117(2), (3); ICB Regulations 2022);
 *  - aftercare is free: no power to charge (R v Manchester CC ex p Stennett [2002] UKHL 34);
 *  - reviews at least every 12 months, and on request (R27);
 *  - ending only by a joint decision that the services are no longer needed, never only
 *    because the person is well, refuses, disengages or time has passed, never on a CTO
 *    (s117(2); R9, R10, R7);
 *  - how to complain (the bodies, then the Local Government and Social Care Ombudsman or the
 *    Parliamentary and Health Service Ombudsman), and how to get an advocate (IMHA, Care Act).
 *
 * Pure: the caller passes every fact, including the date.
 */

export const statementVersions = ['standard', 'easy-read', 'large-print'] as const;
export type StatementVersion = (typeof statementVersions)[number];

export const statementVersionLabels: Record<StatementVersion, string> = {
  standard: 'Standard',
  'easy-read': 'Easy read',
  'large-print': 'Large print',
};

export function isStatementVersion(value: string): value is StatementVersion {
  return (statementVersions as readonly string[]).includes(value);
}

export type EntitlementStatus = 'not-entitled' | 'pending' | 'entitled' | 'ended' | 'manual-review';

export interface StatementFacts {
  personName: string;
  status: EntitlementStatus;
  /** ISO date the entitlement started (null while pending). */
  entitlementStart: string | null;
  /** The responsible (or, while pending, prospective) local authority. */
  localAuthority: OrganisationContact | null;
  /** The responsible (or prospective) integrated care board. */
  icb: OrganisationContact | null;
  /** The person's current plan, in short and in plain words (optional). */
  plan?: { needs: string[]; services: string[] } | null;
  /** ISO date of the next review, if one is due. */
  nextReviewDue: string | null;
  /** ISO date the statement is produced. */
  producedOn: string;
}

export const STATEMENT_TITLE = 'Your section 117 aftercare';

/** Refused: a statement of entitlement is only for people who are entitled, or will be on leaving hospital. */
export class StatementNotAvailableError extends InputError {
  constructor(status: EntitlementStatus) {
    const why: Record<EntitlementStatus, string> = {
      'not-entitled': 'Aftercare says they are not entitled to section 117 aftercare',
      ended: 'their section 117 aftercare has ended',
      'manual-review': 'their entitlement needs a decision first (see the flags on their record)',
      entitled: '',
      pending: '',
    };
    super([{ path: 'version', message: `A statement of section 117 aftercare can only be produced for someone who is entitled, or will be when they leave hospital: ${why[status]}` }]);
  }
}

export function canHaveStatement(status: EntitlementStatus): boolean {
  return status === 'entitled' || status === 'pending';
}

const ombudsmen = {
  council: { name: 'Local Government and Social Care Ombudsman', web: 'www.lgo.org.uk' },
  nhs: { name: 'Parliamentary and Health Service Ombudsman', web: 'www.ombudsman.org.uk' },
};

function contactBlocks(body: OrganisationContact | null, role: string): Block[] {
  if (!body) return [];
  const blocks: Block[] = [h3(`${body.name} (${role})`)];
  const rows = [
    ...(body.contactPhone ? [{ key: 'Telephone', value: body.contactPhone }] : []),
    ...(body.contactEmail ? [{ key: 'Email', value: body.contactEmail }] : []),
    ...(body.contactAddress ? [{ key: 'Address', value: body.contactAddress }] : []),
  ];
  blocks.push(rows.length ? summary(rows) : p('Contact details not recorded: ask your care coordinator or lead worker.'));
  return blocks;
}

function sentenceOf(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function standardBlocks(f: StatementFacts): Block[] {
  const pending = f.status === 'pending';
  const la = f.localAuthority?.name ?? 'Not yet known';
  const icb = f.icb?.name ?? 'Not yet known';
  const blocks: Block[] = [
    h1(STATEMENT_TITLE),
    p(`A statement of your right to aftercare under section 117 of the Mental Health Act 1983, for ${f.personName}, produced on ${longDate(f.producedOn)}.`),
    summary([
      { key: 'Name', value: f.personName },
      { key: 'Section 117 aftercare', value: pending ? 'You will be entitled when you leave hospital' : 'You are entitled' },
      { key: 'Entitled from', value: f.entitlementStart ? longDate(f.entitlementStart) : 'The day you leave hospital' },
      { key: pending ? 'Local authority expected to be responsible' : 'Responsible local authority', value: la },
      { key: pending ? 'Integrated care board expected to be responsible' : 'Responsible integrated care board (ICB)', value: icb },
      { key: 'Next review due', value: f.nextReviewDue ? longDate(f.nextReviewDue) : 'Not yet set' },
    ]),
    h2('What section 117 aftercare is'),
    p(
      'Section 117 of the Mental Health Act 1983 gives you a right to aftercare when you leave hospital after being detained under section 3, or under section 37, 45A, 47 or 48.',
    ),
    p('Aftercare means the services you need because of your mental health: to meet those needs, to help you stay well and to reduce the risk of you going back into hospital.'),
    p(
      'Your local authority (council) and your integrated care board (ICB, the NHS body that arranges health services) must provide or arrange your aftercare together, for as long as you need it.',
    ),
    h2('Who is responsible for your aftercare'),
  ];
  if (pending) {
    blocks.push(p('Your right to aftercare starts on the day you leave hospital. Your aftercare should be planned with you before then.'));
    blocks.push(p('These organisations are expected to be responsible for it:'));
  } else {
    blocks.push(p(`Your aftercare started on ${f.entitlementStart ? longDate(f.entitlementStart) : 'the day you left hospital'}. These organisations are responsible for it:`));
  }
  blocks.push(list([`${la} (local authority)`, `${icb} (integrated care board)`]));
  blocks.push(p('Moving home does not by itself change who is responsible. Please tell your care coordinator or lead worker if you plan to move.'));

  blocks.push(h2('Your aftercare plan'));
  blocks.push(p('Your aftercare plan sets out your needs and the services that meet them. You should be involved in making it and be given a copy.'));
  if (f.plan && (f.plan.services.length || f.plan.needs.length)) {
    if (f.plan.needs.length) {
      blocks.push(p('Your current plan says your section 117 needs are:'));
      blocks.push(list(f.plan.needs.map(sentenceOf)));
    }
    if (f.plan.services.length) {
      blocks.push(p('The section 117 services that meet them are:'));
      blocks.push(list(f.plan.services.map(sentenceOf)));
    }
  } else {
    blocks.push(p('If you do not have a copy of your plan, ask your care coordinator or lead worker for one.'));
  }

  blocks.push(h2('Your aftercare is free'));
  blocks.push(p('You cannot be charged for section 117 aftercare services. This includes support at home and in the community, and care home or supported accommodation when it is part of your aftercare.', true));
  blocks.push(p('If you have been asked to pay for a section 117 service, please tell us: you may be owed a refund.'));
  blocks.push(
    inset(
      'Some services in your plan may not be section 117 aftercare, for example help with needs that are not related to your mental health. Your plan says which services are section 117 aftercare. If you choose accommodation that costs more than the accommodation that meets your needs, you may be asked to pay the difference (a top-up).',
    ),
  );

  blocks.push(h2('Reviews'));
  blocks.push(p('Your aftercare will be reviewed with you at least every 12 months, and sooner if your needs change. You can ask for a review at any time.'));
  blocks.push(p('You can bring a family member, friend, carer or advocate to your review.'));
  if (f.nextReviewDue) blocks.push(p(`Your next review is due by ${longDate(f.nextReviewDue)}.`));

  blocks.push(h2('When aftercare can end'));
  blocks.push(
    p('Your aftercare can only end when both the local authority and the integrated care board decide, after reviewing it with you, that you no longer need aftercare services for your mental health. They must tell you their decision and their reasons in writing.'),
  );
  blocks.push(p('It must not end just because:'));
  blocks.push(
    list([
      'you are doing well (you may still need services to stay well)',
      'you have been discharged from a community mental health team',
      'time has passed',
      'you refuse services or are not in touch with services',
      'you go back into hospital informally or under section 2',
    ]),
  );
  blocks.push(p('It cannot end while you are on a community treatment order (CTO).'));

  blocks.push(h2('If you are not happy'));
  blocks.push(p('You can complain to the local authority or to the integrated care board. Their contact details are at the end of this statement.'));
  blocks.push(p('If you are not happy with their answer, you can ask an ombudsman to look at your complaint. This is free.'));
  blocks.push(list([`${ombudsmen.council.name}, for the local authority and social care: ${ombudsmen.council.web}`, `${ombudsmen.nhs.name}, for the NHS: ${ombudsmen.nhs.web}`]));

  blocks.push(h2('Help to have your say: advocacy'));
  blocks.push(p('An advocate is independent. They can help you understand your rights, say what you want and take part in decisions about your aftercare. Advocacy is free.'));
  blocks.push(
    list([
      'Independent Mental Health Advocate (IMHA): you have a right to one while you are detained, on a community treatment order or conditionally discharged.',
      'Care Act advocate: the local authority must arrange one if you would find it very hard to take part in an assessment, plan or review and there is nobody suitable to help you.',
      'NHS complaints advocacy: free help to make a complaint about the NHS.',
    ]),
  );
  blocks.push(p('Ask your care coordinator or lead worker to arrange an advocate for you.'));

  blocks.push(h2('How to contact us'));
  blocks.push(...contactBlocks(f.localAuthority, 'local authority'));
  blocks.push(...contactBlocks(f.icb, 'integrated care board'));
  blocks.push(p('You can ask for this statement in another format or language, for example easy read, large print, braille or audio.'));
  return blocks;
}

/**
 * Easy read: short sentences, one idea per line, plain words, headings as questions, and a
 * picture beside each point (OpenMoji pictograms, credited at the end).
 */
function easyReadContactBlocks(body: OrganisationContact | null, role: string): Block[] {
  if (!body) return [];
  const blocks: Block[] = [h3(`${body.name} (${role})`)];
  if (body.contactPhone) blocks.push(point('phone', `Phone: ${body.contactPhone}.`));
  if (body.contactEmail) blocks.push(point('letter', `Email: ${body.contactEmail}`));
  if (body.contactAddress) blocks.push(point('home', 'Write to:', ...body.contactAddress.split(/\s*,\s*/)));
  if (!body.contactPhone && !body.contactEmail && !body.contactAddress) blocks.push(point('question', 'Ask your worker how to contact them.'));
  return blocks;
}

function easyReadBlocks(f: StatementFacts): Block[] {
  const pending = f.status === 'pending';
  const la = f.localAuthority?.name;
  const icb = f.icb?.name;
  const blocks: Block[] = [
    h1(STATEMENT_TITLE),
    point('person', `This is for ${f.personName}.`),
    point('calendar', `We wrote it on ${longDate(f.producedOn)}.`),
    h2('What is section 117 aftercare?'),
    point('hospital', 'You were kept in hospital under the Mental Health Act.'),
    point('together', 'The law says you can get help after you leave hospital.', 'This help is called section 117 aftercare.'),
    point('good', 'It helps you stay well.', 'It helps you stay out of hospital.'),
    h2('Do you get section 117 aftercare?'),
  ];
  if (pending) {
    blocks.push(point('yes', 'Yes. You will get it when you leave hospital.'));
    blocks.push(point('calendar', 'It starts on the day you leave hospital.'));
    blocks.push(point('together', 'We will plan it with you before you leave.'));
  } else {
    blocks.push(point('yes', 'Yes. You get section 117 aftercare.'));
    if (f.entitlementStart) blocks.push(point('calendar', `It started on ${longDate(f.entitlementStart)}.`));
  }

  blocks.push(h2('Who is in charge of your aftercare?'));
  blocks.push(point('people', 'Two organisations are in charge of your aftercare.', 'They work together.'));
  blocks.push(point('home', la ? `Your council is ${la}.` : 'Your council is not known yet.'));
  blocks.push(point('hospital', icb ? `Your NHS organisation is ${icb}.` : 'Your NHS organisation is not known yet.'));
  blocks.push(point('home', 'They do not change just because you move home.', 'Tell your worker if you want to move.'));

  blocks.push(h2('What help do you get?'));
  blocks.push(point('document', 'Your aftercare plan says what help you get.', 'You should help to make your plan.'));
  if (f.plan && f.plan.services.length) {
    blocks.push(point('good', 'Your plan says you get this help:', ...f.plan.services.map(sentenceOf)));
  }
  blocks.push(point('document', 'You should have a copy of your plan.', 'Ask your worker if you do not have one.'));

  blocks.push(h2('Do you have to pay?'));
  blocks.push(strongPoint('money', 'No. Section 117 aftercare is free.'));
  blocks.push(point('no', 'Nobody can charge you for it.'));
  blocks.push(point('question', 'Some other help in your plan may not be free.', 'Your plan says which help is free.'));
  blocks.push(point('talk', 'Tell us if someone asks you to pay for aftercare.', 'You may get your money back.'));

  blocks.push(h2('When do we check your aftercare?'));
  blocks.push(point('together', 'We will check your aftercare with you.', 'This is called a review.'));
  blocks.push(point('calendar', 'We do a review at least once a year.', ...(f.nextReviewDue ? [`Your next review is by ${longDate(f.nextReviewDue)}.`] : [])));
  blocks.push(point('talk', 'You can ask for a review at any time.'));
  blocks.push(point('people', 'You can bring someone with you.'));

  blocks.push(h2('Can your aftercare stop?'));
  blocks.push(point('stop', 'Your aftercare only stops when you do not need it any more.'));
  blocks.push(point('together', 'Your council and the NHS must both agree.', 'They must talk to you first.'));
  blocks.push(point('letter', 'They must write to you to say why.'));
  blocks.push(point('no', 'Your aftercare does not stop just because:', 'you feel well.', 'you say no to help.', 'you miss meetings.', 'time has passed.'));
  blocks.push(point('no', 'It cannot stop while you are on a community treatment order.'));

  blocks.push(h2('What if you are not happy?'));
  blocks.push(point('complain', 'You can complain.', 'First, tell your council or the NHS.', 'Their details are at the end.'));
  blocks.push(point('fair', 'Are you still not happy? You can ask an ombudsman to help.', 'An ombudsman looks at complaints. It is free.'));
  blocks.push(point('fair', `For the council: the ${ombudsmen.council.name}.`, `For the NHS: the ${ombudsmen.nhs.name}.`));

  blocks.push(h2('Can someone help you speak up?'));
  blocks.push(point('person', 'Yes. An advocate can help you.', 'An advocate is on your side.'));
  blocks.push(point('talk', 'They help you say what you want.', 'They help you understand your rights.', 'It is free.'));
  blocks.push(point('people', 'You may have a right to a mental health advocate.', 'This is called an IMHA.', 'You may have a right to a Care Act advocate.'));
  blocks.push(point('talk', 'Ask your worker to find you an advocate.'));

  blocks.push(h2('How can you contact us?'));
  blocks.push(...easyReadContactBlocks(f.localAuthority, 'your council'));
  blocks.push(...easyReadContactBlocks(f.icb, 'your NHS'));
  blocks.push(point('document', 'You can ask for this in another way.', 'For example, large print, braille or audio.'));
  blocks.push(p(PICTOGRAM_CREDIT));
  return blocks;
}

/** Build the statement. Refuses (StatementNotAvailableError) unless the person is entitled or pending. */
export function buildStatement(facts: StatementFacts, version: StatementVersion): DocumentModel {
  if (!canHaveStatement(facts.status)) throw new StatementNotAvailableError(facts.status);
  const authors = [facts.localAuthority?.name, facts.icb?.name].filter((n): n is string => Boolean(n));
  const easy = version === 'easy-read';
  return {
    title: easy ? `${STATEMENT_TITLE} (easy read)` : version === 'large-print' ? `${STATEMENT_TITLE} (large print)` : STATEMENT_TITLE,
    language: 'en-GB',
    subject: `Statement of section 117 aftercare for ${facts.personName}`,
    author: authors.length ? authors.join(' and ') : 'Aftercare',
    ...(version === 'large-print' ? { largePrint: true } : {}),
    ...(easy ? { easyRead: true } : {}),
    blocks: easy ? easyReadBlocks(facts) : standardBlocks(facts),
  };
}
