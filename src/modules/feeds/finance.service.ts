import { createHash, randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { isRealDate } from '../../domain/calendar-date.ts';
import { referenceName } from '../../domain/reference/organisations.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { assertCan } from '../../platform/access/policy.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { neutraliseFormula } from '../../platform/exports/table.ts';
import { serviceContext, type ServiceContext } from '../../platform/http/context.ts';
import { FINANCE_LAYOUT_VERSION, financeHeader } from './finance-layout.ts';
import { findFinanceFile, findFinanceFiles, findFinanceRows, findOrganisationNames, findPartnershipsForFeeds, insertFinanceFile, type FinanceRow } from './finance.queries.ts';

/*
 * The daily finance file (issue 14, item 5; layout in finance-layout.ts, documented in
 * docs/finance-feed.md): section 117 status, services, costs and the funding split, with a
 * do-not-charge marker per service, for every person of the partnership with an entitlement
 * (current or ended). Made by the 'finance-feed' job once a day and kept for administrators of
 * the lead organisation to download (each download audited), or by `npx aftercare feed finance`.
 */

export interface FinanceFile {
  filename: string;
  content: string;
  /** Data rows (the header not counted). */
  rows: number;
  people: number;
}

const money = (pence: number) => `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
const percent = (basisPoints: number) => `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
const latest = (...dates: Array<Date | null>) => new Date(Math.max(...dates.filter((d): d is Date => d !== null).map((d) => d.getTime())));

export const financeFilename = (date: string) => `aftercare-finance-${date}.csv`;

function record(row: FinanceRow, date: string, nameOf: (code: string | null) => string): string[] {
  const hasService = row.serviceId !== null;
  const ended = row.status === 'ended';
  const text = (value: string | null) => (value === null ? '' : neutraliseFormula(value));
  return [
    hasService ? 'SERVICE' : 'PERSON',
    FINANCE_LAYOUT_VERSION,
    date,
    row.nhsNumber,
    row.personId,
    text(row.familyName),
    text(row.givenName),
    row.dateOfBirth,
    ended ? 'ENDED' : 'ENTITLED',
    row.entitlementStart ?? '',
    ended ? (row.entitlementEnd ?? '') : '',
    row.responsibleLocalAuthority ?? '',
    text(nameOf(row.responsibleLocalAuthority)),
    row.responsibleIcb ?? '',
    text(nameOf(row.responsibleIcb)),
    hasService ? (row.planId ?? '') : '',
    hasService && row.planNumber !== null ? String(row.planNumber) : '',
    row.serviceId ?? '',
    hasService ? (row.serviceTypeCode ?? 'other') : '',
    text(row.serviceType),
    text(row.provider),
    row.deliveryRoute ?? '',
    row.startOn ?? '',
    row.endOn ?? '',
    row.weeklyCostPence === null ? '' : money(row.weeklyCostPence),
    row.localAuthorityBasisPoints === null ? '' : percent(row.localAuthorityBasisPoints),
    row.localAuthorityBasisPoints === null ? '' : percent(10_000 - row.localAuthorityBasisPoints),
    row.s117 === null ? '' : row.s117 ? 'Y' : 'N',
    stamp(latest(row.personUpdatedAt, row.planUpdatedAt, row.serviceUpdatedAt)),
  ];
}

/** The file for a day, read through the door (the caller has checked who may have it). */
export async function buildFinanceFile(ctx: ServiceContext, date: string): Promise<FinanceFile> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRealDate(date)) throw new InputError([{ path: 'date', message: 'Enter the date as year, month and day, like 2026-12-07' }]);
  const partnershipId = ctx.actor.partnershipId;
  const [rows, organisations] = await ctx.data.read(async (q) => [await findFinanceRows(q, partnershipId), await findOrganisationNames(q, partnershipId)] as const);
  const names = new Map<string, string>();
  for (const o of organisations) {
    names.set(o.code, o.name);
    if (o.onsCode) names.set(o.onsCode, o.name);
  }
  const nameOf = (code: string | null) => (code ? (names.get(code) ?? referenceName(code) ?? code) : '');
  const records = rows.map((r) => record(r, date, nameOf));
  const content = stringify([financeHeader, ...records], { record_delimiter: 'windows' });
  return { filename: financeFilename(date), content, rows: records.length, people: new Set(rows.map((r) => r.personId)).size };
}

/** Make the day's file and keep it (once a day: a second run for the same day keeps the first). Returns whether it was made now. */
export async function storeFinanceFile(ctx: ServiceContext, date: string): Promise<{ stored: boolean; file: FinanceFile }> {
  const file = await buildFinanceFile(ctx, date);
  const stored = await ctx.data.transaction(async (tx, audit) => {
    const inserted = await insertFinanceFile(tx, {
      partnershipId: ctx.actor.partnershipId,
      feedDate: date,
      filename: file.filename,
      content: file.content,
      rowCount: file.rows,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      createdBy: ctx.actor.userId,
    });
    if (inserted.length === 0) return false;
    await audit.change({ action: 'finance-feed.produced', subjectType: 'finance-feed-file', subjectId: inserted[0]!.id, after: { date, filename: file.filename, rows: file.rows, people: file.people } });
    return true;
  });
  return { stored, file };
}

function feedJobActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (daily finance file)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}

/** The 'finance-feed' job: today's file for every partnership (hourly runs after the first keep the first). */
export async function produceDailyFinanceFiles(db: Db, config: Config, clock: Clock = systemClock): Promise<number> {
  let made = 0;
  const today = clock.today();
  for (const p of await findPartnershipsForFeeds(db)) {
    const ctx = serviceContext({ db, actor: feedJobActor(p.partnershipId, p.organisationId), requestId: `job:finance-feed:${randomUUID()}`, config, clock });
    if ((await storeFinanceFile(ctx, today)).stored) made += 1;
  }
  return made;
}

export function assertCanManageFeeds(ctx: ServiceContext): void {
  assertCan(ctx.actor, 'feeds:manage');
}

export async function listFinanceFiles(ctx: ServiceContext) {
  assertCanManageFeeds(ctx);
  return ctx.data.read((q) => findFinanceFiles(q, ctx.actor.partnershipId));
}

/** An administrator's download of a kept file: the download is audited in the unit that reads it. */
export async function downloadFinanceFile(ctx: ServiceContext, id: string) {
  assertCanManageFeeds(ctx);
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new NotFoundError('There is no such finance file');
  return ctx.data.transaction(async (tx, audit) => {
    const file = await findFinanceFile(tx, ctx.actor.partnershipId, id);
    if (!file) throw new NotFoundError('There is no such finance file');
    await audit.change({ action: 'finance-feed.downloaded', subjectType: 'finance-feed-file', subjectId: file.id, after: { date: file.feedDate, filename: file.filename, rows: file.rowCount } });
    return file;
  });
}

/** Make today's file now (an administrator's button), kept like the job's. */
export async function produceFinanceFileNow(ctx: ServiceContext) {
  assertCanManageFeeds(ctx);
  return storeFinanceFile(ctx, ctx.today());
}
