/**
 * The rules-engine contract, version 1 (issue 3): what integrators send and what they get back.
 *
 * This contract is public (CLI, `POST /api/v1/rules/evaluate`, EPR and MHA office integrations).
 * Change it only by adding a new version. Input objects are strict: unknown fields are errors,
 * so a misspelt field is reported rather than silently ignored.
 *
 * Every validation message is written for a person fixing the data: it says what was expected.
 */
import { z } from 'zod';
import { isInSupportedRange, isRealDate, EARLIEST_DATE, LATEST_DATE } from '../calendar-date.ts';
import { isKnownLegalStatusCode, knownLegalStatusCodes } from '../legal-status-codes.ts';
import { checkCaseSemantics } from './history.ts';

export const CONTRACT_VERSION = 1;

// ---------------------------------------------------------------------------
// Vocabulary (enumerations are part of the contract)
// ---------------------------------------------------------------------------

export const eventTypes = [
  'detention-started',
  'detention-ended',
  'left-hospital',
  'admitted-informally',
  's17-leave-started',
  'cto-ended',
  'recalled',
  'conditional-discharge-ended',
  'reviewed',
  'aftercare-ended',
  'dispute-opened',
  'dispute-resolved',
  'died',
] as const;
export type EventType = (typeof eventTypes)[number];

export const detentionEndReasons = [
  'discharged',
  'regraded-informal',
  'cto',
  'conditional-discharge',
  'absolute-discharge',
  'section-lapsed',
  'died',
] as const;
export const ctoEndReasons = ['discharged', 'expired', 'revoked'] as const;
export const conditionalDischargeEndReasons = ['absolute-discharge', 'recalled'] as const;
export const endReasons = [
  'no-longer-in-need',
  'discharged-from-specialist-services',
  'time-elapsed',
  'readmitted',
  'cto-ended',
  'refuses-services',
  'doing-well',
  'moved-area',
] as const;
export type EndReason = (typeof endReasons)[number];
export const approvers = ['local-authority', 'icb'] as const;
export type Approver = (typeof approvers)[number];
export const disputeKinds = ['ordinary-residence', 'funding'] as const;

export const statuses = ['not-entitled', 'pending', 'entitled', 'ended', 'manual-review'] as const;
export type Status = (typeof statuses)[number];
export const episodeEndReasons = ['superseded', 'ended', 'died'] as const;
export type EpisodeEndReason = (typeof episodeEndReasons)[number];

export const flagCodes = [
  'legal-status-needs-review',
  's17-leave-determination-needed',
  'ordinary-residence-ambiguous',
  'responsibility-unresolved',
  'conditionally-discharged',
  'icb-rule-pre-2022',
  'review-overdue',
  'no-ordinary-residence',
  'sos-referral-due',
] as const;
export type Flag = (typeof flagCodes)[number];

export const rejectionCodes = [
  'ending-while-cto',
  'ending-needs-both-approvals',
  'ending-reason-not-lawful',
  'ending-person-not-involved',
  'ending-conditional-discharge-needs-override',
  'ending-not-entitled',
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

/** The end-reason codes in words, for sentences the engine writes ("time has passed"). */
export const endReasonPhrases: Readonly<Record<EndReason, string>> = {
  'no-longer-in-need': 'no longer in need of aftercare services',
  'discharged-from-specialist-services': 'discharged from specialist services',
  'time-elapsed': 'time has passed',
  readmitted: 'readmitted informally or under section 2',
  'cto-ended': 'the CTO ended',
  'refuses-services': 'refuses services',
  'doing-well': 'doing well',
  'moved-area': 'moved area',
};

/** How an entitlement ended, in words ("ended (superseded by a new detention)"). */
export const episodeEndPhrases: Readonly<Record<EpisodeEndReason, string>> = {
  superseded: 'superseded by a new qualifying detention',
  ended: 'by a joint decision of the local authority and the ICB',
  died: 'the person died',
};

/** The kinds of dispute in words ("an ordinary residence dispute"). */
export const disputeKindPhrases: Readonly<Record<(typeof disputeKinds)[number], string>> = {
  'ordinary-residence': 'ordinary residence',
  funding: 'funding',
};

/** What each flag asks a person to decide. */
export const flagMeanings: Readonly<Record<Flag, string>> = {
  'legal-status-needs-review':
    'A legal status that may or may not give a right to aftercare (codes 13, 14, 31, 32, 99): someone with legal knowledge must decide.',
  's17-leave-determination-needed':
    'The person is on section 17 leave and nobody has recorded whether they have, in fact, ceased to be detained and left hospital.',
  'ordinary-residence-ambiguous':
    'The detention began under a non-qualifying section (for example s2, then s3): ordinary residence could be taken at either date. Both are recorded.',
  'responsibility-unresolved':
    'A recall or a revoked CTO: the law has not settled whether this changes the responsible local authority.',
  'conditionally-discharged':
    'The person is conditionally discharged: ending aftercare needs legal sign-off (a legal override).',
  'icb-rule-pre-2022':
    'The relevant application was made before 1 July 2022: earlier NHS responsibility rules may apply, so check the ICB.',
  'review-overdue': 'The date the next review was due has passed.',
  'no-ordinary-residence':
    'No ordinary residence in England or Wales: the responsible authority is the one the person was discharged to, or is unknown until discharge.',
  'sos-referral-due':
    'An ordinary residence dispute has been open for 4 months or more: refer it to the Secretary of State.',
};

/** What each rejection code means. */
export const rejectionMeanings: Readonly<Record<RejectionCode, string>> = {
  'ending-while-cto': 'Aftercare cannot end while the person is on a community treatment order.',
  'ending-needs-both-approvals': 'Both the local authority and the ICB must approve the ending.',
  'ending-reason-not-lawful': 'The reasons must include that the person is no longer in need of aftercare services.',
  'ending-person-not-involved': 'The person must be involved in the decision to end their aftercare.',
  'ending-conditional-discharge-needs-override':
    'The person is conditionally discharged: the ending needs a recorded legal override.',
  'ending-not-entitled': 'There is no current entitlement to end.',
};

// ---------------------------------------------------------------------------
// Field schemas with plain-English messages
// ---------------------------------------------------------------------------

type RawIssue = { input?: unknown };

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A message for a missing or wrongly typed value: "Enter the X: …" or "The X must be …". */
function expected(label: string, what: string) {
  return (issue: RawIssue) =>
    issue.input === undefined ? `Enter ${label}: ${what}` : `${capitalise(label)} must be ${what}`;
}

function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `"${v}"`).join(', ')}`;
}

const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function dateField(label: string) {
  return z
    .string({ error: expected(label, 'a date written YYYY-MM-DD, for example "2025-03-01"') })
    .regex(ISO_DATE_PATTERN, {
      error: `${capitalise(label)} must be written YYYY-MM-DD, for example "2025-03-01"`,
      abort: true,
    })
    .refine(isRealDate, {
      error: (issue) => `${capitalise(label)} must be a real date: ${String(issue.input)} does not exist`,
      abort: true,
    })
    .refine(isInSupportedRange, {
      error: `${capitalise(label)} must be between ${EARLIEST_DATE} and ${LATEST_DATE}`,
    });
}

function booleanField(label: string) {
  return z.boolean({ error: expected(label, 'true or false') });
}

function enumField<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: expected(label, oneOf(values)) });
}

/** English and Welsh local authorities: 9-character ONS (GSS) codes, E… or W… */
const LOCAL_AUTHORITY_CODE = /^[EW]\d{8}$/;
/** ICBs (E54…) and, for Wales, local health boards (W11…). */
const ICB_CODE = /^(E54|W11)\d{6}$/;

const localAuthorityCode = (label: string) =>
  z
    .string({ error: expected(label, 'the local authority\'s 9-character ONS code, for example "E06000030"') })
    .regex(LOCAL_AUTHORITY_CODE, {
      error: `${capitalise(label)} must be an English or Welsh local authority's 9-character ONS code, for example "E06000030"`,
    });

const ordinaryResidenceField = z
  .string({
    error: expected(
      'the ordinary residence',
      'the local authority\'s 9-character ONS code, for example "E06000030", or "none"',
    ),
  })
  .refine((value) => value === 'none' || LOCAL_AUTHORITY_CODE.test(value), {
    error:
      'The ordinary residence must be an English or Welsh local authority\'s 9-character ONS code, for example "E06000030", or "none" if the person had no ordinary residence in England or Wales',
   })
  .meta({ pattern: '^([EW]\\d{8}|none)$' });

const icbField = z
  .string({ error: expected('the ICB of GP registration', 'the ICB\'s 9-character ONS code, for example "E54000040"') })
  .regex(ICB_CODE, {
    error:
      'The ICB of GP registration must be an ICB\'s 9-character ONS code starting E54, for example "E54000040" (or a Welsh local health board code starting W11)',
  });

const legalStatusCodeField = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'Enter the legal status code: a two-digit NHS Data Dictionary code in quotes, for example "03"'
        : 'The legal status code must be text in quotes, for example "03" (a number loses its leading zero)',
  })
  .refine(isKnownLegalStatusCode, {
    error: (issue) =>
      `"${String(issue.input)}" is not a known legal status code. Use an NHS Data Dictionary Mental Health Act legal status code: ${knownLegalStatusCodes.join(', ')}`,
   })
  .meta({ enum: [...knownLegalStatusCodes] });

const eventDate = dateField('the event date').describe('The date of the event, YYYY-MM-DD.');

function eventSchema<const T extends EventType, S extends z.ZodRawShape>(type: T, description: string, shape: S) {
  return z
    .strictObject({
      type: z.literal(type),
      date: eventDate,
      ...shape,
    })
    .describe(description);
}

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

export const eventSchemas = {
  'detention-started': eventSchema(
    'detention-started',
    'The person became subject to a legal status (usually detained under a section). A new section while already detained is a change of section within one unbroken detention (for example s2 then s3).',
    {
      legalStatusCode: legalStatusCodeField.describe(
        'NHS Data Dictionary Mental Health Act legal status classification code, for example "03" for section 3.',
      ),
      ordinaryResidence: ordinaryResidenceField.describe(
        'The local authority (ONS code) where the person was ordinarily resident immediately before this detention, or "none".',
      ),
      icbOfGpRegistration: icbField.describe(
        'The ICB (ONS code) of the person\'s GP registration when the application was made.',
      ),
    },
  ),
  'detention-ended': eventSchema('detention-ended', 'The person ceased to be detained (or their legal status ended).', {
    reason: enumField('the reason', detentionEndReasons).describe(
      'How the detention ended: a community treatment order (cto) or conditional discharge keeps entitlement; regraded-informal means they stay in hospital informally.',
    ),
  }),
  'left-hospital': eventSchema('left-hospital', 'The person left hospital.', {
    dischargedToLocalAuthority: localAuthorityCode('the local authority discharged to')
      .optional()
      .describe('Optional: the local authority (ONS code) of the place the person was discharged to.'),
  }),
  'admitted-informally': eventSchema(
    'admitted-informally',
    'The person was admitted to hospital informally (not detained).',
    {},
  ),
  's17-leave-started': eventSchema('s17-leave-started', 'The person began section 17 leave of absence while detained.', {
    ceasedToBeDetainedFinding: booleanField('the ceased-to-be-detained finding').describe(
      'true only if a determination has been recorded that, on this leave, the person has in fact ceased to be detained and left hospital.',
    ),
  }),
  'cto-ended': eventSchema('cto-ended', 'The community treatment order ended.', {
    reason: enumField('the reason', ctoEndReasons).describe('How the CTO ended; "revoked" means detained in hospital again.'),
  }),
  recalled: eventSchema(
    'recalled',
    'The person was recalled to hospital from a community treatment order or from conditional discharge.',
    {},
  ),
  'conditional-discharge-ended': eventSchema('conditional-discharge-ended', 'The conditional discharge ended.', {
    reason: enumField('the reason', conditionalDischargeEndReasons).describe(
      'absolute-discharge, or recalled to hospital.',
    ),
  }),
  reviewed: eventSchema('reviewed', 'The aftercare plan and entitlement were reviewed.', {}),
  'aftercare-ended': eventSchema('aftercare-ended', 'A decision to end section 117 aftercare.', {
    approvedBy: z
      .array(enumField('each approver', approvers), {
        error: expected('the approvals', `a list of the bodies that approved the ending, each ${oneOf(approvers)}`),
      })
      .describe('The bodies that approved the ending: both "local-authority" and "icb" are needed.'),
    reasons: z
      .array(enumField('each reason', endReasons), {
        error: expected('the reasons', `a list of reasons for ending, each ${oneOf(endReasons)}`),
      })
      .describe('Why aftercare is to end: must include "no-longer-in-need".'),
    personInvolved: booleanField('whether the person was involved').describe(
      'Whether the person was involved in the decision.',
    ),
    legalOverride: booleanField('the legal override').describe(
      'Legal sign-off to end aftercare while the person is conditionally discharged.',
    ),
  }),
  'dispute-opened': eventSchema('dispute-opened', 'A dispute about responsibility began (the date it arose).', {
    kind: enumField('the kind of dispute', disputeKinds).describe(
      'ordinary-residence (between local authorities) or funding (between the local authority and the ICB).',
    ),
  }),
  'dispute-resolved': eventSchema(
    'dispute-resolved',
    'The earliest-opened dispute that is still open was resolved.',
    {},
  ),
  died: eventSchema('died', 'The person died.', {}),
} as const;

const eventOptions = Object.values(eventSchemas) as unknown as [
  (typeof eventSchemas)[EventType],
  ...(typeof eventSchemas)[EventType][],
];

export const legalEventSchema = z.discriminatedUnion('type', eventOptions, {
  error: (issue) => {
    const input = issue.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return 'Each event must be an object with a "type" and a "date", for example {"type": "reviewed", "date": "2025-03-01"}';
    }
    const type = (input as { type?: unknown }).type;
    if (type === undefined) return `Enter the event type: ${oneOf(eventTypes)}`;
    return `${JSON.stringify(type)} is not a known event type. Use ${oneOf(eventTypes)}`;
  },
});

// ---------------------------------------------------------------------------
// Needs, person, policy, case
// ---------------------------------------------------------------------------

export const needSchema = z
  .strictObject({
    id: z
      .string({ error: expected('the need id', 'text that identifies the need, for example "n1"') })
      .min(1, { error: 'The need id must not be empty' })
      .max(100, { error: 'The need id must be 100 characters or fewer' })
      .describe('Your identifier for the need; it is returned with its classification.'),
    arisesFromMentalDisorder: booleanField('whether the need arises from mental disorder').describe(
      'Section 117(6)(a): the need arises from or relates to the person\'s mental disorder.',
    ),
    reducesRiskOfDeterioration: booleanField('whether meeting the need reduces the risk of deterioration').describe(
      'Section 117(6)(b): meeting it reduces the risk of the person\'s mental condition deteriorating (and of readmission).',
    ),
    accommodation: z
      .strictObject(
        {
          enhancedSpecialised: booleanField('whether the accommodation is enhanced or specialised').describe(
            'The accommodation has enhanced or specialised features because of the person\'s mental disorder ("accommodation-plus").',
          ),
        },
        { error: expected('the accommodation', 'an object like {"enhancedSpecialised": false}') },
      )
      .optional()
      .describe('Only for a need for accommodation.'),
  })
  .describe('An assessed need to classify as section 117 or not.');

export const policySchema = z
  .strictObject({
    firstReviewWeeks: z
      .int({ error: expected('the first review offset', 'a whole number of weeks from 1 to 52') })
      .min(1, { error: 'The first review offset must be a whole number of weeks from 1 to 52' })
      .max(52, { error: 'The first review offset must be a whole number of weeks from 1 to 52' })
      .default(6)
      .describe('Weeks from the start of entitlement to the first review (default 6).'),
    reviewIntervalMonths: z
      .int({ error: expected('the review interval', 'a whole number of months from 1 to 12') })
      .min(1, { error: 'The review interval must be a whole number of months from 1 to 12' })
      .max(12, { error: 'The review interval must be a whole number of months from 1 to 12: reviews are due at least every 12 months' })
      .default(12)
      .describe('Months from one review to the next (default 12, at most 12).'),
    mha2025s45CommencedOn: dateField('the MHA 2025 section 45 commencement date')
      .nullable()
      .default(null)
      .describe('The date Mental Health Act 2025 section 45 came into force, or null while it has not (default).'),
  })
  .describe('Local review policy and commencement dates; every field is optional.');

export const personSchema = z
  .strictObject({
    dateOfBirth: dateField('the date of birth').describe('The person\'s date of birth, YYYY-MM-DD.'),
  })
  .describe('Optional details of the person.');

export const MAX_EVENTS = 10_000;
export const MAX_NEEDS = 1_000;

export const caseInputSchema = z
  .strictObject(
    {
      asOf: dateField('the asOf date').describe('The date the decision is made for. Events after it are ignored.'),
      person: personSchema.optional().describe('Optional: details of the person (date of birth).'),
      policy: policySchema
        .prefault({})
        .describe('Optional: local review policy and commencement dates; each field has a default.'),
      events: z
        .array(legalEventSchema, { error: expected('the events', 'a list of events (it may be empty)') })
        .max(MAX_EVENTS, { error: `A case can have at most ${MAX_EVENTS.toLocaleString('en-GB')} events` })
        .describe('The person\'s legal history in any order; events on the same date keep their listed order.'),
      needs: z
        .array(needSchema, { error: expected('the needs', 'a list of needs') })
        .max(MAX_NEEDS, { error: `A case can have at most ${MAX_NEEDS.toLocaleString('en-GB')} needs` })
        .default([])
        .describe('Optional: assessed needs to classify.'),
    },
    { error: 'The case must be a JSON object with "asOf" and "events"' },
  )
  .describe('Section 117 rules-engine input, contract version 1.');

export type CaseInput = z.input<typeof caseInputSchema>;
export type ParsedCase = z.output<typeof caseInputSchema>;
export type LegalEvent = z.output<typeof legalEventSchema>;
export type LegalEventOf<T extends EventType> = Extract<LegalEvent, { type: T }>;
export type Need = z.output<typeof needSchema>;
export type Policy = z.output<typeof policySchema>;

declare const validCase: unique symbol;
/** A case that has passed `parseCase`: well formed and its history in a possible order. */
export type Case = ParsedCase & { readonly [validCase]: true };

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

const isoDateOut = z.string().describe('YYYY-MM-DD');

export const reasonSchema = z.object({
  rule: z.string().describe('Rule id in the catalogue, for example "R5".'),
  text: z.string().describe('What the rule decided here, in plain English.'),
  source: z.string().describe('The law or guidance the rule rests on.'),
});

export const episodeSchema = z.object({
  start: isoDateOut.describe('The day the person had both ceased to be detained and left hospital.'),
  end: isoDateOut.nullable().describe('The day the episode ended, or null while it continues.'),
  endReason: z
    .enum(episodeEndReasons)
    .nullable()
    .describe('superseded (a new qualifying detention), ended (a lawful ending), died, or null while it continues.'),
  qualifyingLegalStatusCode: z.string().describe('The legal status code that made the detention qualifying.'),
  responsibleLocalAuthority: z.string().nullable().describe('The responsible local authority (ONS code), or null if unknown.'),
  responsibleIcb: z.string().nullable().describe('The responsible ICB (ONS code).'),
});

export const rejectedEventSchema = z.object({
  eventIndex: z.int().describe('Position of the event in the input "events" list (from 0).'),
  code: z.enum(rejectionCodes).describe('Why the event was rejected.'),
  message: z.string().describe('The same, in plain English, with the dates concerned.'),
});

export const needDecisionSchema = z.object({
  id: z.string().describe('The need id given in the input.'),
  s117: z.boolean().describe('Whether the need is a section 117 need.'),
  reasons: z.array(reasonSchema).describe('Each test applied, with its rule and source.'),
});

export const decisionSchema = z
  .object({
    status: z.enum(statuses).describe('The person\'s section 117 status on the asOf date.'),
    entitlementStart: isoDateOut.nullable().describe('Start of the current or last episode, or null if there is none.'),
    responsibleLocalAuthority: z
      .string()
      .nullable()
      .describe('The responsible local authority (ONS code). For "pending" and "manual-review": the prospective one. For "ended": the last episode\'s.'),
    responsibleIcb: z
      .string()
      .nullable()
      .describe('The responsible ICB (ONS code), on the same basis as the local authority.'),
    episodes: z.array(episodeSchema).describe('Every entitlement episode, oldest first.'),
    nextReviewDue: isoDateOut.nullable().describe('When the next review is due, while entitled; otherwise null.'),
    flags: z.array(z.enum(flagCodes)).describe('Questions for a person to decide, in contract order.'),
    rejectedEvents: z.array(rejectedEventSchema).describe('Events the rules refused (endings that were not lawful), in date order.'),
    needs: z.array(needDecisionSchema).describe('Each need of the input, classified.'),
    reasons: z.array(reasonSchema).describe('How the decision was reached: dated steps, then the position on asOf.'),
  })
  .describe('Section 117 rules-engine decision, contract version 1.');

export type Reason = z.infer<typeof reasonSchema>;
export type Episode = z.infer<typeof episodeSchema>;
export type RejectedEvent = z.infer<typeof rejectedEventSchema>;
export type NeedDecision = z.infer<typeof needDecisionSchema>;
export type Decision = z.infer<typeof decisionSchema>;

// ---------------------------------------------------------------------------
// Problems (RFC 9457)
// ---------------------------------------------------------------------------

export interface FieldError {
  /** Where the problem is, for example "events[2].date"; "" for the whole body. */
  path: string;
  /** What is wrong and what was expected, in plain English. */
  message: string;
}

export interface Problem {
  type: 'https://aftercare.example/problems/invalid-case';
  title: 'The case is not valid';
  status: 422;
  detail: string;
  errors: FieldError[];
}

export type ParseResult = { ok: true; value: Case } | { ok: false; problem: Problem };

export const INVALID_CASE_TYPE = 'https://aftercare.example/problems/invalid-case';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Where an unknown field was found, for the message. */
function describeContainer(input: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the case';
  const container = valueAt(input, path);
  const head = path[0];
  if (head === 'events' && path.length === 2) {
    const type = (container as { type?: unknown } | undefined)?.type;
    return typeof type === 'string' ? `a "${type}" event` : 'an event';
  }
  if (head === 'needs') return path.length === 2 ? 'a need' : 'the accommodation of a need';
  return `"${formatPath(path)}"`;
}

function issueToErrors(issue: z.core.$ZodIssue, input: unknown): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    const where = describeContainer(input, issue.path);
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: `Remove "${key}": it is not a field of ${where} in version ${CONTRACT_VERSION} of the contract`,
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

export function invalidCaseProblem(errors: FieldError[]): Problem {
  const count = errors.length;
  const first = errors[0];
  const where = first ? (first.path === '' ? '' : ` at ${first.path}`) : '';
  const detail =
    count === 1
      ? `There is 1 problem with the case${where}: ${first?.message ?? ''}`
      : `There are ${count} problems with the case. The first${where}: ${first?.message ?? ''}`;
  return {
    type: INVALID_CASE_TYPE,
    title: 'The case is not valid',
    status: 422,
    detail,
    errors,
  };
}

/**
 * Validate a case: its shape and values (zod), then the order of its history
 * (`checkCaseSemantics`), so that `evaluate` only ever sees a history that could have happened.
 */
export function parseCase(input: unknown): ParseResult {
  const parsed = caseInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problem: invalidCaseProblem(parsed.error.issues.flatMap((i) => issueToErrors(i, input))) };
  }
  const semanticErrors = checkCaseSemantics(parsed.data);
  if (semanticErrors.length > 0) return { ok: false, problem: invalidCaseProblem(semanticErrors) };
  return { ok: true, value: parsed.data as Case };
}

/** Describe where JSON.parse stopped, as a line and column when the engine tells us the position. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return `${message.replace(/\s*\(line \d+ column \d+\)/, '')} at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `${message.replace(/\s*in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
  }
  return message;
}

/** Parse JSON text, then validate it as a case. Malformed JSON is reported at path "". */
export function parseCaseJson(text: string): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return {
      ok: false,
      problem: invalidCaseProblem([{ path: '', message: 'The body is empty: send the case as a JSON object' }]),
    };
  }
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      problem: invalidCaseProblem([
        {
          path: '',
          message: `The JSON is malformed: ${describeJsonError(body, error)}. Check for a missing comma, quote or bracket`,
        },
      ]),
    };
  }
  return parseCase(input);
}
