/**
 * The 'send-scheduled-reports' job (issue 7, item 7). For each due schedule and each recipient,
 * the report is built as the recipient (their own actor, so their own access), attached to a
 * notification queued with the key `report:<schedule>:<yyyy-mm>:<user>` (so a month's copy is
 * queued once however often the job runs, on however many instances), and the schedule moves on
 * to its next month. A recipient who can no longer read the register is skipped.
 *
 * Through the door: the job lists the partnerships outside it, then in each partnership a job
 * actor reads the due schedules; each copy is built by its recipient's own context, and queued
 * and audited as theirs, with the schedule moving on, in one unit of work of the partnership.
 */
import { randomUUID } from 'node:crypto';
import { reportDedupeKey, reportMonth, runAfter } from '../../domain/report-schedule.ts';
import { can } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { buildReport, reportSourceLabels, reportSources, XLSX_TYPE, toReportQuery, type ReportSource } from './report-build.ts';
import { findDueSchedules, findPartnershipsForJob, updateScheduleAtVersion, type ScheduleRow } from './reports.queries.ts';

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthOf = (iso: string) => monthName.format(new Date(`${reportMonth(iso)}-01T00:00:00Z`));

export interface SendResult {
  schedules: number;
  queued: number;
  skipped: number;
}

/** The job's actor in one partnership (no roles: it reads the due schedules and moves them on). */
function partnershipJobActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (scheduled reports)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}

export async function sendScheduledReports(db: Db, config: Config, options: { today?: string; channel?: 'email' | 'in-app'; clock?: Clock } = {}): Promise<SendResult> {
  const clock = options.clock ?? systemClock;
  const today = options.today ?? clock.today();
  const channel = options.channel ?? 'in-app';
  const result: SendResult = { schedules: 0, queued: 0, skipped: 0 };
  // The list of partnerships is the one read outside the door; each partnership then has its own.
  for (const p of await findPartnershipsForJob(db)) {
    const job = serviceContext({ db, actor: partnershipJobActor(p.partnershipId, p.organisationId), requestId: 'job:send-scheduled-reports', config, clock });
    const due = await job.data.read((q) => findDueSchedules(q, p.partnershipId, today));
    for (const schedule of due) {
      if (await sendSchedule(job, schedule, { db, config, clock, today, channel }, result)) result.schedules += 1;
    }
  }
  return result;
}

async function sendSchedule(
  job: ServiceContext,
  schedule: ScheduleRow,
  env: { db: Db; config: Config; clock: Clock; today: string; channel: 'email' | 'in-app' },
  result: SendResult,
): Promise<boolean> {
  const { db, config, clock, today, channel } = env;
  if (!reportSources.includes(schedule.source as ReportSource)) return false;
  const source = schedule.source as ReportSource;
  const requestId = `job:send-scheduled-reports:${randomUUID()}`;
  const copies: Array<{ ctx: ServiceContext; userId: string; built: Awaited<ReturnType<typeof buildReport>> }> = [];
  for (const userId of schedule.recipientUserIds) {
    // Each copy with the recipient's own access (their actor, loaded as at sign-in), built outside any unit of work.
    const actor = await loadUserActor(db, userId, schedule.organisationId);
    if (!actor || actor.partnershipId !== schedule.partnershipId || !can(actor, 'person:read')) {
      result.skipped += 1;
      continue;
    }
    const ctx: ServiceContext = serviceContext({ db, actor, requestId, config, clock });
    const built = await buildReport(ctx, source, toReportQuery(schedule.query), schedule.name, today);
    copies.push({ ctx, userId, built });
  }
  await job.data.transaction(async (tx) => {
    for (const copy of copies) {
      // The recipient's door shares this unit of work: the copy and its audit event, as theirs, commit with the rest.
      await copy.ctx.data.transaction(async (copyTx, audit) => {
        const queued = await queueNotification(
          copyTx,
          {
            partnershipId: schedule.partnershipId,
            dedupeKey: reportDedupeKey(schedule.id, schedule.nextRunOn, copy.userId),
            kind: 'scheduled-report',
            recipientUserId: copy.userId,
            subject: `${schedule.name}: ${monthOf(schedule.nextRunOn)}`,
            body: `Your monthly report “${schedule.name}” (${reportSourceLabels[source]}) for ${monthOf(schedule.nextRunOn)} is attached as a spreadsheet. It was built on ${today} with your own access, so it shows only what you can see in Aftercare.`,
            link: copy.built.link,
            attachment: { name: copy.built.filename, type: XLSX_TYPE, content: copy.built.content },
          },
          channel,
        );
        if (queued) {
          result.queued += 1;
          // A copy of register data sent to someone is recorded like a download, as theirs.
          await audit.change({
            action: 'report.sent',
            subjectType: 'report-schedule',
            subjectId: schedule.id,
            after: { source, month: reportMonth(schedule.nextRunOn), filename: copy.built.filename, rows: copy.built.rowCount },
          });
        }
      });
    }
    // Move on (guarded by the version: if another instance already did, leave it).
    await updateScheduleAtVersion(tx, schedule.partnershipId, schedule.id, schedule.version, { nextRunOn: runAfter(schedule.dayOfMonth, today), lastRunAt: clock.now() });
  });
  return true;
}
