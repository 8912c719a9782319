/**
 * Data-quality score over time (issue 7, item 2). The register keeps each person's current record,
 * not past versions, so past scores cannot be recomputed honestly: a daily job records each
 * organisation's score and rule counts over the people that organisation can see, once per London
 * day (the primary key makes it idempotent: INSERT … ON CONFLICT DO NOTHING). The counts come from
 * the same query the /data-quality page runs (qualitySummary), for an actor that is a member of
 * just that organisation with a role that may read people, so a snapshot equals the page of a
 * user of that organisation.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import { addMonths } from '../../domain/calendar-date.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { organisation, partnership } from '../../platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { qualitySummary } from './quality.queries.ts';
import { qualityRuleIds, qualityScoreTenths, type QualityRuleId } from './rules.ts';
import { qualitySnapshot } from './schema.ts';

export type SnapshotRow = typeof qualitySnapshot.$inferSelect;
type OrganisationRow = typeof organisation.$inferSelect;

/** How many snapshots the page charts. */
export const CHART_SNAPSHOTS = 12;

/** The organisation as an actor: a member of it alone, with a role that may read people. */
export function organisationActor(org: OrganisationRow): Actor {
  return {
    kind: 'user',
    userId: null,
    tokenId: null,
    displayName: `Data quality snapshot for ${org.name}`,
    partnershipId: org.partnershipId,
    activeOrganisationId: org.id,
    memberships: [
      {
        organisationId: org.id,
        organisationCode: org.code,
        organisationOnsCode: org.onsCode,
        organisationName: org.name,
        organisationType: org.type,
        isLead: org.isLead,
        roles: ['read-only'],
      },
    ],
  };
}

/**
 * Take today's snapshot for every active organisation of every partnership that can see anyone.
 * Returns how many were recorded now (0 when today's were already taken).
 */
export async function snapshotDataQuality(db: Db | Tx, config: Config, options: { today?: string; partnershipId?: string } = {}): Promise<{ recorded: number; organisations: number }> {
  const today = options.today ?? todayInLondon();
  const partnerships = options.partnershipId ? [{ id: options.partnershipId }] : await db.select({ id: partnership.id }).from(partnership);
  let recorded = 0;
  let organisations = 0;
  for (const p of partnerships) {
    const orgs = await db.select().from(organisation).where(and(eq(organisation.partnershipId, p.id), eq(organisation.active, true))).orderBy(asc(organisation.name));
    // The hourly runs after the first of the day do not scan the register again.
    const taken = new Set((await db.select({ id: qualitySnapshot.organisationId }).from(qualitySnapshot).where(and(eq(qualitySnapshot.partnershipId, p.id), eq(qualitySnapshot.takenOn, today)))).map((r) => r.id));
    for (const org of orgs) {
      if (taken.has(org.id)) continue;
      const ctx: ServiceContext = serviceContext({ db, actor: organisationActor(org), requestId: 'job:snapshot-data-quality', config });
      const summary = await qualitySummary(ctx, today);
      const tenths = qualityScoreTenths(summary.total, summary.withProblems);
      // Nobody to score: no snapshot (a score of an empty list would mean nothing).
      if (tenths === null) continue;
      organisations += 1;
      const inserted = await db
        .insert(qualitySnapshot)
        .values({ partnershipId: p.id, organisationId: org.id, takenOn: today, population: summary.total, scoreTenths: tenths, counts: summary.counts })
        .onConflictDoNothing()
        .returning({ takenOn: qualitySnapshot.takenOn });
      recorded += inserted.length;
    }
  }
  return { recorded, organisations };
}

/** The organisation's latest snapshots, oldest first (for the chart and its table). */
export async function recentSnapshots(db: Db, partnershipId: string, organisationId: string, limit = CHART_SNAPSHOTS): Promise<SnapshotRow[]> {
  const rows = await db
    .select()
    .from(qualitySnapshot)
    .where(and(eq(qualitySnapshot.partnershipId, partnershipId), eq(qualitySnapshot.organisationId, organisationId)))
    .orderBy(desc(qualitySnapshot.takenOn))
    .limit(limit);
  return rows.reverse();
}

/** Stored counts as rule → count (missing rules as 0); `synthetic` marks demo history. */
export function snapshotCounts(raw: unknown): { counts: Record<QualityRuleId, number>; synthetic: boolean } {
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const counts = Object.fromEntries(qualityRuleIds.map((id) => [id, Number(obj[id] ?? 0) || 0])) as Record<QualityRuleId, number>;
  return { counts, synthetic: obj.synthetic === true };
}

/** A small deterministic number in [0, 1) from a text (FNV-1a), for demo history. */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/**
 * Demo seed step: today's real snapshot for each organisation, and 11 monthly snapshots before it
 * that are SYNTHETIC (marked `synthetic: true` in their counts and shown as demo data on the page):
 * each rule's count today, made a little larger the further back it is (about 4% a month), with a
 * deterministic wobble from the organisation's code and the date, so the demo chart shows a
 * partnership slowly improving. Never run outside the demo.
 */
export async function seedDemoQualitySnapshots(tx: Tx, partnershipId: string, config: Config, today = todayInLondon()): Promise<number> {
  await snapshotDataQuality(tx, config, { today, partnershipId });
  const current = await tx.select().from(qualitySnapshot).where(and(eq(qualitySnapshot.partnershipId, partnershipId), eq(qualitySnapshot.takenOn, today)));
  const orgs = await tx.select({ id: organisation.id, code: organisation.code }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
  let written = 0;
  for (const snap of current) {
    const code = orgs.find((o) => o.id === snap.organisationId)?.code ?? snap.organisationId;
    const { counts } = snapshotCounts(snap.counts);
    // People with a problem today, worked back from the score.
    const withProblemsNow = Math.max(0, snap.population - Math.ceil((snap.scoreTenths * snap.population) / 1000));
    for (let monthsAgo = 1; monthsAgo <= CHART_SNAPSHOTS - 1; monthsAgo += 1) {
      const takenOn = addMonths(today, -monthsAgo);
      const grow = (n: number, salt: string) => Math.round(n * (1 + 0.04 * monthsAgo) + unit(`${code}:${takenOn}:${salt}`) * 3);
      const pastCounts = Object.fromEntries(qualityRuleIds.map((id) => [id, Math.min(snap.population, grow(counts[id], id))]));
      const withProblems = Math.min(snap.population, grow(withProblemsNow, 'any'));
      const inserted = await tx
        .insert(qualitySnapshot)
        .values({
          partnershipId,
          organisationId: snap.organisationId,
          takenOn,
          population: snap.population,
          scoreTenths: qualityScoreTenths(snap.population, withProblems) ?? 0,
          counts: { ...pastCounts, synthetic: true },
        })
        .onConflictDoNothing()
        .returning({ takenOn: qualitySnapshot.takenOn });
      written += inserted.length;
    }
  }
  return written;
}
