/**
 * docs/rules.md, generated from the catalogue, the contract schemas and the legal status code
 * table, so the document cannot drift from the code. `npm run docs:rules` writes it;
 * `npm run docs:rules -- --check` fails when it is out of date.
 */
import type { z } from 'zod';
import { legalStatusCodes } from '../legal-status-codes.ts';
import { rejectionRuleIds, ruleCatalogue, type Rule } from './catalogue.ts';
import {
  caseInputSchema,
  CONTRACT_VERSION,
  decisionSchema,
  episodeSchema,
  eventSchemas,
  eventTypes,
  flagCodes,
  flagMeanings,
  INVALID_CASE_TYPE,
  needSchema,
  parseCase,
  personSchema,
  policySchema,
  rejectionCodes,
  rejectionMeanings,
  type CaseInput,
  type Status,
} from './contract.ts';
import { evaluate } from './evaluate.ts';

export const RULES_DOC_PATH = 'docs/rules.md';

const statusMeanings: Readonly<Record<Status, string>> = {
  'not-entitled': 'No qualifying detention followed by discharge is recorded (or the person died before any entitlement started).',
  pending:
    'A qualifying detention has begun, but the person has not yet both ceased to be detained and left hospital. Responsible bodies are the prospective ones.',
  entitled: 'Entitled to section 117 aftercare: an episode is open.',
  ended: 'The last episode ended: lawfully ended by both bodies, or by death.',
  'manual-review':
    'The only relevant detention is under a status that may or may not qualify (codes 13, 14, 31, 32, 99): a person must decide.',
};

/** Plain descriptions of field values that a schema's type alone does not say. */
const stringValueHints: Readonly<Record<string, string>> = {
  asOf: '`YYYY-MM-DD`',
  date: '`YYYY-MM-DD`',
  dateOfBirth: '`YYYY-MM-DD`',
  mha2025s45CommencedOn: '`YYYY-MM-DD` or `null` (default `null`)',
  legalStatusCode: 'a code from [Legal status codes](#legal-status-codes), as text, e.g. `"03"`',
  ordinaryResidence: 'local authority ONS code, e.g. `"E06000030"`, or `"none"`',
  icbOfGpRegistration: 'ICB ONS code, e.g. `"E54000040"`',
  dischargedToLocalAuthority: 'local authority ONS code',
  id: 'text, unique within the case',
};

type AnySchema = z.ZodType & { def: Record<string, unknown> & { type: string }; description?: string };

function describeValues(name: string, schema: AnySchema): string {
  const def = schema.def;
  const type: string = def.type;
  switch (type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return describeValues(name, def['innerType'] as AnySchema);
    case 'boolean':
      return '`true` or `false`';
    case 'number':
      return 'whole number';
    case 'enum':
      return (schema as unknown as { options: string[] }).options.map((o) => `\`"${o}"\``).join(', ');
    case 'literal':
      return (def['values'] as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(', ');
    case 'array':
      return `list of ${describeValues(name, def['element'] as AnySchema)}`;
    case 'union':
      return 'events (see [Events](#events))';
    case 'object':
      return name === 'needs' ? 'needs (see [Needs](#needs))' : `object (see \`${name}\`)`;
    case 'string': {
      const hint = stringValueHints[name];
      if (!hint) throw new Error(`rules-doc: no value description for the text field "${name}"`);
      return hint;
    }
    default:
      throw new Error(`rules-doc: cannot describe field "${name}" of type ${def.type}`);
  }
}

function isOptional(schema: AnySchema): boolean {
  return ['optional', 'default', 'prefault'].includes(schema.def.type);
}

function fieldTable(shape: Record<string, unknown>, options: { skip?: string[] } = {}): string[] {
  const lines = ['| Field | Required | Values | Meaning |', '|---|---|---|---|'];
  for (const [name, value] of Object.entries(shape)) {
    if (options.skip?.includes(name)) continue;
    const schema = value as AnySchema;
    const meaning = schema.description;
    if (!meaning) throw new Error(`rules-doc: field "${name}" has no description in the contract`);
    lines.push(`| \`${name}\` | ${isOptional(schema) ? 'no' : 'yes'} | ${describeValues(name, schema)} | ${escapeCell(meaning)} |`);
  }
  return lines;
}

function outputTable(shape: Record<string, unknown>): string[] {
  const lines = ['| Field | Meaning |', '|---|---|'];
  for (const [name, value] of Object.entries(shape)) {
    const meaning = (value as AnySchema).description;
    if (!meaning) throw new Error(`rules-doc: output field "${name}" has no description in the contract`);
    lines.push(`| \`${name}\` | ${escapeCell(meaning)} |`);
  }
  return lines;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function rulesRaising(flag: string): string {
  return ruleCatalogue
    .filter((r) => 'flag' in r && r.flag === flag)
    .map((r) => `[${r.id}](#${anchor(r)})`)
    .join(', ');
}

function anchor(rule: Rule): string {
  return `${rule.id}-${rule.title}`
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

/** The worked example: section 2 then section 3, discharged; one rejected ending. */
export const exampleCase: CaseInput = {
  asOf: '2025-06-01',
  events: [
    { type: 'detention-started', date: '2025-01-10', legalStatusCode: '02', ordinaryResidence: 'E06000030', icbOfGpRegistration: 'E54000040' },
    { type: 'detention-started', date: '2025-02-05', legalStatusCode: '03', ordinaryResidence: 'E06000030', icbOfGpRegistration: 'E54000040' },
    { type: 'detention-ended', date: '2025-05-01', reason: 'discharged' },
    { type: 'left-hospital', date: '2025-05-01' },
    {
      type: 'aftercare-ended',
      date: '2025-05-20',
      approvedBy: ['local-authority'],
      reasons: ['discharged-from-specialist-services'],
      personInvolved: true,
      legalOverride: false,
    },
  ],
  needs: [{ id: 'n1', arisesFromMentalDisorder: true, reducesRiskOfDeterioration: true, accommodation: { enhancedSpecialised: false } }],
};

function exampleDecision(): string {
  const parsed = parseCase(exampleCase);
  if (!parsed.ok) throw new Error(`rules-doc: the example case is invalid: ${parsed.problem.detail}`);
  return JSON.stringify(evaluate(parsed.value), null, 2);
}

function exampleProblem(): string {
  const parsed = parseCase({
    asOf: '2025-02-30',
    events: [
      { type: 'detention-started', date: '2025-03-01', legalStatusCode: '21', ordinaryResidence: 'E06000030', icbOfGpRegistration: 'E54000040' },
      { type: 'transferred', date: '2025-03-02' },
    ],
  });
  if (parsed.ok) throw new Error('rules-doc: the example problem is valid');
  return JSON.stringify(parsed.problem, null, 2);
}

export function renderRulesDoc(): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  push(
    '<!-- Generated by `npm run docs:rules` from src/domain/rules/catalogue.ts, src/domain/rules/contract.ts and src/domain/legal-status-codes.ts. Do not edit: CI runs `npm run docs:rules -- --check`. -->',
    '',
    '# Section 117 rules engine',
    '',
    'The rules engine turns a person\'s legal history into a decision: whether they are entitled to section 117 aftercare, since when, which local authority and which ICB are responsible, when the next review is due, whether a proposed ending is lawful, and which needs are section 117 needs. Every decision carries its reasons, each citing a rule below and the law it rests on. Where the law is unsettled the engine raises a flag for a person to decide instead of guessing.',
    '',
    'The engine is pure and deterministic: the decision depends only on the case sent, including its `asOf` date. It is not legal advice; each rule’s research note says where its source is commentary or a point was not verified against a primary source (notes are for developers: staff see the sources only).',
    '',
    '- [Using the engine](#using-the-engine)',
    `- [Contract version ${CONTRACT_VERSION}](#contract-version-${CONTRACT_VERSION})`,
    `- [Rules](#rules) (${ruleCatalogue.length})`,
    '- [Legal status codes](#legal-status-codes)',
    '',
    '## Using the engine',
    '',
    '### Command line',
    '',
    '```sh',
    'npx aftercare rules evaluate case.json      # a file',
    'npx aftercare rules evaluate - < case.json  # standard input',
    '```',
    '',
    'Prints the decision as JSON and exits 0. If the case is not valid it prints the problem (below) as JSON on standard output and exits 2. A missing argument prints the usage and exits 2.',
    '',
    '### API',
    '',
    '```http',
    'POST /api/v1/rules/evaluate',
    'Authorization: Bearer <API token>        (or a signed-in session)',
    'Content-Type: application/json',
    '',
    '{ "asOf": "2025-06-01", "events": [ … ] }',
    '```',
    '',
    '- `200 application/json`: the decision.',
    '- `422 application/problem+json`: the case is not valid (malformed JSON included); the problem lists each error with its field path.',
    '',
    'The API and the command line run the same engine and return identical decisions for the same input. The request and response schemas are in the OpenAPI document.',
    '',
    `## Contract version ${CONTRACT_VERSION}`,
    '',
    `This contract is stable: it changes only by adding a new version. Objects are strict: a field that is not listed here is an error, so a misspelt field is reported rather than ignored. Dates are calendar dates written \`YYYY-MM-DD\` between 1900 and 2199; impossible dates such as \`2025-02-30\` are rejected.`,
    '',
    '### Input',
    '',
    ...fieldTable(caseInputSchema.shape),
    '',
    '`person`:',
    '',
    ...fieldTable(personSchema.shape),
    '',
    '`policy`:',
    '',
    ...fieldTable(policySchema.shape),
    '',
    '### Events',
    '',
    'Every event has `type` and `date`. Events may be sent in any order; the engine replays them in date order, and events on the same date in the order listed. Events dated after `asOf` are ignored. The history must be possible: a detention ends only after it starts and while it is in progress, a person leaves hospital only after being admitted, a CTO, conditional discharge or informal regrading follows only a detention in hospital, CTOs and conditional discharges end only while in force, a dispute is resolved only while one is open, and nothing follows death. Each breach is an error at `events[i].date` (or `events[i].reason`).',
    '',
  );
  for (const type of eventTypes) {
    const schema = eventSchemas[type];
    push(`#### \`${type}\``, '', schema.description ?? '', '');
    const fields = Object.keys(schema.shape).filter((name) => name !== 'type' && name !== 'date');
    if (fields.length === 0) push('No other fields.', '');
    else push(...fieldTable(schema.shape, { skip: ['type', 'date'] }), '');
  }
  push(
    '### Needs',
    '',
    ...fieldTable(needSchema.shape),
    '',
    '### Output',
    '',
    ...outputTable(decisionSchema.shape),
    '',
    'Each episode:',
    '',
    ...outputTable(episodeSchema.shape),
    '',
    'Each reason is `{ "rule", "text", "source" }`: the rule id below, what it decided, and its source.',
    '',
    '#### Status',
    '',
    '| Status | Meaning |',
    '|---|---|',
    ...(Object.entries(statusMeanings) as [Status, string][]).map(([status, meaning]) => `| \`${status}\` | ${meaning} |`),
    '',
    '#### Flags',
    '',
    'A flag is a question the engine cannot settle; each creates work for a person.',
    '',
    '| Flag | Meaning | Rules |',
    '|---|---|---|',
    ...flagCodes.map((flag) => `| \`${flag}\` | ${flagMeanings[flag]} | ${rulesRaising(flag)} |`),
    '',
    '#### Rejection codes',
    '',
    'An `aftercare-ended` event that the rules do not allow is listed in `rejectedEvents` (one entry for each failed check) and changes nothing.',
    '',
    '| Code | Meaning | Rule |',
    '|---|---|---|',
    ...rejectionCodes.map((code) => {
      const rule = ruleCatalogue.find((r) => r.id === rejectionRuleIds[code])!;
      return `| \`${code}\` | ${rejectionMeanings[code]} | [${rule.id}](#${anchor(rule)}) |`;
    }),
    '',
    '### Problems',
    '',
    `An invalid case gets an RFC 9457 problem with \`type\` \`${INVALID_CASE_TYPE}\`, \`status\` 422, a \`detail\` and one entry in \`errors\` for each problem: its \`path\` (for example \`events[2].date\`; \`""\` for the whole body, such as malformed JSON) and a \`message\` saying what was expected. For example:`,
    '',
    '```json',
    exampleProblem(),
    '```',
    '',
    '### Example',
    '',
    'A section 2 that became a section 3, discharged on 1 May 2025, and an ending that was not lawful:',
    '',
    '```json',
    JSON.stringify(exampleCase, null, 2),
    '```',
    '',
    'Decision:',
    '',
    '```json',
    exampleDecision(),
    '```',
    '',
    '## Rules',
    '',
    'R1–R30 keep the numbering of the domain brief; R31 onwards are rules the engine needs that the brief states elsewhere. Rules R20, R22, R23, R26, R29 and R30 concern plans and money, which contract version 1 does not carry: they are pure functions for the plan and funding screens (`checkServiceCharge`, `topUpAmount`, `phbRequestDecision`, `checkFundingSplit`, `checkPlanItem`, `s45FieldsActive`). R42 onwards are rules for plans and money outside the contract too: R42–R46 classify a plan\'s needs by domain and say what meets a need that is not section 117 (`classifyPlanNeed`), R47 gives an indicative personal budget (`indicativeBudget`) and R48 works out refunds of wrongful charges with interest (`calculateRefund`).',
    '',
  );
  for (const rule of ruleCatalogue) {
    push(`### ${rule.id} ${rule.title}`, '', rule.statement, '', `Source: ${rule.source}`, '', ...('note' in rule ? [`Research note (not shown to staff): ${rule.note}`, ''] : []));
    if ('unsettled' in rule && rule.unsettled) push(`**Unsettled law.** The engine raises the flag \`${rule.flag}\` for a person to decide.`, '');
    else if ('flag' in rule && rule.flag) push(`Raises the flag \`${rule.flag}\`.`, '');
  }
  push(
    '## Legal status codes',
    '',
    'NHS Data Dictionary "Mental Health Act Legal Status Classification Code" (England), snapshot 18/11/2021 (HL7 UK Core CodeSystem UKCore-LegalStatusClassificationEngland). Code 11 is absent (retired). Re-check the live Data Dictionary before go-live.',
    '',
    '| Code | Label | Section 117 |',
    '|---|---|---|',
    ...legalStatusCodes.map((entry) => `| \`${entry.code}\` | ${entry.label} | ${entry.classification} |`),
    '',
    'Sources:',
    '',
  );
  const bySource = new Map<string, string[]>();
  for (const entry of legalStatusCodes) bySource.set(entry.source, [...(bySource.get(entry.source) ?? []), entry.code]);
  for (const [source, codes] of bySource) push(`- ${codes.join(', ')}: ${source}`);
  push('');
  return out.join('\n');
}
