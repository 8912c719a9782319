import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, demo, type TestApp } from '../../../test/app.ts';

/**
 * A broad view of a large register shows "more than 1000" instead of counting every match,
 * and can still be paged through: the count always reaches one row past the page asked for.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // 1,060 entitled people of Northvale, loaded directly (the register reads stored decisions).
  await t.database.db.execute(sql`
    insert into person (partnership_id, nhs_number, given_name, family_name, date_of_birth, recorded_by_organisation_id,
                        involved_organisations, status, responsible_local_authority, responsible_icb, entitlement_start)
    select o.partnership_id, '9998' || lpad(g::text, 6, '0'), 'Bulk', 'Person ' || lpad(g::text, 5, '0'), date '1970-01-01',
           o.id, array[o.id], 'entitled', 'E06000901', 'E54000901', date '2024-01-01'
    from organisation o, generate_series(1, 1060) g
    where o.code = 'E06000901'`);
});
afterAll(async () => {
  await t.close();
});

describe('counting a large register', () => {
  it('says "more than 1000" on a broad view and still pages past the cap', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    const first = await b.get('/register?status=entitled');
    expect(first.statusCode).toBe(200);
    expect(first.body.replace(/\s+/g, ' ')).toContain('of more than <b>1000</b> people');
    expect(first.body).toContain('page=21');
    const page21 = await b.get('/register?status=entitled&page=21');
    expect(page21.statusCode).toBe(200);
    expect(page21.body.replace(/\s+/g, ' ')).toContain('Showing <b>1001</b> to <b>1050</b>');
    const last = await b.get('/register?status=entitled&page=22');
    expect(last.body.replace(/\s+/g, ' ')).toContain('Showing <b>1051</b> to <b>1060</b> of <b>1060</b> people');
  });

  it('counts exactly when the view is small', async () => {
    const b = new Browser(t.app);
    await b.signIn(demo.practitioner);
    const res = await b.get('/register?q=Person+00001');
    expect(res.body.replace(/\s+/g, ' ')).toMatch(/of <b>\d+<\/b> (person|people)/);
    expect(res.body).not.toContain('more than');
  });
});
