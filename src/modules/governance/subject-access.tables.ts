/**
 * Every table that holds something about one person, and how its rows are found, for the subject
 * access export (issue 14, item 6). `subject-access.completeness.int.test.ts` reads the database's
 * own list of tables (information_schema) and fails if a table with a `person_id` or an NHS number
 * column is neither here nor in `notExported` with a reason: a table added tomorrow cannot be left
 * out of a subject access export by accident.
 *
 * `from` names the table as `t` (joined to what finds the person, if it has no person column);
 * `personColumn` is compared with the person's id (or NHS number, for `match: 'nhs-number'`).
 * `omit` lists columns left out of person.json, each for a stated reason (documents' bytes are
 * added to the zip as files instead). These strings are constants of the code, never input.
 */
export interface ExportedTable {
  table: string;
  /** Plain English, for the PDF summary and the page. */
  label: string;
  from: string;
  personColumn: string;
  match: 'person-id' | 'nhs-number';
  orderBy: string;
  omit?: readonly string[];
  /**
   * Rows NOT exported automatically, as an SQL condition on the same `from` (restricted case notes:
   * third-party or safeguarding information, released only after review). They are counted and the
   * export says so, as `withheldLabel` with the count.
   */
  withheldWhen?: string;
  withheldLabel?: (count: number) => string;
}

/** Oldest first, for tables with or without a created_at column. */
const BY_CREATION = "to_jsonb(t)->>'created_at', to_jsonb(t)->>'id'";

const byPerson = (table: string, label: string, orderBy = BY_CREATION, omit?: readonly string[]): ExportedTable => ({
  table,
  label,
  from: `${table} t`,
  personColumn: 't.person_id',
  match: 'person-id',
  orderBy,
  ...(omit ? { omit } : {}),
});

export const exportedTables: readonly ExportedTable[] = [
  { table: 'person', label: 'The person’s record', from: 'person t', personColumn: 't.id', match: 'person-id', orderBy: 't.id' },
  byPerson('legal_event', 'Legal history (detentions, discharges, orders, endings)', 't.occurred_on, t.sequence'),
  byPerson('person_contact', 'Contacts (nearest relative, carers, advocates)'),
  byPerson('task', 'Tasks about the person'),
  byPerson('aftercare_plan', 'Aftercare plans'),
  byPerson('plan_need', 'Needs in the aftercare plans'),
  byPerson('plan_service', 'Services in the aftercare plans'),
  byPerson('plan_agreement', 'Agreements to the aftercare plans'),
  byPerson('budget_request', 'Direct payment and personal health budget requests'),
  byPerson('review', 'Reviews'),
  byPerson('review_booking', 'Booked reviews'),
  byPerson('meeting', 'Meetings'),
  byPerson('meeting_action', 'Actions agreed at meetings'),
  byPerson('ending_proposal', 'Proposals to end section 117 aftercare'),
  byPerson('panel_case', 'Funding panel cases'),
  byPerson('dispute', 'Disputes between bodies about the person'),
  byPerson('person_charge', 'Charges and refunds'),
  byPerson('imported_funding', 'Funding brought from the old register'),
  byPerson('person_document', 'Documents produced for the person (the files themselves are in the documents folder)', BY_CREATION, ['content']),
  byPerson('information_given', 'Information given to the person'),
  // Issue 15, item 3: the files themselves are in the uploaded-documents folder; quarantined files
  // (flagged by the virus check) are listed here but never put in the zip, and are counted.
  byPerson('uploaded_document', 'Documents uploaded to the record (the files themselves are in the uploaded-documents folder; quarantined files are left out)'),
  // Issue 16, item 7.
  byPerson('care_act_assessment', 'Care Act assessments of needs that are not section 117, and the eligibility decided'),
  byPerson('financial_assessment', 'Financial assessments and what they charge for services that are not section 117'),
  // Issue 16, items 2 and 3.
  byPerson('capacity_assessment', 'Mental capacity assessments (each decision at its time)'),
  byPerson('best_interests_decision', 'Best-interests decisions and meetings'),
  byPerson('imca_instruction', 'Instructions to an independent mental capacity advocate (IMCA) and their reports'),
  // Issue 16, item 4.
  byPerson('liberty_consideration', 'Considerations of whether care arrangements are a deprivation of liberty (the Cheshire West acid test)'),
  byPerson('liberty_authorisation', 'Deprivation of liberty authorisations (DoLS) and Court of Protection applications and orders'),
  byPerson('liberty_challenge', 'Section 21A challenges to a deprivation of liberty authorisation'),
  byPerson('audit_case', 'Annual case audits that sampled the person'),
  {
    table: 'audit_finding',
    label: 'Findings of those case audits',
    from: 'audit_finding t join audit_case c on c.partnership_id = t.partnership_id and c.id = t.audit_case_id',
    personColumn: 'c.person_id',
    match: 'person-id',
    orderBy: BY_CREATION,
  },
  // Attachments are staff's scheduled reports about many people, not this person's data.
  byPerson('notification', 'Notifications and messages about the person', BY_CREATION, ['attachment_base64']),
  byPerson('retention_review', 'Retention reviews of the record'),
  {
    ...byPerson('case_note', 'Case notes', 't.contact_at, t.created_at'),
    withheldWhen: 't.restricted',
    withheldLabel: (n) => `${n} restricted ${n === 1 ? 'note' : 'notes'} withheld pending review`,
  },
  {
    table: 'case_note_version',
    label: 'Earlier versions of corrected case notes',
    from: 'case_note_version t join case_note n on n.partnership_id = t.partnership_id and n.id = t.note_id',
    personColumn: 't.person_id',
    match: 'person-id',
    orderBy: 't.note_id, t.note_version',
    withheldWhen: '(n.restricted or t.restricted)',
    withheldLabel: (n) => `${n} earlier ${n === 1 ? 'version' : 'versions'} of restricted notes withheld pending review`,
  },
  byPerson('risk_assessment', 'Risk assessments (every one, the current and those replaced)'),
  byPerson('risk_escalation', 'Risk escalations and their outcomes', 't.raised_at, t.created_at'),
  byPerson('learning_review', 'Learning reviews after a readmission or a crisis', 't.completed_at, t.created_at'),
  // Issue 16, item 1: safeguarding records hold information about other people and about risk to
  // the person, so none is released automatically: each is counted and released only after review
  // (information about other people: Data Protection Act 2018, Schedule 2, paragraph 16), as restricted notes are.
  {
    ...byPerson('safeguarding_concern', 'Safeguarding concerns and enquiries', 't.raised_on, t.created_at'),
    withheldWhen: 'true',
    withheldLabel: (n) => `${n} safeguarding ${n === 1 ? 'concern' : 'concerns'} withheld pending review`,
  },
  {
    ...byPerson('safeguarding_enquiry_record', 'Safeguarding strategy discussions, meetings and enquiry actions', 't.held_on, t.created_at'),
    withheldWhen: 'true',
    withheldLabel: (n) => `${n} safeguarding enquiry ${n === 1 ? 'record' : 'records'} withheld pending review`,
  },
  {
    ...byPerson('safeguarding_link', 'Links from safeguarding concerns to case notes, risk assessments and plans', 't.created_at'),
    withheldWhen: 'true',
    withheldLabel: (n) => `${n} safeguarding ${n === 1 ? 'link' : 'links'} withheld pending review`,
  },
  {
    ...byPerson('protection_meeting', 'Child protection and public protection meetings attended', 't.held_on, t.created_at'),
    withheldWhen: 'true',
    withheldLabel: (n) => `${n} protection ${n === 1 ? 'meeting' : 'meetings'} withheld pending review`,
  },
  // Issue 16, items 5 and 6. A carer is a person in their own right: their name and their own
  // assessment go into the cared-for person's export only with the carer's consent to share;
  // otherwise the rows are withheld and counted.
  {
    table: 'carer_link',
    label: 'Carers (with their consent to share)',
    from: '(select l.*, c.name as carer_name, c.consent_to_share from carer_link l join carer c on c.partnership_id = l.partnership_id and c.id = l.carer_id) t',
    personColumn: 't.person_id',
    match: 'person-id',
    orderBy: BY_CREATION,
    withheldWhen: '(not t.consent_to_share)',
    withheldLabel: (n) => `${n} ${n === 1 ? 'carer who has' : 'carers who have'} not agreed to share information withheld`,
  },
  {
    table: 'carer_assessment',
    label: 'Carers’ assessments offered from the record (with the carer’s consent to share)',
    from: 'carer_assessment t join carer c on c.partnership_id = t.partnership_id and c.id = t.carer_id',
    personColumn: 't.person_id',
    match: 'person-id',
    orderBy: 't.offered_on, t.created_at',
    withheldWhen: '(not c.consent_to_share)',
    withheldLabel: (n) => `${n} ${n === 1 ? 'assessment of a carer who has' : 'assessments of carers who have'} not agreed to share information withheld`,
  },
  byPerson('advocacy_referral', 'Referrals to advocates (IMHA, IMCA, Care Act advocate)', 't.referred_on, t.created_at'),
  {
    table: 'register_import_row',
    label: 'Rows of imported registers about the person',
    from: 'register_import_row t',
    personColumn: 't.nhs_number',
    match: 'nhs-number',
    orderBy: 't.import_id, t.row_number',
  },
];

/**
 * Tables with a person or NHS number column that are deliberately not in the export, each with
 * why. (audit_event is not listed: its `subject_id` is text, and the audit of the record is
 * exported on its own, as views.json.)
 */
export const notExported: Readonly<Record<string, string>> = {};
