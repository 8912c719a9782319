/**
 * The default checklist of the annual section 117 case audit (issue 7, item 3): the nine pillars
 * of the LGA "Partners in Care and Health" framework "Section 117 aftercare: what good looks like",
 * and questions an auditor answers for each sampled case. Pure data: the partnership seeds it once
 * and then edits its own copy (pillar names and questions), so nothing here is binding.
 *
 * Pillar titles: only two are the LGA's confirmed wording (pillar 2 and pillar 9; domain brief §7).
 * The others are UNCONFIRMED: each theme is inferred from the competency framework's domains that
 * cite the pillar (domain brief, "Addendum: the nine pillars as the competency framework maps
 * them"): Domain 1 legal literacy → 1, 7, 9; Domain 2 person-centred, co-produced practice → 2, 4,
 * 5, 6; Domain 3 integrated, multi-agency working → 3, 8; Domain 4 review, risk and prevention →
 * 4, 5, 9; Domain 5 funding, panels and lawful resource use → 7; Domain 6 records, the register
 * and assurance → 8, 9. They are marked `confirmedTitle: false` and shown as a "suggested title".
 *
 * Each question carries its source: the statute, case, Ombudsman decision or guidance it tests.
 */

export interface DefaultPillar {
  number: number;
  name: string;
  description: string;
  confirmedTitle: boolean;
  /** Why the title is what it is (the LGA wording, or the competency domains it was inferred from). */
  basis: string;
}

export interface DefaultQuestion {
  /** Stable code shown in reports, "P<pillar>.<n>". */
  code: string;
  pillar: number;
  question: string;
  guidance: string;
  source: string;
}

export const defaultPillars: readonly DefaultPillar[] = [
  {
    number: 1,
    name: 'Legal literacy: entitlement and responsibility are decided lawfully',
    description: 'Who is entitled, from when, and which local authority and ICB are responsible, decided and recorded in line with section 117 and the case law.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domain 1 (legal literacy and statutory decisions) cites pillar 1.',
  },
  {
    number: 2,
    name: 'S117 Aftercare plans are person-centred and strengths-based',
    description: 'Plans are written with the person, built on their strengths and the outcomes they want, and shared with them.',
    confirmedTitle: true,
    basis: 'LGA framework, pillar 2 (confirmed wording).',
  },
  {
    number: 3,
    name: 'Integrated, joint working between the local authority and the NHS',
    description: 'The local authority and the ICB plan, fund and decide together; disagreements never delay care.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domain 3 (integrated, multi-agency working) cites pillar 3.',
  },
  {
    number: 4,
    name: 'Timely reviews that involve the person',
    description: 'Aftercare is reviewed at least every 12 months with the person, and each review says whether section 117 still applies and why.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domains 2 (person-centred practice) and 4 (review, risk and prevention) cite pillar 4.',
  },
  {
    number: 5,
    name: 'Risk, crisis and relapse prevention planned with the person',
    description: 'Aftercare reduces the risk of deterioration and readmission: early warning signs, crisis and contingency plans agreed with the person.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domains 2 (person-centred practice) and 4 (review, risk and prevention) cite pillar 5.',
  },
  {
    number: 6,
    name: 'Choice, control and involvement of carers and advocates',
    description: 'Carers and advocates are involved; the person is offered choice and control over how aftercare is delivered (direct payments, personal health budgets).',
    confirmedTitle: false,
    basis: 'Inferred: competency Domain 2 (person-centred, strengths-based, co-produced practice) cites pillar 6.',
  },
  {
    number: 7,
    name: 'Lawful funding: free aftercare, agreed splits and panels',
    description: 'Section 117 services are free, distinguished from chargeable ones, and funded under an agreed split with a recorded basis.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domains 1 (legal literacy) and 5 (funding, panels and lawful resource use) cite pillar 7.',
  },
  {
    number: 8,
    name: 'Accurate records and a shared register',
    description: 'The person is on the partnership register with current status, responsible bodies, lead professional and review dates; endings are joint and documented.',
    confirmedTitle: false,
    basis: 'Inferred: competency Domains 3 (multi-agency working) and 6 (records, the register and assurance) cite pillar 8.',
  },
  {
    number: 9,
    name: 'Monitoring, quality assurance, and continuous improvement',
    description: 'Agreed KPIs, feedback from people who use services, a learning culture and independent scrutiny.',
    confirmedTitle: true,
    basis: 'LGA framework, pillar 9 (confirmed wording).',
  },
];

export const defaultQuestions: readonly DefaultQuestion[] = [
  // Pillar 1: legal literacy.
  {
    code: 'P1.1',
    pillar: 1,
    question: 'The qualifying detention and the date the person ceased to be detained and left hospital are recorded, so entitlement and its start are right',
    guidance: 'Check the section (3, 37, 45A, 47 or 48) and that the start is the day the person had both ceased to be detained and left hospital, not a date of section 17 leave.',
    source: 'MHA 1983 s117(1); R (CXF) v Central Bedfordshire [2018] EWCA Civ 2852',
  },
  {
    code: 'P1.2',
    pillar: 1,
    question: 'The responsible local authority and ICB are recorded, with the basis (ordinary residence immediately before detention; GP registration for the ICB)',
    guidance: 'After a later qualifying detention the local authority may change (Worcestershire); the ICB does not.',
    source: 'MHA 1983 s117(3); R (Worcestershire CC) v SSHSC [2023] UKSC 31; NHS (ICB: Responsibilities) Regulations 2022',
  },
  {
    code: 'P1.3',
    pillar: 1,
    question: 'The person was given information about their section 117 rights in writing, in a format they can use',
    guidance: 'Look for the date rights were last given in writing and the format (standard, easy read, large print, language).',
    source: 'MHA Code of Practice 2015 ch.33; LGSCO/PHSO guidance on section 117 aftercare',
  },
  // Pillar 2: plans (confirmed title).
  {
    code: 'P2.1',
    pillar: 2,
    question: 'An aftercare plan was in place when the person left hospital',
    guidance: 'Planning starts on admission; a plan that starts weeks after discharge is not met.',
    source: 'LGSCO 24 015 710 and 24 021 087a; MHA Code of Practice 2015 para 33.10',
  },
  {
    code: 'P2.2',
    pillar: 2,
    question: 'The plan records the person’s own views, their strengths and the outcomes they want',
    guidance: 'The person’s words, not only the professionals’.',
    source: 'LGA framework, pillar 2',
  },
  {
    code: 'P2.3',
    pillar: 2,
    question: 'Each need is assessed against both tests of section 117(6); Care Act eligibility criteria were not applied to section 117 needs',
    guidance: 'A need arising from or related to the mental disorder, and reducing the risk of deterioration and readmission.',
    source: 'MHA 1983 s117(6); LGA framework, pillar 2',
  },
  {
    code: 'P2.4',
    pillar: 2,
    question: 'The plan is written, shared with the person and itemises which services are section 117 aftercare and which body provides each',
    guidance: '',
    source: 'Landmark Chambers; West Sussex guide; Camden procedure',
  },
  // Pillar 3: joint working.
  {
    code: 'P3.1',
    pillar: 3,
    question: 'The local authority and the ICB agreed the plan and its funding jointly (at a joint panel where the partnership uses one)',
    guidance: '',
    source: 'MHA 1983 s117(2) (joint duty); HSC 2000/003 LAC(2000)3',
  },
  {
    code: 'P3.2',
    pillar: 3,
    question: 'Any dispute about responsibility or funding had an interim lead funder and did not delay care',
    guidance: 'Not applicable when there was no dispute.',
    source: 'MHA 1983 s117(4) and Care Act 2014 s40; NHS England Who Pays? (2024); SCIE cross-border guidance',
  },
  // Pillar 4: reviews.
  {
    code: 'P4.1',
    pillar: 4,
    question: 'The aftercare was reviewed within the last 12 months (and at the first review the partnership’s policy sets after discharge)',
    guidance: 'Reviews at every care planning meeting or at least every 12 months.',
    source: 'Camden procedure (at least every 12 months); Lambeth procedure (at least once a year); GHC FOI 268-2024',
  },
  {
    code: 'P4.2',
    pillar: 4,
    question: 'The last review records whether section 117 still applies and why',
    guidance: '',
    source: 'MHA 1983 s117(2); MHA Code of Practice 2015 ch.33',
  },
  {
    code: 'P4.3',
    pillar: 4,
    question: 'Entitled people not open to services, or who disengaged, were still reviewed and followed up; disengagement was not treated as an ending',
    guidance: '',
    source: 'West Sussex guide (reviews for entitled people not open to services)',
  },
  // Pillar 5: risk and relapse prevention.
  {
    code: 'P5.1',
    pillar: 5,
    question: 'A crisis and contingency plan with early warning signs is recorded and known to the person',
    guidance: '',
    source: 'DHSC/NHS England "Discharge from mental health inpatient settings" (2024); MHA 1983 s117(6)(b)',
  },
  {
    code: 'P5.2',
    pillar: 5,
    question: 'The person was involved in (co-produced) their plan and reviews, and this is recorded',
    guidance: 'Who took part, and the person’s view at the review.',
    source: 'LGA framework, pillar 2; MHA Code of Practice 2015 ch.33',
  },
  // Pillar 6: choice, carers and advocacy.
  {
    code: 'P6.1',
    pillar: 6,
    question: 'Carers were identified, involved (with the person’s consent) and offered a carer’s assessment',
    guidance: 'Not applicable when the person has no carer.',
    source: 'Care Act 2014 s10; MHA Code of Practice 2015 ch.33',
  },
  {
    code: 'P6.2',
    pillar: 6,
    question: 'Advocacy (IMHA, Care Act or other advocacy) was offered where the person needed it',
    guidance: '',
    source: 'MHA 1983 s130A; Care Act 2014 s67',
  },
  {
    code: 'P6.3',
    pillar: 6,
    question: 'The person was told about direct payments and the right to a personal health budget for section 117 aftercare',
    guidance: '',
    source: 'MHA 1983 s117(2C); NHS (Direction, Assurance and Standing Rules) Regulations 2012 (SI 2012/2996) reg 32B',
  },
  // Pillar 7: lawful funding.
  {
    code: 'P7.1',
    pillar: 7,
    question: 'Section 117 services are distinguished from chargeable services, and the person was never charged for a section 117 service',
    guidance: '',
    source: 'R v Manchester CC ex p Stennett [2002] UKHL 34',
  },
  {
    code: 'P7.2',
    pillar: 7,
    question: 'Any wrongful charge was identified and refunded, with interest',
    guidance: 'Not applicable when no charge was made.',
    source: 'LGSCO decisions on section 117 charging (wrongful charges are reclaimable and refunded)',
  },
  {
    code: 'P7.3',
    pillar: 7,
    question: 'The split of funding between the local authority and the ICB is recorded with its basis',
    guidance: '',
    source: 'HSC 2000/003 LAC(2000)3 (no national split: a local agreement per package)',
  },
  {
    code: 'P7.4',
    pillar: 7,
    question: 'Where accommodation is funded as aftercare, the record says why it is accommodation-plus',
    guidance: 'Not applicable when no accommodation is funded.',
    source: 'R (Mwanza) v Greenwich [2010] EWHC 1462 (Admin); MHA 1983 s117(6)',
  },
  // Pillar 8: records and the register.
  {
    code: 'P8.1',
    pillar: 8,
    question: 'The person is on the register with current status, responsible local authority and ICB, and next review date',
    guidance: '',
    source: 'GHC FOI 268-2024 (register fields; the register kept current)',
  },
  {
    code: 'P8.2',
    pillar: 8,
    question: 'A lead professional (care coordinator) and team are recorded',
    guidance: '',
    source: 'GHC FOI 268-2024; Mind guide to CPA',
  },
  {
    code: 'P8.3',
    pillar: 8,
    question: 'If aftercare ended: a joint, documented decision of the local authority and the ICB, with reasons, the person involved and a plan for any other care',
    guidance: 'Not applicable when aftercare has not ended.',
    source: 'MHA 1983 s117(2); Camden "Discharge from s117 aftercare" form; LGSCO/PHSO guidance',
  },
  // Pillar 9: monitoring and improvement (confirmed title).
  {
    code: 'P9.1',
    pillar: 9,
    question: 'The person’s feedback on their aftercare was sought',
    guidance: '',
    source: 'LGA framework, pillar 9 (feedback from people who use services)',
  },
  {
    code: 'P9.2',
    pillar: 9,
    question: 'Learning from this case (including any complaint or Ombudsman finding) was fed back to the team',
    guidance: '',
    source: 'LGA framework, pillar 9 (learning culture, independent scrutiny)',
  },
];

/** The competency framework's six domains (for linking findings to staff development). */
export const competencyDomains: Readonly<Record<number, string>> = {
  1: 'Legal literacy and statutory decisions',
  2: 'Person-centred, strengths-based, co-produced practice',
  3: 'Integrated, multi-agency working',
  4: 'Review, risk and prevention',
  5: 'Funding, panels and lawful resource use',
  6: 'Records, the register and assurance',
};
