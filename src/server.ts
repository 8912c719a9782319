import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { offsetClock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { snapshotDataQuality } from './modules/quality/index.ts';
import { startHousekeeping } from './platform/jobs/housekeeping.ts';
import { refreshStaleDecisions } from './modules/register/index.ts';
import { APPLY_IMPORT_JOB, handleApplyJob } from './modules/imports/index.ts';
import { queueReviewReminders } from './modules/reviews/index.ts';
import { queueImcaReportReminders } from './modules/capacity/index.ts';
import { queueLibertyReminders } from './modules/liberty/index.ts';
import { sendScheduledReports } from './modules/reports/index.ts';
import { deliverPending } from './platform/notifications/outbox.ts';
import { smtpTransport } from './platform/notifications/mailer.ts';
import { produceDailyFinanceFiles } from './modules/feeds/index.ts';
import { listRecordsDueMonthly } from './modules/governance/index.ts';
import { queueOverdueDecisionReminders } from './modules/safeguarding/index.ts';
import { queueCarerReminders } from './modules/carers/index.ts';
import { deliverWebhooks } from './platform/webhooks/deliver.ts';

/** Starts Aftercare: migrate, seed the demo if empty and allowed, listen, and shut down cleanly. */
export async function startServer(config: Config, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<{ app: FastifyInstance; database: Database; stop: () => Promise<void> }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  await database.migrate();
  // The demo module is loaded only when the demo may be seeded (never in production).
  const demo = config.seedDemo ? await import('./modules/demo/index.ts') : null;
  const seeded = demo ? await demo.seedDemoIfEmpty(database, config, out) : null;
  const clock = config.clockOffsetMs === 0 ? systemClock : offsetClock(config.clockOffsetMs);
  const app = await buildApp({ config, database, clock });
  const mail = config.smtpUrl ? smtpTransport(config.smtpUrl, config.smtpFrom) : null;
  const housekeeping = startHousekeeping(database.db, app.log, {
    // Hourly: re-evaluate people whose stored decision is older than today, in batches of
    // 500, for at most 50 seconds a run; the next run carries on where this one stopped.
    'refresh-decisions': async (db) => {
      const until = Date.now() + 50_000;
      while (Date.now() < until) {
        const { checked } = await refreshStaleDecisions(db);
        if (checked < 500) break;
      }
    },
    // Review reminders into the notification outbox. Run hourly, but each reminder has a
    // dedupe key per person, due date and recipient, so it is queued once (in effect daily).
    'queue-review-reminders': async (db) => {
      await queueReviewReminders(db, { channel: mail ? 'email' : 'in-app' });
      await deliverPending(db, mail);
    },
    // IMCA reports (issue 16, item 3): an instruction with no report after the partnership's days
    // tells the person who instructed the IMCA, once (dedupe key per instruction).
    'queue-imca-report-reminders': async (db) => {
      await queueImcaReportReminders(db, { clock, channel: mail ? 'email' : 'in-app' });
      await deliverPending(db, mail);
    },
    // Deprivation of liberty (issue 16, item 4): an authorisation or order near its end or review date,
    // or an urgent authorisation 2 days from its end, tells the practitioner responsible, once per due date.
    'queue-liberty-reminders': async (db) => {
      await queueLibertyReminders(db, { clock, channel: mail ? 'email' : 'in-app' });
      await deliverPending(db, mail);
    },
    // Scheduled reports (issue 7): each due schedule's copies, built with each recipient's own
    // access, queued once per month and recipient (dedupe key), then delivered.
    'send-scheduled-reports': async (db) => {
      await sendScheduledReports(db, config, { channel: mail ? 'email' : 'in-app' });
      await deliverPending(db, mail);
    },
    // Data-quality score over time (issue 7): each organisation's score once per London day
    // (the snapshot's primary key makes the hourly runs after the first record nothing).
    // Safeguarding (issue 16, item 1): a concern still waiting for its s42(1) decision after its
    // due date is told to the local authority's deciders, once per concern and recipient.
    // Carers (issue 16, item 5): an assessment offered and unanswered, or a support plan at its review
    // date, tells the person it waits on, once (dedupe key per assessment and what is waiting).
    'queue-carer-reminders': async (db) => {
      await queueCarerReminders(db, { clock, channel: mail ? 'email' : 'in-app' });
      await deliverPending(db, mail);
    },
    'safeguarding-overdue-decisions': async (db) => {
      await queueOverdueDecisionReminders(db, { clock });
      await deliverPending(db, mail);
    },
    'snapshot-data-quality': async (db) => {
      await snapshotDataQuality(db, config);
    },
    // Register imports being applied whose instance stopped (their lease ran out): applied
    // again, safely (src/modules/imports/jobs.ts). The hourly run with no payload does nothing.
    [APPLY_IMPORT_JOB]: handleApplyJob,
    // Deliver the outbox: email through SMTP when configured, otherwise shown in the app;
    // failures are retried with backoff (see src/platform/notifications/outbox.ts).
    'deliver-notifications': async (db) => {
      await deliverPending(db, mail);
    },
    // The daily finance file (issue 14, item 5): today's file for each partnership, made by the
    // first run of the day (the file's date is unique, so the hourly runs after it make nothing).
    'finance-feed': async (db) => {
      await produceDailyFinanceFiles(db, config);
    },
    // Retention (issue 14, item 6): once a London month, the records past the retention period
    // are listed for review and the lead organisation's administrators and quality staff told.
    // It never deletes anything.
    'retention-review': async (db) => {
      await listRecordsDueMonthly(db, config);
    },

  });
  // Signed webhooks to finance and case systems (issue 14, item 5): every 30 seconds, not hourly
  // like the housekeeping jobs, so a change reaches them within a minute and a failed delivery is
  // retried on the outbox's backoff (1, 2, 4 … minutes). Claimed with SKIP LOCKED: safe on many instances.
  let sendingWebhooks = false;
  const webhookTimer = setInterval(() => {
    if (sendingWebhooks) return;
    sendingWebhooks = true;
    deliverWebhooks(database.db, { key: config.webhookSecretKey })
      .catch((error: unknown) => app.log.error({ err: error }, 'webhook delivery failed'))
      .finally(() => {
        sendingWebhooks = false;
      });
  }, 30_000);
  webhookTimer.unref();
  await app.listen({ port: config.port, host: config.host });

  // Listening on every address: localhost reaches it; otherwise the address it listens on.
  const url = `http://${['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  out('');
  out(`Aftercare is running at ${url}`);
  out(`Database: ${database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`);
  if (config.clockOffsetMs !== 0) out(`The app's clock runs ${config.clockOffsetMs / 3_600_000} hours ${config.clockOffsetMs > 0 ? 'ahead of' : 'behind'} the system's (CLOCK_OFFSET_HOURS): a training or test environment, never production.`);
  if (demo) demo.printDemoAccounts(out, seeded);
  out('Press Ctrl+C to stop.');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      housekeeping.stop();
      clearInterval(webhookTimer);
      await app.close();
      await database.close();
    })();
    return stopping;
  };
  return { app, database, stop };
}
