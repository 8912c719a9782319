import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { h1, h2, h3, inset, list, p, summary, table, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { longDate, type OrganisationContact } from './format.ts';

/**
 * The aftercare plan as a document for the person, written to them (issues 5 and 13), built from a plan
 * the plans module has already formatted: money as "£1,234.56", splits as "60% local
 * authority, 40% ICB", labels in words. Dates may be ISO ("2026-03-01", shown as "1 March
 * 2026") or already formatted. Each need and service is a heading with its details as rows,
 * so the document reads well in large print and to a screen reader; the costs are a table
 * with row and column headers.
 */
export interface PlanForDocument {
  person: { name: string; nhsNumber: string; dateOfBirth: string };
  entitlement: {
    status: string;
    startDate: string | null;
    localAuthority: OrganisationContact | null;
    icb: OrganisationContact | null;
    nextReviewDue: string | null;
  };
  plan: {
    number: number | string;
    status: string;
    approvedOn: string | null;
    approvedBy: string | null;
    personVoice: string | null;
    goals: string | null;
    strengths: string | null;
    earlyWarningSigns: string | null;
    whatHelps: string | null;
    crisisContacts: string | null;
    wrap: string | null;
    carersInvolved: string | null;
    carerAssessment: string | null;
    advocacy: string[];
    participants: string | null;
  };
  needs: Array<{
    domainLabel: string;
    description: string;
    personWords: string | null;
    desiredOutcome: string | null;
    categoryLabel: string;
    s117: boolean;
    /** Staff's reasoning about the person: not printed in their copy. */
    testsRationale: string;
  }>;
  services: Array<{
    serviceType: string;
    provider: string;
    frequency: string;
    startOn: string;
    endOn: string | null;
    weeklyCost: string;
    deliveryRouteLabel: string;
    s117: boolean;
    split: string;
    /** Staff's reasoning for the split: not printed in the person's copy. */
    splitBasis: string;
    topUp: string | null;
  }>;
  totals: {
    weekly: { localAuthority: string; icb: string; total: string };
    yearly: { localAuthority: string; icb: string; total: string };
  };
}

/** A value worth printing: text with something in it. */
const filled = (value: string | null | undefined): value is string => Boolean(value && value.trim());
const date = (value: string | null | undefined, otherwise: string): string => (value ? longDate(value) : otherwise);

function bodyWithContact(body: OrganisationContact | null): string | null {
  if (!body) return null;
  const contact = [body.contactPhone ? `telephone ${body.contactPhone}` : null, body.contactEmail ? `email ${body.contactEmail}` : null].filter(Boolean).join(', ');
  return contact ? `${body.name} (${contact})` : body.name;
}

/** Summary rows with an answer; rows left empty are left out. */
function rows(pairs: Array<[string, string | null | undefined]>): Array<{ key: string; value: string }> {
  return pairs.filter((pair): pair is [string, string] => filled(pair[1])).map(([key, value]) => ({ key, value: value.trim() }));
}

/** A heading and its answered rows, or nothing when nothing was answered (no "Not recorded"). */
function section(title: string, pairs: Array<[string, string | null | undefined]>): Block[] {
  const answered = rows(pairs);
  return answered.length ? [h2(title), summary(answered)] : [];
}

/**
 * The plan for the person, written to them ("you"). Sections with nothing in them are left
 * out rather than printed as "Not recorded". Staff's own reasoning in the plan (why a need is
 * section 117 aftercare, the basis of a funding split) is not printed in the person's copy:
 * it is written about them, not to them. Headings stay with what follows them in the PDF
 * (src/platform/documents/pdf.ts).
 */
export function buildPlanDocument(plan: PlanForDocument, opts: { largePrint?: boolean } = {}): DocumentModel {
  const e = plan.entitlement;
  const pl = plan.plan;
  const blocks: Block[] = [
    h1(`Your section 117 aftercare plan, ${plan.person.name}`),
    summary([
      { key: 'Name', value: plan.person.name },
      { key: 'NHS number', value: formatNhsNumber(plan.person.nhsNumber) },
      { key: 'Date of birth', value: date(plan.person.dateOfBirth, '') },
      { key: 'Plan', value: `Version ${pl.number} (${pl.status})` },
      { key: 'Approved', value: pl.approvedOn ? `${date(pl.approvedOn, '')}${pl.approvedBy ? ` by ${pl.approvedBy}` : ''}` : 'Not yet approved' },
    ].filter((r) => r.value !== '')),
    h2('Your right to aftercare'),
    summary(
      rows([
        ['Your status', e.status],
        ['You are entitled from', e.startDate ? longDate(e.startDate) : null],
        ['Your local authority (council)', bodyWithContact(e.localAuthority)],
        ['Your integrated care board (ICB)', bodyWithContact(e.icb)],
        ['Your next review is due by', e.nextReviewDue ? longDate(e.nextReviewDue) : null],
      ]),
    ),
    inset('Section 117 aftercare services are free: nobody can charge you for them. Any service in this plan that is not section 117 aftercare says so.'),
    ...section('In your own words', [
      ['What matters to you', pl.personVoice],
      ['Your goals', pl.goals],
      ['Your strengths', pl.strengths],
    ]),
  ];
  if (plan.needs.length) {
    blocks.push(h2('Your needs'));
    plan.needs.forEach((n, i) => {
      blocks.push(h3(`Need ${i + 1}: ${n.domainLabel}`));
      blocks.push(
        summary(
          rows([
            ['The need', n.description],
            ['In your words', n.personWords],
            ['What you want to achieve', n.desiredOutcome],
            ['Section 117 aftercare', n.s117 ? 'Yes: free' : `No: ${n.categoryLabel}`],
          ]),
        ),
      );
    });
  }
  if (plan.services.length) {
    blocks.push(h2('Your services'));
    plan.services.forEach((s, i) => {
      blocks.push(h3(`Service ${i + 1}: ${s.serviceType}`));
      blocks.push(
        summary(
          rows([
            ['Who provides it', s.provider],
            ['How often', s.frequency],
            ['From', s.startOn ? longDate(s.startOn) : null],
            ['Until', date(s.endOn, 'No end date')],
            ['Section 117 aftercare', s.s117 ? 'Yes: free to you' : 'No'],
            ['How it is arranged', s.deliveryRouteLabel],
            ['Weekly cost', s.weeklyCost],
            ['Who pays', s.split],
            ['Top-up', s.topUp],
          ]),
        ),
      );
    });
    blocks.push(h2('What your services cost'));
    blocks.push(
      table(
        'Cost of the services in this plan, by who pays',
        ['Period', 'Local authority', 'ICB', 'Total'],
        [
          ['Weekly', plan.totals.weekly.localAuthority, plan.totals.weekly.icb, plan.totals.weekly.total],
          ['Yearly', plan.totals.yearly.localAuthority, plan.totals.yearly.icb, plan.totals.yearly.total],
        ],
        true,
      ),
    );
  }
  blocks.push(
    ...section('If things get difficult', [
      ['Early warning signs', pl.earlyWarningSigns],
      ['What helps', pl.whatHelps],
      ['Who to contact in a crisis', pl.crisisContacts],
      ['Your Wellness Recovery Action Plan (WRAP)', pl.wrap],
    ]),
  );
  blocks.push(
    ...section('Your carers', [
      ['Carers involved', pl.carersInvolved],
      ['Carer’s assessment', pl.carerAssessment],
    ]),
  );
  const advocacy = pl.advocacy.filter(filled);
  if (advocacy.length) blocks.push(h2('Help to have your say (advocacy)'), list(advocacy));
  if (filled(pl.participants)) blocks.push(h2('Who helped make this plan'), p(pl.participants.trim()));
  blocks.push(h2('Reviews and ending'));
  blocks.push(p('Your plan will be reviewed with you at least every 12 months, and sooner if your needs change. You can ask for a review at any time.'));
  blocks.push(
    p(
      'Your section 117 aftercare can only end when both the local authority and the integrated care board decide, with you, that you no longer need it. It does not end just because you are well, you refuse services or time has passed.',
    ),
  );
  if (!plan.needs.length && !plan.services.length) blocks.splice(blocks.length - 3, 0, p('Your plan does not list any needs or services yet. Ask your care coordinator or lead worker about it.'));
  const authors = [e.localAuthority?.name, e.icb?.name].filter((n): n is string => Boolean(n));
  return {
    title: `Section 117 aftercare plan, version ${pl.number}`,
    language: 'en-GB',
    subject: `Section 117 aftercare plan for ${plan.person.name}`,
    author: authors.length ? authors.join(' and ') : 'Aftercare',
    ...(opts.largePrint ? { largePrint: true } : {}),
    blocks,
  };
}
