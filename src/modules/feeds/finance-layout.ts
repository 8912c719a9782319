/*
 * The daily finance file's layout (issue 14, item 5), version 1: the one definition the file is
 * written from, documented field by field in docs/finance-feed.md (a test checks the document's
 * table against this list) and checked row by row in the tests with the patterns below.
 * Columns never change order or name without a new layout version.
 */

export const FINANCE_LAYOUT_VERSION = '1';

export interface FinanceField {
  name: string;
  type: 'code' | 'text' | 'date' | 'integer' | 'decimal' | 'timestamp' | 'flag' | 'uuid';
  /** Blank allowed (say when in `description`). */
  optional: boolean;
  /** What every value (when not blank) matches. */
  pattern: RegExp;
  example: string;
  description: string;
}

const date = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const money = /^\d+\.\d{2}$/;
const percent = /^(100|\d{1,2})\.\d{2}$/;
const text = /^[^\r\n]*$/;

export const financeFields: readonly FinanceField[] = [
  { name: 'record_type', type: 'code', optional: false, pattern: /^(SERVICE|PERSON)$/, example: 'SERVICE', description: 'SERVICE: one service of the person’s approved aftercare plan. PERSON: a person with no service on an approved plan (one row for them).' },
  { name: 'layout_version', type: 'code', optional: false, pattern: /^1$/, example: '1', description: 'The version of this layout.' },
  { name: 'extract_date', type: 'date', optional: false, pattern: date, example: '2026-12-07', description: 'The day the file describes (London time).' },
  { name: 'nhs_number', type: 'code', optional: false, pattern: /^\d{10}$/, example: '9990000018', description: 'The person’s NHS number, 10 digits, no spaces: the key to match the person in the finance system.' },
  { name: 'local_person_id', type: 'uuid', optional: false, pattern: uuid, example: '3f0c2a4e-6d1b-4c9a-9e57-0b7e2d1c8a44', description: 'Aftercare’s id for the person (stable; use it as the external reference).' },
  { name: 'family_name', type: 'text', optional: false, pattern: text, example: 'Okafor', description: 'Family name.' },
  { name: 'given_name', type: 'text', optional: false, pattern: text, example: 'Ada', description: 'Given name.' },
  { name: 'date_of_birth', type: 'date', optional: false, pattern: date, example: '1979-06-15', description: 'Date of birth.' },
  { name: 's117_status', type: 'code', optional: false, pattern: /^(ENTITLED|ENDED)$/, example: 'ENTITLED', description: 'ENTITLED: section 117 aftercare now, services marked do not charge are free. ENDED: aftercare has been ended lawfully; the entitlement dates say when.' },
  { name: 'entitlement_start', type: 'date', optional: false, pattern: date, example: '2025-03-01', description: 'The day the current (or last) entitlement started: the day the person had left detention and hospital.' },
  { name: 'entitlement_end', type: 'date', optional: true, pattern: date, example: '2026-10-31', description: 'The day aftercare ended; blank while entitled.' },
  { name: 'responsible_la_code', type: 'code', optional: true, pattern: /^[A-Z]\d{8}$/, example: 'E06000901', description: 'ONS GSS code of the responsible local authority; blank when not known.' },
  { name: 'responsible_la_name', type: 'text', optional: true, pattern: text, example: 'Northvale Council', description: 'Its name.' },
  { name: 'responsible_icb_code', type: 'code', optional: true, pattern: /^[A-Z0-9]{3,9}$/, example: 'E54000901', description: 'ONS code (or ODS code) of the responsible ICB; blank when not known.' },
  { name: 'responsible_icb_name', type: 'text', optional: true, pattern: text, example: 'NHS Northvale and Southmere Integrated Care Board', description: 'Its name.' },
  { name: 'plan_id', type: 'uuid', optional: true, pattern: uuid, example: '0b9d6a1e-2f4c-4e8b-a1d3-5c7e9f0a2b4d', description: 'The approved aftercare plan the service belongs to; blank on a PERSON row.' },
  { name: 'plan_version', type: 'integer', optional: true, pattern: /^\d+$/, example: '2', description: 'The plan’s version number (1, 2, …); blank on a PERSON row.' },
  { name: 'service_id', type: 'uuid', optional: true, pattern: uuid, example: '7a1c3e5f-9b2d-4f6a-8c0e-1d3f5a7b9c2e', description: 'Aftercare’s id for the service (changes when a new plan version is approved); blank on a PERSON row.' },
  { name: 'service_type_code', type: 'code', optional: true, pattern: /^[a-z0-9-]+$/, example: 'supported-accommodation', description: 'The type of service from Aftercare’s list (or the partnership’s own “local-…” types, or “other”); blank on a PERSON row.' },
  { name: 'service_type', type: 'text', optional: true, pattern: text, example: 'Supported accommodation', description: 'The service in words.' },
  { name: 'provider', type: 'text', optional: true, pattern: text, example: 'Riverside Supported Living', description: 'Who provides it.' },
  { name: 'delivery_route', type: 'code', optional: true, pattern: /^(commissioned|direct-payment|personal-health-budget|individual-service-fund|notional-budget)$/, example: 'commissioned', description: 'How it is arranged: commissioned, direct-payment, personal-health-budget, individual-service-fund or notional-budget.' },
  { name: 'service_start', type: 'date', optional: true, pattern: date, example: '2025-03-01', description: 'The day the service starts.' },
  { name: 'service_end', type: 'date', optional: true, pattern: date, example: '2026-03-31', description: 'The day it ends; blank when open-ended.' },
  { name: 'weekly_cost', type: 'decimal', optional: true, pattern: money, example: '645.00', description: 'The weekly cost in pounds, two decimals, no £ sign or commas.' },
  { name: 'la_share_pct', type: 'decimal', optional: true, pattern: percent, example: '60.00', description: 'The local authority’s share of the cost, per cent, two decimals. With icb_share_pct it adds up to 100.00.' },
  { name: 'icb_share_pct', type: 'decimal', optional: true, pattern: percent, example: '40.00', description: 'The ICB’s share, per cent, two decimals.' },
  { name: 'do_not_charge', type: 'flag', optional: true, pattern: /^(Y|N)$/, example: 'Y', description: 'Y: a section 117 service, free to the person (MHA 1983 s117; Care Act 2014 s14(1)): never raise a charge for it. N: not a section 117 service (it may be chargeable under the usual rules). Blank on a PERSON row.' },
  { name: 'last_changed', type: 'timestamp', optional: false, pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, example: '2026-12-06T14:03:27Z', description: 'When the person’s record or plan last changed (UTC, ISO 8601): a system can skip rows it has already taken.' },
];

export const financeHeader = financeFields.map((f) => f.name);
