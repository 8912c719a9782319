import { randomUUID } from 'node:crypto';
import { addDays } from '../../domain/calendar-date.ts';
import {
  eventsForRecord,
  findDuplicates,
  normaliseRow,
  pivotYearFor,
  type KnownOrganisation,
  type LegacyRecord,
  type Mapping,
  type PlannedLegalEvent,
} from '../../domain/legacy-register.ts';
import { evaluate, flagMeanings, legalPositionOf, parseCase, type Decision, type Flag, type LegalPosition } from '../../domain/rules/index.ts';
import type { Actor } from '../../platform/access/actor.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { successorOfFormerCcg } from '../../platform/reference/former-ccgs.ts';
import { caseFor, reviewPolicyFor, taskForFlag, TASK_DUE_DAYS, type DecisionSummary, type StoredEvent } from '../register/index.ts';
import {
  findEventsByExternalIds,
  findHistories,
  findImportedFunding,
  findOpenFlagTasks,
  findPartnershipOrganisations,
  findPartnershipTeams,
  findPartnershipUsers,
  findPeopleByNhsNumbers,
  findTasksOfKind,
  type Outcome,
  type StagedRow,
} from './imports.queries.ts';

/*
 * The check behind both the dry run and the apply: every row normalised and checked in memory,
 * what the register already holds read in a few set-based queries (1,000 keys a query), every
 * person's history (stored plus imported) evaluated by the rules engine in memory, and the
 * writes each person needs worked out without touching the database. `apply.ts` writes them
 * with multi-row statements.
 */

export type { Outcome, StagedRow } from './imports.queries.ts';

export interface RowResult {
  rowNumber: number;
  outcome: Outcome;
  /** Why a row is rejected, or what was normalised or noticed (warnings). */
  reasons: string[];
  record: LegacyRecord | null;
  nhsNumber: string | null;
}

export interface EventWrite {
  id: string;
  type: string;
  occurredOn: string;
  sequence: number;
  payload: Record<string, unknown>;
  externalId: string;
}

export interface PersonWrite {
  rowNumber: number;
  outcome: 'create' | 'update';
  personId: string;
  record: LegacyRecord;
  /** The person as it stood, for updates (audit "before"). */
  before: { summary: DecisionSummary; postcode: string | null; allocatedTeamId: string | null; leadPractitionerId: string | null } | null;
  fields: { postcode: string | null; allocatedTeamId: string | null; leadPractitionerId: string | null; involvedOrganisations: string[] };
  events: EventWrite[];
  decision: Decision;
  /** Where the person stands under the Act (on a CTO, …), stored beside the decision. */
  legalPosition: LegalPosition[];
  /** Flag tasks to open (the flags that need a person to decide) and open ones to close. */
  openFlags: Flag[];
  cancelTaskIds: string[];
  /** "Ended" in the legacy register: a task for the responsible bodies to confirm the ending. */
  endingTask: { ownerOrganisationId: string; detail: string } | null;
  /** Who the flag tasks go to. */
  ownerLocalAuthorityId: string | null;
  ownerIcbId: string | null;
  /** The weekly cost and split the row gives, when they differ from what is recorded (null: nothing to record). */
  funding: { weeklyCostPence: number | null; localAuthorityBasisPoints: number | null } | null;
}

export interface ImportPlan {
  rows: RowResult[];
  writes: PersonWrite[];
  counts: Record<Outcome, number>;
}

/** The kind of the task raised when a legacy register says aftercare has ended. */
export const ENDING_TASK_KIND = 'import-ending-check';
export const ENDING_TASK_TITLE = 'Confirm whether section 117 aftercare has ended (the imported register says it has)';

const CHUNK = 1000;
function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

type ExistingPerson = Awaited<ReturnType<typeof findPeopleByNhsNumbers>>[number];

const nameKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface PlanOptions {
  dayFirst: boolean;
  today: string;
  /** The organisation the import acts for: recorded-by on new people, owner of tasks with no responsible body. */
  organisationId: string;
  /** Rows whose section gives no right to aftercare: imported with a warning, or rejected. */
  noEntitlement: 'accept' | 'reject';
}

/** A former CCG named in a register, as the ICB that replaced it (the shipped reference list). */
function formerCcg(text: string) {
  const found = successorOfFormerCcg(text);
  return found ? { ccg: `${found.ccg.name ?? 'CCG'} (${found.ccg.code})`, icbName: found.icb.name, icbOdsCode: found.icb.odsCode, icbOnsCode: found.icb.code } : null;
}

export async function planImport(db: DbOrTx, actor: Actor, staged: StagedRow[], mapping: Mapping, options: PlanOptions): Promise<ImportPlan> {
  const partnershipId = actor.partnershipId;
  const orgRows = await findPartnershipOrganisations(db, partnershipId);
  const organisations: KnownOrganisation[] = orgRows;
  const orgIdByCode = new Map<string, string>();
  for (const o of orgRows) {
    orgIdByCode.set(o.code.toUpperCase(), o.id);
    if (o.onsCode) orgIdByCode.set(o.onsCode.toUpperCase(), o.id);
  }
  const orgName = (code: string | null) => orgRows.find((o) => o.code === code || o.onsCode === code)?.name ?? code ?? 'the responsible body';
  const teams = await findPartnershipTeams(db, partnershipId);
  const users = await findPartnershipUsers(db, partnershipId);
  const policy = await reviewPolicyFor(db, partnershipId);

  const results = new Map<number, RowResult>();
  const valid: Array<{ rowNumber: number; record: LegacyRecord; warnings: string[] }> = [];
  const context = { organisations, dayFirst: options.dayFirst, pivotYear: pivotYearFor(options.today), noEntitlement: options.noEntitlement, formerCcg };
  for (const row of staged) {
    const n = normaliseRow(row.cells, mapping, context);
    if (n.ok) valid.push({ rowNumber: row.rowNumber, record: n.record, warnings: n.warnings });
    else results.set(row.rowNumber, { rowNumber: row.rowNumber, outcome: 'reject', reasons: [...n.errors, ...n.warnings], record: null, nhsNumber: n.nhsNumber });
  }

  // Duplicates within the file.
  const dupes = findDuplicates(valid);
  const firsts: typeof valid = [];
  const duplicatesOf = new Map<number, number[]>();
  for (const v of valid) {
    const d = dupes.get(v.rowNumber)!;
    if (d.kind === 'first') firsts.push(v);
    else if (d.kind === 'duplicate') {
      duplicatesOf.set(d.of, [...(duplicatesOf.get(d.of) ?? []), v.rowNumber]);
    } else {
      results.set(v.rowNumber, {
        rowNumber: v.rowNumber,
        outcome: 'reject',
        reasons: [`NHS number ${v.record.nhsNumber} is also on row${d.with.length > 1 ? 's' : ''} ${d.with.join(', ')} with different details: keep one row per person`, ...v.warnings],
        record: v.record,
        nhsNumber: v.record.nhsNumber,
      });
    }
  }

  // What the register holds already, in a few queries.
  const nhsNumbers = firsts.map((f) => f.record.nhsNumber);
  // The stored decision's summary columns, not the decision itself (kilobytes a person).
  const existing = new Map<string, ExistingPerson>();
  for (const batch of chunks(nhsNumbers)) {
    const found = await findPeopleByNhsNumbers(db, partnershipId, batch);
    for (const p of found) existing.set(p.nhsNumber, p);
  }
  const planned = new Map<number, PlannedLegalEvent[]>();
  for (const f of firsts) planned.set(f.rowNumber, eventsForRecord(f.record));
  const known = new Map<string, { personId: string; type: string; occurredOn: string; payload: unknown }>();
  for (const batch of chunks([...planned.values()].flat().map((e) => e.externalId))) {
    const rows = await findEventsByExternalIds(db, partnershipId, batch);
    for (const r of rows) known.set(r.externalId!, r);
  }
  // Funding already recorded for people the file gives funding for.
  const hasFunding = (r: LegacyRecord) => r.weeklyCostPence !== null || r.localAuthorityBasisPoints !== null;
  const fundingOf = new Map<string, { weeklyCostPence: number | null; localAuthorityBasisPoints: number | null }>();
  for (const batch of chunks(firsts.filter((f) => hasFunding(f.record)).flatMap((f) => existing.get(f.record.nhsNumber)?.id ?? []))) {
    for (const row of await findImportedFunding(db, partnershipId, batch)) fundingOf.set(row.personId, row);
  }
  const fundingChange = (r: LegacyRecord, personId: string | undefined) => {
    if (!hasFunding(r)) return null;
    const recorded = personId ? fundingOf.get(personId) : undefined;
    if (recorded && recorded.weeklyCostPence === r.weeklyCostPence && recorded.localAuthorityBasisPoints === r.localAuthorityBasisPoints) return null;
    return { weeklyCostPence: r.weeklyCostPence, localAuthorityBasisPoints: r.localAuthorityBasisPoints };
  };
  const teamFor = (r: LegacyRecord) => (r.team ? teams.find((t) => nameKey(t.name) === nameKey(r.team!)) : undefined);
  const coordinatorsFor = (r: LegacyRecord) => (r.careCoordinator ? users.filter((u) => nameKey(u.name) === nameKey(r.careCoordinator!)) : []);

  // Ending tasks already raised, for people the register says have ended.
  const endingTasks = new Set<string>();
  const endedIds = firsts.filter((f) => f.record.s117Status === 'ended').flatMap((f) => existing.get(f.record.nhsNumber)?.id ?? []);
  for (const batch of chunks(endedIds)) {
    const rows = await findTasksOfKind(db, partnershipId, batch, ENDING_TASK_KIND);
    for (const t of rows) endingTasks.add(t.personId);
  }
  // Histories and open flag tasks only of people something will change for: a row with nothing
  // new (the usual case when a file comes again) needs neither.
  const changing = firsts.flatMap((f) => {
    const found = existing.get(f.record.nhsNumber);
    if (!found) return [];
    const r = f.record;
    const fresh = planned.get(f.rowNumber)!.some((e) => !known.has(e.externalId));
    const coordinators = coordinatorsFor(r);
    const fills = (!found.postcode && r.postcode) || (!found.allocatedTeamId && teamFor(r)) || (!found.leadPractitionerId && coordinators.length === 1);
    return fresh || fills || fundingChange(r, found.id) || (r.s117Status === 'ended' && !endingTasks.has(found.id)) ? [found.id] : [];
  });
  const histories = new Map<string, Array<StoredEvent & { sequence: number }>>();
  const openFlagTasks = new Map<string, Array<{ id: string; flag: string | null }>>();
  for (const batch of chunks(changing)) {
    const events = await findHistories(db, partnershipId, batch);
    for (const e of events) {
      const list = histories.get(e.personId);
      if (list) list.push(e);
      else histories.set(e.personId, [e]);
    }
    const tasks = await findOpenFlagTasks(db, partnershipId, batch);
    for (const t of tasks) openFlagTasks.set(t.personId, [...(openFlagTasks.get(t.personId) ?? []), { id: t.id, flag: t.flag }]);
  }
  const changingSet = new Set(changing);
  for (const h of histories.values()) h.sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : a.sequence - b.sequence));

  const writes: PersonWrite[] = [];
  for (const f of firsts) {
    const r = f.record;
    const reasons = [...f.warnings];
    const problems: string[] = [];
    const found = existing.get(r.nhsNumber);
    if (found && r.dateOfBirth && r.dateOfBirth !== found.dateOfBirth) {
      problems.push(`date of birth ${r.dateOfBirth} does not match ${found.dateOfBirth}, the date of birth on the register for NHS number ${r.nhsNumber}: check the NHS number`);
    }
    if (!found) {
      const missing = [!r.givenName && 'forename', !r.familyName && 'surname', !r.dateOfBirth && 'date of birth'].filter(Boolean);
      if (missing.length) problems.push(`${missing.join(', ')} empty, but needed to add NHS number ${r.nhsNumber}, who is not on the register yet`);
    } else if ((r.givenName && nameKey(r.givenName) !== nameKey(found.givenName)) || (r.familyName && nameKey(r.familyName) !== nameKey(found.familyName))) {
      reasons.push(`the register has this NHS number as ${found.givenName} ${found.familyName}: the name is not changed by an import`);
    }
    // Team and care coordinator by name.
    const teamRow = teamFor(r);
    if (r.team && !teamRow) reasons.push(`team '${r.team}' is not a team in Aftercare: not allocated`);
    const coordinator = coordinatorsFor(r);
    if (r.careCoordinator && coordinator.length !== 1) reasons.push(`care coordinator '${r.careCoordinator}' is not ${coordinator.length ? 'one' : 'a'} user of Aftercare: no lead practitioner set`);

    // Events: new, already recorded the same, or already recorded differently.
    const personId = found?.id ?? randomUUID();
    const fresh: PlannedLegalEvent[] = [];
    for (const e of planned.get(f.rowNumber)!) {
      const stored = known.get(e.externalId);
      if (!stored) fresh.push(e);
      else if (stored.personId !== found?.id) problems.push(`the ${e.type} of ${e.date} (${e.externalId}) is already recorded for a person with another NHS number`);
      else if (stored.type !== e.type || stored.occurredOn !== e.date || !sameJson(stored.payload, e.payload)) problems.push(`the ${e.type} of ${e.date} is already recorded differently on the register: correct it on the person's record`);
    }
    if (found && !problems.length && !changingSet.has(found.id)) {
      // Nothing new for someone already on the register: unchanged, without re-evaluating.
      if (r.s117Status === 'ended') reasons.push('the register says aftercare has ended: it is not ended by the import (ending is a joint decision of the local authority and the ICB); the task asking them to confirm it has already been raised');
      results.set(f.rowNumber, { rowNumber: f.rowNumber, outcome: 'unchanged', reasons, record: r, nhsNumber: r.nhsNumber });
      continue;
    }
    let decision: Decision | null = null;
    let legalPosition: LegalPosition[] = [];
    const eventWrites: EventWrite[] = [];
    const stored = found ? (histories.get(found.id) ?? []) : [];
    const dateOfBirth = found?.dateOfBirth ?? r.dateOfBirth;
    if (!problems.length && dateOfBirth) {
      const lastSequence = new Map<string, number>();
      for (const e of stored) lastSequence.set(e.occurredOn, Math.max(lastSequence.get(e.occurredOn) ?? 0, e.sequence));
      for (const e of fresh) {
        const sequence = (lastSequence.get(e.date) ?? 0) + 1;
        lastSequence.set(e.date, sequence);
        eventWrites.push({ id: randomUUID(), type: e.type, occurredOn: e.date, sequence, payload: e.payload, externalId: e.externalId });
      }
      const history = [...stored, ...eventWrites].sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : a.sequence - b.sequence));
      const parsed = parseCase(caseFor(history, dateOfBirth, options.today, policy));
      if (parsed.ok) {
        decision = evaluate(parsed.value);
        legalPosition = legalPositionOf(parsed.value.events, parsed.value.asOf);
      } else {
        for (const e of parsed.problem.errors) {
          const m = /^events\[(\d+)\]/.exec(e.path);
          const ev = m ? history[Number(m[1])] : undefined;
          problems.push(`the legal history would not make sense${ev ? ` at the ${ev.type} of ${ev.occurredOn}` : ''}: ${e.message}`);
        }
      }
    }
    if (problems.length || !decision) {
      results.set(f.rowNumber, { rowNumber: f.rowNumber, outcome: 'reject', reasons: [...problems, ...reasons], record: r, nhsNumber: r.nhsNumber });
      continue;
    }

    const fields = {
      postcode: found?.postcode ?? r.postcode,
      allocatedTeamId: found?.allocatedTeamId ?? teamRow?.id ?? null,
      leadPractitionerId: found?.leadPractitionerId ?? (coordinator.length === 1 ? coordinator[0]!.id : null),
      involvedOrganisations: [...new Set([...(found?.involvedOrganisations ?? [options.organisationId]), ...(teamRow ? [teamRow.organisationId] : [])])],
    };
    const fieldsChanged = found
      ? fields.postcode !== found.postcode || fields.allocatedTeamId !== found.allocatedTeamId || fields.leadPractitionerId !== found.leadPractitionerId || fields.involvedOrganisations.length !== found.involvedOrganisations.length
      : true;
    const laId = decision.responsibleLocalAuthority ? (orgIdByCode.get(decision.responsibleLocalAuthority) ?? null) : null;
    const icbId = decision.responsibleIcb ? (orgIdByCode.get(decision.responsibleIcb) ?? null) : null;
    let endingTask: PersonWrite['endingTask'] = null;
    if (r.s117Status === 'ended') {
      reasons.push(
        `the register says aftercare has ended${r.aftercareEndedOn ? ` (${r.aftercareEndedOn})` : ''}: it is not ended by the import, because ending is a joint decision of the local authority and the ICB; a task asks ${orgName(decision.responsibleLocalAuthority)} to confirm it with ${orgName(decision.responsibleIcb)}`,
      );
      if (!found || !endingTasks.has(found.id)) {
        endingTask = {
          ownerOrganisationId: laId ?? options.organisationId,
          detail: `The register imported on ${options.today} (row ${f.rowNumber}) records section 117 aftercare as ended${r.aftercareEndedOn ? ` on ${r.aftercareEndedOn}` : ''}. Aftercare continues until the local authority (${orgName(decision.responsibleLocalAuthority)}) and the ICB (${orgName(decision.responsibleIcb)}) have jointly decided the person no longer needs it, with the person involved (MHA 1983 s117(2); Mental Health Act Code of Practice 33.20–33.22). If that decision was made, record it through "End section 117"; if not, close this task.`,
        };
      }
    }
    const wanted = decision.flags.filter((fl) => taskForFlag[fl]);
    const open = found ? (openFlagTasks.get(found.id) ?? []) : [];
    const openFlags = eventWrites.length || !found ? wanted.filter((fl) => !open.some((t) => t.flag === fl)) : [];
    const cancelTaskIds = eventWrites.length ? open.filter((t) => t.flag && !wanted.includes(t.flag as Flag)).map((t) => t.id) : [];
    const funding = fundingChange(r, found?.id);
    const outcome: Outcome = !found ? 'create' : eventWrites.length || fieldsChanged || endingTask || funding ? 'update' : 'unchanged';
    results.set(f.rowNumber, { rowNumber: f.rowNumber, outcome, reasons, record: r, nhsNumber: r.nhsNumber });
    if (outcome === 'unchanged') continue;
    writes.push({
      rowNumber: f.rowNumber,
      outcome,
      personId,
      record: r,
      before: found
        ? {
            summary: { status: found.status, entitlementStart: found.entitlementStart, responsibleLocalAuthority: found.responsibleLocalAuthority, responsibleIcb: found.responsibleIcb, nextReviewDue: found.nextReviewDue, flags: found.flags as Flag[] },
            postcode: found.postcode,
            allocatedTeamId: found.allocatedTeamId,
            leadPractitionerId: found.leadPractitionerId,
          }
        : null,
      fields,
      events: eventWrites,
      decision,
      legalPosition,
      openFlags,
      cancelTaskIds,
      endingTask,
      ownerLocalAuthorityId: laId,
      ownerIcbId: icbId,
      funding,
    });
  }

  // A duplicate row follows its first row: nothing more to do, or rejected with it.
  for (const [first, dups] of duplicatesOf) {
    const head = results.get(first)!;
    for (const d of dups) {
      results.set(d, {
        rowNumber: d,
        outcome: head.outcome === 'reject' ? 'reject' : 'unchanged',
        reasons: [head.outcome === 'reject' ? `duplicate of row ${first}, which is rejected` : `duplicate of row ${first}: the same person with the same details`],
        record: head.record,
        nhsNumber: head.nhsNumber,
      });
    }
  }
  const rows = staged.map((s) => results.get(s.rowNumber)!);
  const counts: Record<Outcome, number> = { create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const r of rows) counts[r.outcome]++;
  return { rows, writes, counts };
}

/** The flag tasks a plan opens, as rows for a multi-row insert. */
export function flagTaskRows(partnershipId: string, w: PersonWrite, today: string, fallbackOrganisationId: string) {
  return w.openFlags.map((flag) => {
    const spec = taskForFlag[flag]!;
    return {
      partnershipId,
      personId: w.personId,
      kind: 'flag',
      flag,
      title: spec.title,
      detail: flagMeanings[flag],
      ownerOrganisationId: (spec.owner === 'icb' ? w.ownerIcbId : w.ownerLocalAuthorityId) ?? fallbackOrganisationId,
      dueOn: addDays(today, TASK_DUE_DAYS),
    };
  });
}
