import { and, asc, count, eq, max } from 'drizzle-orm';
import { defaultPillars, defaultQuestions } from '../../domain/audit-checklist.ts';
import { recordChange, type AuditScope, type ChangeEvent } from '../../platform/audit/audit.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { auditChecklistItem, auditPillar } from './schema.ts';

/*
 * The audit checklist's data layer. The service hands these functions the handle of its door
 * unit (row-level security confines them to the actor's partnership). `ensureChecklist(db,
 * scope)` stays for the demo seed, which seeds inside its own transaction.
 */

export type PillarRow = typeof auditPillar.$inferSelect;
export type ChecklistItemRow = typeof auditChecklistItem.$inferSelect;

export interface ChecklistPillar extends PillarRow {
  items: ChecklistItemRow[];
}

export async function hasChecklist(q: DbOrTx, partnershipId: string): Promise<boolean> {
  const [existing] = await q.select({ n: count() }).from(auditPillar).where(eq(auditPillar.partnershipId, partnershipId));
  return (existing?.n ?? 0) > 0;
}

/**
 * Insert the default pillars and questions (ON CONFLICT DO NOTHING on the keys, so a second
 * caller racing the first inserts nothing) and record it. Returns whether anything was added.
 */
export async function seedDefaultChecklist(tx: DbOrTx, partnershipId: string, record: (event: ChangeEvent) => Promise<void>): Promise<boolean> {
  const pillars = await tx
    .insert(auditPillar)
    .values(defaultPillars.map((p) => ({ partnershipId, number: p.number, name: p.name, description: p.description, confirmedTitle: p.confirmedTitle })))
    .onConflictDoNothing()
    .returning({ number: auditPillar.number });
  if (pillars.length === 0) return false;
  const items = await tx
    .insert(auditChecklistItem)
    .values(
      defaultQuestions.map((q, i) => ({
        partnershipId,
        pillar: q.pillar,
        code: q.code,
        question: q.question,
        guidance: q.guidance || null,
        source: q.source,
        position: i + 1,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: auditChecklistItem.id });
  await record({ action: 'audit-checklist.seeded', subjectType: 'audit-checklist', subjectId: null, after: { pillars: pillars.length, questions: items.length } });
  return true;
}

/**
 * Seed the default pillars and questions into a partnership that has none, in the caller's
 * database or transaction (the demo seed's). Idempotent. Returns whether anything was added.
 */
export async function ensureChecklist(db: DbOrTx, scope: AuditScope): Promise<boolean> {
  const partnershipId = scope.actor.partnershipId;
  if (await hasChecklist(db, partnershipId)) return false;
  return db.transaction((tx) => seedDefaultChecklist(tx, partnershipId, (event) => recordChange(tx, scope, event)));
}

export async function loadChecklist(q: DbOrTx, partnershipId: string): Promise<ChecklistPillar[]> {
  const pillars = await q.select().from(auditPillar).where(eq(auditPillar.partnershipId, partnershipId)).orderBy(asc(auditPillar.number));
  const items = await q
    .select()
    .from(auditChecklistItem)
    .where(eq(auditChecklistItem.partnershipId, partnershipId))
    .orderBy(asc(auditChecklistItem.pillar), asc(auditChecklistItem.position), asc(auditChecklistItem.code));
  return pillars.map((p) => ({ ...p, items: items.filter((i) => i.pillar === p.number) }));
}

export async function findPillar(q: DbOrTx, partnershipId: string, number: number): Promise<PillarRow | undefined> {
  return (await q.select().from(auditPillar).where(and(eq(auditPillar.partnershipId, partnershipId), eq(auditPillar.number, number))))[0];
}

export async function updatePillarAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  number: number,
  version: number,
  changes: { name: string; description: string | null; updatedBy: string | null; updatedAt: Date },
): Promise<PillarRow[]> {
  return tx
    .update(auditPillar)
    .set({ ...changes, confirmedTitle: true, version: version + 1 })
    .where(and(eq(auditPillar.partnershipId, partnershipId), eq(auditPillar.number, number), eq(auditPillar.version, version)))
    .returning();
}

export async function findItem(q: DbOrTx, partnershipId: string, id: string): Promise<ChecklistItemRow | undefined> {
  return (await q.select().from(auditChecklistItem).where(and(eq(auditChecklistItem.partnershipId, partnershipId), eq(auditChecklistItem.id, id))))[0];
}

/** The codes of a pillar's questions, retired ones included. */
export async function findItemCodes(q: DbOrTx, partnershipId: string, pillar: number): Promise<string[]> {
  const rows = await q
    .select({ code: auditChecklistItem.code })
    .from(auditChecklistItem)
    .where(and(eq(auditChecklistItem.partnershipId, partnershipId), eq(auditChecklistItem.pillar, pillar)));
  return rows.map((r) => r.code);
}

/** The highest position of any question of the partnership (0 with none). */
export async function maxItemPosition(q: DbOrTx, partnershipId: string): Promise<number> {
  const [position] = await q.select({ n: max(auditChecklistItem.position) }).from(auditChecklistItem).where(eq(auditChecklistItem.partnershipId, partnershipId));
  return position?.n ?? 0;
}

/** Insert a question unless its code is taken: the new row, or undefined. */
export async function insertItemIfCodeFree(tx: DbOrTx, values: typeof auditChecklistItem.$inferInsert): Promise<ChecklistItemRow | undefined> {
  return (await tx.insert(auditChecklistItem).values(values).onConflictDoNothing().returning())[0];
}

export async function updateItemAtVersion(
  tx: DbOrTx,
  partnershipId: string,
  id: string,
  version: number,
  changes: Partial<Pick<ChecklistItemRow, 'question' | 'guidance' | 'source' | 'active'>> & { updatedBy: string | null; updatedAt: Date },
): Promise<ChecklistItemRow[]> {
  return tx
    .update(auditChecklistItem)
    .set({ ...changes, version: version + 1 })
    .where(and(eq(auditChecklistItem.partnershipId, partnershipId), eq(auditChecklistItem.id, id), eq(auditChecklistItem.version, version)))
    .returning();
}
