import { randomUUID } from 'node:crypto';
import path from 'node:path';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Config } from './platform/config/config.ts';
import type { Database } from './platform/db/database.ts';
import { loggerOptions } from './platform/logging/logger.ts';
import { securityHeaders, setUpWebSecurity } from './platform/http/security.ts';
import { setUpHeaderGuard } from './platform/http/headers.ts';
import { setUpControlCharacterCheck } from './platform/http/control-characters.ts';
import { setUpWebSession, setUpCsrf } from './platform/http/session.ts';
import { setUpAuthentication } from './platform/http/authentication.ts';
import { setUpHealthChecks, gitCommit, packageVersion } from './platform/http/health.ts';
import { setUpApi, apiDocsRoutes } from './platform/http/api.ts';
import { frameworkErrorHandler, setUpErrorHandling } from './platform/errors/handler.ts';
import { createNunjucksEnvironment, srcRoot } from './platform/views/nunjucks.ts';
import { setUpViews } from './platform/views/render.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { passwordLinkRoutes } from './platform/auth/password-link-routes.ts';
import { setupRoutes } from './modules/setup/index.ts';
import { setUpSecondFactorGate, twoFactorRoutes } from './platform/auth/two-factor.routes.ts';
import { ssoRoutes } from './platform/sso/routes.ts';
import { signInProviderRoutes } from './modules/admin/sign-in-providers.routes.ts';
import { homeRoutes } from './modules/home/routes.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { adminApiRoutes } from './modules/admin/api.ts';
import { peopleApiRoutes } from './modules/register/api.ts';
import { registerListRoutes } from './modules/register/list.routes.ts';
import { personRoutes } from './modules/register/person.routes.ts';
import { rulesRoutes } from './modules/rules/routes.ts';
import { documentsRoutes } from './modules/documents/routes.ts';
import { setStatementPlanSource } from './modules/documents/documents.service.ts';
import { approvedPlanInShort } from './modules/plans/plan-in-short.ts';
import { planRoutes } from './modules/plans/plans.routes.ts';
import { settingsRoutes } from './modules/settings/routes.ts';
import { chargesRoutes } from './modules/charges/routes.ts';
import { chargesApiRoutes } from './modules/charges/api.ts';
import { plansApiRoutes } from './modules/plans/api.ts';
import { disputesRoutes } from './modules/disputes/disputes.routes.ts';
import { disputesApiRoutes } from './modules/disputes/api.ts';
import { openDisputesSection } from './modules/disputes/person-section.ts';
import { registerPersonSection } from './platform/views/person-sections.ts';
import { registerNavigation } from './platform/views/navigation.ts';
import { homeNavigation } from './modules/home/navigation.ts';
import { reviewsNavigation } from './modules/reviews/navigation.ts';
import { registerListNavigation } from './modules/register/navigation.ts';
import { disputesNavigation } from './modules/disputes/navigation.ts';
import { dashboardsNavigation } from './modules/dashboards/navigation.ts';
import { panelsNavigation } from './modules/panels/navigation.ts';
import { qualityNavigation } from './modules/quality/navigation.ts';
import { annualAuditNavigation } from './modules/annual-audit/navigation.ts';
import { rulesNavigation } from './modules/rules/navigation.ts';
import { adminNavigation } from './modules/admin/navigation.ts';
import { panelRoutes } from './modules/panels/panels.routes.ts';
import { panelsApiRoutes } from './modules/panels/api.ts';
import { reviewRoutes } from './modules/reviews/routes.ts';
import { workRoutes } from './modules/work/index.ts';
import { workNavigation } from './modules/work/navigation.ts';
import { bookedReviewsSection } from './modules/reviews/person-section.ts';
import { reviewsApiRoutes } from './modules/reviews/api.ts';
import { endingRoutes } from './modules/endings/endings.routes.ts';
import { endingsApiRoutes } from './modules/endings/api.ts';
import { dashboardsRoutes } from './modules/dashboards/routes.ts';
import { equalityRoutes } from './modules/equality/routes.ts';
import { populationRoutes } from './modules/population/population.routes.ts';
import { qualityRoutes } from './modules/quality/quality.routes.ts';
import { annualAuditRoutes } from './modules/annual-audit/routes.ts';
import { exportsRoutes } from './modules/exports/exports.routes.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { importedFundingSection } from './modules/imports/index.ts';
import { reportsRoutes } from './modules/reports/routes.ts';
import { guardPersonRoutes } from './modules/register/person-guard.ts';
import { feedsRoutes } from './modules/feeds/index.ts';
import { governanceRoutes, subjectAccessSection } from './modules/governance/index.ts';
import { caseNotesSection, notesApiRoutes, notesRoutes } from './modules/notes/index.ts';
import { uploadedDocumentsSection, uploadsRoutes } from './modules/uploads/index.ts';
import { riskRoutes, riskSection } from './modules/risk/index.ts';
import { capacityApiRoutes, capacityRoutes, capacitySection } from './modules/capacity/index.ts';
import { libertyApiRoutes, libertyRoutes, libertySection } from './modules/liberty/index.ts';
import { safeguardingRoutes, safeguardingSection } from './modules/safeguarding/index.ts';
import { carersRoutes, carersSection } from './modules/carers/index.ts';
import { dashboardsApiRoutes } from './modules/dashboards/api.ts';
import { chronologyApiRoutes, chronologyRoutes, chronologySection } from './modules/chronology/index.ts';
import { careActRoutes, careActSection } from './modules/care-act/index.ts';
import './platform/http/types.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  /** Tests pass false to keep output clean; the server passes its level. */
  logger?: boolean;
  /** Where the log goes instead of stdout (tests read it to check what is never logged). */
  logDestination?: DestinationStream;
  /** Told of every route as it is added (the permission matrix test builds its list of routes from it). */
  onRoute?: (route: { method: string; url: string }) => void;
  /** The application's clock (the system clock unless a test sets one); on every request's context. */
  clock?: Clock;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole app without listening, so tests drive it with app.inject(). */
export async function buildApp({ config, database, logger = true, logDestination, onRoute, clock }: AppDeps): Promise<FastifyInstance> {
  const views = createNunjucksEnvironment(config.env === 'development');
  const loggerInstance: FastifyBaseLogger | undefined = logDestination ? pino(loggerOptions(config.logLevel, false), logDestination) : undefined;
  const app = Fastify({
    ...(loggerInstance
      ? { loggerInstance }
      : { logger: logger ? loggerOptions(config.logLevel, config.env === 'development') : false }),
    // A malformed address or an over-long path part: answered like every other refusal.
    frameworkErrors: frameworkErrorHandler(views, securityHeaders),
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 5 * 1024 * 1024,
  });
  const { db } = database;
  if (onRoute) {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) onRoute({ method, url: route.url });
    });
  }
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  // The checklist: one line per concern, in this order.
  setUpHealthChecks(app, database, gitCommit(config.gitCommit));
  setUpWebSecurity(app);
  setUpHeaderGuard(app);
  await setUpWebSession(app, db, config);
  await app.register(formbody);
  await app.register(fastifyStatic, { root: path.resolve(srcRoot, '../public'), prefix: '/assets/', index: false, maxAge: '1h' });
  setUpViews(app, views);
  // Each module's links in the service navigation, in the order of their `order`.
  registerNavigation(...homeNavigation, ...workNavigation, ...reviewsNavigation, ...registerListNavigation, ...disputesNavigation, ...dashboardsNavigation, ...panelsNavigation, ...qualityNavigation, ...annualAuditNavigation, ...rulesNavigation, ...adminNavigation);
  await setUpApi(app, packageVersion);
  setUpAuthentication(app, db, config, clock);
  setUpSecondFactorGate(app);
  await setUpCsrf(app);
  setUpControlCharacterCheck(app);
  setUpErrorHandling(app, config.env === 'production');
  guardPersonRoutes(app);
  authRoutes(app, db, config);
  // Going live (issue 14, item 1): one-time set-password links and the first-run set-up page.
  passwordLinkRoutes(app, db, clock ?? systemClock);
  setupRoutes(app, db, config, clock ?? systemClock);
  twoFactorRoutes(app, db, config, clock ?? systemClock);
  ssoRoutes(app, db, config, clock); // single sign-on per organisation (issue 14, item 2)
  homeRoutes(app);
  adminRoutes(app);
  adminApiRoutes(app);
  signInProviderRoutes(app);
  settingsRoutes(app);
  peopleApiRoutes(app);
  plansApiRoutes(app);
  disputesApiRoutes(app);
  panelsApiRoutes(app);
  endingsApiRoutes(app);
  registerListRoutes(app);
  exportsRoutes(app);
  importRoutes(app);
  disputesRoutes(app);
  registerPersonSection(openDisputesSection); // its section of the person page
  registerPersonSection(bookedReviewsSection); // booked reviews on the person page
  registerPersonSection(importedFundingSection); // funding brought from an imported register
  registerPersonSection(subjectAccessSection); // the subject access export link (issue 14, item 6)
  registerPersonSection(caseNotesSection); // case notes: the count and the link (issue 15, item 1)
  registerPersonSection(uploadedDocumentsSection); // uploaded documents: the count and the links (issue 15, item 3)
  registerPersonSection(riskSection); // risk: the level, the review date, open escalations (issue 15, item 4)
  registerPersonSection(capacitySection); // mental capacity: the newest assessments and their outcomes (issue 16, item 2)
  registerPersonSection(libertySection); // deprivation of liberty: the current authorisation or order, and the Cheshire West prompt (issue 16, item 4)
  registerPersonSection(safeguardingSection); // safeguarding: the open-concern flag (issue 16, item 1)
  registerPersonSection(carersSection); // carers, their assessments and advocacy referrals (issue 16, items 5 and 6)
  registerPersonSection(chronologySection); // the chronology: the link only (issue 15, item 2)
  registerPersonSection(careActSection); // Care Act needs: the link only (issue 16, item 7)
  personRoutes(app);
  chargesRoutes(app);
  chargesApiRoutes(app);
  documentsRoutes(app);
  setStatementPlanSource(approvedPlanInShort); // the statement shows the approved plan in short
  planRoutes(app);
  panelRoutes(app);
  reviewRoutes(app);
  workRoutes(app);
  reviewsApiRoutes(app);
  endingRoutes(app);
  qualityRoutes(app);
  annualAuditRoutes(app);
  // The dashboards (issue 7, item 1) and equality monitoring (item 4) with its population figures.
  dashboardsRoutes(app);
  equalityRoutes(app);
  populationRoutes(app);
  reportsRoutes(app);
  rulesRoutes(app);
  // Feeds to finance and case systems (issue 14, item 5): the daily finance file and webhooks.
  feedsRoutes(app);
  // Information governance (issue 14, item 6): subject access exports and the retention review.
  governanceRoutes(app);
  notesRoutes(app);
  notesApiRoutes(app);
  uploadsRoutes(app, config); // documents uploaded to a person's record (issue 15, item 3)
  riskRoutes(app);
  // Mental capacity and best interests (issue 16, items 2 and 3): the pages and the API.
  capacityRoutes(app);
  capacityApiRoutes(app);
  // Deprivation of liberty (issue 16, item 4): the pages and the API.
  libertyRoutes(app);
  libertyApiRoutes(app);
  safeguardingRoutes(app);
  carersRoutes(app); // carers and advocacy: pages and the API (issue 16, items 5, 6 and 8)
  // One chronology per person (issue 15, item 2): the page, print, PDF and XLSX, and the API.
  chronologyRoutes(app);
  careActRoutes(app);
  chronologyApiRoutes(app);
  // The assurance API: the dashboard's figures (and, in exportsRoutes, the monthly return) as JSON.
  dashboardsApiRoutes(app);
  apiDocsRoutes(app);

  return app;
}
