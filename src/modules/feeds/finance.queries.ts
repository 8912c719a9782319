import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../../platform/db/database.ts';
import { appUser, organisation } from '../../platform/db/schema.ts';
import { aftercarePlan, planService } from '../plans/index.ts';
import { person } from '../register/index.ts';
import { financeFeedFile } from './schema.ts';

/* The finance file's data layer (finance.service.ts holds what it means). */

/** Every person of the partnership with a section 117 entitlement, now or ended, with the services of their approved plan (none: one row with nulls). */
export async function findFinanceRows(q: DbOrTx, partnershipId: string) {
  return q
    .select({
      personId: person.id,
      nhsNumber: person.nhsNumber,
      familyName: person.familyName,
      givenName: person.givenName,
      dateOfBirth: person.dateOfBirth,
      status: person.status,
      entitlementStart: person.entitlementStart,
      entitlementEnd: sql<string | null>`${person.decision}->'episodes'->-1->>'end'`,
      responsibleLocalAuthority: person.responsibleLocalAuthority,
      responsibleIcb: person.responsibleIcb,
      personUpdatedAt: person.updatedAt,
      planId: aftercarePlan.id,
      planNumber: aftercarePlan.planNumber,
      planUpdatedAt: aftercarePlan.updatedAt,
      serviceId: planService.id,
      serviceTypeCode: planService.serviceTypeCode,
      serviceType: planService.serviceType,
      provider: planService.provider,
      deliveryRoute: planService.deliveryRoute,
      startOn: planService.startOn,
      endOn: planService.endOn,
      weeklyCostPence: planService.weeklyCostPence,
      localAuthorityBasisPoints: planService.localAuthorityBasisPoints,
      s117: planService.s117,
      serviceUpdatedAt: planService.updatedAt,
    })
    .from(person)
    .leftJoin(aftercarePlan, and(eq(aftercarePlan.partnershipId, person.partnershipId), eq(aftercarePlan.personId, person.id), eq(aftercarePlan.status, 'approved')))
    .leftJoin(planService, and(eq(planService.partnershipId, aftercarePlan.partnershipId), eq(planService.planId, aftercarePlan.id)))
    .where(and(eq(person.partnershipId, partnershipId), inArray(person.status, ['entitled', 'ended'])))
    .orderBy(asc(person.familyName), asc(person.givenName), asc(person.id), asc(planService.position), asc(planService.id));
}

export type FinanceRow = Awaited<ReturnType<typeof findFinanceRows>>[number];

/** The partnership's organisations, to name the codes. */
export async function findOrganisationNames(q: DbOrTx, partnershipId: string): Promise<Array<{ code: string; onsCode: string | null; name: string }>> {
  return q.select({ code: organisation.code, onsCode: organisation.onsCode, name: organisation.name }).from(organisation).where(eq(organisation.partnershipId, partnershipId));
}

/** Each partnership with an organisation to act for (its lead first): the one read a job makes outside the door. */
export async function findPartnershipsForFeeds(db: DbOrTx): Promise<Array<{ partnershipId: string; organisationId: string }>> {
  return rowsOf<{ partnershipId: string; organisationId: string }>(
    await db.execute(sql`
      select p.id as "partnershipId", o.id as "organisationId"
      from partnership p
      cross join lateral (select id from organisation where partnership_id = p.id order by is_lead desc, name, id limit 1) o
      order by p.id`),
  );
}

export async function insertFinanceFile(q: DbOrTx, values: typeof financeFeedFile.$inferInsert) {
  return q
    .insert(financeFeedFile)
    .values(values)
    .onConflictDoNothing({ target: [financeFeedFile.partnershipId, financeFeedFile.feedDate] })
    .returning({ id: financeFeedFile.id, feedDate: financeFeedFile.feedDate, rowCount: financeFeedFile.rowCount });
}

/** The files kept, newest first, without their content. */
export async function findFinanceFiles(q: DbOrTx, partnershipId: string, limit = 60) {
  return q
    .select({ id: financeFeedFile.id, feedDate: financeFeedFile.feedDate, filename: financeFeedFile.filename, rowCount: financeFeedFile.rowCount, sha256: financeFeedFile.sha256, createdAt: financeFeedFile.createdAt, createdByName: appUser.displayName })
    .from(financeFeedFile)
    .leftJoin(appUser, eq(appUser.id, financeFeedFile.createdBy))
    .where(eq(financeFeedFile.partnershipId, partnershipId))
    .orderBy(desc(financeFeedFile.feedDate))
    .limit(limit);
}

export async function findFinanceFile(q: DbOrTx, partnershipId: string, id: string) {
  return (await q.select().from(financeFeedFile).where(and(eq(financeFeedFile.partnershipId, partnershipId), eq(financeFeedFile.id, id))))[0];
}
