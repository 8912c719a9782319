import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { h1, h2, h3, inset, list, p, summary, table, type Block, type DocumentModel } from '../../platform/documents/model.ts';
import { longDate, type OrganisationContact } from './format.ts';

/**
 * The aftercare plan as a document for the person and partners (issue 5), built from a plan
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
    splitBasis: string;
    topUp: string | null;
  }>;
  totals: {
    weekly: { localAuthority: string; icb: string; total: string };
    yearly: { localAuthority: string; icb: string; total: string };
  };
}

const NOT_RECORDED = 'Not recorded';
const text = (value: string | null | undefined): string => (value && value.trim() ? value.trim() : NOT_RECORDED);
const date = (value: string | null | undefined, otherwise = NOT_RECORDED): string => (value ? longDate(value) : otherwise);

function bodyWithContact(body: OrganisationContact | null): string {
  if (!body) return 'Not yet known';
  const contact = [body.contactPhone ? `telephone ${body.contactPhone}` : null, body.contactEmail ? `email ${body.contactEmail}` : null].filter(Boolean).join(', ');
  return contact ? `${body.name} (${contact})` : body.name;
}

function section(title: string, rows: Array<[string, string | null]>): Block[] {
  return [h2(title), summary(rows.map(([key, value]) => ({ key, value: text(value) })))];
}

export function buildPlanDocument(plan: PlanForDocument, opts: { largePrint?: boolean } = {}): DocumentModel {
  const e = plan.entitlement;
  const pl = plan.plan;
  const blocks: Block[] = [
    h1(`Section 117 aftercare plan for ${plan.person.name}`),
    summary([
      { key: 'Name', value: plan.person.name },
      { key: 'NHS number', value: formatNhsNumber(plan.person.nhsNumber) },
      { key: 'Date of birth', value: date(plan.person.dateOfBirth) },
      { key: 'Plan', value: `Version ${pl.number} (${pl.status})` },
      { key: 'Approved', value: pl.approvedOn ? `${date(pl.approvedOn)}${pl.approvedBy ? ` by ${pl.approvedBy}` : ''}` : 'Not yet approved' },
    ]),
    h2('Section 117 entitlement'),
    summary([
      { key: 'Status', value: e.status },
      { key: 'Entitled from', value: date(e.startDate, 'Not applicable') },
      { key: 'Responsible local authority', value: bodyWithContact(e.localAuthority) },
      { key: 'Responsible integrated care board (ICB)', value: bodyWithContact(e.icb) },
      { key: 'Next review due', value: date(e.nextReviewDue, 'Not yet set') },
    ]),
    inset('Section 117 aftercare services are free: nobody can charge you for them. Services that are not section 117 aftercare are marked in this plan.'),
    ...section('In your own words', [
      ['What matters to you', pl.personVoice],
      ['Your goals', pl.goals],
      ['Your strengths', pl.strengths],
    ]),
    h2('Your needs'),
  ];
  if (plan.needs.length === 0) blocks.push(p('No needs recorded in this plan.'));
  plan.needs.forEach((n, i) => {
    blocks.push(h3(`Need ${i + 1}: ${n.domainLabel}`));
    blocks.push(
      summary([
        { key: 'The need', value: text(n.description) },
        { key: 'In your words', value: text(n.personWords) },
        { key: 'What you want to achieve', value: text(n.desiredOutcome) },
        { key: 'Section 117 aftercare', value: n.s117 ? 'Yes: free' : `No: ${n.categoryLabel}` },
        { key: 'Why', value: text(n.testsRationale) },
      ]),
    );
  });
  blocks.push(h2('Services'));
  if (plan.services.length === 0) blocks.push(p('No services recorded in this plan.'));
  plan.services.forEach((s, i) => {
    blocks.push(h3(`Service ${i + 1}: ${s.serviceType}`));
    blocks.push(
      summary([
        { key: 'Provider', value: text(s.provider) },
        { key: 'How often', value: text(s.frequency) },
        { key: 'From', value: date(s.startOn) },
        { key: 'Until', value: date(s.endOn, 'No end date') },
        { key: 'Section 117 aftercare', value: s.s117 ? 'Yes: free to you' : 'No' },
        { key: 'How it is arranged', value: text(s.deliveryRouteLabel) },
        { key: 'Weekly cost', value: text(s.weeklyCost) },
        { key: 'Who pays', value: text(s.split) },
        { key: 'Basis of the split', value: text(s.splitBasis) },
        ...(s.topUp ? [{ key: 'Top-up', value: s.topUp }] : []),
      ]),
    );
  });
  blocks.push(h2('Costs'));
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
  blocks.push(
    ...section('If things get difficult', [
      ['Early warning signs', pl.earlyWarningSigns],
      ['What helps', pl.whatHelps],
      ['Who to contact in a crisis', pl.crisisContacts],
      ['Wellness Recovery Action Plan (WRAP)', pl.wrap],
    ]),
  );
  blocks.push(
    ...section('Carers', [
      ['Carers involved', pl.carersInvolved],
      ['Carer’s assessment', pl.carerAssessment],
    ]),
  );
  blocks.push(h2('Advocacy'));
  blocks.push(pl.advocacy.length ? list(pl.advocacy) : p('No advocacy recorded.'));
  blocks.push(h2('Who took part in this plan'));
  blocks.push(p(text(pl.participants)));
  blocks.push(h2('Reviews and ending'));
  blocks.push(p('This plan will be reviewed with you at least every 12 months, and sooner if your needs change. You can ask for a review at any time.'));
  blocks.push(
    p(
      'Section 117 aftercare can only end when both the local authority and the integrated care board decide, with you, that you no longer need it. It does not end just because you are well, you refuse services or time has passed.',
    ),
  );
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
