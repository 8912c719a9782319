/**
 * The partnership's audit checklist (issue 7, item 3): the nine pillars and their questions,
 * seeded from the defaults in src/domain/audit-checklist.ts the first time the partnership opens
 * the audit pages, then edited by quality and audit staff. Questions are retired, never deleted,
 * so past audits' snapshots keep their meaning. Every change is audited and version-checked.
 */
import { z } from 'zod';
import { can } from '../../platform/access/policy.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import type { Tx } from '../../platform/db/database.ts';
import {
  ensureChecklist,
  findItem,
  findItemCodes,
  findPillar,
  hasChecklist,
  insertItemIfCodeFree,
  loadChecklist,
  maxItemPosition,
  seedDefaultChecklist,
  updateItemAtVersion,
  updatePillarAtVersion,
  type ChecklistItemRow,
  type ChecklistPillar,
  type PillarRow,
} from './checklist.queries.ts';

export { ensureChecklist, loadChecklist, type ChecklistItemRow, type ChecklistPillar, type PillarRow };

/** Quality and audit staff who can read people: the audit pages list and open people's records. */
export function assertCanManageAudits(ctx: Pick<ServiceContext, 'actor'>): void {
  if (!can(ctx.actor, 'case-audit:manage') || !can(ctx.actor, 'person:read')) throw new ForbiddenError('Only quality and audit staff can run the annual case audit');
}

/**
 * Seed the default pillars and questions the first time the partnership opens the audit pages
 * (audited, in the actor's door). A partnership that already has pillars is left alone, and a
 * second caller racing the first inserts nothing. Returns whether anything was added.
 */
export async function ensureChecklistFor(ctx: ServiceContext): Promise<boolean> {
  const partnershipId = ctx.actor.partnershipId;
  if (await ctx.data.read((q) => hasChecklist(q, partnershipId))) return false;
  return ctx.data.transaction((tx, audit) => seedDefaultChecklist(tx, partnershipId, audit.change));
}

/** The checklist page: seeds the defaults on first use. */
export async function getChecklist(ctx: ServiceContext): Promise<ChecklistPillar[]> {
  assertCanManageAudits(ctx);
  await ensureChecklistFor(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => loadChecklist(q, partnershipId));
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

async function loadPillar(q: Tx, partnershipId: string, number: number): Promise<PillarRow> {
  const row = await findPillar(q, partnershipId, number);
  if (!row) throw new NotFoundError('Pillar not found');
  return row;
}

export async function getPillar(ctx: ServiceContext, number: number): Promise<PillarRow> {
  assertCanManageAudits(ctx);
  await ensureChecklistFor(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read((q) => loadPillar(q, partnershipId, number));
}

/** Rename a pillar. The partnership's own wording replaces the inferred title, so it is no longer marked "inferred". */
export async function renamePillar(ctx: ServiceContext, number: number, version: number, input: unknown): Promise<PillarRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(pillarSchema(), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadPillar(tx, ctx.actor.partnershipId, number);
    const after = expectOneUpdated(
      await updatePillarAtVersion(tx, ctx.actor.partnershipId, number, version, { name: data.name, description: data.description || null, updatedBy: ctx.actor.userId, updatedAt: ctx.clock.now() }),
    );
    await audit.change({ action: 'audit-pillar.renamed', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

async function loadItem(q: Tx, partnershipId: string, id: string): Promise<ChecklistItemRow> {
  if (!isUuid(id)) throw new NotFoundError('Question not found');
  const row = await findItem(q, partnershipId, id);
  if (!row) throw new NotFoundError('Question not found');
  return row;
}

export async function getItem(ctx: ServiceContext, id: string): Promise<{ item: ChecklistItemRow; pillar: PillarRow }> {
  assertCanManageAudits(ctx);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.read(async (q) => {
    const item = await loadItem(q, partnershipId, id);
    return { item, pillar: await loadPillar(q, partnershipId, item.pillar) };
  });
}

/** Add a question to a pillar: its code is the next free "P<pillar>.<n>", retired questions included. */
export async function addItem(ctx: ServiceContext, pillarNumber: number, input: unknown): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(itemSchema(), input);
  const partnershipId = ctx.actor.partnershipId;
  return ctx.data.transaction(async (tx, audit) => {
    await loadPillar(tx, partnershipId, pillarNumber);
    const codes = await findItemCodes(tx, partnershipId, pillarNumber);
    const next = Math.max(0, ...codes.map((code) => Number(/^P\d+\.(\d+)$/.exec(code)?.[1] ?? 0))) + 1;
    const position = await maxItemPosition(tx, partnershipId);
    const created = await insertItemIfCodeFree(tx, {
      partnershipId,
      pillar: pillarNumber,
      code: `P${pillarNumber}.${next}`,
      question: data.question,
      guidance: data.guidance || null,
      source: data.source,
      position: position + 1,
      updatedBy: ctx.actor.userId,
    });
    // Somebody else added a question to this pillar at the same moment and took the code.
    if (!created) throw new ConflictError('Somebody else added a question to this pillar at the same time. Your question has not been saved: add it again.');
    await audit.change({ action: 'audit-checklist.question-added', subjectType: 'audit-checklist', subjectId: null, after: created });
    return created;
  });
}

export async function editItem(ctx: ServiceContext, id: string, version: number, input: unknown): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  const data = parseInput(itemSchema(), input);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadItem(tx, ctx.actor.partnershipId, id);
    const after = expectOneUpdated(
      await updateItemAtVersion(tx, ctx.actor.partnershipId, id, version, { question: data.question, guidance: data.guidance || null, source: data.source, updatedBy: ctx.actor.userId, updatedAt: ctx.clock.now() }),
    );
    await audit.change({ action: 'audit-checklist.question-edited', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}

/** Retire a question (future audits leave it out) or bring it back. */
export async function setItemActive(ctx: ServiceContext, id: string, version: number, active: boolean): Promise<ChecklistItemRow> {
  assertCanManageAudits(ctx);
  return ctx.data.transaction(async (tx, audit) => {
    const before = await loadItem(tx, ctx.actor.partnershipId, id);
    const after = expectOneUpdated(await updateItemAtVersion(tx, ctx.actor.partnershipId, id, version, { active, updatedBy: ctx.actor.userId, updatedAt: ctx.clock.now() }));
    await audit.change({ action: active ? 'audit-checklist.question-restored' : 'audit-checklist.question-retired', subjectType: 'audit-checklist', subjectId: null, before, after });
    return after;
  });
}
