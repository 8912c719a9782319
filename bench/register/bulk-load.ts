/**
 * Bulk-load synthetic people for the register benchmark, fast: the same deterministic histories
 * as the demo (`demoPeople` in src/modules/demo/people.ts), each person's stored decision
 * computed by the real rules engine (`evaluateHistory`, as the services do), and the rows the
 * services would write (person with its decision and involved organisations, legal events,
 * contacts, open flag tasks), inserted with one multi-row statement per table and batch
 * (`json_populate_recordset`) instead of one service call per event. It is a benchmark fixture,
 * not a way into a partnership's register: the one path for legal events is `applyEvents` in
 * src/modules/register/events.service.ts (docs/decisions/0007-legal-events-one-path.md), and
 * the flag tasks here come from the register's own table (`taskForFlag`).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { addDays } from '../../src/domain/calendar-date.ts';
import { flagMeanings, type Decision } from '../../src/domain/rules/index.ts';
import { evaluateHistory, legalPositionFor, TASK_DUE_DAYS, taskForFlag, type StoredEvent } from '../../src/modules/register/decision.ts';
import { demoPeople, demoWriters, type PlannedPerson, type Writer } from '../../src/modules/demo/people.ts';

export interface BulkLoadResult {
  people: number;
  events: number;
  contacts: number;
  tasks: number;
  statuses: Record<string, number>;
  /** prepare: planning and building rows, including evaluate (the rules engine); insert overlaps prepare. */
  milliseconds: { prepare: number; evaluate: number; insert: number; total: number };
}

interface Lookups {
  orgIdByCode: Map<string, string>;
  writerUser: Map<Writer, string>;
  writerOrg: Map<Writer, string>;
  teamId: Map<string, { id: string; organisationId: string }>;
}

async function lookups(pool: pg.Pool, partnershipId: string): Promise<Lookups> {
  const orgs = await pool.query<{ id: string; code: string; ons_code: string | null }>('select id, code, ons_code from organisation where partnership_id = $1', [partnershipId]);
  const orgIdByCode = new Map<string, string>();
  for (const o of orgs.rows) {
    orgIdByCode.set(o.code, o.id);
    if (o.ons_code) orgIdByCode.set(o.ons_code, o.id);
  }
  const users = await pool.query<{ id: string; email: string }>('select id, email from app_user where partnership_id = $1', [partnershipId]);
  const writerUser = new Map<Writer, string>();
  const writerOrg = new Map<Writer, string>();
  for (const [writer, spec] of Object.entries(demoWriters) as [Writer, (typeof demoWriters)[Writer]][]) {
    const user = users.rows.find((u) => u.email === spec.email);
    if (!user) throw new Error(`Demo user ${spec.email} is missing`);
    writerUser.set(writer, user.id);
    writerOrg.set(writer, orgIdByCode.get(spec.organisationCode)!);
  }
  const teams = await pool.query<{ id: string; name: string; organisation_id: string }>('select id, name, organisation_id from team where partnership_id = $1', [partnershipId]);
  const teamId = new Map(teams.rows.map((t) => [t.name, { id: t.id, organisationId: t.organisation_id }]));
  return { orgIdByCode, writerUser, writerOrg, teamId };
}

interface Batch {
  people: Record<string, unknown>[];
  events: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  tasks: Record<string, unknown>[];
}

const columns = {
  person: [
    'partnership_id', 'id', 'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'address', 'postcode', 'residence_local_authority', 'gp_practice', 'gp_icb',
    'ethnicity', 'sex', 'gender', 'preferred_language', 'interpreter_needed', 'communication_needs', 'communication_notes', 'allocated_team_id', 'lead_practitioner_id',
    'engagement', 'last_contact_on', 'expected_discharge_on', 'discharge_planning', 'recorded_by_organisation_id', 'involved_organisations', 'status', 'entitlement_start',
    'responsible_local_authority', 'responsible_icb', 'next_review_due', 'flags', 'legal_position', 'decision', 'decided_on',
  ],
  legal_event: ['partnership_id', 'id', 'person_id', 'type', 'occurred_on', 'sequence', 'payload', 'hospital', 'source', 'recorded_by'],
  person_contact: ['partnership_id', 'id', 'person_id', 'relationship', 'name', 'phone', 'email', 'address', 'consent_to_share', 'notes'],
  task: ['partnership_id', 'id', 'person_id', 'kind', 'flag', 'title', 'detail', 'owner_organisation_id', 'due_on', 'status'],
} as const;

async function insertRows(client: pg.PoolClient, table: keyof typeof columns, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const list = columns[table].join(', ');
  await client.query(`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(rows)]);
}

function rowsFor(planned: PlannedPerson, partnershipId: string, today: string, l: Lookups, batch: Batch, statuses: Record<string, number>, timing: { evaluate: number }): void {
  const personId = randomUUID();
  const history: StoredEvent[] = planned.events.map((e, i) => {
    const { type, date, ...payload } = e.event;
    return { id: String(i), type, occurredOn: date, payload };
  });
  const started = performance.now();
  const decision: Decision = evaluateHistory(history, planned.details.dateOfBirth, today);
  timing.evaluate += performance.now() - started;
  statuses[decision.status] = (statuses[decision.status] ?? 0) + 1;

  // Who is involved, as createPerson and recordEvent record it: the recorder, the team's organisation, every organisation that recorded an event.
  const team = planned.team ? l.teamId.get(planned.team) : undefined;
  const involved = new Set<string>([l.writerOrg.get(planned.createdBy)!]);
  if (team) involved.add(team.organisationId);
  for (const e of planned.events) involved.add(l.writerOrg.get(e.by)!);
  const recordedBy = l.writerOrg.get(planned.createdBy)!;
  const d = planned.details;
  batch.people.push({
    partnership_id: partnershipId,
    id: personId,
    nhs_number: d.nhsNumber,
    given_name: d.givenName,
    family_name: d.familyName,
    date_of_birth: d.dateOfBirth,
    address: d.address ?? null,
    postcode: d.postcode,
    residence_local_authority: d.residenceLocalAuthority,
    gp_practice: d.gpPractice,
    gp_icb: d.gpIcb,
    ethnicity: d.ethnicity,
    sex: d.sex,
    gender: d.gender ?? null,
    preferred_language: d.preferredLanguage,
    interpreter_needed: d.interpreterNeeded,
    communication_needs: d.communicationNeeds,
    communication_notes: d.communicationNotes ?? null,
    allocated_team_id: team?.id ?? null,
    lead_practitioner_id: planned.leadPractitioner ? l.writerUser.get(planned.leadPractitioner)! : null,
    engagement: d.engagement,
    last_contact_on: d.lastContactOn ?? null,
    expected_discharge_on: d.expectedDischargeOn ?? null,
    discharge_planning: d.dischargePlanning,
    recorded_by_organisation_id: recordedBy,
    involved_organisations: [...involved],
    status: decision.status,
    entitlement_start: decision.entitlementStart,
    responsible_local_authority: decision.responsibleLocalAuthority,
    responsible_icb: decision.responsibleIcb,
    next_review_due: decision.nextReviewDue,
    flags: decision.flags,
    legal_position: legalPositionFor(history, today),
    decision,
    decided_on: today,
  });
  const sameDay = new Map<string, number>();
  for (const e of planned.events) {
    const { type, date, ...payload } = e.event;
    const sequence = (sameDay.get(date) ?? 0) + 1;
    sameDay.set(date, sequence);
    batch.events.push({ partnership_id: partnershipId, id: randomUUID(), person_id: personId, type, occurred_on: date, sequence, payload, hospital: e.hospital, source: 'manual', recorded_by: l.writerUser.get(e.by)! });
  }
  for (const c of planned.contacts) {
    batch.contacts.push({ partnership_id: partnershipId, id: randomUUID(), person_id: personId, relationship: c.relationship, name: c.name, phone: c.phone ?? null, email: c.email ?? null, address: c.address ?? null, consent_to_share: c.consentToShare, notes: c.notes ?? null });
  }
  for (const flag of decision.flags) {
    // The register's own table of flags that need a person to decide (decision.ts), not a copy.
    const spec = taskForFlag[flag];
    if (!spec) continue;
    const code = spec.owner === 'icb' ? decision.responsibleIcb : decision.responsibleLocalAuthority;
    batch.tasks.push({
      partnership_id: partnershipId,
      id: randomUUID(),
      person_id: personId,
      kind: 'flag',
      flag,
      title: spec.title,
      detail: flagMeanings[flag],
      owner_organisation_id: (code ? l.orgIdByCode.get(code) : undefined) ?? recordedBy,
      due_on: addDays(today, TASK_DUE_DAYS),
      status: 'open',
    });
  }
}

/**
 * Load `count` people into the partnership. Batches are built while the previous one is being
 * inserted, so the generator and PostgreSQL share the two cores.
 */
export async function bulkLoad(pool: pg.Pool, partnershipId: string, count: number, today: string, progress: (line: string) => void): Promise<BulkLoadResult> {
  const startedAt = performance.now();
  const l = await lookups(pool, partnershipId);
  const BATCH = 2000;
  const statuses: Record<string, number> = {};
  const timing = { prepare: 0, evaluate: 0, insert: 0 };
  const totals = { people: 0, events: 0, contacts: 0, tasks: 0 };
  let pending: Promise<void> | null = null;
  let batch: Batch = { people: [], events: [], contacts: [], tasks: [] };
  let lastReport = performance.now();

  const flush = async (full: Batch) => {
    const t = performance.now();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await insertRows(client, 'person', full.people);
      await insertRows(client, 'legal_event', full.events);
      await insertRows(client, 'person_contact', full.contacts);
      await insertRows(client, 'task', full.tasks);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    timing.insert += performance.now() - t;
  };

  const people = demoPeople({ count, today, seed: 117 });
  for (;;) {
    const t = performance.now();
    const next = people.next();
    if (!next.done) rowsFor(next.value, partnershipId, today, l, batch, statuses, timing);
    timing.prepare += performance.now() - t;
    if (batch.people.length === BATCH || (next.done && batch.people.length > 0)) {
      if (pending) await pending;
      const full = batch;
      totals.people += full.people.length;
      totals.events += full.events.length;
      totals.contacts += full.contacts.length;
      totals.tasks += full.tasks.length;
      pending = flush(full);
      batch = { people: [], events: [], contacts: [], tasks: [] };
      if (performance.now() - lastReport > 15_000) {
        progress(`  … ${totals.people.toLocaleString('en-GB')} people`);
        lastReport = performance.now();
      }
    }
    if (next.done) break;
  }
  if (pending) await pending;
  return {
    ...totals,
    statuses,
    milliseconds: { prepare: Math.round(timing.prepare), evaluate: Math.round(timing.evaluate), insert: Math.round(timing.insert), total: Math.round(performance.now() - startedAt) },
  };
}
