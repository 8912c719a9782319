import type { FastifyInstance } from 'fastify';
import { populationRoutes } from '../equality/population.routes.ts';
import { equalityRoutes } from '../equality/routes.ts';
import { dashboardsRoutes } from './routes.ts';

/** The dashboards (issue 7, item 1) and equality monitoring (item 4) with its population figures: one registration in app.ts. */
export function assuranceDashboardRoutes(app: FastifyInstance): void {
  dashboardsRoutes(app);
  equalityRoutes(app);
  populationRoutes(app);
}
