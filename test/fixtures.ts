import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createPerson, recordEvent } from '../src/modules/register/people.service.ts';
import { aftercarePlan, planService } from '../src/modules/plans/schema.ts';
import { syntheticNhsNumbers } from '../src/domain/nhs-number.ts';
import type { Actor, OrganisationType, Role } from '../src/platform/access/actor.ts';
import { loadUserActor } from '../src/platform/auth/actor-loader.ts';
import { hashPassword } from '../src/platform/auth/passwords.ts';
import { SettableClock, type Clock } from '../src/platform/clock.ts';
import type { Config } from '../src/platform/config/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import { appUser, membership, organisation, partnership } from '../src/platform/db/schema.ts';
import { serviceContext, type ServiceContext } from '../src/platform/http/context.ts';
import { DEMO_PASSWORD } from '../src/modules/demo/partnership.ts';
import { signedInBrowser, type Browser, type TestApp } from './app.ts';

/*
 * Typed builders for integration tests, in one place (the Medplum `createTestProject` habit):
 * NHS numbers, contexts and signed-in browsers for a user, a whole second partnership with its
 * organisations and users by role, an entitled person, an approved plan and a clock.
 */

/** Synthetic NHS numbers (the 999 test range), from `skip` on: each file picks its own range. */
export function nhsNumbers(skip: number): () => string {
  const numbers = syntheticNhsNumbers(skip);
  return () => {
    const next = numbers.next();
    if (next.done) throw new Error('No synthetic NHS numbers left in this range');
    return next.value;
  };
}

/** A clock standing at a date (YYYY-MM-DD, midday in London) or an instant, until a test moves it. */
export function clockAt(at: Date | string): SettableClock {
  return new SettableClock(at);
}

/** The actor for a user (by email), acting for their first organisation or the one given. */
export async function actorFor(db: Db, email: string, organisationId?: string): Promise<Actor> {
  const user = (await db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, email)))[0];
  if (!user) throw new Error(`No user ${email}`);
  const actor = await loadUserActor(db, user.id, organisationId);
  if (!actor) throw new Error(`The user ${email} cannot act`);
  return actor;
}

/** A service context for a user, as a request of theirs would get, with the door open for them. */
export async function contextFor(
  t: { database: { db: Db }; config: Config },
  email: string,
  options: { clock?: Clock; organisationId?: string } = {},
): Promise<ServiceContext> {
  const actor = await actorFor(t.database.db, email, options.organisationId);
  return serviceContext({ db: t.database.db, actor, requestId: `test:${randomUUID()}`, config: t.config, clock: options.clock });
}

/** A test browser signed in as the user (demo password), on its home page, holding a CSRF token. */
export function signedIn(t: { app: FastifyInstance }, email: string): Promise<Browser> {
  return signedInBrowser(t.app, email);
}

export interface TestOrganisation {
  id: string;
  code: string;
  onsCode: string | null;
  name: string;
  type: OrganisationType;
}

export type PartnershipRole = 'practitioner' | 'manager' | 'commissioner' | 'administrator' | 'readOnly';

export interface TestPartnership {
  id: string;
  name: string;
  organisations: { localAuthority: TestOrganisation; icb: TestOrganisation; trust: TestOrganisation };
  /** Email addresses by role; every account has the demo password. */
  users: Record<PartnershipRole, string>;
}

/**
 * A second partnership beside the demo one: an ICB (the lead), a council and a trust, and one
 * user for each role (a practitioner and a team manager of the council, a commissioner and an
 * administrator of the ICB, a read-only user of the trust). `key` keeps codes and emails apart.
 */
export async function createPartnership(db: Db, key: string): Promise<TestPartnership> {
  const slug = key.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const name = `${key} Section 117 Partnership`;
  const [p] = await db.insert(partnership).values({ name }).returning();
  const partnershipId = p!.id;
  const org = async (type: OrganisationType, code: string, orgName: string, isLead: boolean, onsCode: string | null = null): Promise<TestOrganisation> => {
    const [row] = await db.insert(organisation).values({ partnershipId, type, code, onsCode, name: orgName, isLead }).returning();
    return { id: row!.id, code, onsCode, name: orgName, type };
  };
  const digits = String(Math.abs(hashCode(slug)) % 900 + 100);
  const organisations = {
    icb: await org('icb', `Q${digits}`, `NHS ${key} Integrated Care Board`, true, `E54000${digits}`),
    localAuthority: await org('local-authority', `E06000${digits}`, `${key} Council`, false),
    trust: await org('nhs-trust', `R${digits}`, `${key} Mental Health NHS Trust`, false),
  };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts: Array<{ role: PartnershipRole; roles: Role[]; org: TestOrganisation }> = [
    { role: 'practitioner', roles: ['practitioner'], org: organisations.localAuthority },
    { role: 'manager', roles: ['team-manager'], org: organisations.localAuthority },
    { role: 'commissioner', roles: ['commissioner'], org: organisations.icb },
    { role: 'administrator', roles: ['administrator'], org: organisations.icb },
    { role: 'readOnly', roles: ['read-only'], org: organisations.trust },
  ];
  const users = {} as Record<PartnershipRole, string>;
  for (const account of accounts) {
    const email = `${account.role.toLowerCase()}@${slug}.test.example`;
    const [user] = await db.insert(appUser).values({ partnershipId, email, displayName: `${key} ${account.role}`, passwordHash }).returning({ id: appUser.id });
    await db.insert(membership).values({ partnershipId, userId: user!.id, organisationId: account.org.id, roles: account.roles });
    users[account.role] = email;
  }
  return { id: partnershipId, name, organisations, users };
}

function hashCode(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(31, h) + c.charCodeAt(0)) | 0;
  return h;
}

export interface EntitledPersonOptions {
  nhsNumber: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  /** The local authority of ordinary residence (ONS code): Northvale Council unless given. */
  ordinaryResidence?: string;
  /** The ICB of GP registration (ONS code): the demo ICB unless given. */
  icb?: string;
  detainedOn?: string;
  /** Discharged from section 3 and left hospital that day: the entitlement starts. */
  dischargedOn?: string;
}

/**
 * A person entitled to section 117 aftercare, recorded through the register's own use cases as
 * `ctx`'s actor: detained under section 3, then discharged and left hospital. Returns their id.
 */
export async function entitledPerson(ctx: ServiceContext, options: EntitledPersonOptions): Promise<string> {
  const created = await createPerson(
    ctx,
    { givenName: options.givenName ?? 'Casey', familyName: options.familyName ?? 'Fixture', dateOfBirth: options.dateOfBirth ?? '1980-04-01', nhsNumber: options.nhsNumber },
    { confirmDuplicate: true },
  );
  if (created.outcome !== 'created') throw new Error('The fixture person was not created');
  const detainedOn = options.detainedOn ?? '2024-01-10';
  const dischargedOn = options.dischargedOn ?? '2024-03-01';
  const events = [
    { type: 'detention-started', date: detainedOn, legalStatusCode: '03', ordinaryResidence: options.ordinaryResidence ?? 'E06000901', icbOfGpRegistration: options.icb ?? 'E54000901' },
    { type: 'detention-ended', date: dischargedOn, reason: 'discharged' },
    { type: 'left-hospital', date: dischargedOn },
  ];
  for (const event of events) await recordEvent(ctx, created.person.id, { event, hospital: event.type === 'detention-started' ? 'Northvale Hospital' : null });
  return created.person.id;
}

/** A service on the plan: what the test cares about, the rest defaulted (a weekly section 117 service, split 50:50). */
export type PlanServiceFixture = { serviceType: string; weeklyCostPence: number } & Partial<Omit<typeof planService.$inferInsert, 'partnershipId' | 'planId' | 'personId' | 'position'>>;

/** An approved aftercare plan (number 1) for the person, with the services given, in order. Returns the plan and service ids. */
export async function approvedPlan(
  db: Db,
  person: { partnershipId: string; personId: string },
  services: PlanServiceFixture[] = [],
): Promise<{ planId: string; serviceIds: string[] }> {
  const [plan] = await db.insert(aftercarePlan).values({ partnershipId: person.partnershipId, personId: person.personId, planNumber: 1, status: 'approved' }).returning();
  if (services.length === 0) return { planId: plan!.id, serviceIds: [] };
  const rows = await db
    .insert(planService)
    .values(
      services.map((s, position) => ({
        needIds: [],
        provider: 'Riverside Supported Living',
        startOn: '2024-03-01',
        frequency: 'Weekly',
        unitsPerWeek: 1,
        unitCostPence: s.weeklyCostPence,
        deliveryRoute: 'commissioned' as const,
        s117: true,
        localAuthorityBasisPoints: 5000,
        splitBasis: 'Joint policy',
        ...s,
        partnershipId: person.partnershipId,
        planId: plan!.id,
        personId: person.personId,
        position,
      })),
    )
    .returning({ id: planService.id });
  return { planId: plan!.id, serviceIds: rows.map((r) => r.id) };
}

export type { TestApp };
