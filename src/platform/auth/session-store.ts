import { eq, lt, sql } from 'drizzle-orm';
import type { SessionStore } from '@fastify/session';
import type { Db, DbOrTx } from '../db/database.ts';
import { session as sessionTable } from '../db/schema.ts';

/**
 * @fastify/session store backed by the `session` table: app instances keep nothing in
 * memory, so any instance can serve any request. The row's expiry is the idle timeout;
 * the absolute timeout is checked from `createdAt` in the session data.
 */
export interface SessionData {
  userId?: string;
  activeOrganisationId?: string;
  /** 'local' for a password; later 'oidc:<organisation code>' for an identity provider. */
  authMethod?: string;
  signedInAt?: number;
  lastSeenAt?: number;
  flash?: { type: 'success' | 'important'; text: string };
  [key: string]: unknown;
}

type Callback = (err?: unknown) => void;

export class DatabaseSessionStore {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
  ) {}

  set(sid: string, session: unknown, callback: Callback): void {
    // The session object holds its internals under symbols; JSON keeps only the data and cookie.
    const data = JSON.parse(JSON.stringify(session)) as SessionData;
    const expiresAt = new Date(Date.now() + this.idleMs);
    const userId = typeof data.userId === 'string' ? data.userId : null;
    this.db
      .insert(sessionTable)
      .values({ sid, userId, data, expiresAt })
      .onConflictDoUpdate({ target: sessionTable.sid, set: { userId, data, expiresAt } })
      .then(() => callback(), callback);
  }

  get(sid: string, callback: Parameters<SessionStore['get']>[1]): void {
    this.db
      .select({ data: sessionTable.data, expiresAt: sessionTable.expiresAt })
      .from(sessionTable)
      .where(eq(sessionTable.sid, sid))
      .then((rows) => {
        const row = rows[0];
        if (!row || row.expiresAt.getTime() <= Date.now()) return callback(null, null);
        // The store hands back plain data; @fastify/session turns it into a Session.
        callback(null, row.data as Parameters<typeof callback>[1]);
      }, (err: unknown) => callback(err));
  }

  destroy(sid: string, callback: Callback): void {
    this.db
      .delete(sessionTable)
      .where(eq(sessionTable.sid, sid))
      .then(() => callback(), callback);
  }
}

export async function destroyUserSessions(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db.delete(sessionTable).where(eq(sessionTable.userId, userId)).returning({ sid: sessionTable.sid });
  return rows.length;
}

export async function purgeExpiredSessions(db: Db): Promise<number> {
  const rows = await db.delete(sessionTable).where(lt(sessionTable.expiresAt, sql`now()`)).returning({ sid: sessionTable.sid });
  return rows.length;
}
