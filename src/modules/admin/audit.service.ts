import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { organisationScope } from '../../platform/access/policy.ts';
import { ForbiddenError } from '../../platform/errors/errors.ts';
import { appUser, auditEvent, organisation } from '../../platform/db/schema.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2026-11-23')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'Enter a real date');

export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional().transform((v) => v || undefined),
  subjectType: z.string().trim().max(100).optional().transform((v) => v || undefined),
  subjectId: z.string().trim().max(100).optional().transform((v) => v || undefined),
  from: z.union([isoDate, z.literal('')]).optional().transform((v) => v || undefined),
  to: z.union([isoDate, z.literal('')]).optional().transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit trail as the actor may see it: the whole partnership for administrators and
 * quality staff of the lead organisation, otherwise events made for their own organisations.
 */
export async function searchAuditEvents(ctx: ServiceContext, rawFilter: unknown) {
  const filter = parseInput(auditFilterSchema, rawFilter);
  const scope = organisationScope(ctx.actor, 'audit:read');
  if (!scope.all && scope.organisationIds.length === 0) throw new ForbiddenError();
  const conditions: SQL[] = [eq(auditEvent.partnershipId, ctx.actor.partnershipId)];
  if (!scope.all) conditions.push(inArray(auditEvent.organisationId, scope.organisationIds));
  if (filter.action) conditions.push(eq(auditEvent.action, filter.action));
  if (filter.subjectType) conditions.push(eq(auditEvent.subjectType, filter.subjectType));
  if (filter.subjectId) conditions.push(eq(auditEvent.subjectId, filter.subjectId));
  if (filter.from) conditions.push(gte(auditEvent.at, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) conditions.push(lt(auditEvent.at, sql`${`${filter.to}T00:00:00Z`}::timestamptz + interval '1 day'`));
  const where = and(...conditions);

  const [rows, total] = await Promise.all([
    ctx.db
      .select({
        id: auditEvent.id,
        at: auditEvent.at,
        action: auditEvent.action,
        subjectType: auditEvent.subjectType,
        subjectId: auditEvent.subjectId,
        before: auditEvent.before,
        after: auditEvent.after,
        requestId: auditEvent.requestId,
        actorName: appUser.displayName,
        actorTokenId: auditEvent.actorTokenId,
        organisationName: organisation.name,
      })
      .from(auditEvent)
      .leftJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
      .leftJoin(organisation, eq(organisation.id, auditEvent.organisationId))
      .where(where)
      .orderBy(desc(auditEvent.at), desc(auditEvent.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(auditEvent).where(where),
  ]);
  return { filter, rows, total: total[0]?.n ?? 0 };
}
