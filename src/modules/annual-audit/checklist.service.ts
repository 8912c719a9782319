/**
 * The partnership's audit checklist (issue 7, item 3): the nine pillars and their questions,
 * seeded from the defaults in src/domain/audit-checklist.ts the first time the partnership opens
 * the audit pages, then edited by quality and audit staff. Questions are retired, never deleted,
 * so past audits' snapshots keep their meaning. Every change is audited and version-checked.
 */
import { and, asc, count, eq, max } from 'drizzle-orm';
import { z } from 'zod';
import { defaultPillars, defaultQuestions } from '../../domain/audit-checklist.ts';
import { can } from '../../platform/access/policy.ts';
import { recordChange, type AuditScope } from '../../platform/audit/audit.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { auditChecklistItem, auditPillar } from './schema.ts';

export type PillarRow = typeof auditPillar.$inferSelect;
export type ChecklistItemRow = typeof auditChecklistItem.$inferSelect;

/** Quality and audit staff who can read people: the audit pages list and open people's records. */
export function assertCanManageAudits(ctx: Pick<ServiceContext, 'actor'>): void {
  if (!can(ctx.actor, 'case-audit:manage') || !can(ctx.actor, 'person:read')) throw new ForbiddenError('Only quality and audit staff can run the annual case audit');
}

/**
 * Seed the default pillars and questions into a partnership that has none. Idempotent: a
 * partnership that already has pillars is left alone, and a second caller racing the first
 * inserts nothing (ON CONFLICT DO NOTHING on the keys). Returns whether anything was added.
 */
export async function ensureChecklist(db: DbOrTx, scope: AuditScope): Promise<boolean> {
  const partnershipId = scope.actor.partnershipId;
  const [existing] = await db.select({ n: count() }).from(auditPillar).where(eq(auditPillar.partnershipId, partnershipId));
  if ((existing?.n ?? 0) > 0) return false;
  return db.transaction(async (tx) => {
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
    await recordChange(tx, scope, { action: 'audit-checklist.seeded', subjectType: 'audit-checklist', subjectId: null, after: { pillars: pillars.length, questions: items.length } });
    return true;
  });
}

export interface ChecklistPillar extends PillarRow {
  items: ChecklistItemRow[];
}

export async function loadChecklist(db: DbOrTx, partnershipId: string): Promise<ChecklistPillar[]> {
  const [pillars, items] = await Promise.all([
    db.select().from(auditPillar).where(eq(auditPillar.partnershipId, partnershipId)).orderBy(asc(auditPillar.number)),
    db.select().from(auditChecklistItem).where(eq(auditChecklistItem.partnershipId, partnershipId)).orderBy(asc(auditChecklistItem.pillar), asc(auditChecklistItem.position), asc(auditChecklistItem.code)),
  ]);
  return pillars.map((p) => ({ ...p, items: items.filter((i) => i.pillar === p.number) }));
}

/** The checklist page: seeds the defaults on first use. */
export async function getChecklist(ctx: ServiceContext): Promise<ChecklistPillar[]> {
  assertCanManageAudits(ctx);
  await ensureChecklist(ctx.db, ctx);
  return loadChecklist(ctx.db, ctx.actor.partnershipId);
}

const text = (label: string, maxLength: number, required: boolean) => {
  const base = z.string().trim().max(maxLength, `${label} must be ${maxLength} characters or fewer`);
  return required ? z.string({ error: `Enter ${label.toLowerCase()}` }).trim().min(1, `Enter ${label.toLowerCase()}`).max(maxLength, `${label} must be ${maxLength} characters or fewer`) : base.optional().default('');
};

export const pillarSchema = () =>
  z.object({
    name: text('The pillar name', 200, true),
    description: text('The description', 1000, false),
  });

export const itemSchema = () =>
  z.object({
    question: text('The question', 500, true),
    guidance: text('The guidance', 1000, false),
    source: text('The source', 300, true),
  });

async function loadPillar(db: DbOrTx, partnershipId: string, number: number): Promise<PillarRow> {
  const row = (await db.select().from(auditPillar).where(and(eq(auditPillar.partnershipId, partnershipId), eq(auditPillar.number, number))))[0];
  if (!row) throw new NotFoundError('Pillar not found');
  return row;
}

export async function getPillar(ctx: ServiceContext, number: number): Promise<PillarRow> {
  assertCanManageAudits(ctx);
  await ensureChecklist(ctx.db, ctx);
  return loadPillar(ctx.db, ctx.actor.partnershipId, number);
}

/** Rename a pillar. The partnership's own wording replaces the inferred title, so it is no longer marked "inferred". */
export async function renamePillar(ctx: ServiceContext, number: number, version: number, input: unknown): Promise<PillarRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(pillarSchema(), input);
  return ctx.db.transaction(async (tx) => {
    const before = await loadPillar(tx, ctx.actor.partnershipId, number);
    const after = expectOneUpdated(
      await tx
        .update(auditPillar)
        .set({ name: data.name, description: data.description || null, confirmedTitle: true, updatedBy: ctx.actor.userId, version: version + 1, updatedAt: new Date() })
        .where(and(eq(auditPillar.partnershipId, ctx.actor.partnershipId), eq(auditPillar.number, number), eq(auditPillar.version, version)))
        .returning(),
    );
    await recordChange(tx, ctx, { action: 'audit-pillar.renamed', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

async function loadItem(db: DbOrTx, partnershipId: string, id: string): Promise<ChecklistItemRow> {
  if (!isUuid(id)) throw new NotFoundError('Question not found');
  const row = (await db.select().from(auditChecklistItem).where(and(eq(auditChecklistItem.partnershipId, partnershipId), eq(auditChecklistItem.id, id))))[0];
  if (!row) throw new NotFoundError('Question not found');
  return row;
}

export async function getItem(ctx: ServiceContext, id: string): Promise<{ item: ChecklistItemRow; pillar: PillarRow }> {
  assertCanManageAudits(ctx);
  const item = await loadItem(ctx.db, ctx.actor.partnershipId, id);
  return { item, pillar: await loadPillar(ctx.db, ctx.actor.partnershipId, item.pillar) };
}

/** Add a question to a pillar: its code is the next free "P<pillar>.<n>", retired questions included. */
export async function addItem(ctx: ServiceContext, pillarNumber: number, input: unknown): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(itemSchema(), input);
  return ctx.db.transaction(async (tx) => {
    await loadPillar(tx, ctx.actor.partnershipId, pillarNumber);
    const existing = await tx
      .select({ code: auditChecklistItem.code })
      .from(auditChecklistItem)
      .where(and(eq(auditChecklistItem.partnershipId, ctx.actor.partnershipId), eq(auditChecklistItem.pillar, pillarNumber)));
    const next = Math.max(0, ...existing.map((e) => Number(/^P\d+\.(\d+)$/.exec(e.code)?.[1] ?? 0))) + 1;
    const [position] = await tx.select({ n: max(auditChecklistItem.position) }).from(auditChecklistItem).where(eq(auditChecklistItem.partnershipId, ctx.actor.partnershipId));
    const inserted = await tx
      .insert(auditChecklistItem)
      .values({
        partnershipId: ctx.actor.partnershipId,
        pillar: pillarNumber,
        code: `P${pillarNumber}.${next}`,
        question: data.question,
        guidance: data.guidance || null,
        source: data.source,
        position: (position?.n ?? 0) + 1,
        updatedBy: ctx.actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    // Somebody else added a question to this pillar at the same moment and took the code.
    const created = inserted[0];
    if (!created) throw new ConflictError('Somebody else added a question to this pillar at the same time. Your question has not been saved: add it again.');
    await recordChange(tx, ctx, { action: 'audit-checklist.question-added', subjectType: 'audit-checklist', subjectId: null, after: created });
    return created;
  });
}

export async function editItem(ctx: ServiceContext, id: string, version: number, input: unknown): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(itemSchema(), input);
  return ctx.db.transaction(async (tx) => {
    const before = await loadItem(tx, ctx.actor.partnershipId, id);
    const after = expectOneUpdated(
      await tx
        .update(auditChecklistItem)
        .set({ question: data.question, guidance: data.guidance || null, source: data.source, updatedBy: ctx.actor.userId, version: version + 1, updatedAt: new Date() })
        .where(and(eq(auditChecklistItem.partnershipId, ctx.actor.partnershipId), eq(auditChecklistItem.id, id), eq(auditChecklistItem.version, version)))
        .returning(),
    );
    await recordChange(tx, ctx, { action: 'audit-checklist.question-edited', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}

/** Retire a question (future audits leave it out) or bring it back. */
export async function setItemActive(ctx: ServiceContext, id: string, version: number, active: boolean): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  return ctx.db.transaction(async (tx) => {
    const before = await loadItem(tx, ctx.actor.partnershipId, id);
    const after = expectOneUpdated(
      await tx
        .update(auditChecklistItem)
        .set({ active, updatedBy: ctx.actor.userId, version: version + 1, updatedAt: new Date() })
        .where(and(eq(auditChecklistItem.partnershipId, ctx.actor.partnershipId), eq(auditChecklistItem.id, id), eq(auditChecklistItem.version, version)))
        .returning(),
    );
    await recordChange(tx, ctx, { action: active ? 'audit-checklist.question-restored' : 'audit-checklist.question-retired', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}
