import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { runPartnershipCreate } from '../../cli/commands/partnership.ts';
import type { CliIo } from '../../cli/io.ts';
import { loadConfig, type Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { appUser, auditEvent, membership, organisation, partnership, passwordLink } from '../../platform/db/schema.ts';
import { Browser } from '../../../test/app.ts';
import { freshDatabase } from '../../../test/database.ts';
import { clockAt } from '../../../test/fixtures.ts';

/*
 * Issue 14, item 1 (and the first half of its first acceptance point): a real partnership sets
 * itself up from an empty database, by the command or by the first-run page, and its first
 * administrator sets a password with a one-time link, signs in and adds an organisation by name.
 */

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdin: process.stdin,
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    out: () => out,
    err: () => err,
  };
}

const BASE = 'https://aftercare.example.nhs.uk';
const SETUP_TOKEN = 'a-long-random-set-up-token-for-tests';

function configFor(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', SIGN_IN_MAX_PER_15_MIN: '1000', PUBLIC_BASE_URL: BASE, ...env });
}

const pathOf = (link: string) => link.slice(BASE.length);

describe('npx aftercare partnership create, and the set-password link', () => {
  let database: Database;
  let app: FastifyInstance;
  const clock = clockAt('2026-12-07');
  const config = configFor();

  beforeAll(async () => {
    database = await freshDatabase();
    app = await buildApp({ config, database, logger: false, clock });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('explains on the sign-in page of an empty database how to set up a partnership', async () => {
    const res = await app.inject({ url: '/sign-in' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Set up Aftercare');
    expect(res.body).toContain('npx aftercare partnership create');
    expect(res.body).not.toContain('href="/setup"');
    expect((await app.inject({ url: '/setup' })).statusCode).toBe(404);
  });

  it('refuses a code that is not on the reference list, naming it, and writes nothing', async () => {
    const io = memoryIo();
    const code = await runPartnershipCreate(
      ['--name', 'Wessex Section 117 Partnership', '--icb', 'QOX', '--local-authorities', 'E06000030,E06000999', '--admin-email', 'admin@wessex.example'],
      io,
      database,
      config,
      clock,
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('E06000999 is not a local authority on the reference list');
    const districts = memoryIo();
    expect(await runPartnershipCreate(['--name', 'X', '--icb', 'QZZ', '--local-authorities', 'E07000066', '--trusts', 'RZZ', '--admin-email', 'a@b.example'], districts, database, config, clock)).toBe(2);
    expect(districts.err()).toContain('QZZ is not an ICB or Welsh health board on the reference list');
    expect(districts.err()).toContain('E07000066 is a district council');
    expect(districts.err()).toContain('RZZ is not an NHS trust on the reference list');
    expect(await database.db.select().from(partnership)).toHaveLength(0);
    expect(await database.db.select().from(appUser)).toHaveLength(0);
  });

  let firstLink = '';

  it('creates the partnership, its organisations named from the list, the administrator, and prints the link last', async () => {
    const io = memoryIo();
    const code = await runPartnershipCreate(
      ['--name', 'Wessex Section 117 Partnership', '--icb', 'QOX', '--local-authorities', 'E06000030,E06000054', '--trusts', 'RVN', '--admin-email', 'Admin@Wessex.example'],
      io,
      database,
      config,
      clock,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const lines = io.out().trim().split('\n');
    firstLink = lines.at(-1)!;
    expect(firstLink).toMatch(/^https:\/\/aftercare\.example\.nhs\.uk\/set-password\/[A-Za-z0-9_-]{43}$/);
    expect(io.out()).toContain('Swindon Borough Council');

    const [p] = await database.db.select().from(partnership);
    expect(p!.name).toBe('Wessex Section 117 Partnership');
    const orgs = await database.db.select().from(organisation).where(eq(organisation.partnershipId, p!.id)).orderBy(asc(organisation.code));
    expect(orgs.map((o) => ({ type: o.type, code: o.code, onsCode: o.onsCode, name: o.name, isLead: o.isLead }))).toEqual([
      { type: 'local-authority', code: 'E06000030', onsCode: null, name: 'Swindon Borough Council', isLead: false },
      { type: 'local-authority', code: 'E06000054', onsCode: null, name: 'Wiltshire Council', isLead: false },
      { type: 'icb', code: 'QOX', onsCode: 'E54000040', name: 'NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board', isLead: true },
      { type: 'nhs-trust', code: 'RVN', onsCode: null, name: 'Avon and Wiltshire Mental Health Partnership NHS Trust', isLead: false },
    ]);
    const [admin] = await database.db.select().from(appUser).where(eq(appUser.partnershipId, p!.id));
    expect(admin!.email).toBe('admin@wessex.example');
    expect(admin!.passwordHash).toBeNull();
    const [member] = await database.db.select().from(membership).where(eq(membership.userId, admin!.id));
    expect(member!.roles).toEqual(['administrator']);
    expect(member!.organisationId).toBe(orgs.find((o) => o.isLead)!.id);

    // Only a hash of the token is stored, expiring 24 hours on.
    const token = firstLink.split('/').at(-1)!;
    const [link] = await database.db.select().from(passwordLink).where(eq(passwordLink.userId, admin!.id));
    expect(link!.tokenHash).not.toContain(token);
    expect(link!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(link!.expiresAt.getTime() - clock.now().getTime()).toBe(24 * 3_600_000);
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.partnershipId, p!.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['partnership.created', 'user.password-link-created']));
  });

  it('refuses a second partnership of the same name, and an administrator email already in use', async () => {
    const io = memoryIo();
    const code = await runPartnershipCreate(['--name', 'wessex section 117 partnership', '--icb', 'QOX', '--local-authorities', 'E06000030', '--admin-email', 'admin@wessex.example'], io, database, config, clock);
    expect(code).toBe(2);
    expect(io.err()).toContain('A partnership called wessex section 117 partnership already exists');
    expect(io.err()).toContain('An account with the email address admin@wessex.example already exists');
    expect(await database.db.select().from(partnership)).toHaveLength(1);
  });

  it('sets the password once with the link; the administrator then signs in normally', async () => {
    const visitor = new Browser(app);
    const page = await visitor.get(pathOf(firstLink));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set your password');
    expect(page.body).toContain('admin@wessex.example');

    const mismatch = await visitor.post(pathOf(firstLink), { password: 'correct horse battery staple', confirm: 'something else entirely' });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('There is a problem');
    expect(mismatch.body).toContain('The two passwords must match');
    const short = await visitor.post(pathOf(firstLink), { password: 'short', confirm: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be at least 12 characters');
    // The same rule as every new password: a common breached one is refused (NCSC guidance).
    const common = await visitor.post(pathOf(firstLink), { password: 'password1234', confirm: 'password1234' });
    expect(common.statusCode).toBe(422);
    expect(common.body).toContain('This password is too common');

    const set = await visitor.post(pathOf(firstLink), { password: 'correct horse battery staple', confirm: 'correct horse battery staple' });
    expect(set.statusCode).toBe(200);
    expect(set.body).toContain('Your password has been set');

    const again = await visitor.get(pathOf(firstLink));
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('This link has already been used');
    const other = new Browser(app);
    await other.get('/sign-in'); // a CSRF token from another page: the link itself is what is refused
    const reuse = await other.post(pathOf(firstLink), { password: 'another long password here', confirm: 'another long password here' });
    expect(reuse.statusCode).toBe(410);

    const admin = new Browser(app);
    expect((await admin.signIn('admin@wessex.example', 'another long password here')).statusCode).toBe(401);
    const signIn = await admin.signIn('admin@wessex.example', 'correct horse battery staple');
    expect(signIn.statusCode).toBe(302);
    expect((await admin.get('/')).statusCode).toBe(200);
    const [user] = await database.db.select().from(appUser).where(eq(appUser.email, 'admin@wessex.example'));
    const events = await database.db.select().from(auditEvent).where(eq(auditEvent.subjectId, user!.id));
    expect(events.map((e) => e.action)).toContain('user.password-set');
  });

  it('refuses a link once its 24 hours are over, and one that was never issued', async () => {
    const io = memoryIo();
    expect(await runPartnershipCreate(['--name', 'Second Partnership', '--icb', 'E54000027', '--local-authorities', 'E09000009', '--admin-email', 'admin@second.example'], io, database, config, clock)).toBe(0);
    const link = pathOf(io.out().trim().split('\n').at(-1)!);
    const visitor = new Browser(app);
    expect((await visitor.get(link)).statusCode).toBe(200); // a CSRF token from the page while the link works
    clock.set(new Date(clock.now().getTime() + 24 * 3_600_000 + 60_000));
    const late = await new Browser(app).get(link);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('This link has expired');
    const post = await visitor.post(link, { password: 'correct horse battery staple', confirm: 'correct horse battery staple' });
    expect(post.statusCode).toBe(410);
    const [user] = await database.db.select().from(appUser).where(eq(appUser.email, 'admin@second.example'));
    expect(user!.passwordHash).toBeNull();

    const unknown = await new Browser(app).get('/set-password/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This link does not work');
  });

  it('lets the administrator add an organisation by name from the reference list, and a user to it', async () => {
    const admin = new Browser(app);
    expect((await admin.signIn('admin@wessex.example', 'correct horse battery staple')).statusCode).toBe(302);
    const form = await admin.get('/admin/organisations/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<option value="E06000022">Bath and North East Somerset Council</option>');
    expect(form.body).not.toContain('<option value="E06000030">'); // already in the partnership

    const nothing = await admin.post('/admin/organisations/new', { reference: '' });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.body).toContain('Choose the organisation to add');

    const added = await admin.post('/admin/organisations/new', { reference: 'E06000022' });
    expect(added.statusCode).toBe(302);
    const [org] = await database.db.select().from(organisation).where(eq(organisation.code, 'E06000022'));
    expect(org).toMatchObject({ type: 'local-authority', name: 'Bath and North East Somerset Council' });
    expect((await admin.get('/admin/organisations')).body).toContain('Bath and North East Somerset Council');

    const twice = await admin.post('/admin/organisations/new', { reference: 'E06000022' });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('Bath and North East Somerset Council is already in this partnership');

    await admin.get(`/admin/organisations/${org!.id}/users/new`);
    const user = await admin.post(`/admin/organisations/${org!.id}/users/new`, { displayName: 'Sam Practitioner', email: 'sam@banes.example', password: 'a long password for sam', roles: 'practitioner' });
    expect(user.statusCode).toBe(302);
    expect((await new Browser(app).signIn('sam@banes.example', 'a long password for sam')).statusCode).toBe(302);
  });
});

describe('/setup, the first-run page', () => {
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await freshDatabase();
    app = await buildApp({ config: configFor({ SETUP_TOKEN }), database, logger: false, clock: clockAt('2026-12-07') });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const form = {
    name: 'Northumbria Section 117 Partnership',
    icb: 'E54000050',
    localAuthorities: ['E06000057', 'E08000022'],
    trusts: ['RX4'],
    adminEmail: 'admin@northumbria.example',
    adminName: 'Alex Admin',
  };

  it('offers the form while the database holds no partnership, and refuses a wrong token before reading the rest', async () => {
    const signIn = await app.inject({ url: '/sign-in' });
    expect(signIn.body).toContain('href="/setup"');

    const browser = new Browser(app);
    const page = await browser.get('/setup');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set up your partnership');
    expect(page.body).toContain('Northumberland County Council');

    const wrong = await browser.post('/setup', { ...form, setupToken: 'not-the-token' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('The set-up token is not right');
    const empty = await browser.post('/setup', {});
    expect(empty.statusCode).toBe(403);
    expect(await database.db.select().from(partnership)).toHaveLength(0);

    const bad = await browser.post('/setup', { ...form, localAuthorities: ['E06000057', 'E06000999'], setupToken: SETUP_TOKEN });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('E06000999 is not a local authority on the reference list');
    expect(await database.db.select().from(partnership)).toHaveLength(0);
  });

  it('creates the partnership and shows the set-password link; then /setup is not found, for good', async () => {
    const browser = new Browser(app);
    await browser.get('/setup');
    const done = await browser.post('/setup', { ...form, setupToken: SETUP_TOKEN });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your partnership has been set up');
    const link = /href="(https:\/\/aftercare\.example\.nhs\.uk\/set-password\/[A-Za-z0-9_-]{43})"/.exec(done.body)?.[1];
    expect(link).toBeDefined();
    const orgs = await database.db.select({ name: organisation.name }).from(organisation).orderBy(asc(organisation.name));
    expect(orgs.map((o) => o.name)).toEqual([
      'Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust',
      'NHS North East and North Cumbria Integrated Care Board',
      'North Tyneside Council',
      'Northumberland County Council',
    ]);
    const [admin] = await database.db.select().from(appUser);
    expect(admin).toMatchObject({ email: 'admin@northumbria.example', displayName: 'Alex Admin' });

    expect((await app.inject({ url: '/setup' })).statusCode).toBe(404);
    const again = await browser.post('/setup', { ...form, name: 'Another', adminEmail: 'x@y.example', setupToken: SETUP_TOKEN });
    expect(again.statusCode).toBe(404);
    expect(await database.db.select().from(partnership)).toHaveLength(1);

    // The sign-in page is the ordinary one now, and the link works.
    expect((await app.inject({ url: '/sign-in' })).body).toContain('Sign in to Aftercare');
    const visitor = new Browser(app);
    await visitor.get(pathOf(link!));
    expect((await visitor.post(pathOf(link!), { password: 'correct horse battery staple', confirm: 'correct horse battery staple' })).statusCode).toBe(200);
    expect((await new Browser(app).signIn('admin@northumbria.example', 'correct horse battery staple')).statusCode).toBe(302);
  });
});
