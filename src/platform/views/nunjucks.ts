import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { cacheImportsAndNames } from './nunjucks-cache.ts';
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

const londonDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

function addFilters(env: nunjucks.Environment): void {
  /** 1 March 2026 */
  env.addFilter('govukDate', (value: unknown) => {
    const d = toDate(value);
    return d ? londonDate.format(d) : '';
  });
  /** 1 Mar 2026, 14:05 */
  env.addFilter('govukDateTime', (value: unknown) => {
    const d = toDate(value);
    return d ? londonDateTime.format(d) : '';
  });
  /** MoJ Frontend's timeline calls mojDate(timestamp, type). */
  env.addFilter('mojDate', (value: unknown, type: string = 'date') => {
    const d = toDate(value);
    if (!d) return '';
    return type === 'datetime' ? londonDateTime.format(d) : londonDate.format(d);
  });
  env.addFilter('roleLabel', (role: Role) => roleLabels[role] ?? role);
  env.addFilter('organisationTypeLabel', (t: OrganisationType) => organisationTypeLabels[t] ?? t);
  env.addFilter('json', (value: unknown) => JSON.stringify(value, null, 2));
  /** Find the error for a field from a GovukErrors object: {{ errors | fieldError('email') }} */
  env.addFilter('fieldError', (errors: { fields?: Record<string, { text: string }> } | undefined, field: string) =>
    errors?.fields?.[field] ?? undefined,
  );
}
