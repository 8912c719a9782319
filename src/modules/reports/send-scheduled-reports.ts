/**
 * The 'send-scheduled-reports' job (issue 7, item 7). For each due schedule and each recipient,
 * the report is built as the recipient (their own actor, so their own access), attached to a
 * notification queued with the key `report:<schedule>:<yyyy-mm>:<user>` (so a month's copy is
 * queued once however often the job runs, on however many instances), and the schedule moves on
 * to its next month. A recipient who can no longer read the register is skipped.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, lte } from 'drizzle-orm';
import { reportDedupeKey, reportMonth, runAfter } from '../../domain/report-schedule.ts';
import { can } from '../../platform/access/policy.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { buildReport, reportSourceLabels, reportSources, XLSX_TYPE, toReportQuery, type ReportSource } from './report-build.ts';
import { reportSchedule } from './schema.ts';

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthOf = (iso: string) => monthName.format(new Date(`${reportMonth(iso)}-01T00:00:00Z`));

export interface SendResult {
  schedules: number;
  queued: number;
  skipped: number;
}

export async function sendScheduledReports(db: Db, config: Config, options: { today?: string; channel?: 'email' | 'in-app' } = {}): Promise<SendResult> {
  const today = options.today ?? todayInLondon();
  const channel = options.channel ?? 'in-app';
  const due = await db
    .select()
    .from(reportSchedule)
    .where(and(eq(reportSchedule.active, true), lte(reportSchedule.nextRunOn, today)))
    .orderBy(asc(reportSchedule.nextRunOn));
  const result: SendResult = { schedules: 0, queued: 0, skipped: 0 };
  for (const schedule of due) {
    if (!reportSources.includes(schedule.source as ReportSource)) continue;
    const source = schedule.source as ReportSource;
    const requestId = `job:send-scheduled-reports:${randomUUID()}`;
    const copies: Array<{ ctx: ServiceContext; userId: string; built: Awaited<ReturnType<typeof buildReport>> }> = [];
    for (const userId of schedule.recipientUserIds) {
      const actor = await loadUserActor(db, userId, schedule.organisationId);
      if (!actor || actor.partnershipId !== schedule.partnershipId || !can(actor, 'person:read')) {
        result.skipped += 1;
        continue;
      }
      const ctx: ServiceContext = serviceContext({ db, actor, requestId, config });
      const built = await buildReport(ctx, source, toReportQuery(schedule.query), schedule.name, today);
      copies.push({ ctx, userId, built });
    }
    await db.transaction(async (tx) => {
      for (const copy of copies) {
        const queued = await queueNotification(
          tx,
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
          await recordChange(tx, copy.ctx, {
            action: 'report.sent',
            subjectType: 'report-schedule',
            subjectId: schedule.id,
            after: { source, month: reportMonth(schedule.nextRunOn), filename: copy.built.filename, rows: copy.built.rowCount },
          });
        }
      }
      // Move on (guarded by the version: if another instance already did, leave it).
      await tx
        .update(reportSchedule)
        .set({ nextRunOn: runAfter(schedule.dayOfMonth, today), lastRunAt: new Date(), version: schedule.version + 1 })
        .where(and(eq(reportSchedule.partnershipId, schedule.partnershipId), eq(reportSchedule.id, schedule.id), eq(reportSchedule.version, schedule.version)));
    });
    result.schedules += 1;
  }
  return result;
}
