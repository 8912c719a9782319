import type { Actor } from '../access/actor.ts';
import { can } from '../access/policy.ts';

/**
 * The "Email this monthly" link that list and dashboard pages show: shared view code, so the
 * pages need not import the reports module (which builds its copies from those pages).
 * The pages a report can be scheduled from (kept in step with reportSources in
 * src/modules/reports/report-build.ts).
 */
export type ScheduledSource = 'dashboard' | 'equality' | 'data-quality' | 'register';

/**
 * The "Email this monthly" link of a dashboard or list: its source and the current filters,
 * for the new-schedule form; null when the actor may not schedule reports. Paging and the
 * dashboard period are not carried (each month's copy covers the 12 months to its day).
 */
export function emailMonthlyHref(actor: Actor, source: ScheduledSource, pairs: Iterable<[string, string]>): string | null {
  if (!can(actor, 'reports:schedule')) return null;
  const params = new URLSearchParams();
  params.set('source', source);
  for (const [k, v] of pairs) if (k !== 'page' && k !== 'from' && k !== 'to' && k !== 'source' && v !== '') params.append(k, v);
  return `/reports/schedules/new?${params.toString()}`;
}
