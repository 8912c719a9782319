/**
 * Synthetic people for the demo partnership (issue 4, item 9): about 400 invented people with
 * varied, realistic section 117 histories, spread across the partnership's organisations.
 *
 * Two parts:
 *  - `planDemoPeople` is pure and deterministic (seeded mulberry32): it decides who each person
 *    is, their legal history as events of the rules-engine contract, who records each event,
 *    their team, worker, engagement and contacts. Dates are counted back from `today`, so the
 *    demo looks the same all day and stays sensible on any day; nothing is dated after today.
 *    The register benchmark reuses it for realistic bulk data.
 *  - `seedDemoPeople` writes the plan through the same service functions the app uses
 *    (`createPerson`, `recordEvent`, `addContact`), acting as demo users of the right
 *    organisations (the trust's practitioner records detentions and discharges; the responsible
 *    council's practitioners record reviews, disputes and endings), so every decision, flag task
 *    and audit event is exactly what the app itself would produce.
 *
 * Everything is invented: names are combinations from the lists below, NHS numbers come from the
 * 999 test range (never issued to anyone), postcodes are in the ZZ99 pseudo-postcode range,
 * telephone numbers are in Ofcom's drama range (07700 900xxx) and email addresses use
 * example.org. Codes of the partnership's bodies are outside the ranges real bodies use;
 * E06000030 stands for "another authority" outside the partnership and E54000902 for another ICB.
 */
import { randomUUID } from 'node:crypto';
import { ageOn, fromDayNumber, toDayNumber } from '../../domain/calendar-date.ts';
import { syntheticNhsNumbers } from '../../domain/nhs-number.ts';
import type { LegalEvent } from '../../domain/rules/index.ts';
import { mulberry32 } from '../../domain/rules/synthetic.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import { loadConfig, type Config } from '../../platform/config/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { demoTeams, seedDemo } from './partnership.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import type { contactRelationships } from '../register/index.ts';
import { addContact, createPerson, recordEvent } from '../register/index.ts';
import { grantWorkflowAuthority } from '../register/index.ts';
import { countPeople, findDemoUsers, findOrganisationCodes, findPartnershipsWithOrganisationCode, findPersonVersion, findTeams } from './demo.queries.ts';
import { openDispute, resolveDispute } from '../disputes/index.ts';
import { recordInformationGiven } from '../documents/index.ts';

// ---------------------------------------------------------------------------
// The partnership as the plan sees it
// ---------------------------------------------------------------------------

/** Demo users who hold person:write, one or more per organisation that records events. */
export const demoWriters = {
  trust: { email: 'trust@demo.aftercare.example', organisationCode: 'RZV' },
  northvale: { email: 'practitioner@demo.aftercare.example', organisationCode: 'E06000901' },
  'northvale-manager': { email: 'manager@demo.aftercare.example', organisationCode: 'E06000901' },
  southmere: { email: 'senior@demo.aftercare.example', organisationCode: 'E06000902' },
  eastbridge: { email: 'eastbridge@demo.aftercare.example', organisationCode: 'E08000903' },
} as const;
export type Writer = keyof typeof demoWriters;

export const PARTNERSHIP_ICB = 'E54000901';
/** An ICB outside the partnership (GP registered elsewhere). */
export const OTHER_ICB = 'E54000902';
/** A local authority outside the partnership (ordinary residence elsewhere). */
export const OTHER_LOCAL_AUTHORITY = 'E06000030';
/** The NHS pseudo-postcode for "no fixed abode". */
const NO_FIXED_ABODE = 'ZZ99 3VZ';
const TRUST_TEAM = 'Inpatient Discharge Liaison Team';

type AreaKey = 'northvale' | 'southmere' | 'eastbridge' | 'elsewhere';
interface Area {
  key: AreaKey;
  code: string;
  towns: readonly string[];
  teams: readonly string[];
  writers: readonly Writer[];
  hospital: string;
  gpPrefix: string;
}

const teamsOf = (org: string): string[] => demoTeams.filter((t) => t.org === org).map((t) => t.name);

const areas: Record<AreaKey, Area> = {
  northvale: {
    key: 'northvale',
    code: 'E06000901',
    towns: ['Northvale', 'Ashby Vale', 'Hollin Bridge'],
    teams: teamsOf('northvale'),
    writers: ['northvale', 'northvale', 'northvale-manager'],
    hospital: 'Northvale Hospital, Beacon Ward',
    gpPrefix: 'ZV1',
  },
  southmere: {
    key: 'southmere',
    code: 'E06000902',
    towns: ['Southmere', 'Mere Green', 'Saltmarsh'],
    teams: teamsOf('southmere'),
    writers: ['southmere'],
    hospital: 'Southmere Mental Health Unit, Heron Ward',
    gpPrefix: 'ZV2',
  },
  eastbridge: {
    key: 'eastbridge',
    code: 'E08000903',
    towns: ['Eastbridge', 'Eastbridge Docks', 'Kingsholme'],
    teams: teamsOf('eastbridge'),
    writers: ['eastbridge'],
    hospital: 'Eastbridge Centre for Mental Health, Larch Ward',
    gpPrefix: 'ZV3',
  },
  elsewhere: {
    key: 'elsewhere',
    code: OTHER_LOCAL_AUTHORITY,
    towns: ['Westhaven', 'Combe Regis'],
    teams: [],
    writers: ['trust'],
    hospital: 'Northvale Hospital, Beacon Ward',
    gpPrefix: 'ZW9',
  },
};
const localAreas = [areas.northvale, areas.southmere, areas.eastbridge] as const;
const PICU = 'Northvale Hospital, Kestrel Psychiatric Intensive Care Unit';
const SECURE_UNIT = 'Riverbank Medium Secure Unit';

// ---------------------------------------------------------------------------
// Invented names and places
// ---------------------------------------------------------------------------

interface NamePool {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  languages?: readonly (readonly [string, number])[];
}

const englishFamily = [
  'Ashworth', 'Brackley', 'Calloway', 'Dunmore', 'Ellery', 'Fenwick', 'Garside', 'Hollins', 'Ingleby', 'Jessop',
  'Kettleby', 'Lindow', 'Marchbank', 'Northcott', 'Ormerod', 'Pemberton', 'Quarrie', 'Ravensdale', 'Sowerby', 'Thackeray',
  'Underhill', 'Varley', 'Wetherall', 'Yardley', 'Birtwistle', 'Cottam', 'Dewhirst', 'Entwhistle', 'Haworth', 'Liversedge',
];
const englishFemale = ['Amelia', 'Grace', 'Isla', 'Freya', 'Sophie', 'Chloe', 'Megan', 'Bethany', 'Hannah', 'Ruth', 'Margaret', 'Jean', 'Pauline', 'Sandra', 'Lauren', 'Gemma', 'Kirsty', 'Abigail'];
const englishMale = ['Oliver', 'Jack', 'Harry', 'George', 'Thomas', 'James', 'William', 'Daniel', 'Liam', 'Connor', 'Kieran', 'Ryan', 'Dennis', 'Keith', 'Graham', 'Barry', 'Craig', 'Nathan'];

const pools: Record<string, NamePool> = {
  english: { female: englishFemale, male: englishMale, family: englishFamily },
  irish: { female: ['Siobhan', 'Niamh', 'Aoife', 'Orla', 'Bridget'], male: ['Declan', 'Sean', 'Patrick', 'Cormac', 'Eoin'], family: ['Brennan', 'Kavanagh', 'Tierney', 'Mulqueen', 'Darragh'] },
  eastern: {
    female: ['Agnieszka', 'Katarzyna', 'Ioana', 'Zofia', 'Elena'],
    male: ['Piotr', 'Tomasz', 'Andrei', 'Marek', 'Bogdan'],
    family: ['Nowicki', 'Zielinska', 'Popovici', 'Wrobel', 'Dumitrescu', 'Lisowski'],
    languages: [['Polish', 3], ['Romanian', 2], ['English', 3]],
  },
  indian: {
    female: ['Priya', 'Simran', 'Harpreet', 'Anjali', 'Meera'],
    male: ['Arjun', 'Rajesh', 'Sanjay', 'Gurpreet', 'Vikram'],
    family: ['Sandhu', 'Mistry', 'Dhaliwal', 'Varma', 'Bhogal'],
    languages: [['Punjabi', 2], ['Gujarati', 1], ['English', 7]],
  },
  pakistani: {
    female: ['Fatima', 'Aisha', 'Sana', 'Mariam', 'Rubina'],
    male: ['Imran', 'Bilal', 'Tariq', 'Asif', 'Kamran'],
    family: ['Qureshi', 'Mahmood', 'Akhtar', 'Rashid', 'Iqbal'],
    languages: [['Urdu', 3], ['English', 7]],
  },
  bangladeshi: {
    female: ['Nadia', 'Yasmin', 'Shirin', 'Rehana'],
    male: ['Abdul', 'Rahim', 'Shahid', 'Jamal'],
    family: ['Chowdhury', 'Miah', 'Rahman', 'Uddin'],
    languages: [['Bengali', 2], ['Sylheti', 1], ['English', 6]],
  },
  caribbean: { female: ['Keisha', 'Tanisha', 'Marcia', 'Janelle'], male: ['Delroy', 'Marcus', 'Jerome', 'Winston', 'Leon'], family: ['Campbell', 'Francis', 'Beckford', 'Gayle', 'Ellington'] },
  african: {
    female: ['Chidinma', 'Abena', 'Hodan', 'Folake', 'Nia'],
    male: ['Kwame', 'Kofi', 'Tunde', 'Emeka', 'Abdi'],
    family: ['Mensah-Boateng', 'Adebayo', 'Okoro', 'Warsame', 'Asante', 'Nwosu'],
    languages: [['Somali', 2], ['Tigrinya', 1], ['Yoruba', 1], ['English', 8]],
  },
  chinese: { female: ['Mei', 'Lin', 'Xiu'], male: ['Wei', 'Jun', 'Hao'], family: ['Zhou', 'Leung', 'Tsang', 'Lau'], languages: [['Cantonese', 2], ['Mandarin', 1], ['English', 4]] },
  other: {
    female: ['Leila', 'Noor', 'Shirin', 'Dalia'],
    male: ['Omar', 'Yusuf', 'Karim', 'Reza'],
    family: ['Haddad', 'Rahimi', 'Karimi', 'Nasser', 'Sarraf'],
    languages: [['Arabic', 2], ['Farsi', 1], ['Kurdish', 1], ['English', 3]],
  },
};

/** NHS ethnic category code, its weight, and the name pool used for it. */
const ethnicities: readonly (readonly [string, number, string])[] = [
  ['A', 52, 'english'],
  ['B', 2, 'irish'],
  ['C', 7, 'eastern'],
  ['D', 2, 'english'],
  ['E', 1, 'african'],
  ['F', 1, 'english'],
  ['G', 1, 'english'],
  ['H', 4, 'indian'],
  ['J', 4, 'pakistani'],
  ['K', 2, 'bangladeshi'],
  ['L', 1, 'indian'],
  ['M', 6, 'caribbean'],
  ['N', 6, 'african'],
  ['P', 1, 'caribbean'],
  ['R', 1, 'chinese'],
  ['S', 2, 'other'],
  ['Z', 2, 'english'],
  ['99', 3, 'english'],
];

const streets = ['Larkspur', 'Quillon', 'Ferncombe', 'Hatherley', 'Mossgate', 'Brindle', 'Copperbeech', 'Wrenfield', 'Tanners', 'Kestrel', 'Millrace', 'Juniper', 'Saltings', 'Ravelin', 'Orchardleigh', 'Thistledown', 'Wychwood', 'Goldcrest'];
const streetKinds = ['Road', 'Street', 'Close', 'Lane', 'Avenue', 'Crescent', 'Way', 'Gardens', 'Terrace'];
/** Letters used in the inward part of postcodes (C, I, K, M, O and V never are). */
const postcodeLetters = ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'J', 'L', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'W', 'X', 'Y', 'Z'] as const;

// ---------------------------------------------------------------------------
// Seeded choices
// ---------------------------------------------------------------------------

class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** A whole number from min to max inclusive. */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries.at(-1)![0];
  }
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

export const scenarios = [
  's3-discharged',
  's2-then-s3',
  'before-july-2022',
  'forensic-conditional-discharge',
  'cto',
  're-detained',
  'informal-readmission',
  'dispute-referral-due',
  'dispute-open',
  'dispute-resolved',
  'funding-dispute',
  'ended',
  'ending-refused',
  'died',
  'detained',
  'detained-s2',
  'detained-s17-leave',
  'detained-secure',
  'out-of-area',
  'no-settled-residence',
  'status-needs-review',
] as const;
export type Scenario = (typeof scenarios)[number];

/** How often each kind of history appears (relative weights). */
const scenarioWeights: Record<Scenario, number> = {
  's3-discharged': 26,
  's2-then-s3': 8,
  'before-july-2022': 6,
  'forensic-conditional-discharge': 5,
  cto: 9,
  're-detained': 7,
  'informal-readmission': 4,
  'dispute-referral-due': 2,
  'dispute-open': 1,
  'dispute-resolved': 2,
  'funding-dispute': 1,
  ended: 6,
  'ending-refused': 1,
  died: 3,
  detained: 8,
  'detained-s2': 2,
  'detained-s17-leave': 2,
  'detained-secure': 1,
  'out-of-area': 4,
  'no-settled-residence': 1.5,
  'status-needs-review': 0.7,
};

/**
 * Smooth weighted round robin: every prefix of the sequence has close to the weighted mix,
 * so a small demo (the tests seed 60) still holds every common kind of history.
 */
function scenarioSequence(count: number): Scenario[] {
  const current = new Map<Scenario, number>(scenarios.map((s) => [s, 0]));
  const total = scenarios.reduce((sum, s) => sum + scenarioWeights[s], 0);
  const sequence: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    let best: Scenario = scenarios[0];
    for (const s of scenarios) {
      const value = current.get(s)! + scenarioWeights[s];
      current.set(s, value);
      if (value > current.get(best)!) best = s;
    }
    current.set(best, current.get(best)! - total);
    sequence.push(best);
  }
  return sequence;
}

type EventBody = LegalEvent extends infer E ? (E extends LegalEvent ? Omit<E, 'date'> : never) : never;

export interface PlannedEvent {
  /** An event of the rules-engine contract. */
  event: LegalEvent;
  hospital: string | null;
  /** The demo user who records it. */
  by: Writer;
}

export type ContactRelationship = (typeof contactRelationships)[number];

export interface PlannedContact {
  relationship: ContactRelationship;
  name: string;
  phone?: string;
  email?: string;
  address?: string;
  consentToShare: boolean;
  notes?: string;
}

/** What `createPerson` is given, less the team and worker (ids are resolved when seeding). */
export interface PlannedDetails {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  address?: string;
  postcode: string;
  residenceLocalAuthority: string;
  gpPractice: string;
  gpIcb: string;
  ethnicity: string;
  sex: 'female' | 'male' | 'indeterminate' | 'not-known';
  gender?: string;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  communicationNeeds: ('easy-read' | 'large-print' | 'braille' | 'bsl' | 'audio')[];
  communicationNotes?: string;
  engagement: 'engaged' | 'disengaged' | 'not-known';
  lastContactOn?: string;
  expectedDischargeOn?: string;
  dischargePlanning: 'not-started' | 'in-progress' | 'ready';
}

export interface PlannedPerson {
  scenario: Scenario;
  /** The outcome the history is built to reach (the rules engine decides it when seeding). */
  expected: 'pending' | 'entitled' | 'ended' | 'not-entitled' | 'manual-review';
  createdBy: Writer;
  /** True for the deliberate likely duplicate (same name and date of birth, another NHS number). */
  confirmDuplicate: boolean;
  details: PlannedDetails;
  team: string | null;
  leadPractitioner: Writer | null;
  events: PlannedEvent[];
  contacts: PlannedContact[];
  /**
   * When they were given their section 117 rights in writing (the statement of entitlement), by
   * whom and in which format; null for the minority never given them. Most people entitled at
   * some time have been (issue 13, item 8: a realistic "never given rights in writing" figure).
   */
  rightsInWriting: { on: string; by: Writer; format: 'standard' | 'easy-read' | 'large-print' } | null;
}

/** The share of people ever entitled who have been given their rights in writing. */
export const RIGHTS_IN_WRITING_SHARE = 0.86;

export interface PlanOptions {
  /** How many people (default 400). */
  count?: number;
  /** Seed of the pseudo-random generator (default 117). */
  seed?: number;
  /** The date the histories are counted back from (default: today in England). */
  today?: string;
  /** Skip this many synthetic NHS numbers first (the benchmark uses other ranges). */
  nhsNumberOffset?: number;
}

export const DEMO_PEOPLE = 400;
const YEAR = 365;

/** The events of one history, collected in any order and put in date order (stable) at the end. */
class Timeline {
  private readonly items: { day: number; order: number; planned: Omit<PlannedEvent, 'event'> & { body: EventBody } }[] = [];
  constructor(private readonly today: number) {}
  add(day: number, by: Writer, body: EventBody, hospital: string | null = null): void {
    if (day > this.today) throw new Error(`Planned ${body.type} after today`);
    this.items.push({ day, order: this.items.length, planned: { by, body, hospital } });
  }
  events(): PlannedEvent[] {
    return [...this.items]
      .sort((a, b) => a.day - b.day || a.order - b.order)
      .map(({ day, planned }) => ({ by: planned.by, hospital: planned.hospital, event: { ...planned.body, date: fromDayNumber(day) } }));
  }
}

/** Plan `count` synthetic people. Pure: the same options give the same people. */
export function planDemoPeople(options: PlanOptions = {}): PlannedPerson[] {
  return [...demoPeople(options)];
}

/** The same people as `planDemoPeople`, one at a time (the benchmark plans hundreds of thousands). */
export function* demoPeople(options: PlanOptions = {}): Generator<PlannedPerson> {
  const count = options.count ?? DEMO_PEOPLE;
  const today = toDayNumber(options.today ?? todayInLondon());
  const dice = new Dice(options.seed ?? 117);
  // Its own sequence, so the rights given in writing leave every other choice of the plan as it was.
  const rightsDice = new Dice((options.seed ?? 117) + 0x5117);
  const numbers = syntheticNhsNumbers(options.nhsNumberOffset ?? 0);
  const sequence = scenarioSequence(count);
  let twinOf: PlannedDetails | undefined;
  for (let i = 0; i < count; i++) {
    const nhs = numbers.next();
    if (nhs.done) throw new Error('Ran out of synthetic NHS numbers');
    // A few children (under 18 today) detained recently, as CAMHS patients are.
    const young = i % 40 === 11;
    const scenario: Scenario = young ? (i % 80 === 11 ? 'detained' : 's3-discharged') : sequence[i]!;
    // One deliberate likely duplicate: the same name and date of birth as person 4, another NHS number.
    const planned = planPerson(dice, rightsDice, today, scenario, nhs.value, young, i === 17 ? twinOf : undefined);
    if (i === 4) twinOf = planned.details;
    yield planned;
  }
}

function planPerson(dice: Dice, rightsDice: Dice, today: number, scenario: Scenario, nhsNumber: string, young: boolean, twinOf?: PlannedDetails): PlannedPerson {
  const day = (n: number) => fromDayNumber(n);
  const ago = (n: number) => today - n;

  // --- Who they are -------------------------------------------------------
  const [ethnicity, , poolName] = dice.weighted(ethnicities.map((e) => [e, e[1]] as const));
  const pool = pools[poolName]!;
  let sex = dice.weighted<PlannedDetails['sex']>([['male', 60], ['female', 38], ['indeterminate', 0.5], ['not-known', 1.5]]);
  let givenName = dice.pick(sex === 'female' ? pool.female : sex === 'male' ? pool.male : dice.chance(0.5) ? pool.female : pool.male);
  let familyName = dice.pick(pool.family);
  let birthDay = young ? ago(dice.int(Math.round(15.5 * YEAR), Math.round(17.8 * YEAR))) : dice.int(toDayNumber('1950-01-01'), toDayNumber('2003-12-31'));
  if (twinOf) {
    ({ givenName, familyName, sex } = twinOf);
    birthDay = toDayNumber(twinOf.dateOfBirth);
  }
  /** Nobody in these histories is detained before this age. */
  const earliest = birthDay + (young ? 14 : 17) * YEAR;
  let language = pool.languages ? dice.weighted(pool.languages) : 'English';
  let interpreterNeeded = language !== 'English' && dice.chance(0.7);
  const communicationNeeds: PlannedDetails['communicationNeeds'] = [];
  let communicationNotes: string | undefined;
  if (dice.chance(0.012)) {
    language = 'British Sign Language';
    interpreterNeeded = true;
    communicationNeeds.push('bsl');
    communicationNotes = 'Deaf: book a BSL interpreter for every meeting; text messages for appointments.';
  }
  if (dice.chance(0.07)) {
    communicationNeeds.push('easy-read');
    communicationNotes ??= 'Learning disability: easy read letters, and time to go through them with a worker.';
  }
  const older = ageOn(day(birthDay), day(today)) >= 65;
  if (dice.chance(older ? 0.15 : 0.02)) {
    communicationNeeds.push('large-print');
    communicationNotes ??= 'Sight loss: large print (18 point) letters.';
  }
  if (dice.chance(0.005)) communicationNeeds.push('braille');
  if (dice.chance(0.01)) communicationNeeds.push('audio');
  if (!communicationNotes && interpreterNeeded) communicationNotes = `${language} interpreter for meetings and reviews; family members are not to interpret.`;
  const gender = dice.chance(0.02) ? 'Non-binary' : dice.chance(0.3) ? (sex === 'female' ? 'Woman' : sex === 'male' ? 'Man' : undefined) : undefined;

  let home: Area = dice.weighted(localAreas.map((a) => [a, a.key === 'northvale' ? 45 : a.key === 'southmere' ? 33 : 22] as const));
  let icb = dice.chance(0.04) ? OTHER_ICB : PARTNERSHIP_ICB;
  let ordinaryResidence: string = home.code;
  let noFixedAbode = false;
  if (scenario === 'out-of-area') {
    home = areas.elsewhere;
    ordinaryResidence = OTHER_LOCAL_AUTHORITY;
    icb = dice.chance(0.65) ? PARTNERSHIP_ICB : OTHER_ICB;
  } else if (scenario === 'no-settled-residence') {
    ordinaryResidence = 'none';
    noFixedAbode = true;
  }

  // --- Their history ------------------------------------------------------
  const tl = new Timeline(today);
  const laWriter = (area: Area): Writer => (area.writers.length > 0 ? dice.pick(area.writers) : 'trust');
  let respArea: Area = home;
  let expected: PlannedPerson['expected'] = 'entitled';
  let createdBy: Writer = 'trust';
  /** Who records hospital events (the trust, or the council for histories transcribed from its records). */
  let hospitalWriter: Writer = 'trust';
  let inHospitalSince: number | null = null;
  let entitledFrom: number | null = null;
  let endedOn: number | null = null;
  let diedOn: number | null = null;

  const started = (code: string, or = ordinaryResidence, gpIcb = icb): EventBody => ({ type: 'detention-started', legalStatusCode: code, ordinaryResidence: or, icbOfGpRegistration: gpIcb });

  /** A start day `lengthDays` long that ends `minAgo`–`maxAgo` days ago, never before `earliest`. */
  const window = (lengthDays: number, minAgo: number, maxAgo: number): number => {
    const latestStart = ago(minAgo) - lengthDays;
    const start = Math.max(ago(maxAgo) - lengthDays, earliest);
    return start >= latestStart ? Math.min(start, latestStart) : dice.int(start, latestStart);
  };

  /**
   * One detention in hospital from `start`, `length` days long, ending with `reason`, then leaving
   * hospital the same day (or after staying a few days informally). Returns the day they left.
   */
  const detention = (start: number, length: number, o: { code?: string; viaS2?: boolean; s17?: boolean; reason?: 'discharged' | 'cto' | 'conditional-discharge'; hospital?: string; stayOn?: boolean; dischargedTo?: string | undefined; or?: string } = {}): number => {
    const hospital = o.hospital ?? (dice.chance(0.12) ? PICU : home.key === 'elsewhere' ? dice.pick(localAreas).hospital : home.hospital);
    const or = o.or ?? ordinaryResidence;
    let d = start;
    if (o.viaS2 && length > 20) {
      tl.add(d, hospitalWriter, started('02', or), hospital);
      d += dice.int(5, Math.min(26, length - 10));
    }
    tl.add(d, hospitalWriter, started(o.code ?? '03', or), hospital);
    const end = start + length;
    if (o.s17 && end - d > 14) tl.add(end - dice.int(7, 14), hospitalWriter, { type: 's17-leave-started', ceasedToBeDetainedFinding: false });
    tl.add(end, hospitalWriter, { type: 'detention-ended', reason: o.reason ?? 'discharged' });
    const left = o.stayOn ? end + dice.int(1, 10) : end;
    tl.add(left, hospitalWriter, o.dischargedTo ? { type: 'left-hospital', dischargedToLocalAuthority: o.dischargedTo } : { type: 'left-hospital' });
    return left;
  };

  /** Reviews from the start of entitlement until `until`: the first at about six weeks, then yearly. Returns their days. */
  const reviews = (from: number, until: number, by: () => Writer, overdue = dice.chance(0.14)): number[] => {
    const days: number[] = [];
    let d = from + 42 + dice.int(-7, 21);
    while (d <= until) {
      days.push(d);
      d += dice.int(320, 364);
    }
    if (overdue) while (days.length > 0 && days.at(-1)! > ago(400)) days.pop();
    for (const r of days) tl.add(r, by(), { type: 'reviewed' });
    return days;
  };
  const reviewer = () => laWriter(respArea);

  /** The common shape: one s3 detention and discharge, then reviews to date. */
  const dischargedEpisode = (minAgo: number, maxAgo: number, o: { viaS2?: boolean; code?: string; reason?: 'discharged' | 'cto' | 'conditional-discharge' } = {}): number => {
    const length = dice.int(28, 150);
    const start = window(length, minAgo, maxAgo);
    return detention(start, length, { ...o, s17: dice.chance(0.3), stayOn: dice.chance(0.2), dischargedTo: dice.chance(0.3) && home.key !== 'elsewhere' ? home.code : undefined });
  };

  switch (scenario) {
    case 's3-discharged':
    case 's2-then-s3': {
      entitledFrom = dischargedEpisode(young ? 20 : 25, young ? 700 : 1400, { viaS2: scenario === 's2-then-s3' });
      reviews(entitledFrom, today, reviewer);
      break;
    }
    case 'before-july-2022': {
      // Transcribed from the council's own records when the register started.
      createdBy = laWriter(home);
      hospitalWriter = createdBy;
      const length = dice.int(40, 200);
      const start = Math.max(dice.int(toDayNumber('2017-01-01'), toDayNumber('2022-05-31')), earliest);
      entitledFrom = detention(start, Math.min(length, today - 30 - start), { viaS2: dice.chance(0.25) });
      reviews(entitledFrom, today, () => createdBy, dice.chance(0.2));
      break;
    }
    case 'forensic-conditional-discharge': {
      const restricted = dice.chance(0.7);
      const length = dice.int(300, 1100);
      const start = window(length, 40, 2500);
      entitledFrom = detention(start, length, { code: restricted ? dice.pick(['09', '09', '09', '15']) : '10', reason: restricted ? 'conditional-discharge' : 'discharged', hospital: SECURE_UNIT });
      reviews(entitledFrom, today, reviewer, dice.chance(0.08));
      if (restricted) {
        const later = entitledFrom + dice.int(365, 900);
        if (dice.chance(0.3) && later < today) tl.add(later, 'trust', { type: 'conditional-discharge-ended', reason: 'absolute-discharge' });
        else if (dice.chance(0.15) && entitledFrom + 150 < ago(90)) {
          // Recalled by the Secretary of State, then conditionally discharged again.
          const recall = dice.int(entitledFrom + 120, ago(90));
          tl.add(recall, 'trust', { type: 'conditional-discharge-ended', reason: 'recalled' }, SECURE_UNIT);
          const again = recall + dice.int(30, 80);
          tl.add(again, 'trust', { type: 'detention-ended', reason: 'conditional-discharge' });
          tl.add(again, 'trust', { type: 'left-hospital' });
        }
      }
      break;
    }
    case 'cto': {
      entitledFrom = dischargedEpisode(30, 1200, { viaS2: dice.chance(0.2), reason: 'cto' });
      reviews(entitledFrom, today, reviewer);
      const roll = dice.float();
      const room = ago(10) - entitledFrom;
      if (roll < 0.35 && room > 180) {
        tl.add(entitledFrom + dice.int(180, Math.min(room, 730)), 'trust', { type: 'cto-ended', reason: dice.pick(['discharged', 'expired'] as const) });
      } else if (roll < 0.47 && room > 70) {
        // Recalled for up to 72 hours, then back home on the CTO.
        const recall = entitledFrom + dice.int(60, room - 5);
        tl.add(recall, 'trust', { type: 'recalled' }, home.key === 'elsewhere' ? areas.northvale.hospital : home.hospital);
        tl.add(recall + dice.int(1, 3), 'trust', { type: 'left-hospital' });
      } else if (roll < 0.58 && room > 150) {
        // CTO revoked: detained again; most are discharged again since.
        const revoked = entitledFrom + dice.int(90, room - 40);
        tl.add(revoked, 'trust', { type: 'cto-ended', reason: 'revoked' }, home.hospital);
        const out = revoked + dice.int(30, 120);
        if (out < today) {
          tl.add(out, 'trust', { type: 'detention-ended', reason: 'discharged' });
          tl.add(out, 'trust', { type: 'left-hospital' });
        } else inHospitalSince = revoked;
      }
      break;
    }
    case 're-detained': {
      const first = dischargedEpisode(400, 2200);
      const second = first + dice.int(180, Math.max(200, Math.min(900, ago(30) - first)));
      reviews(first, second - 1, reviewer, false);
      // Worcestershire: the new qualifying detention supersedes the first episode; the authority
      // where they lived immediately before it is now responsible.
      if (dice.chance(0.4)) {
        respArea = dice.pick(localAreas.filter((a) => a !== home));
        home = respArea;
        ordinaryResidence = home.code;
      }
      const length = dice.int(25, 120);
      if (second + length < ago(5)) {
        entitledFrom = detention(second, length, { viaS2: dice.chance(0.3), s17: dice.chance(0.3) });
        reviews(entitledFrom, today, reviewer);
      } else {
        tl.add(second, 'trust', started('03'), home.hospital);
        inHospitalSince = second;
        expected = 'pending';
      }
      break;
    }
    case 'informal-readmission': {
      entitledFrom = dischargedEpisode(250, 1300);
      reviews(entitledFrom, today, reviewer);
      const admitted = dice.int(entitledFrom + 90, ago(60));
      tl.add(admitted, 'trust', { type: 'admitted-informally' }, home.hospital);
      tl.add(admitted + dice.int(7, 40), 'trust', { type: 'left-hospital' });
      break;
    }
    case 'dispute-referral-due':
    case 'dispute-open':
    case 'dispute-resolved':
    case 'funding-dispute': {
      entitledFrom = dischargedEpisode(260, 1300);
      reviews(entitledFrom, today, reviewer);
      const kind = scenario === 'funding-dispute' ? 'funding' : 'ordinary-residence';
      const opened = scenario === 'dispute-referral-due' ? ago(dice.int(125, 240)) : scenario === 'dispute-open' ? ago(dice.int(10, 100)) : dice.int(entitledFrom + 20, ago(130));
      tl.add(opened, reviewer(), { type: 'dispute-opened', kind });
      if (scenario === 'dispute-resolved') tl.add(opened + dice.int(30, 115), reviewer(), { type: 'dispute-resolved' });
      break;
    }
    case 'ended': {
      entitledFrom = dischargedEpisode(300, 1800);
      const endsOn = dice.int(entitledFrom + 200, ago(7));
      reviews(entitledFrom, endsOn - 1, reviewer, false);
      tl.add(endsOn, reviewer(), {
        type: 'aftercare-ended',
        approvedBy: ['local-authority', 'icb'],
        reasons: ['no-longer-in-need', ...(dice.chance(0.6) ? [dice.pick(['doing-well', 'discharged-from-specialist-services'] as const)] : [])],
        personInvolved: true,
        legalOverride: false,
      });
      endedOn = endsOn;
      expected = 'ended';
      break;
    }
    case 'ending-refused': {
      entitledFrom = dischargedEpisode(300, 1500);
      reviews(entitledFrom, today, reviewer, false);
      // Not lawful, so the engine refuses it and entitlement continues (R9–R12, R28).
      const refused = dice.chance(0.5)
        ? { approvedBy: ['local-authority' as const], reasons: ['no-longer-in-need' as const, 'doing-well' as const] }
        : { approvedBy: ['local-authority' as const, 'icb' as const], reasons: ['refuses-services' as const] };
      tl.add(ago(dice.int(10, 150)), reviewer(), { type: 'aftercare-ended', ...refused, personInvolved: true, legalOverride: false });
      break;
    }
    case 'died': {
      entitledFrom = dischargedEpisode(120, 1600);
      const died = dice.int(entitledFrom + 30, ago(3));
      reviews(entitledFrom, died - 1, reviewer, false);
      tl.add(died, reviewer(), { type: 'died' });
      diedOn = died;
      expected = 'ended';
      break;
    }
    case 'detained':
    case 'detained-s17-leave': {
      const since = Math.max(ago(scenario === 'detained' ? dice.int(2, 120) : dice.int(45, 160)), earliest);
      const viaS2 = scenario === 'detained' && today - since > 20 && dice.chance(0.3);
      const hospital = dice.chance(0.15) ? PICU : home.hospital;
      if (viaS2) {
        tl.add(since, 'trust', started('02'), hospital);
        tl.add(since + dice.int(6, Math.min(26, today - since)), 'trust', started('03'), hospital);
      } else tl.add(since, 'trust', started(dice.chance(0.08) ? '10' : '03'), hospital);
      if (scenario === 'detained-s17-leave') tl.add(ago(dice.int(1, 25)), 'trust', { type: 's17-leave-started', ceasedToBeDetainedFinding: false });
      inHospitalSince = since;
      expected = 'pending';
      break;
    }
    case 'detained-s2': {
      inHospitalSince = Math.max(ago(dice.int(0, 24)), earliest);
      tl.add(inHospitalSince, 'trust', started('02'), dice.chance(0.3) ? PICU : home.hospital);
      expected = 'not-entitled';
      break;
    }
    case 'detained-secure': {
      inHospitalSince = Math.max(ago(dice.int(200, 1500)), earliest);
      tl.add(inHospitalSince, 'trust', started(dice.pick(['09', '09', '17', '37'])), SECURE_UNIT);
      expected = 'pending';
      break;
    }
    case 'out-of-area': {
      if (dice.chance(0.7)) {
        entitledFrom = dischargedEpisode(30, 1200);
        reviews(entitledFrom, today, () => 'trust');
      } else {
        inHospitalSince = Math.max(ago(dice.int(5, 150)), earliest);
        tl.add(inHospitalSince, 'trust', started('03'), areas.northvale.hospital);
        expected = 'pending';
      }
      break;
    }
    case 'no-settled-residence': {
      // Homeless before admission: the authority they are discharged to becomes responsible (R16).
      if (dice.chance(0.6)) {
        respArea = home;
        const length = dice.int(30, 120);
        entitledFrom = detention(window(length, 40, 900), length, { dischargedTo: home.code });
        reviews(entitledFrom, today, reviewer);
      } else {
        inHospitalSince = Math.max(ago(dice.int(5, 100)), earliest);
        tl.add(inHospitalSince, 'trust', started('03'), home.hospital);
        expected = 'pending';
      }
      break;
    }
    case 'status-needs-review': {
      inHospitalSince = Math.max(ago(dice.int(10, 200)), earliest);
      tl.add(inHospitalSince, 'trust', started(dice.pick(['13', '14', '99'])), home.hospital);
      expected = 'manual-review';
      break;
    }
  }

  // --- Where they live, team, worker, engagement --------------------------
  const livesIn: Area = scenario !== 'out-of-area' && entitledFrom !== null && endedOn === null && diedOn === null && dice.chance(0.08) ? dice.pick(localAreas.filter((a) => a !== home)) : scenario === 'out-of-area' && dice.chance(0.6) ? dice.pick(localAreas) : home;
  const town = dice.pick(livesIn.towns);
  const address = noFixedAbode ? undefined : `${dice.int(1, 180)} ${dice.pick(streets)} ${dice.pick(streetKinds)}, ${town}`;
  const postcode = noFixedAbode ? NO_FIXED_ABODE : `ZZ99 ${dice.int(1, 9)}${dice.pick(postcodeLetters)}${dice.pick(postcodeLetters)}`;

  let teamName: string | null = null;
  let leadPractitioner: Writer | null = null;
  let engagement: PlannedDetails['engagement'] = 'not-known';
  let lastContact: number | null = null;
  let expectedDischarge: number | null = null;
  let dischargePlanning: PlannedDetails['dischargePlanning'] = 'not-started';
  const stillInHospital = expected === 'pending' || expected === 'not-entitled' || expected === 'manual-review' || inHospitalSince !== null;

  if (diedOn !== null) {
    lastContact = diedOn - dice.int(3, 60);
  } else if (endedOn !== null) {
    engagement = dice.chance(0.8) ? 'engaged' : 'not-known';
    lastContact = endedOn - dice.int(0, 20);
  } else if (stillInHospital) {
    const since = inHospitalSince ?? ago(30);
    teamName = dice.chance(0.7) ? TRUST_TEAM : null;
    leadPractitioner = teamName && dice.chance(0.5) ? 'trust' : null;
    engagement = dice.chance(0.6) ? 'engaged' : 'not-known';
    lastContact = Math.max(since, ago(dice.int(0, 10)));
    if (expected === 'pending' && dice.chance(0.85)) {
      expectedDischarge = today + dice.int(4, 120);
      const daysIn = today - since;
      dischargePlanning = daysIn < 14 ? 'not-started' : expectedDischarge - today <= 21 ? (dice.chance(0.65) ? 'ready' : 'in-progress') : dice.chance(0.6) ? 'in-progress' : 'not-started';
    }
  } else if (entitledFrom !== null) {
    const lost = dice.chance(0.1);
    if (lost) {
      // For the lost-to-follow-up finder: no team, and nobody has seen them for a long time.
      engagement = dice.chance(0.6) ? 'disengaged' : 'not-known';
      lastContact = Math.max(entitledFrom, ago(dice.int(200, 800)));
    } else {
      teamName = respArea.teams.length > 0 ? dice.pick(respArea.teams) : dice.chance(0.5) ? TRUST_TEAM : null;
      if (teamName && dice.chance(0.12)) teamName = null;
      const leadFrom = teamName === TRUST_TEAM ? 'trust' : respArea.writers.length > 0 ? dice.pick(respArea.writers) : null;
      leadPractitioner = teamName && leadFrom && dice.chance(0.6) ? leadFrom : null;
      engagement = dice.weighted<PlannedDetails['engagement']>([['engaged', 78], ['disengaged', 10], ['not-known', 12]]);
      const since = Math.max(entitledFrom, ago(engagement === 'engaged' ? dice.int(0, 90) : engagement === 'disengaged' ? dice.int(100, 400) : dice.int(30, 200)));
      lastContact = engagement === 'not-known' && dice.chance(0.3) ? null : since;
    }
  }

  const details: PlannedDetails = {
    nhsNumber,
    givenName,
    familyName,
    dateOfBirth: day(birthDay),
    ...(address ? { address } : {}),
    postcode,
    residenceLocalAuthority: livesIn.code,
    gpPractice: `${livesIn.gpPrefix}${String(dice.int(1, 40)).padStart(3, '0')}`,
    gpIcb: icb === OTHER_ICB || livesIn.key === 'elsewhere' ? icb : PARTNERSHIP_ICB,
    ethnicity,
    sex,
    ...(gender ? { gender } : {}),
    preferredLanguage: language,
    interpreterNeeded,
    communicationNeeds,
    ...(communicationNotes ? { communicationNotes } : {}),
    engagement,
    ...(lastContact !== null ? { lastContactOn: day(Math.min(lastContact, today)) } : {}),
    ...(expectedDischarge !== null ? { expectedDischargeOn: day(expectedDischarge) } : {}),
    dischargePlanning,
  };

  // Rights in writing: usually at discharge (on the ward a few days before, or at the first
  // visits after); a minority never.
  let rightsInWriting: PlannedPerson['rightsInWriting'] = null;
  if (entitledFrom !== null && rightsDice.chance(RIGHTS_IN_WRITING_SHARE)) {
    const last = Math.min(today, endedOn ?? today, diedOn ?? today);
    const on = Math.max(Math.min(entitledFrom + rightsDice.int(-10, 28), last), birthDay + 1);
    // Recorded by whoever recorded their latest event, who is involved with them (as contacts are).
    const by: Writer = tl.events().at(-1)?.by ?? createdBy;
    const format = communicationNeeds.includes('easy-read') ? 'easy-read' : communicationNeeds.includes('large-print') ? 'large-print' : 'standard';
    rightsInWriting = { on: day(on), by, format };
  }

  return {
    scenario,
    expected,
    createdBy,
    rightsInWriting,
    confirmDuplicate: twinOf !== undefined,
    details,
    team: teamName,
    leadPractitioner,
    events: tl.events(),
    contacts: planContacts(dice, pool, familyName, town, { older, detained: stillInHospital, young, sex }),
  };
}

function phone(dice: Dice): string {
  return `07700 900${String(dice.int(0, 999)).padStart(3, '0')}`;
}

function planContacts(dice: Dice, pool: NamePool, familyName: string, town: string, who: { older: boolean; detained: boolean; young: boolean; sex: string }): PlannedContact[] {
  const contacts: PlannedContact[] = [];
  const relative = (): string => `${dice.pick(dice.chance(0.5) ? pool.female : pool.male)} ${dice.chance(0.7) ? familyName : dice.pick(pool.family)}`;
  const address = () => `${dice.int(1, 120)} ${dice.pick(streets)} ${dice.pick(streetKinds)}, ${town}`;
  if (who.young || dice.chance(0.65)) {
    const name = relative();
    contacts.push({
      relationship: 'nearest-relative',
      name,
      phone: phone(dice),
      ...(dice.chance(0.4) ? { email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org` } : {}),
      ...(dice.chance(0.6) ? { address: address() } : {}),
      consentToShare: dice.chance(0.75),
      ...(who.young ? { notes: 'Parent with parental responsibility.' } : dice.chance(0.2) ? { notes: 'Prefers contact after 5pm.' } : {}),
    });
  }
  if (dice.chance(0.25)) {
    contacts.push({ relationship: 'carer', name: relative(), phone: phone(dice), consentToShare: dice.chance(0.8), ...(dice.chance(0.3) ? { notes: 'Entitled to a carer’s assessment.' } : {}) });
  }
  if (dice.chance(who.detained ? 0.6 : 0.15)) {
    contacts.push({
      relationship: 'advocate',
      name: `${dice.pick(englishFemale.concat(englishMale))} ${dice.pick(englishFamily)}, ${who.detained ? 'Independent Mental Health Advocate' : 'Care Act advocate'}`,
      phone: phone(dice),
      email: 'referrals@advocacy-hub.example.org',
      consentToShare: true,
      notes: 'Northvale and Southmere Advocacy Hub (invented service).',
    });
  }
  if (dice.chance(0.08)) contacts.push({ relationship: 'next-of-kin', name: relative(), phone: phone(dice), consentToShare: dice.chance(0.5) });
  if (who.older && dice.chance(0.2)) {
    contacts.push({ relationship: 'attorney', name: relative(), phone: phone(dice), consentToShare: true, notes: 'Lasting power of attorney for health and welfare.' });
  } else if (dice.chance(0.015)) {
    contacts.push({ relationship: 'deputy', name: `${dice.pick(englishFamily)} and ${dice.pick(englishFamily)} Solicitors (invented)`, phone: phone(dice), consentToShare: true, notes: 'Property and financial affairs deputy.' });
  }
  return contacts;
}

// ---------------------------------------------------------------------------
// Seeding through the services
// ---------------------------------------------------------------------------

export interface SeedDemoPeopleOptions extends PlanOptions {
  /** The demo partnership (default: the one holding the demo ICB). */
  partnershipId?: string;
  config?: Config;
}

export interface SeedDemoPeopleResult {
  people: number;
  events: number;
  contacts: number;
  milliseconds: number;
}

/**
 * Add the synthetic people to the demo partnership (seeded by `seedDemo`) through the register's
 * services, as the demo users who would record each thing, in one transaction: the demo gets all
 * of them or none. Refuses a partnership that already holds people, so it never doubles the demo.
 */
export async function seedDemoPeople(database: { db: Db }, options: SeedDemoPeopleOptions = {}): Promise<SeedDemoPeopleResult> {
  const started = performance.now();
  const config = options.config ?? loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const counts = await database.db.transaction(async (tx) => writePlan(tx, options.partnershipId ?? (await demoPartnershipId(tx)), config, options));
  return { ...counts, milliseconds: Math.round(performance.now() - started) };
}

/**
 * The whole first-run demo in one transaction: the partnership (`seedDemo`) and its people.
 * An interrupted first start leaves an empty database, so the next start seeds it again.
 */
export async function seedDemoWithPeople(
  database: { db: Db },
  options: Omit<SeedDemoPeopleOptions, 'partnershipId'> & {
    /** More demo data written in the same transaction once the people exist (plans, for example). */
    after?: (tx: Tx, partnershipId: string, config: Config) => Promise<unknown>;
  } = {},
): Promise<SeedDemoPeopleResult & { partnershipId: string }> {
  const started = performance.now();
  const config = options.config ?? loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  const result = await database.db.transaction(async (tx) => {
    const partnershipId = await seedDemo(tx);
    const counts = await writePlan(tx, partnershipId, config, options);
    if (options.after) await options.after(tx, partnershipId, config);
    return { partnershipId, ...counts };
  });
  return { ...result, milliseconds: Math.round(performance.now() - started) };
}

async function writePlan(db: Tx, partnershipId: string, config: Config, options: PlanOptions): Promise<Omit<SeedDemoPeopleResult, 'milliseconds'>> {
  // The seed's look-ups run on its own transaction, outside the door (demo.queries.ts says why);
  // the people themselves are written through the register's services as the demo users.
  if ((await countPeople(db, partnershipId)) > 0) throw new Error('The demo partnership already holds people; synthetic people are only added to a new demo.');

  const orgs = await findOrganisationCodes(db, partnershipId);
  const orgId = (code: string) => {
    const found = orgs.find((o) => o.code === code);
    if (!found) throw new Error(`The demo partnership has no organisation ${code}`);
    return found.id;
  };
  const emails = Object.values(demoWriters).map((w) => w.email);
  const users = await findDemoUsers(db, partnershipId, emails);
  const contexts = new Map<Writer, ServiceContext>();
  const userIds = new Map<Writer, string>();
  const requestId = `seed:demo-people:${randomUUID()}`;
  for (const [writer, spec] of Object.entries(demoWriters) as [Writer, (typeof demoWriters)[Writer]][]) {
    const user = users.find((u) => u.email === spec.email);
    if (!user) throw new Error(`The demo user ${spec.email} is missing: seed the demo partnership first`);
    const actor = await loadUserActor(db, user.id, orgId(spec.organisationCode));
    if (!actor) throw new Error(`The demo user ${spec.email} cannot act`);
    contexts.set(writer, serviceContext({ db, actor, requestId, config }));
    userIds.set(writer, user.id);
  }
  const teams = await findTeams(db, partnershipId);
  const teamIds = new Map<string, string>(teams.map((t) => [t.name, t.id]));

  const plan = planDemoPeople(options);
  let events = 0;
  let contacts = 0;
  const demoHistory = grantWorkflowAuthority('demo-seed', `demo people of ${partnershipId}`);
  for (const planned of plan) {
    const ctx = contexts.get(planned.createdBy)!;
    const teamId = planned.team ? teamIds.get(planned.team) : undefined;
    if (planned.team && !teamId) throw new Error(`The demo team ${planned.team} is missing`);
    const created = await createPerson(
      ctx,
      { ...planned.details, ...(teamId ? { allocatedTeamId: teamId } : {}), ...(planned.leadPractitioner ? { leadPractitionerId: userIds.get(planned.leadPractitioner) } : {}) },
      { confirmDuplicate: planned.confirmDuplicate },
    );
    if (created.outcome !== 'created') throw new Error(`Demo person ${planned.details.nhsNumber} looks like a duplicate of another demo person`);
    const personId = created.person.id;
    let openDisputeId: string | null = null;
    for (const e of planned.events) {
      const by = contexts.get(e.by)!;
      // A dispute is opened and resolved through its workflow, with its record (parties, interim
      // lead, stage), as a practitioner would, so the disputes list holds every dispute the legal
      // history and the flag tasks speak of (issue 13, item 8).
      if (e.event.type === 'dispute-opened') {
        openDisputeId = (await openDispute(by, personId, disputeInput(e.event.kind, demoWriters[e.by].organisationCode, e.event.date, orgId))).id;
      } else if (e.event.type === 'dispute-resolved' && openDisputeId) {
        await resolveDispute(by, openDisputeId, 1, {
          outcome: 'The councils agreed where the person was ordinarily resident; the interim lead funder stays responsible.',
          resolvedOn: e.event.date,
          responsibleOrganisationId: orgId(demoWriters[e.by].organisationCode),
        });
        openDisputeId = null;
      } else {
        // The demo's fictional history includes endings decided before it begins.
        await recordEvent(by, personId, { event: e.event, hospital: e.hospital, source: 'manual' }, { authority: demoHistory });
      }
      events += 1;
    }
    if (planned.rightsInWriting) {
      const r = planned.rightsInWriting;
      await recordInformationGiven(contexts.get(r.by)!, personId, await findPersonVersion(db, partnershipId, personId), {
        subject: 'rights-statement',
        givenOn: r.on,
        format: r.format,
        language: planned.details.preferredLanguage,
        understood: 'yes',
        offerAgain: false,
      });
    }
    // Contacts are added by whoever recorded the person's latest event (they are involved with them).
    const contactWriter = contexts.get(planned.events.at(-1)?.by ?? planned.createdBy)!;
    for (const c of planned.contacts) {
      await addContact(contactWriter, personId, c);
      contacts += 1;
    }
  }
  return { people: plan.length, events, contacts };
}

/** What the dispute form would send for a demo dispute opened by a council practitioner of `councilCode`. */
function disputeInput(kind: 'ordinary-residence' | 'funding', councilCode: string, aroseOn: string, orgId: (code: string) => string) {
  const council = orgId(councilCode);
  // Ordinary residence: with a neighbouring council of the partnership. Funding: with the ICB.
  const other = kind === 'funding' ? orgId('QZV') : orgId(localAreas.find((a) => a.code !== councilCode)!.code);
  return {
    kind,
    partyAOrganisationId: council,
    partyBOrganisationId: other,
    aroseOn,
    interimLeadOrganisationId: council,
    summary:
      kind === 'funding'
        ? 'The council and the ICB disagree on the split of the supported living costs; the council funds meanwhile.'
        : 'Both councils say the person was ordinarily resident in the other before detention; this council funds meanwhile.',
  };
}

/** The partnership seeded by `seedDemo`: the one whose lead organisation has the demo ICB's code. */
async function demoPartnershipId(db: Tx): Promise<string> {
  const rows = await findPartnershipsWithOrganisationCode(db, 'QZV');
  if (rows.length !== 1) throw new Error(rows.length === 0 ? 'No demo partnership: run seedDemo first' : 'Several demo partnerships: pass partnershipId');
  return rows[0]!;
}
