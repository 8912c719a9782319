import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, dateForm, demo, type TestApp } from '../../../test/app.ts';
import { contextFor, entitledPerson, nhsNumbers } from '../../../test/fixtures.ts';
import { recordChange } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { loadUserActor } from '../../platform/auth/actor-loader.ts';
import { ForbiddenError } from '../../platform/errors/errors.ts';
import { updateMembership } from './users.service.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { apiToken, appUser, auditEvent, membership, organisation } from '../../platform/db/schema.ts';
import { serviceContext } from '../../platform/http/context.ts';

let t: TestApp;
let orgs: Record<string, { id: string; version: number; name: string }>;

beforeAll(async () => {
  t = await createTestApp();
  const rows = await t.database.db.select().from(organisation);
  orgs = Object.fromEntries(rows.map((r) => [r.code, r]));
});
afterAll(async () => {
  await t.close();
});

async function auditTotal(): Promise<number> {
  return rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_event`))[0]!.n;
}

async function signedIn(email: string, ip = '127.0.0.1'): Promise<Browser> {
  const b = new Browser(t.app, ip);
  const res = await b.signIn(email);
  expect(res.statusCode).toBe(302);
  return b;
}

const northvale = () => orgs.E06000901!;
const southmere = () => orgs.E06000902!;

describe('access by role and organisation', () => {
  it('lets a local authority administrator manage their own organisation’s users', async () => {
    const b = await signedIn(demo.laAdmin);
    const res = await b.get(`/admin/organisations/${northvale().id}/users`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sam Okafor');
  });

  it('refuses them another organisation’s users with 403', async () => {
    const b = await signedIn(demo.laAdmin);
    const res = await b.get(`/admin/organisations/${southmere().id}/users`);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You do not have permission');
    const post = await b.post(`/admin/organisations/${southmere().id}/users/new`, {
      displayName: 'Intruder', email: 'intruder@demo.aftercare.example', password: 'a-long-enough-password', roles: 'administrator',
    });
    expect(post.statusCode).toBe(403);
    expect(await t.database.db.select().from(appUser).where(eq(appUser.email, 'intruder@demo.aftercare.example'))).toHaveLength(0);
  });

  it('lets the lead organisation’s administrator manage every organisation', async () => {
    const b = await signedIn(demo.admin);
    expect((await b.get(`/admin/organisations/${southmere().id}/users`)).statusCode).toBe(200);
    expect((await b.get('/admin/organisations/new')).statusCode).toBe(200);
  });

  it('refuses administration to a practitioner with 403, not 400 or 500', async () => {
    const b = await signedIn(demo.practitioner);
    expect((await b.get('/admin')).statusCode).toBe(403);
    expect((await b.get(`/admin/organisations/${northvale().id}/users`)).statusCode).toBe(403);
    expect((await b.get('/admin/audit')).statusCode).toBe(403);
  });

  it('refuses a local authority administrator the creation of organisations', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get('/admin/organisations');
    const res = await b.post('/admin/organisations/new', { type: 'local-authority', name: 'Rogue Council', code: 'E06000999' });
    expect(res.statusCode).toBe(403);
  });
});

describe('writes are audited in the same transaction', () => {
  it('creates exactly one audit event, with before and after, for each change', async () => {
    const b = await signedIn(demo.admin);
    await b.get('/admin/organisations/new');
    let before = await auditTotal();
    const created = await b.post('/admin/organisations/new', { type: 'local-authority', name: 'Westford Council', code: 'E06000904' });
    expect(created.statusCode).toBe(302);
    expect(await auditTotal()).toBe(before + 1);
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'E06000904')))[0]!;

    await b.get(`/admin/organisations/${org.id}/edit`);
    before = await auditTotal();
    const updated = await b.post(`/admin/organisations/${org.id}/edit`, { type: 'local-authority', name: 'Westford Borough Council', code: 'E06000904', active: 'true', version: String(org.version) });
    expect(updated.statusCode).toBe(302);
    expect(await auditTotal()).toBe(before + 1);
    const event = (await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'organisation.updated'), eq(auditEvent.subjectId, org.id))))[0]!;
    expect(event.before).toMatchObject({ name: 'Westford Council' });
    expect(event.after).toMatchObject({ name: 'Westford Borough Council' });
    expect(event.actorUserId).toBeTruthy();
    expect(event.requestId).toBeTruthy();

    await b.get(`/admin/organisations/${org.id}/users/new`);
    before = await auditTotal();
    const user = await b.post(`/admin/organisations/${org.id}/users/new`, {
      displayName: 'Test Worker', email: 'worker@westford.example', password: 'correct-horse-battery', roles: ['practitioner', 'read-only'],
    });
    expect(user.statusCode).toBe(302);
    expect(await auditTotal()).toBe(before + 1);
    const userEvent = (await t.database.db.select().from(auditEvent).where(eq(auditEvent.action, 'user.created'))).at(-1)!;
    expect(JSON.stringify(userEvent.after)).not.toContain('argon2');
  });

  it('rolls back the change when the audit write fails: neither is saved', async () => {
    const db = t.database.db;
    await db.execute(sql`create or replace function test_fail_audit() returns trigger as $$
      begin if new.action = 'organisation.updated' then raise exception 'forced failure after the write'; end if; return new; end; $$ language plpgsql`);
    await db.execute(sql`create trigger test_fail_audit before insert on audit_event for each row execute function test_fail_audit()`);
    try {
      const org = (await db.select().from(organisation).where(eq(organisation.code, 'E08000903')))[0]!;
      const b = await signedIn(demo.admin);
      await b.get(`/admin/organisations/${org.id}/edit`);
      const before = await auditTotal();
      const res = await b.post(`/admin/organisations/${org.id}/edit`, { type: 'local-authority', name: 'Changed Name', code: org.code, active: 'true', version: String(org.version) });
      expect(res.statusCode).toBe(500);
      const after = (await db.select().from(organisation).where(eq(organisation.id, org.id)))[0]!;
      expect(after.name).toBe(org.name);
      expect(after.version).toBe(org.version);
      expect(await auditTotal()).toBe(before);
    } finally {
      await db.execute(sql`drop trigger test_fail_audit on audit_event`);
    }
  });

  it('refuses to change or delete audit events', async () => {
    const refusal = async (statement: Promise<unknown>) => {
      const error = (await statement.then(() => null, (e: unknown) => e)) as { cause?: { message?: string } } | null;
      return error?.cause?.message ?? JSON.stringify(error);
    };
    expect(await refusal(t.database.db.execute(sql`update audit_event set action = 'tampered'`))).toMatch(/append-only/);
    expect(await refusal(t.database.db.execute(sql`delete from audit_event`))).toMatch(/append-only/);
  });
});

describe('optimistic concurrency', () => {
  it('saves the first of two edits from the same version and tells the second person, losing nothing', async () => {
    const org = (await t.database.db.select().from(organisation).where(eq(organisation.code, 'NZV01')))[0]!;
    const first = await signedIn(demo.admin, '127.0.0.2');
    const second = await signedIn(demo.admin, '127.0.0.3');
    await first.get(`/admin/organisations/${org.id}/edit`);
    await second.get(`/admin/organisations/${org.id}/edit`);
    const form = (name: string) => ({ type: 'other-provider', name, code: org.code, active: 'true', version: String(org.version) });
    const [a, b] = await Promise.all([first.post(`/admin/organisations/${org.id}/edit`, form('First editor’s name')), second.post(`/admin/organisations/${org.id}/edit`, form('Second editor’s name'))]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([302, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.body).toContain('Somebody else changed this record');
    const saved = (await t.database.db.select().from(organisation).where(eq(organisation.id, org.id)))[0]!;
    expect(saved.version).toBe(org.version + 1);
    expect([`First editor’s name`, `Second editor’s name`]).toContain(saved.name);
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'organisation.updated'), eq(auditEvent.subjectId, org.id)));
    expect(events).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('shows a GOV.UK error summary and changes nothing', async () => {
    const org = northvale();
    const b = await signedIn(demo.admin);
    await b.get(`/admin/organisations/${org.id}/edit`);
    const before = await auditTotal();
    const res = await b.post(`/admin/organisations/${org.id}/edit`, { type: 'local-authority', name: '', code: 'QZV', active: 'true', version: String(org.version) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#name"');
    expect(res.body).toContain('Enter the organisation’s name');
    expect(res.body).toContain('Enter a local authority’s ONS GSS code');
    expect(await auditTotal()).toBe(before);
    const saved = (await t.database.db.select().from(organisation).where(eq(organisation.id, org.id)))[0]!;
    expect(saved.name).toBe('Northvale Council');
  });

  it('refuses a duplicate code with a specific message', async () => {
    const b = await signedIn(demo.admin);
    await b.get('/admin/organisations/new');
    const res = await b.post('/admin/organisations/new', { type: 'icb', name: 'Copy ICB', code: 'QZV' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('already has the code QZV');
  });

  it('refuses a user without roles or with a short password', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/users/new`);
    const res = await b.post(`/admin/organisations/${northvale().id}/users/new`, { displayName: 'New Person', email: 'not-an-email', password: 'short' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter an email address in the correct format');
    expect(res.body).toContain('Password must be at least 12 characters');
    expect(res.body).toContain('Select at least one role');
  });
});

describe('API tokens', () => {
  it('are created once, stored hashed, used as bearer tokens, and revoked', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/tokens`);
    const created = await b.post(`/admin/organisations/${northvale().id}/tokens`, { name: 'EPR integration' });
    expect(created.statusCode).toBe(200);
    const token = /data-qa="new-token">([^<]+)</.exec(created.body)?.[1];
    expect(token).toMatch(/^ac_/);
    const stored = (await t.database.db.select().from(apiToken).where(eq(apiToken.name, 'EPR integration')))[0]!;
    expect(stored.tokenHash).not.toContain(token!);

    // Since "nobody grants themselves rights", another administrator approves it before it works.
    const approved = await approvedByAnotherAdministrator(stored.id);
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);

    await b.get(`/admin/organisations/${northvale().id}/tokens`);
    const revoked = await b.post(`/admin/tokens/${stored.id}/revoke`, { version: String(approved.version) });
    expect(revoked.statusCode).toBe(302);
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/rules/evaluate', headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(refused.statusCode).toBe(401);
  });
});

/** The lead organisation's administrator approves a token on its organisation's tokens page. */
async function approvedByAnotherAdministrator(tokenId: string) {
  const stored = (await t.database.db.select().from(apiToken).where(eq(apiToken.id, tokenId)))[0]!;
  const lead = await signedIn(demo.admin);
  const page = await lead.get(`/admin/organisations/${stored.organisationId}/tokens`);
  expect(page.body).toContain(`action="/admin/tokens/${tokenId}/approve"`);
  const res = await lead.post(`/admin/tokens/${tokenId}/approve`, { version: String(stored.version) });
  expect(res.statusCode).toBe(302);
  return (await t.database.db.select().from(apiToken).where(eq(apiToken.id, tokenId)))[0]!;
}

describe('nobody grants themselves rights: API tokens need a second administrator', () => {
  it('keeps a token an administrator created inactive (401) until a different administrator approves it; the creator cannot approve it (403)', async () => {
    const creator = await signedIn(demo.laAdmin);
    // The finding: this administrator is refused the register...
    expect((await creator.get('/register')).statusCode).toBe(403);
    await creator.get(`/admin/organisations/${northvale().id}/tokens`);
    const created = await creator.post(`/admin/organisations/${northvale().id}/tokens`, { name: 'Self-granted access' });
    expect(created.statusCode).toBe(200);
    const token = /data-qa="new-token">([^<]+)</.exec(created.body)![1]!;
    expect(created.body).toContain('It will work only once another administrator');
    const stored = (await t.database.db.select().from(apiToken).where(eq(apiToken.name, 'Self-granted access')))[0]!;
    expect(stored.approvedAt).toBeNull();

    // ...and the token they made for themselves reads nobody's record.
    const someone = nhsNumbers(712_000)();
    await entitledPerson(await contextFor(t, demo.practitioner), { nhsNumber: someone, ordinaryResidence: 'E06000901' });
    const people = `/api/v1/people?nhsNumber=${someone}`;
    const refused = await t.app.inject({ url: people, headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((refused.json() as { detail: string }).detail).toContain('has not been approved yet');
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(write.statusCode).toBe(401);

    // The creator sees it waiting, with no Approve button, and is refused if they try.
    const own = await creator.get(`/admin/organisations/${northvale().id}/tokens`);
    expect(own.body).toContain('Waiting for approval by another administrator');
    expect(own.body).not.toContain(`action="/admin/tokens/${stored.id}/approve"`);
    const selfApproval = await creator.post(`/admin/tokens/${stored.id}/approve`, { version: String(stored.version) });
    expect(selfApproval.statusCode).toBe(403);
    expect(selfApproval.body).toContain('another administrator must approve it');
    expect((await t.database.db.select().from(apiToken).where(eq(apiToken.id, stored.id)))[0]!.approvedAt).toBeNull();
    expect((await t.app.inject({ url: people, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);

    // A different administrator (the lead organisation's) approves it: now it works, and it is audited.
    const approved = await approvedByAnotherAdministrator(stored.id);
    expect(approved.approvedAt).not.toBeNull();
    const works = await t.app.inject({ url: people, headers: { authorization: `Bearer ${token}` } });
    expect(works.statusCode).toBe(200);
    expect((works.json() as { people: unknown[] }).people).toHaveLength(1);
    const events = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'api-token.approved'), eq(auditEvent.subjectId, stored.id)));
    expect(events).toHaveLength(1);
    const lead = (await t.database.db.select().from(appUser).where(eq(appUser.email, demo.admin)))[0]!;
    expect(events[0]!.actorUserId).toBe(lead.id);
    expect(JSON.stringify(events[0]!.after)).not.toContain(stored.tokenHash);
  });
});

describe('audit trail page', () => {
  it('lists events for the lead organisation’s quality staff, and filters them', async () => {
    const b = await signedIn(demo.quality);
    const res = await b.get('/admin/audit?action=user.signed-in');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('user.signed-in');
    expect(res.body).not.toContain('organisation.updated</span>');
  });

  it('rejects an impossible date with a clear message', async () => {
    const b = await signedIn(demo.quality);
    const res = await b.get('/admin/audit?from=2025-02-30');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Enter a real date');
  });

  it('takes dates as people write them, and shows none as an ISO date in its hints (issue 13, plain language)', async () => {
    const b = await signedIn(demo.quality);
    const page = await b.get('/admin/audit');
    expect(page.body).toContain('For example, 1 November 2026');
    expect(page.body).not.toMatch(/Like \d{4}-\d{2}-\d{2}/);
    for (const from of ['1 November 2025', '1/11/2025', '2025-11-01']) {
      const res = await b.get(`/admin/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent('30 November 2025')}`);
      expect(res.statusCode, from).toBe(200);
    }
  });

  it('shows a local authority administrator only their own organisation’s events', async () => {
    const b = await signedIn(demo.laAdmin);
    const res = await b.get('/admin/audit');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('NHS Northvale and Southmere Integrated Care Board<');
  });
});

describe('organisations API', () => {
  it('lists the partnership’s organisations for an API client, as its OpenAPI document says', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/tokens`);
    const created = await b.post(`/admin/organisations/${northvale().id}/tokens`, { name: 'Directory sync' });
    const token = /data-qa="new-token">([^<]+)</.exec(created.body)![1]!;
    await approvedByAnotherAdministrator((await t.database.db.select().from(apiToken).where(eq(apiToken.name, 'Directory sync')))[0]!.id);
    const res = await t.app.inject({ url: '/api/v1/organisations', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const codes = (res.json() as { organisations: Array<{ code: string }> }).organisations.map((o) => o.code);
    expect(codes).toEqual(expect.arrayContaining(['QZV', 'E06000901', 'E06000902', 'E08000903', 'RZV', 'NZV01']));
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/api/v1/organisations');
  });

  it('refuses an unknown token with 401 problem+json', async () => {
    const res = await t.app.inject({ url: '/api/v1/organisations', headers: { authorization: 'Bearer ac_not-a-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

async function membershipOf(email: string) {
  const rows = await t.database.db
    .select({ id: membership.id, version: membership.version, roles: membership.roles, userId: appUser.id, active: appUser.active })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(eq(appUser.email, email));
  return rows[0]!;
}

describe('finding 5: nobody grants themselves rights', () => {
  it('refuses an administrator their own roles with 403 on the page and changes nothing', async () => {
    const own = await membershipOf(demo.laAdmin);
    const b = await signedIn(demo.laAdmin);
    const list = await b.get(`/admin/organisations/${northvale().id}/users`);
    expect(list.body).not.toContain(`/admin/memberships/${own.id}/edit`);
    expect(list.body).toContain('Your account: another administrator changes your access');
    expect((await b.get(`/admin/memberships/${own.id}/edit`)).statusCode).toBe(403);

    const res = await b.post(`/admin/memberships/${own.id}/edit`, { roles: ['team-manager', 'quality-audit', 'administrator'], active: 'true', version: String(own.version) });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You cannot change your own roles or access');
    const after = await membershipOf(demo.laAdmin);
    expect(after.roles).toEqual(['administrator']);
    expect(after.version).toBe(own.version);
    // The refused attempt is in the audit trail; the register stays closed to them.
    const refused = await t.database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'user.own-access-change-refused'), eq(auditEvent.subjectId, own.userId)));
    expect(refused).toHaveLength(1);
    expect((await b.get('/register')).statusCode).toBe(403);
  });

  it('refuses it before reading the input (403, not 422), and to the lead organisation’s administrator too', async () => {
    const own = await membershipOf(demo.admin);
    const b = await signedIn(demo.admin);
    await b.get('/admin');
    const res = await b.post(`/admin/memberships/${own.id}/edit`, { version: String(own.version) });
    expect(res.statusCode).toBe(403);
    expect((await membershipOf(demo.admin)).roles).toEqual(['administrator']);
  });

  it('refuses adding a membership to their own account', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/users/new`);
    const before = await t.database.db.select().from(membership).innerJoin(appUser, eq(appUser.id, membership.userId)).where(eq(appUser.email, demo.laAdmin));
    const res = await b.post(`/admin/organisations/${northvale().id}/users/new`, {
      displayName: 'Frankie Osei', email: demo.laAdmin, password: 'a-long-enough-password', roles: ['quality-audit'],
    });
    expect(res.statusCode).toBe(403);
    const after = await t.database.db.select().from(membership).innerJoin(appUser, eq(appUser.id, membership.userId)).where(eq(appUser.email, demo.laAdmin));
    expect(after).toHaveLength(before.length);
  });

  it('still lets an administrator change a colleague’s roles in their own organisation', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/users/new`);
    const created = await b.post(`/admin/organisations/${northvale().id}/users/new`, {
      displayName: 'Colleague Five', email: 'colleague5@demo.aftercare.example', password: 'a-long-enough-password', roles: 'practitioner',
    });
    expect(created.statusCode).toBe(302);
    const colleague = await membershipOf('colleague5@demo.aftercare.example');
    await b.get(`/admin/memberships/${colleague.id}/edit`);
    const res = await b.post(`/admin/memberships/${colleague.id}/edit`, { roles: ['practitioner', 'team-manager'], active: 'true', version: String(colleague.version) });
    expect(res.statusCode).toBe(302);
    expect((await membershipOf('colleague5@demo.aftercare.example')).roles).toEqual(['practitioner', 'team-manager']);
  });

  it('is refused in the users service itself, for any caller that is the account’s own user', async () => {
    const own = await membershipOf(demo.laAdmin);
    const actor = (await loadUserActor(t.database.db, own.userId))!;
    const ctx = serviceContext({ db: t.database.db, actor, requestId: 'test:finding-5', config: t.config });
    const error = await updateMembership(ctx, own.id, own.version, { roles: ['administrator', 'quality-audit'], active: true }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((await membershipOf(demo.laAdmin)).roles).toEqual(['administrator']);
  });

  it('refuses a council administrator roles for another organisation’s member with 403', async () => {
    const southmereMember = await membershipOf(demo.senior);
    const b = await signedIn(demo.laAdmin);
    await b.get('/admin');
    const res = await b.post(`/admin/memberships/${southmereMember.id}/edit`, { roles: ['administrator'], active: 'true', version: String(southmereMember.version) });
    expect(res.statusCode).toBe(403);
    expect((await membershipOf(demo.senior)).roles).toEqual(['senior-practitioner']);
  });
});

describe('finding 10: a membership edit without an answer to “can this person sign in?”', () => {
  it('shows a plain-English error, not the schema’s, and changes nothing', async () => {
    const b = await signedIn(demo.laAdmin);
    await b.get(`/admin/organisations/${northvale().id}/users/new`);
    await b.post(`/admin/organisations/${northvale().id}/users/new`, {
      displayName: 'Colleague Ten', email: 'colleague10@demo.aftercare.example', password: 'a-long-enough-password', roles: 'practitioner',
    });
    const colleague = await membershipOf('colleague10@demo.aftercare.example');
    await b.get(`/admin/memberships/${colleague.id}/edit`);
    const res = await b.post(`/admin/memberships/${colleague.id}/edit`, { roles: ['practitioner', 'read-only'], version: String(colleague.version) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Select yes if this person can sign in, or no if they cannot');
    expect(res.body).toContain('href="#active"');
    expect(res.body).not.toContain('expected boolean');
    const after = await membershipOf('colleague10@demo.aftercare.example');
    expect(after.roles).toEqual(['practitioner']);
    expect(after.active).toBe(true);
  });
});

describe('finding 6: the audit trail shows a person’s details only to those who may read the person', () => {
  it('withholds addresses, gender, attendees and views from the council administrator, and shows them to quality staff who may read the person', async () => {
    const practitioner = await signedIn(demo.practitioner);
    await practitioner.get('/people/new');
    const created = await practitioner.post('/people/new', {
      nhsNumber: '9990002010', givenName: 'Audrey', familyName: 'Trailfield', ...dateForm('dateOfBirth', '1971-03-04'),
      sex: 'female', gender: 'Genderfluid-sixmarker', address: '6 Withheld Crescent, Northvale', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started',
    });
    expect(created.statusCode, created.body.slice(0, 1500)).toBe(302);
    const personId = /\/people\/([0-9a-f-]+)\/history/.exec(created.headers.location as string)![1]!;
    // Detained with a GP in the ICB: the ICB (and its quality staff) become responsible.
    await practitioner.get(`/people/${personId}/events/new/detention-started`);
    const fields = { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' };
    await practitioner.post(`/people/${personId}/events/new/detention-started`, fields);
    const recorded = await practitioner.post(`/people/${personId}/events/new/detention-started`, { ...fields, confirm: 'yes' });
    expect(recorded.statusCode).toBe(302);
    // A review as the reviews service records it: who attended and the person's own views.
    const user = (await t.database.db.select().from(appUser).where(eq(appUser.email, demo.practitioner)))[0]!;
    const actor: Actor = { kind: 'user', userId: user.id, tokenId: null, displayName: user.displayName, partnershipId: user.partnershipId, activeOrganisationId: northvale().id, memberships: [] };
    await recordChange(t.database.db, { actor, requestId: 'test:finding-6' }, {
      action: 'review.completed', subjectType: 'person', subjectId: personId,
      after: { review: { attendees: [{ kind: 'family', name: 'Attendee Quillfeather', role: 'Sister' }], personView: 'Views-of-Audrey: I want to stay near my allotment' } },
    });
    const secrets = ['Withheld Crescent', 'Genderfluid-sixmarker', 'Attendee Quillfeather', 'Views-of-Audrey'];

    const admin = await signedIn(demo.laAdmin);
    expect((await admin.get(`/people/${personId}`)).statusCode).toBe(403);
    const trail = await admin.get(`/admin/audit?subjectId=${personId}`);
    expect(trail.statusCode).toBe(200);
    expect(trail.body).toContain('person.created');
    expect(trail.body).toContain('review.completed');
    for (const secret of secrets) expect(trail.body).not.toContain(secret);
    expect(trail.body).toContain('Details withheld: this event is about a person’s record, and you do not have access to that person’s record');
    // Unfiltered too, and account events keep their details for the administrator.
    const all = await admin.get('/admin/audit');
    for (const secret of secrets) expect(all.body).not.toContain(secret);
    const accounts = await admin.get('/admin/audit?action=user.created');
    expect(accounts.body).not.toContain('data-qa="audit-withheld"');

    const quality = await signedIn(demo.quality);
    expect((await quality.get(`/people/${personId}`)).statusCode).toBe(200);
    const seen = await quality.get(`/admin/audit?subjectId=${personId}`);
    expect(seen.statusCode).toBe(200);
    for (const secret of secrets) expect(seen.body).toContain(secret);
  });

  it('withholds the contents of events that may name people (an export’s search terms) from an administrator', async () => {
    const manager = await signedIn(demo.manager);
    const exported = await manager.get('/register.csv?q=Searchterm-Pemberton');
    expect(exported.statusCode).toBe(200);
    const admin = await signedIn(demo.laAdmin);
    const trail = await admin.get('/admin/audit?action=register.exported');
    expect(trail.body).toContain('register.exported');
    expect(trail.body).not.toContain('Searchterm-Pemberton');
    expect(trail.body).toContain('Details withheld: this event may include details of people on the register');
  });
});
