/**
 * The rule catalogue: every rule the engine applies, in plain English, with its source.
 *
 * R1–R30 keep the numbering of the domain brief ("Rules as code"); R31 onwards are rules the
 * engine needs that the brief states elsewhere (death, the asOf date, the first review, the
 * s2→s3 ordinary-residence date, the pre-July-2022 ICB rule, manual-review codes, funding
 * disputes, needs of people who are not entitled, endings with nothing to end, children); R42
 * onwards are rules for plans and money outside the evaluate contract (what meets a need that is
 * not section 117, indicative personal budgets, refunds of wrongful charges).
 *
 * Where the law is unsettled (`unsettled: true`) the engine never guesses: it raises the
 * rule's flag for a person to decide. `source` holds the citations staff see; `note` holds the
 * research notes behind them (commentary, points not verified), which only docs/rules.md shows.
 */
import type { Flag, Reason, RejectionCode } from './contract.ts';

export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  /** The legal source, as staff see it: citations only (rendered as a link where one is known). */
  readonly source: string;
  /**
   * Research notes behind the source (commentary, points not verified against a primary source):
   * for developers (docs/rules.md), never shown to staff or in letters.
   */
  readonly note?: string;
  readonly unsettled?: boolean;
  readonly flag?: Flag;
}

function rule<const R extends Rule>(definition: R): R {
  return Object.freeze(definition);
}

export const R1 = rule({
  id: 'R1',
  title: 'Qualifying detentions',
  statement:
    'A person can be entitled to section 117 aftercare only after being detained under section 3, admitted under a hospital order under section 37 (with or without section 41 restrictions), or transferred under a hospital direction (section 45A) or a transfer direction under section 47 or 48 (with or without section 49 restrictions).',
  source: 'MHA 1983 s117(1); Butler, Practitioner\'s Guide ch.19 (s37 "whether or not the patient is restricted")',
});

export const R2 = rule({
  id: 'R2',
  title: 'Sections that never qualify',
  statement:
    'Detention under section 2, 4, 5(2), 5(4), 35, 36, 38, 135 or 136, and informal admission, never give a right to section 117 aftercare.',
  source: 'MHA 1983 s117(1); Butler, Practitioner\'s Guide; Mind legal guide',
  note: 'The Mind legal guide is commentary.',
});

export const R3 = rule({
  id: 'R3',
  title: 'Guardianship does not qualify',
  statement:
    'Guardianship (under section 7, or a section 37 guardianship order) is not detention in hospital, so it does not give a right to section 117 aftercare.',
  source: 'MHA 1983 s117(1) (reading: no detention in hospital; no case law found)',
});

export const R4 = rule({
  id: 'R4',
  title: 'Legal status codes',
  statement:
    'NHS Data Dictionary legal status codes 03, 09, 10, 15, 16, 17, 18, 37 and 38 are qualifying; 13, 14, 31, 32 and 99 need manual review; every other code is not qualifying.',
  source:
    'NHS Data Dictionary, Mental Health Act Legal Status Classification Code (snapshot 18/11/2021); MHA 1983 s117(1)',
});

export const R5 = rule({
  id: 'R5',
  title: 'When entitlement starts',
  statement:
    'Entitlement starts on the first date on which the person has both ceased to be detained and left hospital: the later of the two dates. Until then it is pending. Someone who stays in hospital informally after their section ends becomes entitled when they leave.',
  source: 'MHA 1983 s117(1) ("cease to be detained and (whether or not immediately after so ceasing) leave hospital")',
  note: 'As in the Swindon procedure.',
});

export const R6 = rule({
  id: 'R6',
  title: 'Section 17 leave',
  statement:
    'Section 17 leave does not start entitlement by itself. It starts entitlement only when a finding is recorded that, on that leave, the person has in fact ceased to be detained and left hospital (for example a trial placement in a care home they are not expected to return from). Without that finding, a person must decide.',
  source: 'R (CXF) v Central Bedfordshire Council [2018] EWCA Civ 2852, upholding [2017] EWHC 2311 (Admin); Watson',
  unsettled: true,
  flag: 's17-leave-determination-needed',
});

export const R7 = rule({
  id: 'R7',
  title: 'No ending while on a CTO',
  statement:
    'While the person is a community patient on a community treatment order, aftercare cannot be ended: the authorities "shall not be satisfied" that the person no longer needs it. When the CTO ends, entitlement continues.',
  source: 'MHA 1983 s117(2), s17A',
});

export const R8 = rule({
  id: 'R8',
  title: 'Conditional discharge',
  statement:
    'A conditionally discharged person is entitled. While they remain conditionally discharged, ending aftercare needs a recorded legal override (legal sign-off). This is practitioner opinion rather than a statutory bar, so the engine flags it for a person to decide.',
  source: 'Practitioner opinion; Mind; Butler, Practitioner\'s Guide',
  note: 'Commentary: mentalhealthlaw.co.uk forum /t/…/1430.',
  unsettled: true,
  flag: 'conditionally-discharged',
});

export const R9 = rule({
  id: 'R9',
  title: 'Both bodies must agree to end',
  statement:
    'Aftercare ends only when both the local authority and the ICB are satisfied that the person no longer needs it: two recorded approvals.',
  source: 'MHA 1983 s117(2)',
});

export const R10 = rule({
  id: 'R10',
  title: 'Reasons that cannot end aftercare',
  statement:
    'An ending is not lawful if its only reasons are that the person was discharged from specialist services, time has passed, they were readmitted informally or under section 2, their CTO ended, they refuse services, they are doing well, or they moved area. The reasons must include that the person is no longer in need of aftercare services.',
  source: 'MHA 1983 s117(2); MHA Code of Practice 2015 ch.33; West Sussex guide',
});

export const R11 = rule({
  id: 'R11',
  title: 'What an ending must record',
  statement:
    'An ending must record its reasons, the decision-makers and the person\'s involvement (and a plan for any care that continues, which is kept outside this contract). An ending without the person\'s involvement is rejected.',
  source: 'Camden "Discharge from s117 aftercare" form; LGSCO/PHSO guidance (Landmark Chambers summary)',
});

export const R12 = rule({
  id: 'R12',
  title: 'Informal and section 2 admissions change nothing',
  statement:
    'An informal admission, or detention under section 2 or another section that does not qualify, does not end or transfer an existing entitlement.',
  source: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; Birmingham procedure; West Sussex guide',
});

export const R13 = rule({
  id: 'R13',
  title: 'A new qualifying detention supersedes',
  statement:
    'A new qualifying detention ends the existing duty automatically on the date the detention becomes qualifying (the episode closes as "superseded"). A new section while already detained is a change of section within one unbroken detention, not a new detention. A new duty arises when the person is next discharged.',
  source: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31',
});

export const R14 = rule({
  id: 'R14',
  title: 'Responsible local authority',
  statement:
    'The responsible local authority is the one where the person was ordinarily resident immediately before the detention that led to this entitlement; after a new qualifying detention, immediately before that new detention.',
  source: 'MHA 1983 s117(3)(a),(b); R (Worcestershire CC) v SSHSC [2023] UKSC 31',
});

export const R15 = rule({
  id: 'R15',
  title: 'Detention never creates ordinary residence',
  statement:
    'Compulsory detention never creates ordinary residence, so the residence recorded when a section changes during an unbroken detention is not used. Ordinary residence has its ordinary (Shah) meaning; if the person lacks capacity, the intent is supplied by whoever decides for them.',
  source: 'R (Worcestershire CC) v SSHSC [2023] UKSC 31; R v Barnet LBC ex p Shah [1983] 2 AC 309',
});

export const R16 = rule({
  id: 'R16',
  title: 'No ordinary residence',
  statement:
    'If the person had no ordinary residence in England or Wales, the responsible local authority is the one for the area where they are resident or to which they are sent on discharge. The engine uses the authority recorded on leaving hospital and flags the case.',
  source: 'MHA 1983 s117(3)(c)',
  flag: 'no-ordinary-residence',
});

export const R17 = rule({
  id: 'R17',
  title: 'Responsible ICB',
  statement:
    'The responsible ICB is the ICB with core responsibility (usually by GP registration) when the relevant application was made (the engine takes the start of the unbroken detention). It keeps responsibility through later detentions and is decided afresh only after aftercare has formally ended.',
  source:
    'NHS (Integrated Care Boards: Responsibilities) Regulations 2022 (SI 2022/635) regs 2(2), 5, 7; NHS England "Who Pays?" (2024); NHS England "The effect of the Worcestershire decision"',
});

export const R18 = rule({
  id: 'R18',
  title: 'Recall and revoked CTOs',
  statement:
    'A recall from a CTO, a revoked CTO, or a recall from conditional discharge does not change who is responsible automatically. Whether it does is unresolved, so the engine keeps the current entitlement and flags the case.',
  source:
    'R (Worcestershire CC) v SSHSC [2023] UKSC 31 (did not decide the point); R (Wiltshire) v Hertfordshire [2014] EWCA Civ 712',
  note: 'Commentary: mentalhealthlaw.co.uk forum /t/…/2004, /4725.',
  unsettled: true,
  flag: 'responsibility-unresolved',
});

export const R19 = rule({
  id: 'R19',
  title: 'The two statutory tests for a need',
  statement:
    'A need (and a service meeting it) is a section 117 need only if both tests hold: it arises from or relates to the person\'s mental disorder, and meeting it reduces the risk of their mental condition deteriorating (and so of readmission). A need arising from a later or different mental disorder can qualify.',
  source: 'MHA 1983 s117(6) (inserted by Care Act 2014 s75); Mind legal newsletter, December 2017',
});

export const R20 = rule({
  id: 'R20',
  title: 'No charges',
  statement: 'Section 117 services are free. No charge may be made for them; any charge raised must be refunded.',
  source: 'R v Manchester CC ex p Stennett [2002] UKHL 34',
});

export const R21 = rule({
  id: 'R21',
  title: 'Accommodation-plus',
  statement:
    'Accommodation is a section 117 need only when it is enhanced or specialised accommodation meeting a need arising from the mental disorder ("accommodation-plus"). Ordinary accommodation is a common need, not aftercare.',
  source: 'R (Mwanza) v Greenwich LBC [2010] EWHC 1462 (Admin); R (Afework) v Camden LBC [2013] EWHC 1637 (Admin); MHA 1983 s117(6)',
});

export const R22 = rule({
  id: 'R22',
  title: 'Top-ups for preferred accommodation',
  statement:
    'A top-up is allowed only for the person\'s preferred accommodation. It equals the preferred cost minus the usual cost, may be paid by the person themselves, and is available to adults (18 or over).',
  source:
    'MHA 1983 s117A; Care and Support and After-care (Choice of Accommodation) Regulations 2014 (SI 2014/2670); Lambeth guidance',
  note: 'The regulation number was not verified against the regulations.',
});

export const R23 = rule({
  id: 'R23',
  title: 'Personal health budgets',
  statement:
    'From 2 December 2019, a request for a personal health budget for ICB-funded section 117 services must be granted unless a reason why it is not appropriate is recorded. Services funded through direct payments remain section 117 aftercare.',
  source: 'SI 2012/2996 Part 6A, regs 32A and 32B(4); MHA 1983 s117(2C); NHS England legal-rights PHB guidance',
});

export const R24 = rule({
  id: 'R24',
  title: 'Ordinary residence disputes',
  statement:
    'An ordinary residence dispute between local authorities is recorded with the date it arose, and a lead authority meets needs meanwhile. If it is still open 4 calendar months after it arose, it is referred to the Secretary of State (for England–Wales disputes, the Secretary of State or the Welsh Ministers, as agreed).',
  source:
    'MHA 1983 s117(4) (applying Care Act 2014 s40); Care Act 2014 Explanatory Notes para 448; Gloucestershire ordinary residence policy (summarising the Disputes Regulations)',
  flag: 'sos-referral-due',
});

export const R25 = rule({
  id: 'R25',
  title: 'Disputes must not delay services',
  statement:
    'Disputes must not delay services or discharge: an open dispute never changes the status, the start date or the responsible bodies the engine reports.',
  source: 'NHS England "Who Pays?" (2020) para 1.4; SCIE cross-border guide',
});

export const R26 = rule({
  id: 'R26',
  title: 'Funding split per package',
  statement:
    'Each package records how its cost is split between the local authority and the ICB, and on what basis. There is no national default split.',
  source: 'HSC 2000/003 LAC(2000)3; Derbyshire FOI 1666 (2022)',
  note: 'A default 50/50 split was not verified.',
});

export const R27 = rule({
  id: 'R27',
  title: 'Regular reviews',
  statement:
    'After each review the next is due after the partnership\'s review interval (12 months by default, and never more than 12 months).',
  source: 'Camden and Lambeth procedures (at least every 12 months); GHC FOI 268-2024',
});

export const R28 = rule({
  id: 'R28',
  title: 'Disengagement does not end aftercare',
  statement:
    'A person who disengages from or refuses services stays on the register, entitled, with reviews still due.',
  source: 'West Sussex guide; Camden procedure',
});

export const R29 = rule({
  id: 'R29',
  title: 'Plan items are tagged',
  statement: 'Each item in an aftercare plan is tagged as section 117 or not, with its funder.',
  source: 'Camden procedure; HSC 2000/003',
});

export const R30 = rule({
  id: 'R30',
  title: 'Mental Health Act 2025 section 45',
  statement:
    'Fields for tribunal recommendations about after-care (Mental Health Act 2025 s45) stay inactive until a commencement date is configured and reached.',
  source: 'Mental Health Act 2025 s45 (amending MHA 1983 s72(3)(a)); not in the 18 February 2026 commencement',
});

export const R31 = rule({
  id: 'R31',
  title: 'Death',
  statement: 'Death ends the entitlement (the episode ends as "died"). No approvals are needed.',
  source: 'MHA 1983 s117(2) (a duty owed to the living person)',
});

export const R32 = rule({
  id: 'R32',
  title: 'The decision date',
  statement:
    'A decision is made as on a given date. Events dated after that date are not taken into account; nothing depends on the day the engine runs.',
  source: 'Aftercare rules contract, version 1 (a fixed decision date, no hidden clock)',
});

export const R33 = rule({
  id: 'R33',
  title: 'First review',
  statement: 'The first review is due a number of weeks after entitlement starts that the partnership sets (6 by default).',
  source: 'Local policy, set by the partnership',
  note: '"First review within 6 weeks" was not verified against a primary source (domain brief section 5).',
});

export const R34 = rule({
  id: 'R34',
  title: 'Overdue reviews',
  statement: 'A review is overdue when the date of the decision is after the date it was due.',
  source: 'GHC FOI 268-2024 (overdue flag on the register); LGA framework for section 117, pillar 9',
  flag: 'review-overdue',
});

export const R35 = rule({
  id: 'R35',
  title: 'Ordinary residence when the detention began under another section',
  statement:
    'When the unbroken detention began under a section that does not qualify (for example section 136 or 2, then 3), it is unsettled whether ordinary residence is taken immediately before the start of the unbroken detention or before the qualifying section. The engine uses the start of the unbroken detention, records both dates, and flags the case.',
  source:
    'Secretary of State ordinary residence determination OR 5:2020 ("room for doubt")',
  note: 'Commentary: mentalhealthlaw.co.uk forum /t/…/4274.',
  unsettled: true,
  flag: 'ordinary-residence-ambiguous',
});

export const R36 = rule({
  id: 'R36',
  title: 'Applications before 1 July 2022',
  statement:
    'Where the relevant application was made before 1 July 2022, earlier NHS responsibility rules (GP registration 2013–16, ordinary residence from April 2016, the "originating CCG" for detentions from 1 September 2020) and transitional provisions may apply, so the ICB is flagged for checking.',
  source: 'SI 2022/635 (in force 1 July 2022); NHS England "Who Pays?" (2020); Bevan Brittan (2021, 2023)',
  note: 'Bevan Brittan is commentary.',
  unsettled: true,
  flag: 'icb-rule-pre-2022',
});

export const R37 = rule({
  id: 'R37',
  title: 'Statuses that need manual review',
  statement:
    'A detention under a status that may or may not qualify (codes 13, 14, 31, 32 and 99) neither starts nor supersedes an entitlement automatically. A person must decide.',
  source: 'NHS Data Dictionary; not listed in MHA 1983 s117(1)',
  note: 'Their treatment was not verified against a primary source (domain brief section 8).',
  unsettled: true,
  flag: 'legal-status-needs-review',
});

export const R38 = rule({
  id: 'R38',
  title: 'Funding disputes',
  statement:
    'A funding dispute between the local authority and the ICB is not referred to the Secretary of State under section 117(4); it is settled by local agreement and the NHS dispute process, and must not delay services.',
  source: 'MHA 1983 s117(4) (applies Care Act 2014 s40 to ordinary residence disputes only); NHS England "Who Pays?" (2020) para 1.4',
});

export const R39 = rule({
  id: 'R39',
  title: 'Needs of people who are not entitled',
  statement:
    'A need is a section 117 need only for a person who is entitled, or whose entitlement is pending (aftercare planning starts on admission).',
  source: 'MHA 1983 s117(1), (2); MHA Code of Practice 2015 para 33.10',
});

export const R40 = rule({
  id: 'R40',
  title: 'Only a current entitlement can end',
  statement:
    'An ending recorded when the person has no current entitlement (not entitled, pending, or already ended) is rejected.',
  source: 'MHA 1983 s117(2)',
});

export const R41 = rule({
  id: 'R41',
  title: 'No lower age limit',
  statement: 'Children are entitled to section 117 aftercare on the same terms as adults: there is no lower age limit.',
  source: 'MHA 1983 s117(1) (no age limit); North Lincolnshire policy',
});

export const R42 = rule({
  id: 'R42',
  title: 'Accommodation-plus is described',
  statement:
    'Accommodation counts as accommodation-plus in a plan only when the enhanced or specialised feature that meets a need arising from the mental disorder is described (for example 24-hour staffed support, or a placement away from a known risk). Accommodation marked enhanced but with no feature described is not treated as a section 117 need until the feature is recorded.',
  source:
    'R (Mwanza) v Greenwich LBC [2010] EWHC 1462 (Admin); HSC 2000/003 LAC(2000)3 (joint policies state which services are section 117); Camden procedure (plans itemise section 117 services)',
});

export const R43 = rule({
  id: 'R43',
  title: 'Needs outside section 117: NHS Continuing Healthcare',
  statement:
    'A need that is not a section 117 need, and that is part of a primary health need, is met by NHS Continuing Healthcare, arranged and funded solely by the ICB and free to the person. A need that is a section 117 need is met under section 117, not under NHS Continuing Healthcare.',
  source:
    'National Framework for NHS Continuing Healthcare and NHS-funded Nursing Care (July 2022 revision), including its section on section 117; NHS Act 2006 s3; SI 2012/2996 Part 6',
  note: 'The Framework\'s paragraph numbers were not verified.',
});

export const R44 = rule({
  id: 'R44',
  title: 'Needs outside section 117: other NHS services',
  statement:
    'A health need that is not a section 117 need and not a primary health need is met by the NHS under its ordinary duties (GP, community and hospital services), free at the point of use except where the law allows a charge (for example prescription charges).',
  source: 'NHS Act 2006 ss1 and 3; Care Act 2014 s22 (a local authority may not meet needs the NHS must meet)',
});

export const R45 = rule({
  id: 'R45',
  title: 'Needs outside section 117: Care Act eligible needs',
  statement:
    'A care and support need that is not a section 117 need but meets the national eligibility criteria is met by the local authority under the Care Act 2014. Unlike section 117 services, these may be charged for after a financial assessment.',
  source:
    'Care Act 2014 ss13, 14 and 17; Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313); Care and Support (Charging and Assessment of Resources) Regulations 2014 (SI 2014/2672)',
});

export const R46 = rule({
  id: 'R46',
  title: 'Needs outside section 117: universal services',
  statement:
    'A need that is not a section 117 need, a health need or an eligible care need is met by universal and community services that everyone uses, such as ordinary housing, on the same terms as anyone else.',
  source: 'R (Mwanza) v Greenwich LBC [2010] EWHC 1462 (Admin) (ordinary accommodation is a common need); Care Act 2014 s2 (prevention and universal services)',
});

export const R47 = rule({
  id: 'R47',
  title: 'Indicative personal budget',
  statement:
    'An indicative personal budget is worked out openly from the plan\'s section 117 needs by the partnership\'s resource allocation settings (points for each need at its level, times a rate per point). Needs outside section 117 are not counted: they are funded under other law. The figure is a starting point for planning: the final budget is what it costs to meet the assessed needs, and may be higher or lower. Section 117 services may be taken as a direct payment or personal health budget and remain free.',
  source:
    'Care Act 2014 s26; Care and Support Statutory Guidance ch.11 (paras 11.22–11.24: transparency, timeliness, sufficiency); MHA 1983 s117(2C); Care Act 2014 Sch 4 and ss31–33; Care and Support (Direct Payments) Regulations 2014 (SI 2014/2871); SI 2012/2996 Part 6A',
});

export const R48 = rule({
  id: 'R48',
  title: 'Refunds of wrongful charges, with interest',
  statement:
    'Every charge wrongly made for a section 117 service is refunded in full, with simple interest from the day it was paid to the day of the refund, at the annual rate the partnership sets, on a 365-day basis, rounded to the penny (halves up).',
  source:
    'R v Manchester CC ex p Stennett [2002] UKHL 34; LGSCO decisions 23 012 780 (Kent, 2024) and 23 019 512 (Manchester) (interest on refunds of section 117 charges); the rate is a local decision, no statutory rate found',
});

/** Every rule, in order. */
export const ruleCatalogue = Object.freeze([
  R1, R2, R3, R4, R5, R6, R7, R8, R9, R10,
  R11, R12, R13, R14, R15, R16, R17, R18, R19, R20,
  R21, R22, R23, R24, R25, R26, R27, R28, R29, R30,
  R31, R32, R33, R34, R35, R36, R37, R38, R39, R40,
  R41, R42, R43, R44, R45, R46, R47, R48,
] as const);

export type RuleId = (typeof ruleCatalogue)[number]['id'];

const byId: ReadonlyMap<string, Rule> = new Map(ruleCatalogue.map((r) => [r.id, r]));

export function ruleById(id: RuleId): Rule {
  return byId.get(id)!;
}

/** A reason in a decision: what a rule decided here, with the rule's source. */
export function because(id: RuleId, text: string): Reason {
  return { rule: id, text, source: ruleById(id).source };
}

/** The rule behind each rejection code. */
export const rejectionRuleIds: Readonly<Record<RejectionCode, RuleId>> = {
  'ending-while-cto': 'R7',
  'ending-needs-both-approvals': 'R9',
  'ending-reason-not-lawful': 'R10',
  'ending-person-not-involved': 'R11',
  'ending-conditional-discharge-needs-override': 'R8',
  'ending-not-entitled': 'R40',
};
