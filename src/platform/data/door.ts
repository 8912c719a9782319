import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Actor } from '../access/actor.ts';
import pg from 'pg';
import { recordChange, recordChanges, recordView, type AuditScope, type ChangeEvent } from '../audit/audit.ts';
import { rowsOf, type Db, type Tx } from '../db/database.ts';

/**
 * One door to the data (docs/decisions/0006-one-door-to-the-data.md).
 *
 * Every unit of work runs in a transaction that first, in one statement, sets
 * `aftercare.partnership_id` to the actor's partnership and switches to the role
 * `aftercare_tenant` (both local to the transaction). Row-level security on every table that
 * carries `partnership_id` (migration 0009) then filters each query, and refuses each write,
 * to the actor's partnership, whether or not the code wrote the filter. The connecting role
 * owns the tables and is not subject to the policies, which is why the door switches role
 * (PGlite runs as a superuser, who would bypass them too).
 */
export const TENANT_ROLE = 'aftercare_tenant';

/** Records audit events inside the transaction it was handed with: the write and its record commit together. */
export interface AuditRecorder {
  /** A change, with the state before and after (secrets scrubbed by src/platform/audit/audit.ts). */
  change(event: ChangeEvent): Promise<void>;
  /** Many changes in one multi-row statement (an import's batch), scrubbed the same way. */
  changes(events: ChangeEvent[]): Promise<void>;
  /** A view of something other than a person's record. */
  view(subject: { subjectType: string; subjectId: string; detail?: unknown }): Promise<void>;
  /** A view of a person's record. */
  viewPerson(personId: string, detail?: unknown): Promise<void>;
}

export interface DataDoor {
  readonly actor: Actor;
  /** Read, tenant-filtered by the database, in a short read-only transaction (or the unit already open). */
  read<T>(fn: (q: Tx) => Promise<T>): Promise<T>;
  /** Write, tenant-checked by the database, with an audit recorder bound to the same transaction. */
  transaction<T>(fn: (tx: Tx, audit: AuditRecorder) => Promise<T>): Promise<T>;
  /** Record that the actor viewed a person's record (in the open transaction, if there is one). */
  viewPerson(personId: string, detail?: unknown): Promise<void>;
  /** The same door for another actor of the same partnership (a loader acting with wider roles, say). */
  forActor(actor: Actor, requestId?: string): DataDoor;
  /**
   * The same door on another connection: its units never join the one open in this call chain,
   * so what they write is seen by others at once (the progress of a long import while its
   * transaction runs). Null where the database has a single connection (PGlite).
   */
  alongside(): DataDoor | null;
}

type Mode = 'read' | 'write';

interface OpenUnit {
  root: Db;
  partnershipId: string;
  tx: Tx;
  mode: Mode;
}

/** The unit of work open in this async call chain, so nested service calls reuse it. */
const openUnit = new AsyncLocalStorage<OpenUnit>();

export class TenancyError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The door for one actor. `db` is the database, or a transaction a caller already holds (the
 * demo seed's): then each unit is a savepoint and the role is put back when it ends.
 */
export function openDoor(db: Db, actor: Actor, requestId: string, options: { separate?: boolean } = {}): DataDoor {
  const scope: AuditScope = { actor, requestId };
  const insideRawTransaction = db instanceof PgTransaction;

  const partnershipLiteral = UUID.test(actor.partnershipId) ? actor.partnershipId.toLowerCase() : null;

  async function unit<T>(mode: Mode, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = options.separate ? undefined : openUnit.getStore();
    if (outer && outer.root === db) {
      if (outer.partnershipId !== actor.partnershipId) {
        throw new TenancyError('A unit of work for one partnership cannot run inside one for another partnership');
      }
      if (mode === 'write' && outer.mode === 'read') {
        throw new TenancyError('A write cannot run inside data.read(): open the outer unit with data.transaction()');
      }
      return fn(outer.tx);
    }
    if (partnershipLiteral === null) throw new TenancyError('The actor has no valid partnership');
    return db.transaction(
      async (tx) => {
        // One statement: the tenant and the role, local to this transaction. It carries no
        // parameters (the partnership id, checked to be a UUID, is written into it) so that, on
        // PostgreSQL, it travels with the BEGIN in one message (OneTripBeginClient).
        const before = rowsOf<{ role: string; partnership: string }>(
          await tx.execute(
            sql.raw(`select current_setting('role') as role, coalesce(current_setting('aftercare.partnership_id', true), '') as partnership,
                set_config('aftercare.partnership_id', '${partnershipLiteral}', true), set_config('role', '${TENANT_ROLE}', true)`),
          ),
        )[0]!;
        const result = await openUnit.run({ root: db, partnershipId: actor.partnershipId, tx, mode }, () => fn(tx));
        if (insideRawTransaction) {
          // A savepoint's SET LOCAL lasts until the enclosing transaction ends: put it back.
          await tx.execute(sql`select set_config('role', ${before.role}, true), set_config('aftercare.partnership_id', ${before.partnership}, true)`);
        }
        return result;
      },
      // drizzle's savepoints take no options; a top-level read is read-only.
      !insideRawTransaction && mode === 'read' ? { accessMode: 'read only' } : undefined,
    );
  }

  function recorder(tx: Tx): AuditRecorder {
    return {
      change: (event) => recordChange(tx, scope, event),
      changes: (events) => recordChanges(tx, scope, events),
      view: (subject) => recordView(tx, scope, subject),
      viewPerson: (personId, detail) => recordView(tx, scope, { subjectType: 'person', subjectId: personId, detail }),
    };
  }

  return {
    actor,
    read: (fn) => unit('read', fn),
    transaction: (fn) => unit('write', (tx) => fn(tx, recorder(tx))),
    viewPerson: (personId, detail) => unit('write', (tx) => recorder(tx).viewPerson(personId, detail)),
    forActor: (other, otherRequestId = requestId) => {
      if (other.partnershipId !== actor.partnershipId) throw new TenancyError('forActor keeps to one partnership: open a new door for another');
      return openDoor(db, other, otherRequestId, options);
    },
    alongside: () => (!insideRawTransaction && hasManyConnections(db) ? openDoor(db, actor, requestId, { separate: true }) : null),
  };
}

/** A pool (PostgreSQL) rather than one embedded connection (PGlite). */
function hasManyConnections(db: Db): boolean {
  return (db as unknown as { $client?: unknown }).$client instanceof pg.Pool;
}
