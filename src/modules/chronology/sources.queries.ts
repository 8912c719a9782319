import { sql, type SQL } from 'drizzle-orm';
import { disputeKindLabels } from '../../domain/disputes.ts';
import { noteTypeLabels } from '../../domain/case-notes.ts';
import type { ChronologyKind } from '../../domain/chronology.ts';
import { informationFormatLabels, informationSubjectLabels } from '../documents/index.ts';
import { endReasonLabels } from '../endings/index.ts';
import { visibleNotesCondition, type NoteVisibility } from '../notes/index.ts';
import type { SafeguardingVisibility } from '../safeguarding/index.ts';
import { abuseCategoryLabels, decisionLabels, enquiryOutcomeLabels } from '../../domain/safeguarding.ts';
import { panelDecisionLabels } from '../panels/index.ts';
import { eventLabels, reasonLabels } from '../register/index.ts';
import { escalationOutcomeLabels, riskLevelLabels } from '../../domain/risk.ts';
import { bestInterestsKindLabels, capacityOutcomeLabels } from '../../domain/mental-capacity.ts';
import { uploadCategoryLabels } from '../../domain/uploads.ts';
import { advocacyKindLabels } from '../../domain/advocacy.ts';

/*
 * The sources of a person's chronology (issue 15, item 2; docs/chronology.md, "Adding a source").
 * Each source is one SELECT (or a few joined by UNION ALL) giving rows of the common shape:
 *
 *   at          timestamptz  when it happened (a date without a time is midnight in London)
 *   timed       boolean      whether `at` carries a time of day worth showing
 *   kind        text         the source's kind (src/domain/chronology.ts chronologyKinds)
 *   id          text         unique within the kind (the row's id, with a suffix when a row gives several entries)
 *   title       text         what happened, in plain English
 *   summary     text         a line or two of detail ('' when there is none)
 *   significant boolean      shown with "significant only"
 *   href        text         the item's own page
 *
 * chronology.queries.ts joins the chosen sources with UNION ALL into one statement per page.
 * Every source filters on (partnership_id, person_id), the leading columns of an index its table
 * already has, and runs under the door's row-level security.
 */

export interface SourceParams {
  partnershipId: string;
  personId: string;
  /** Which case notes the actor may see: the notes module's own rule. */
  notes: NoteVisibility;
  /** Which safeguarding concerns the actor sees in full: the safeguarding module's own rule. */
  safeguarding: SafeguardingVisibility;
}

/**
 * Safeguarding (issue 16, item 1): whether the actor sees this concern's details (the chosen roles,
 * the local authority's deciders, or the raiser or lead of this one). For everyone else the entry
 * says only that a concern was raised, with no category, words or outcome.
 */
function seesConcern(p: SourceParams, alias: string): SQL {
  if (p.safeguarding.all) return sql`true`;
  if (p.safeguarding.userId === null) return sql`false`;
  return sql`(${sql.raw(alias)}.raised_by = ${p.safeguarding.userId} or ${sql.raw(alias)}.enquiry_lead_id = ${p.safeguarding.userId})`;
}

export interface ChronologySource {
  kind: ChronologyKind;
  rows(p: SourceParams): SQL;
}

/** `case <column> when 'code' then 'Label' … else <otherwise> end`: a stored code shown by its label. */
function labelled(column: SQL, labels: Record<string, string>, otherwise: SQL = column): SQL {
  return sql`(case ${column} ${sql.join(
    Object.entries(labels).map(([code, label]) => sql`when ${code} then ${label}::text`),
    sql` `,
  )} else ${otherwise} end)`;
}

/** A calendar date as the instant it starts in England. */
const londonDay = (column: SQL) => sql`(${column}::timestamp at time zone 'Europe/London')`;
/** At most `n` characters of a long text, for the summary (null stays null, so concat_ws leaves it out). */
const short = (column: SQL, n = 300) => sql`(case when length(${column}) > ${n} then left(${column}, ${n}) || '…' else ${column} end)`;
const mine = (p: SourceParams) => sql`partnership_id = ${p.partnershipId} and person_id = ${p.personId}`;
const personPage = (p: SourceParams, rest: string) => sql`${`/people/${p.personId}${rest}`}::text`;

const SIGNIFICANT_LEGAL_EVENTS = ['detention-started', 'detention-ended', 'recalled', 'cto-ended', 'conditional-discharge-ended', 'aftercare-ended', 'died'];

/** Every source, in the order of the kinds' filter. Add a source here (and its kind in src/domain/chronology.ts). */
export const chronologySources: readonly ChronologySource[] = [
  {
    // The legal history (register): each event not removed as a correction.
    kind: 'legal-event',
    rows: (p) => sql`
      select ${londonDay(sql`occurred_on`)} as at, false as timed, 'legal-event' as kind, id::text as id,
        ${labelled(sql`type`, eventLabels)} as title,
        concat_ws(', ', ${labelled(sql`(payload->>'reason')`, reasonLabels)}, case when payload ? 'legalStatusCode' then 'section code ' || (payload->>'legalStatusCode') end, hospital) as summary,
        type in (${sql.join(SIGNIFICANT_LEGAL_EVENTS.map((t) => sql`${t}`), sql`, `)}) as significant,
        ${personPage(p, '/history')} as href
      from legal_event where ${mine(p)} and voided_at is null`,
  },
  {
    // Entitlement episodes, as the rules engine last decided them (the person's stored decision).
    kind: 'episode',
    rows: (p) => sql`
      select ${londonDay(sql`(e.ep->>'start')::date`)} as at, false as timed, 'episode' as kind, 'start-' || e.n as id,
        'Entitlement to section 117 aftercare began' as title, '' as summary, true as significant, ${personPage(p, '')} as href
      from person, jsonb_array_elements(coalesce(person.decision->'episodes', '[]'::jsonb)) with ordinality as e(ep, n)
      where person.partnership_id = ${p.partnershipId} and person.id = ${p.personId}
      union all
      select ${londonDay(sql`(e.ep->>'end')::date`)}, false, 'episode', 'end-' || e.n,
        'Entitlement to section 117 aftercare ended',
        ${labelled(sql`(e.ep->>'endReason')`, { superseded: 'A new qualifying detention began', ended: 'Aftercare was ended lawfully', died: 'The person died' }, sql`''`)},
        true, ${personPage(p, '')}
      from person, jsonb_array_elements(coalesce(person.decision->'episodes', '[]'::jsonb)) with ordinality as e(ep, n)
      where person.partnership_id = ${p.partnershipId} and person.id = ${p.personId} and e.ep->>'end' is not null`,
  },
  {
    // Aftercare plans and their versions: started, submitted for agreement, approved.
    kind: 'plan',
    rows: (p) => sql`
      select created_at as at, true as timed, 'plan' as kind, id::text || ':started' as id,
        'Aftercare plan version ' || plan_number || ' started' as title, ${short(sql`goals`)} as summary, false as significant,
        ${personPage(p, '/plans/')} || id::text as href
      from aftercare_plan where ${mine(p)}
      union all
      select submitted_at, true, 'plan', id::text || ':submitted', 'Aftercare plan version ' || plan_number || ' submitted for agreement', '', false, ${personPage(p, '/plans/')} || id::text
      from aftercare_plan where ${mine(p)} and submitted_at is not null
      union all
      select approved_at, true, 'plan', id::text || ':approved', 'Aftercare plan version ' || plan_number || ' approved', ${short(sql`approval_note`)}, true, ${personPage(p, '/plans/')} || id::text
      from aftercare_plan where ${mine(p)} and approved_at is not null`,
  },
  {
    // Reviews held (the review record, with whether section 117 still applies).
    kind: 'review',
    rows: (p) => sql`
      select ${londonDay(sql`coalesce(held_on, completed_at::date)`)} as at, false as timed, 'review' as kind, id::text as id,
        'Section 117 review held' as title,
        concat_ws('. ', case s117_still_applies when true then 'Section 117 still applies' when false then 'Section 117 may no longer apply' end, ${short(sql`person_view`, 200)}) as summary,
        coalesce(s117_still_applies = false, false) as significant,
        ${personPage(p, '/reviews/')} || id::text as href
      from review where ${mine(p)} and status = 'completed'`,
  },
  {
    // Review and MDT meetings.
    kind: 'meeting',
    rows: (p) => sql`
      select starts_at as at, true as timed, 'meeting' as kind, id::text as id,
        case kind when 'mdt' then 'MDT meeting' else 'Review meeting' end as title,
        concat_ws('. ', location, ${short(sql`decisions`, 250)}) as summary, false as significant,
        ${personPage(p, '/meetings/')} || id::text as href
      from meeting where ${mine(p)}`,
  },
  {
    // Finished case notes the actor may see: restricted ones only by the notes' own rule.
    kind: 'case-note',
    rows: (p) => sql`
      select contact_at as at, true as timed, 'case-note' as kind, id::text as id,
        ${labelled(sql`type`, noteTypeLabels)} || case when restricted then ' (restricted)' else '' end as title,
        ${short(sql`body`)} as summary, significant,
        ${personPage(p, '/notes/')} || id::text as href
      from case_note where ${mine(p)} and status = 'finished' and ${visibleNotesCondition(p.notes) ?? sql`true`}`,
  },
  {
    // Documents produced for the person (plans, statements, letters), as stored.
    kind: 'document',
    rows: (p) => sql`
      select created_at as at, true as timed, 'document' as kind, id::text as id,
        'Document produced: ' || title as title,
        ${labelled(sql`accessible_format`, { standard: 'Standard print', 'easy-read': 'Easy read', 'large-print': 'Large print' })} as summary, false as significant,
        ${personPage(p, '/documents/')} || id::text as href
      from person_document where ${mine(p)}`,
  },
  {
    // Documents uploaded to the record (issue 15, item 3): never a quarantined file, which is never served.
    kind: 'uploaded-document',
    rows: (p) => sql`
      select created_at as at, true as timed, 'uploaded-document' as kind, id::text as id,
        ${labelled(sql`category`, uploadCategoryLabels)} || ' uploaded: ' || file_name as title,
        concat_ws('. ', 'Dated ' || to_char(document_date, 'FMDD FMMonth YYYY'), nullif('By ' || author, 'By '), nullif(${short(sql`description`, 250)}, '')) as summary,
        false as significant, ${personPage(p, '/uploads')} as href
      from uploaded_document where ${mine(p)} and status = 'available'`,
  },
  {
    // Risk (issue 15, item 4): each assessment with its level, each escalation to the team manager
    // and its outcome, and each learning review completed.
    kind: 'risk',
    rows: (p) => sql`
      select created_at as at, true as timed, 'risk' as kind, id::text || ':assessed' as id,
        'Risk assessment: ' || lower(${labelled(sql`level`, riskLevelLabels)}) || ' risk' as title,
        'Review by ' || to_char(review_on, 'FMDD FMMonth YYYY') as summary, level = 'high' as significant,
        ${personPage(p, '/risk/assessments/')} || id::text as href
      from risk_assessment where ${mine(p)}
      union all
      select raised_at, true, 'risk', id::text || ':raised',
        'Escalated to the team manager: ' || case when reason = 'significant-event' then 'significant event recorded'
          when from_level is null then 'first assessment at ' || lower(${labelled(sql`to_level`, riskLevelLabels)}) || ' risk'
          else 'risk rose from ' || lower(${labelled(sql`from_level`, riskLevelLabels)}) || ' to ' || lower(${labelled(sql`to_level`, riskLevelLabels)}) end,
        '', true, ${personPage(p, '/risk/escalations/')} || id::text
      from risk_escalation where ${mine(p)}
      union all
      select outcome_at, true, 'risk', id::text || ':outcome',
        'Escalation outcome: ' || lower(${labelled(sql`outcome`, escalationOutcomeLabels)}), ${short(sql`outcome_detail`)}, true, ${personPage(p, '/risk/escalations/')} || id::text
      from risk_escalation where ${mine(p)} and outcome_at is not null and outcome is not null
      union all
      select completed_at, true, 'risk', id::text || ':learning', 'Learning review completed', ${short(sql`what_changes`)}, true, ${personPage(p, '/risk')}
      from learning_review where ${mine(p)}`,
  },
  {
    // Mental capacity (issue 16, items 2 and 3): each completed assessment with its decision and
    // outcome (drafts are work in progress, not events), each best-interests decision, and each
    // IMCA instruction and report.
    kind: 'capacity',
    rows: (p) => sql`
      select assessed_at as at, true as timed, 'capacity' as kind, id::text || ':assessed' as id,
        'Capacity assessment: ' || lower(${labelled(sql`outcome`, capacityOutcomeLabels)}) as title,
        ${short(sql`decision`)} as summary, outcome = 'lacks-capacity' as significant,
        ${personPage(p, '/capacity/assessments/')} || id::text as href
      from capacity_assessment where ${mine(p)} and status = 'completed'
      union all
      select ${londonDay(sql`decided_on`)}, false, 'capacity', id::text || ':best-interests',
        ${labelled(sql`kind`, bestInterestsKindLabels)}, ${short(sql`decision`)}, true, ${personPage(p, '/capacity/best-interests/')} || id::text
      from best_interests_decision where ${mine(p)}
      union all
      select ${londonDay(sql`instructed_on`)}, false, 'capacity', id::text || ':imca',
        'IMCA instructed: ' || advocate || ', ' || service, '', false, ${personPage(p, '/capacity/best-interests/')} || best_interests_id::text
      from imca_instruction where ${mine(p)}
      union all
      select ${londonDay(sql`report_received_on`)}, false, 'capacity', id::text || ':imca-report',
        'IMCA report received from ' || advocate, ${short(sql`report_summary`)}, false, ${personPage(p, '/capacity/best-interests/')} || best_interests_id::text
      from imca_instruction where ${mine(p)} and report_received_on is not null`,
  },
  {
    // Deprivation of liberty (issue 16, item 4): each acid-test consideration, each DoLS request or
    // COPDOL11 application, its decision, and each s21A challenge.
    kind: 'liberty',
    rows: (p) => sql`
      select ${londonDay(sql`considered_on`)} as at, false as timed, 'liberty' as kind, id::text || ':considered' as id,
        'Deprivation of liberty considered: ' || case outcome when 'is' then 'it is one' when 'may-be' then 'it may be one' else 'it is not one' end as title,
        ${short(sql`arrangements`)} as summary, outcome <> 'is-not' as significant, ${personPage(p, '/deprivation-of-liberty')} as href
      from liberty_consideration where ${mine(p)}
      union all
      select ${londonDay(sql`requested_on`)}, false, 'liberty', id::text || ':requested',
        case basis when 'mca-schedule-a1' then 'DoLS standard authorisation requested: ' else 'COPDOL11 application prepared: ' end || place, '', false, ${personPage(p, '/deprivation-of-liberty/')} || id::text
      from liberty_authorisation where ${mine(p)}
      union all
      select ${londonDay(sql`decided_on`)}, false, 'liberty', id::text || ':decided',
        case when basis = 'mca-s16-order' and outcome = 'granted' then 'Court of Protection order made' when outcome = 'granted' then 'DoLS standard authorisation granted' else 'Deprivation of liberty refused' end,
        '', true, ${personPage(p, '/deprivation-of-liberty/')} || id::text
      from liberty_authorisation where ${mine(p)} and decided_on is not null and outcome is not null
      union all
      select ${londonDay(sql`applied_on`)}, false, 'liberty', id::text || ':s21a', 'Section 21A challenge made by ' || applicant, ${short(sql`notes`)}, true, ${personPage(p, '/deprivation-of-liberty/')} || authorisation_id::text
      from liberty_challenge where ${mine(p)}`,
  },
  {
    // Safeguarding (issue 16, item 1): each concern raised, its s42(1) decision, its strategy
    // discussions, meetings and actions, and the enquiry's conclusion; details only for those who see them.
    kind: 'safeguarding',
    rows: (p) => sql`
      select ${londonDay(sql`c.raised_on`)} as at, false as timed, 'safeguarding' as kind, c.id::text || ':raised' as id,
        case when ${seesConcern(p, 'c')} then 'Safeguarding concern raised: ' || lower(array_to_string(array(select ${labelled(sql`u.code`, abuseCategoryLabels)} from unnest(c.categories) as u(code)), ', '))
          else 'Safeguarding concern raised (details restricted)' end as title,
        case when ${seesConcern(p, 'c')} then ${short(sql`c.concern`)} else '' end as summary, true as significant,
        case when ${seesConcern(p, 'c')} then ${personPage(p, '/safeguarding/concerns/')} || c.id::text else ${personPage(p, '/safeguarding')} end as href
      from safeguarding_concern c where c.partnership_id = ${p.partnershipId} and c.person_id = ${p.personId}
      union all
      select ${londonDay(sql`c.decided_on`)}, false, 'safeguarding', c.id::text || ':decided',
        ${labelled(sql`c.decision`, decisionLabels)}, ${short(sql`c.decision_reason`)}, true, ${personPage(p, '/safeguarding/concerns/')} || c.id::text
      from safeguarding_concern c where c.partnership_id = ${p.partnershipId} and c.person_id = ${p.personId} and c.decided_on is not null and ${seesConcern(p, 'c')}
      union all
      select ${londonDay(sql`r.held_on`)}, false, 'safeguarding', r.id::text,
        ${labelled(sql`r.kind`, { 'strategy-discussion': 'Safeguarding strategy discussion', 'strategy-meeting': 'Safeguarding strategy meeting', action: 'Safeguarding enquiry action' })},
        ${short(sql`r.detail`)}, false, ${personPage(p, '/safeguarding/concerns/')} || c.id::text
      from safeguarding_enquiry_record r join safeguarding_concern c on c.partnership_id = r.partnership_id and c.id = r.concern_id
      where r.partnership_id = ${p.partnershipId} and r.person_id = ${p.personId} and ${seesConcern(p, 'c')}
      union all
      select ${londonDay(sql`c.concluded_on`)}, false, 'safeguarding', c.id::text || ':concluded',
        'Safeguarding enquiry concluded: ' || lower(${labelled(sql`c.outcome`, enquiryOutcomeLabels)}), ${short(sql`c.outcome_detail`)}, true, ${personPage(p, '/safeguarding/concerns/')} || c.id::text
      from safeguarding_concern c where c.partnership_id = ${p.partnershipId} and c.person_id = ${p.personId} and c.outcome is not null and ${seesConcern(p, 'c')}
      union all
      select ${londonDay(sql`m.held_on`)}, false, 'safeguarding', m.id::text,
        ${labelled(sql`m.kind`, { 'child-protection': 'Child protection conference attended', mappa: 'MAPPA meeting attended', marac: 'MARAC attended' })}, ${short(sql`m.outcome`)}, true, ${personPage(p, '/safeguarding')}
      from protection_meeting m where m.partnership_id = ${p.partnershipId} and m.person_id = ${p.personId} and ${p.safeguarding.all ? sql`true` : sql`false`}`,
  },
  {
    // Carers' assessments offered from this record and advocacy referrals (issue 16, items 5 and 6).
    // A carer who has not agreed to share information is not named (the downloads may go to the person).
    kind: 'carers',
    rows: (p) => sql`
      select ${londonDay(sql`a.offered_on`)} as at, false as timed, 'carers' as kind, a.id::text || ':offered' as id,
        'Carer’s assessment offered to ' || case when c.consent_to_share then c.name else 'a carer' end as title,
        case a.offered_at when 'discharge' then 'At discharge' when 'review' then 'At a review' else '' end as summary, false as significant,
        ${personPage(p, '/carers/')} || a.carer_id::text || '/assessments/' || a.id::text as href
      from carer_assessment a join carer c on c.partnership_id = a.partnership_id and c.id = a.carer_id
      where a.partnership_id = ${p.partnershipId} and a.person_id = ${p.personId}
      union all
      select ${londonDay(sql`coalesce(a.declined_on, a.completed_on)`)}, false, 'carers', a.id::text || ':answered',
        case when a.declined_on is not null then 'Carer’s assessment declined by ' else 'Carer’s assessment completed for ' end || case when c.consent_to_share then c.name else 'a carer' end,
        case when a.completed_on is not null then case when a.eligible then 'Eligible needs' else 'No eligible needs' end else '' end, false,
        ${personPage(p, '/carers/')} || a.carer_id::text || '/assessments/' || a.id::text
      from carer_assessment a join carer c on c.partnership_id = a.partnership_id and c.id = a.carer_id
      where a.partnership_id = ${p.partnershipId} and a.person_id = ${p.personId} and (a.declined_on is not null or a.completed_on is not null)
      union all
      select ${londonDay(sql`referred_on`)}, false, 'carers', id::text || ':referred',
        'Referred to an advocate: ' || ${labelled(sql`kind`, advocacyKindLabels)}, service, false, ${personPage(p, '/advocacy/')} || id::text
      from advocacy_referral where ${mine(p)}
      union all
      select ${londonDay(sql`first_met_on`)}, false, 'carers', id::text || ':met',
        'Advocate first met the person: ' || ${labelled(sql`kind`, advocacyKindLabels)}, coalesce(advocate_name, ''), false, ${personPage(p, '/advocacy/')} || id::text
      from advocacy_referral where ${mine(p)} and first_met_on is not null`,
  },
  {
    // Tasks: raised, and completed or cancelled with the outcome.
    kind: 'task',
    rows: (p) => sql`
      select created_at as at, true as timed, 'task' as kind, id::text || ':raised' as id,
        'Task raised: ' || title as title, ${short(sql`detail`)} as summary, false as significant, ${personPage(p, '')} as href
      from task where ${mine(p)}
      union all
      select completed_at, true, 'task', id::text || ':closed',
        case status when 'cancelled' then 'Task cancelled: ' else 'Task completed: ' end || title, ${short(sql`outcome`)}, false, ${personPage(p, '')}
      from task where ${mine(p)} and completed_at is not null and status <> 'open'`,
  },
  {
    // Information given to the person (their rights in writing are significant).
    kind: 'information-given',
    rows: (p) => sql`
      select ${londonDay(sql`given_on`)} as at, false as timed, 'information-given' as kind, id::text as id,
        'Information given: ' || ${labelled(sql`subject`, informationSubjectLabels)} as title,
        concat_ws(', ', ${labelled(sql`format`, informationFormatLabels)}, 'in ' || language, 'understood: ' || ${labelled(sql`understood`, { yes: 'yes', partly: 'partly', no: 'no', 'not-known': 'not known' })}) as summary,
        (subject = 'rights-statement' and in_writing) as significant,
        ${personPage(p, '/documents')} as href
      from information_given where ${mine(p)}`,
  },
  {
    // Endings and reinstatements: proposed, then recorded (both bodies agreed), declined or withdrawn.
    kind: 'ending',
    rows: (p) => sql`
      select proposed_at as at, true as timed, 'ending' as kind, id::text || ':proposed' as id,
        case kind when 'reinstatement' then 'Reinstatement of aftercare proposed' else 'Ending of section 117 aftercare proposed' end as title,
        concat_ws('. ', ${sql`array_to_string(array(select ${labelled(sql`r`, endReasonLabels)} from unnest(reason_codes) r), ', ')`}, ${short(sql`reasons`, 250)}) as summary,
        false as significant, ${personPage(p, '/endings/')} || id::text as href
      from ending_proposal where ${mine(p)}
      union all
      select coalesce(recorded_at, updated_at), true, 'ending', id::text || ':' || status::text,
        case when status = 'recorded' and kind = 'reinstatement' then 'Section 117 aftercare reinstated'
             when status = 'recorded' then 'Section 117 aftercare ended by both bodies'
             when status = 'declined' then 'Proposal to end aftercare declined'
             else 'Proposal to end aftercare withdrawn' end,
        'From ' || to_char(effective_on, 'FMDD FMMonth YYYY'), status = 'recorded', ${personPage(p, '/endings/')} || id::text
      from ending_proposal where ${mine(p)} and status <> 'proposed'`,
  },
  {
    // Funding panel cases: submitted, and the panel's decision.
    kind: 'panel',
    rows: (p) => sql`
      select submitted_at as at, true as timed, 'panel' as kind, id::text || ':submitted' as id,
        'Case submitted to the funding panel' as title, ${short(sql`summary`)} as summary, false as significant,
        '/panels/cases/' || id::text as href
      from panel_case where ${mine(p)}
      union all
      select decided_at, true, 'panel', id::text || ':decided',
        'Funding panel decision: ' || lower(${labelled(sql`decision::text`, panelDecisionLabels)}), ${short(sql`decision_reasons`)}, true, '/panels/cases/' || id::text
      from panel_case where ${mine(p)} and decided_at is not null and decision is not null`,
  },
  {
    // Disputes about who is responsible: opened, and resolved.
    kind: 'dispute',
    rows: (p) => sql`
      select ${londonDay(sql`arose_on`)} as at, false as timed, 'dispute' as kind, id::text || ':opened' as id,
        'Dispute opened: ' || lower(${labelled(sql`kind::text`, disputeKindLabels)}) as title, ${short(sql`summary`)} as summary, true as significant,
        '/disputes/' || id::text as href
      from dispute where ${mine(p)}
      union all
      select ${londonDay(sql`resolved_on`)}, false, 'dispute', id::text || ':resolved', 'Dispute resolved', ${short(sql`outcome`)}, true, '/disputes/' || id::text
      from dispute where ${mine(p)} and resolved_on is not null`,
  },
];
