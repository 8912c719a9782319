import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { cacheImportsAndNames } from './nunjucks-cache.ts';
import { countOf, govukDate, govukDateTime, withGovukDates } from '../plain-language.ts';
import { organisationTypeLabels, roleLabels, type OrganisationType, type Role } from '../access/actor.ts';

export const srcRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nodeModules = path.resolve(srcRoot, '../node_modules');

/**
 * One Nunjucks environment. Templates are named from src/ ("modules/admin/views/users.njk",
 * "platform/views/layout.njk"); GOV.UK and MoJ macros from their packages.
 */
export function createNunjucksEnvironment(reloadTemplates = false): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [srcRoot, path.join(nodeModules, 'govuk-frontend/dist'), path.join(nodeModules, '@ministryofjustice/frontend')],
      // In development templates are re-read on every render, so edits show on reload.
      { noCache: reloadTemplates },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  addFilters(env);
  if (!reloadTemplates) cacheImportsAndNames(env);
  return env;
}

function addFilters(env: nunjucks.Environment): void {
  /** 1 March 2026 */
  env.addFilter('govukDate', govukDate);
  /** 1 Mar 2026, 14:05 */
  env.addFilter('govukDateTime', govukDateTime);
  /** MoJ Frontend's timeline calls mojDate(timestamp, type). */
  env.addFilter('mojDate', (value: unknown, type: string = 'date') => (type === 'datetime' ? govukDateTime(value) : govukDate(value)));
  /** Text with ISO dates in it ("entitled since 2026-12-04") as GOV.UK writes dates. */
  env.addFilter('govukDates', (value: unknown) => (typeof value === 'string' ? withGovukDates(value) : value));
  /** A count and its noun, singular for one: {{ n | plural("overdue review") }}, {{ n | plural("person", "people") }}. */
  env.addFilter('plural', countOf);
  env.addFilter('roleLabel', (role: Role) => roleLabels[role] ?? role);
  env.addFilter('organisationTypeLabel', (t: OrganisationType) => organisationTypeLabels[t] ?? t);
  env.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
  /** Find the error for a field from a GovukErrors object: {{ errors | fieldError('email') }} */
  env.addFilter('fieldError', (errors: { fields?: Record<string, { text: string }> } | undefined, field: string) =>
    errors?.fields?.[field] ?? undefined,
  );
}
