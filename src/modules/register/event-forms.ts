import {
  approvers,
  conditionalDischargeEndReasons,
  ctoEndReasons,
  detentionEndReasons,
  disputeKinds,
  endReasons,
  eventTypes,
  type EventType,
} from '../../domain/rules/contract.ts';
import { legalStatusCodes, lookupLegalStatusCode } from '../../domain/legal-status-codes.ts';
import { asArray, asBoolean, asString, dateFromParts, type FormBody } from '../../platform/http/forms.ts';
import { workflowOnly } from './workflow-authority.ts';
import { govukDate, organisationLabel } from '../../platform/plain-language.ts';

/**
 * The legal history forms: one per event type of the rules-engine contract. Each knows its
 * question, how to turn a form into a contract event, and how to describe it to a person.
 */
export const eventLabels: Record<EventType, string> = {
  'detention-started': 'Detained in hospital',
  'detention-ended': 'Detention ended',
  'left-hospital': 'Left hospital',
  'admitted-informally': 'Admitted informally',
  's17-leave-started': 'Section 17 leave began',
  'cto-ended': 'Community treatment order ended',
  recalled: 'Recalled to hospital',
  'conditional-discharge-ended': 'Conditional discharge ended',
  reviewed: 'Section 117 review held',
  'aftercare-ended': 'Section 117 aftercare ended',
  'dispute-opened': 'Dispute opened',
  'dispute-resolved': 'Dispute resolved',
  died: 'Died',
};

export const eventHints: Record<EventType, string> = {
  'detention-started': 'Any section, including section 2 or a change of section while already detained',
  'detention-ended': 'Discharged, regraded to informal, onto a CTO, conditionally discharged, or the section lapsed',
  'left-hospital': 'The day they actually left the hospital',
  'admitted-informally': 'An informal admission does not change section 117 (Worcestershire)',
  's17-leave-started': 'Leave of absence while still detained',
  'cto-ended': 'Discharged from, expiry of, or revocation of a CTO',
  recalled: 'Recall from a CTO or from conditional discharge',
  'conditional-discharge-ended': 'Absolute discharge or recall',
  reviewed: 'A review of the aftercare plan and of entitlement',
  'aftercare-ended': 'A joint decision of the local authority and the ICB',
  'dispute-opened': 'Ordinary residence between authorities, or funding',
  'dispute-resolved': 'The earliest open dispute is resolved',
  died: '',
};

export const reasonLabels: Record<string, string> = {
  discharged: 'Discharged',
  'regraded-informal': 'Regraded to informal (stayed in hospital)',
  cto: 'Onto a community treatment order',
  'conditional-discharge': 'Conditionally discharged',
  'absolute-discharge': 'Absolutely discharged',
  'section-lapsed': 'The section lapsed',
  died: 'Died',
  expired: 'Expired',
  revoked: 'Revoked (detained in hospital again)',
  recalled: 'Recalled to hospital',
  'ordinary-residence': 'Ordinary residence (between local authorities)',
  funding: 'Funding (between a local authority and the ICB)',
  'local-authority': 'The local authority',
  icb: 'The ICB',
  'no-longer-in-need': 'No longer in need of section 117 services',
  'discharged-from-specialist-services': 'Discharged from specialist mental health services',
  'time-elapsed': 'Time has passed',
  readmitted: 'Readmitted',
  'cto-ended': 'The CTO ended',
  'refuses-services': 'Refuses services',
  'doing-well': 'Doing well',
  'moved-area': 'Moved area',
};
export const labelFor = (value: string): string => reasonLabels[value] ?? value;

export interface FieldSpec {
  name: string;
  kind: 'date' | 'text' | 'select' | 'radios' | 'checkboxes' | 'yes-no' | 'organisation';
  label: string;
  hint?: string;
  options?: Array<{ value: string; text: string }>;
  optional?: boolean;
  /** An organisation chosen by name (organisation-choices.ts): which kind of body. */
  organisationKind?: 'local-authority' | 'icb';
  /** An organisation question's answer for "none of them" (sent as "none"). */
  noneOption?: string;
  /** What to tell the person when the answer is missing or not one of the choices. */
  message?: string;
}

const options = (values: readonly string[]) => values.map((v) => ({ value: v, text: labelFor(v) }));

const dateField: FieldSpec = { name: 'date', kind: 'date', label: 'Date', hint: 'For example, 27 3 2025' };

const dischargedToField: FieldSpec = {
  name: 'dischargedToLocalAuthority',
  kind: 'organisation',
  organisationKind: 'local-authority',
  label: 'Local authority they were discharged to (optional)',
  optional: true,
  message: 'Select the local authority they were discharged to from the list',
};

export const eventFields: Record<EventType, FieldSpec[]> = {
  'detention-started': [
    dateField,
    {
      name: 'legalStatusCode',
      kind: 'select',
      label: 'Legal status',
      hint: 'NHS Data Dictionary Mental Health Act legal status code',
      options: legalStatusCodes.map((c) => ({ value: c.code, text: `${c.code}: ${c.label}` })),
    },
    { name: 'hospital', kind: 'text', label: 'Hospital', hint: 'Name or ODS site code', optional: true },
    {
      name: 'ordinaryResidence',
      kind: 'organisation',
      organisationKind: 'local-authority',
      label: 'Ordinary residence immediately before this detention',
      hint: 'The local authority whose area they lived in. Their record’s local authority is chosen for you: change it if they lived somewhere else',
      noneOption: 'No settled residence in England or Wales',
      message: 'Select the local authority they lived in before this detention, or “No settled residence in England or Wales”',
    },
    {
      name: 'icbOfGpRegistration',
      kind: 'organisation',
      organisationKind: 'icb',
      label: 'ICB of their GP practice when the application was made',
      hint: 'In Wales, the local health board. Their record’s ICB is chosen for you: change it if their GP practice was elsewhere',
      message: 'Select the ICB of their GP practice from the list',
    },
  ],
  'detention-ended': [dateField, { name: 'reason', kind: 'radios', label: 'How did the detention end?', options: options(detentionEndReasons) }],
  'left-hospital': [
    dateField,
    dischargedToField,
  ],
  'admitted-informally': [dateField, { name: 'hospital', kind: 'text', label: 'Hospital', optional: true }],
  's17-leave-started': [
    dateField,
    {
      name: 'ceasedToBeDetainedFinding',
      kind: 'yes-no',
      label: 'Has it been decided that, on this leave, they have in fact ceased to be detained and left hospital?',
      hint: 'R (CXF) v Central Bedfordshire [2018] EWCA Civ 2852: a question of fact, for example a trial placement they are not expected to return from',
    },
  ],
  'cto-ended': [dateField, { name: 'reason', kind: 'radios', label: 'How did the CTO end?', options: options(ctoEndReasons) }],
  recalled: [dateField],
  'conditional-discharge-ended': [dateField, { name: 'reason', kind: 'radios', label: 'How did the conditional discharge end?', options: options(conditionalDischargeEndReasons) }],
  reviewed: [dateField],
  'aftercare-ended': [
    dateField,
    { name: 'approvedBy', kind: 'checkboxes', label: 'Who approved the ending?', hint: 'Both must be satisfied the person no longer needs aftercare (s117(2))', options: options(approvers), optional: true },
    { name: 'reasons', kind: 'checkboxes', label: 'Reasons', options: options(endReasons), optional: true },
    { name: 'personInvolved', kind: 'yes-no', label: 'Was the person involved in the decision?' },
    { name: 'legalOverride', kind: 'yes-no', label: 'Is there legal sign-off to end aftercare while conditionally discharged?', hint: 'Answer no unless the person is conditionally discharged' },
  ],
  'dispute-opened': [dateField, { name: 'kind', kind: 'radios', label: 'What is the dispute about?', options: options(disputeKinds) }],
  'dispute-resolved': [dateField],
  died: [dateField],
};

/** The events the generic form records: not those that belong to a workflow (workflow-authority.ts). */
export const formEventTypes: readonly EventType[] = eventTypes.filter((t) => !workflowOnly(t));

/** Where an event that belongs to a workflow is recorded instead. */
export function workflowPage(personId: string, type: string): string {
  return workflowOnly(type)?.workflow === 'endings' ? `/people/${personId}/endings` : `/people/${personId}`;
}

export function isEventType(value: string): value is EventType {
  return (eventTypes as readonly string[]).includes(value);
}

/** The form's answers as a contract event (validation is the contract schema's job) plus the hospital. */
export function eventFromForm(type: EventType, body: FormBody): { event: Record<string, unknown>; hospital: string | null } {
  const event: Record<string, unknown> = { type };
  let hospital: string | null = null;
  for (const field of eventFields[type]) {
    if (field.kind === 'date') {
      event.date = dateFromParts(body, field.name);
      continue;
    }
    if (field.name === 'hospital') {
      hospital = asString(body.hospital).trim() || null;
      continue;
    }
    if (field.kind === 'organisation') {
      const v = asString(body[field.name]).trim();
      if (v || !field.optional) event[field.name] = v;
    } else if (field.kind === 'checkboxes') event[field.name] = asArray(body[field.name]);
    else if (field.kind === 'yes-no') {
      const b = asBoolean(body[field.name]);
      if (b !== undefined) event[field.name] = b;
    } else {
      const v = asString(body[field.name]).trim();
      if (field.name === 'ordinaryResidence') event[field.name] = v.toLowerCase() === 'none' ? 'none' : v.toUpperCase();
      else if (v || !field.optional) event[field.name] = field.kind === 'text' ? v.toUpperCase() : v;
    }
  }
  return { event, hospital };
}

/** What a person reads about an event in the timeline and on the check answers page. */
export function describeEvent(type: string, payload: Record<string, unknown>, hospital: string | null, nameOf: (code: string) => string | null = () => null): string {
  const parts: string[] = [];
  const body = (code: unknown) => organisationLabel(String(code), nameOf);
  if (typeof payload.legalStatusCode === 'string') {
    const entry = lookupLegalStatusCode(payload.legalStatusCode);
    parts.push(entry ? `${entry.label} (code ${entry.code})` : `Legal status ${payload.legalStatusCode}`);
  }
  if (hospital) parts.push(`at ${hospital}`);
  if (typeof payload.reason === 'string') parts.push(labelFor(payload.reason));
  if (typeof payload.kind === 'string') parts.push(labelFor(payload.kind));
  if (typeof payload.ordinaryResidence === 'string') parts.push(payload.ordinaryResidence === 'none' ? 'no ordinary residence' : `ordinarily resident in the area of ${body(payload.ordinaryResidence)}`);
  if (typeof payload.icbOfGpRegistration === 'string') parts.push(`GP registered with ${body(payload.icbOfGpRegistration)}`);
  if (typeof payload.dischargedToLocalAuthority === 'string') parts.push(`discharged to ${body(payload.dischargedToLocalAuthority)}`);
  if (typeof payload.ceasedToBeDetainedFinding === 'boolean') parts.push(payload.ceasedToBeDetainedFinding ? 'found to have ceased to be detained and left hospital' : 'no finding that they ceased to be detained');
  if (Array.isArray(payload.approvedBy)) parts.push(`approved by ${payload.approvedBy.length ? payload.approvedBy.map((a) => labelFor(String(a)).toLowerCase()).join(' and ') : 'nobody'}`);
  if (Array.isArray(payload.reasons) && payload.reasons.length) parts.push(`reasons: ${payload.reasons.map((r) => labelFor(String(r)).toLowerCase()).join(', ')}`);
  if (typeof payload.personInvolved === 'boolean') parts.push(payload.personInvolved ? 'the person was involved' : 'the person was not involved');
  return parts.join('; ');
}

/** Rows for the check answers page, and hidden inputs to re-post the same answers. */
export function answersFor(
  fields: FieldSpec[],
  body: FormBody,
  nameOf: (code: string) => string | null = () => null,
): { rows: Array<{ key: string; value: string }>; hidden: Array<{ name: string; value: string }> } {
  const rows: Array<{ key: string; value: string }> = [];
  const hidden: Array<{ name: string; value: string }> = [];
  for (const field of fields) {
    if (field.kind === 'date') {
      for (const part of ['day', 'month', 'year']) hidden.push({ name: `${field.name}-${part}`, value: asString(body[`${field.name}-${part}`]) });
      const iso = dateFromParts(body, field.name);
      rows.push({ key: field.label, value: govukDate(iso) });
      continue;
    }
    const values = field.kind === 'checkboxes' ? asArray(body[field.name]) : [asString(body[field.name])];
    for (const value of values) hidden.push({ name: field.name, value });
    const organisation = (v: string) => (!v ? 'Not given' : v === 'none' && field.noneOption ? field.noneOption : organisationLabel(v, nameOf));
    const shown =
      field.kind === 'organisation'
        ? organisation(values[0] ?? '')
        : field.kind === 'yes-no'
        ? asBoolean(body[field.name]) ? 'Yes' : 'No'
        : field.kind === 'select'
          ? (field.options?.find((o) => o.value === values[0])?.text ?? values[0] ?? '')
          : values.map((v) => (field.kind === 'text' ? v : labelFor(v))).join(', ') || 'Not given';
    rows.push({ key: field.label, value: shown });
  }
  return { rows, hidden };
}

/**
 * The answers to a form's organisation questions that are missing or not among the choices the
 * form offered (`accepts`), in plain words: checked before the contract's own (code-shaped) checks.
 */
export function organisationIssues(fields: FieldSpec[], body: FormBody, accepts: (kind: 'local-authority' | 'icb', code: string) => boolean): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of fields) {
    if (field.kind !== 'organisation' || !field.organisationKind) continue;
    const v = asString(body[field.name]).trim();
    if (!v) {
      if (!field.optional) issues.push({ path: field.name, message: field.message ?? `Select ${field.label.toLowerCase()}` });
      continue;
    }
    if (v === 'none' && field.noneOption) continue;
    if (!accepts(field.organisationKind, v)) issues.push({ path: field.name, message: field.message ?? `Select ${field.label.toLowerCase()} from the list` });
  }
  return issues;
}

// ---------------------------------------------------------------------------
// "Discharged and left hospital on the same day": one step, two legal events
// ---------------------------------------------------------------------------

/** Most discharges end the detention and the hospital stay on one day: one form records both. */
export const DISCHARGED_AND_LEFT = 'discharged-and-left-hospital';
export const dischargedAndLeftLabel = 'Discharged and left hospital on the same day';
export const dischargedAndLeftHint = 'Records both: the detention ended, and they left hospital, on the same date';

/** How a detention ends when they also leave hospital that day (not a regrading to informal, nor a death). */
const leavingReasons = ['discharged', 'cto', 'conditional-discharge', 'absolute-discharge', 'section-lapsed'] as const;

export const dischargedAndLeftFields: FieldSpec[] = [
  { ...dateField, label: 'Date they were discharged and left hospital' },
  { name: 'reason', kind: 'radios', label: 'How did the detention end?', options: options(leavingReasons) },
  dischargedToField,
];

/** The one-step discharge's own checks, in plain words: how the detention ended must be one that leaves hospital. */
export function dischargedAndLeftIssues(body: FormBody): Array<{ path: string; message: string }> {
  return (leavingReasons as readonly string[]).includes(asString(body.reason)) ? [] : [{ path: 'reason', message: 'Select how the detention ended' }];
}

/** The two contract events of the one-step discharge: the detention ended, then they left hospital. */
export function dischargedAndLeftEvents(body: FormBody): [Record<string, unknown>, Record<string, unknown>] {
  const date = dateFromParts(body, 'date');
  const reason = asString(body.reason);
  const to = asString(body.dischargedToLocalAuthority).trim();
  return [
    { type: 'detention-ended', date, reason },
    { type: 'left-hospital', date, ...(to ? { dischargedToLocalAuthority: to } : {}) },
  ];
}
