/**
 * Data-quality score over time (issue 7, item 2). The register keeps each person's current record,
 * not past versions, so past scores cannot be recomputed honestly: a daily job records each
 * organisation's score and rule counts over the people that organisation can see, once per London
 * day (the primary key makes it idempotent: INSERT … ON CONFLICT DO NOTHING). The counts come from
 * the same query the /data-quality page runs (qualitySummary), for an actor that is a member of
 * just that organisation with a role that may read people, so a snapshot equals the page of a
 * user of that organisation.
 */
import { addMonths } from '../../domain/calendar-date.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { contextAs, serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { qualitySummary } from './quality.queries.ts';
import { qualityRuleIds, qualityScoreTenths, type QualityRuleId } from './rules.ts';
import {
  findActiveOrganisations,
  findLatestSnapshots,
  findOrganisationCodes,
  findOrganisationsSnapshotted,
  findPartnershipsForJob,
  findSnapshotsTakenOn,
  insertSnapshotIfMissing,
  type OrganisationRow,
  type SnapshotRow,
} from './snapshots.queries.ts';

export type { SnapshotRow };

const REQUEST_ID = 'job:snapshot-data-quality';

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

/** The job's actor in one partnership (no roles: it reads the organisations and writes the snapshots). */
function partnershipJobActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (data quality snapshot)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}

/**
 * Take today's snapshot for every active organisation of every partnership that can see anyone.
 * Returns how many were recorded now (0 when today's were already taken).
 */
export async function snapshotDataQuality(
  db: Db | Tx,
  config: Config,
  options: { today?: string; partnershipId?: string; clock?: Clock } = {},
): Promise<{ recorded: number; organisations: number }> {
  const clock = options.clock ?? systemClock;
  const today = options.today ?? clock.today();
  let recorded = 0;
  let organisations = 0;
  // The list of partnerships is the one read outside the door; each partnership then has its own.
  for (const p of await findPartnershipsForJob(db, options.partnershipId)) {
    const job = serviceContext({ db, actor: partnershipJobActor(p.partnershipId, p.organisationId), requestId: REQUEST_ID, config, clock });
    // The hourly runs after the first of the day do not scan the register again.
    const { orgs, taken } = await job.data.read(async (q) => ({
      orgs: await findActiveOrganisations(q, p.partnershipId),
      taken: await findOrganisationsSnapshotted(q, p.partnershipId, today),
    }));
    for (const org of orgs) {
      if (taken.has(org.id)) continue;
      // The counts as a user of the organisation sees them, and the snapshot, in one unit of work.
      const ctx: ServiceContext = contextAs(job, organisationActor(org));
      const result = await ctx.data.transaction(async (tx) => {
        const summary = await qualitySummary(ctx, today);
        const tenths = qualityScoreTenths(summary.total, summary.withProblems);
        // Nobody to score: no snapshot (a score of an empty list would mean nothing).
        if (tenths === null) return null;
        return insertSnapshotIfMissing(tx, { partnershipId: p.partnershipId, organisationId: org.id, takenOn: today, population: summary.total, scoreTenths: tenths, counts: summary.counts });
      });
      if (result === null) continue;
      organisations += 1;
      recorded += result;
    }
  }
  return { recorded, organisations };
}

/** The actor's organisation's latest snapshots, oldest first (for the chart and its table). */
export async function recentSnapshots(ctx: ServiceContext, limit = CHART_SNAPSHOTS): Promise<SnapshotRow[]> {
  const { partnershipId, activeOrganisationId } = ctx.actor;
  const rows = await ctx.data.read((q) => findLatestSnapshots(q, partnershipId, activeOrganisationId, limit));
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
export async function seedDemoQualitySnapshots(tx: Tx, partnershipId: string, config: Config, today = systemClock.today()): Promise<number> {
  await snapshotDataQuality(tx, config, { today, partnershipId });
  const [p] = await findPartnershipsForJob(tx, partnershipId);
  if (!p) return 0;
  const job = serviceContext({ db: tx, actor: partnershipJobActor(p.partnershipId, p.organisationId), requestId: REQUEST_ID, config });
  return job.data.transaction((q) => seedHistory(q, partnershipId, today));
}

async function seedHistory(tx: Tx, partnershipId: string, today: string): Promise<number> {
  const current = await findSnapshotsTakenOn(tx, partnershipId, today);
  const orgs = await findOrganisationCodes(tx, partnershipId);
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
      written += await insertSnapshotIfMissing(tx, {
        partnershipId,
        organisationId: snap.organisationId,
        takenOn,
        population: snap.population,
        scoreTenths: qualityScoreTenths(snap.population, withProblems) ?? 0,
        counts: { ...pastCounts, synthetic: true },
      });
    }
  }
  return written;
}
