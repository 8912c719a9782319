import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createTestApp, dateForm, demo, signedInBrowser, type TestApp } from '../../../test/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const signedIn = (email: string): Promise<Browser> => signedInBrowser(t.app, email);

/** A person entitled after an s3 detention, Northvale responsible, through the register's forms. */
async function entitledPerson(b: Browser, nhsNumber: string, dob = '1980-05-17'): Promise<string> {
  await b.get('/people/new');
  const res = await b.post('/people/new', { nhsNumber, givenName: 'Robin', familyName: 'Planperson', ...dateForm('dateOfBirth', dob), sex: 'not-known', engagement: 'engaged', interpreterNeeded: 'false', dischargePlanning: 'not-started' });
  expect(res.statusCode, res.body.slice(0, 1500)).toBe(302);
  const id = /\/people\/([0-9a-f-]+)\/history/.exec(res.headers.location as string)![1]!;
  const events: Array<[string, Record<string, string>]> = [
    ['detention-started', { ...dateForm('date', '2025-01-10'), legalStatusCode: '03', hospital: 'Northvale Hospital', ordinaryResidence: 'E06000901', icbOfGpRegistration: 'E54000901' }],
    ['detention-ended', { ...dateForm('date', '2025-03-01'), reason: 'discharged' }],
    ['left-hospital', dateForm('date', '2025-03-01')],
  ];
  for (const [type, fields] of events) {
    await b.get(`/people/${id}/events/new/${type}`);
    await b.post(`/people/${id}/events/new/${type}`, fields);
    expect((await b.post(`/people/${id}/events/new/${type}`, { ...fields, confirm: 'yes' })).statusCode).toBe(302);
  }
  return id;
}

const planVersion = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)![1]);

const need = (fields: Record<string, string>) => ({
  level: 'medium',
  personWords: '',
  strengths: '',
  desiredOutcome: '',
  ...fields,
});

describe('aftercare plan pages', () => {
  it('assesses needs, adds services, submits and has the plan approved by the responsible body', async () => {
    const b = await signedIn(demo.practitioner);
    const id = await entitledPerson(b, '9990000026');

    expect((await b.get(`/people/${id}/plans`)).body).toContain('No aftercare plan has been started');
    const started = await b.post(`/people/${id}/plans`, {});
    expect(started.statusCode).toBe(302);
    const planUrl = started.headers.location as string;
    let page = await b.get(planUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Aftercare plan 1');

    // Three needs: one failing the second test, ordinary accommodation, accommodation-plus.
    const needForm = async () => {
      const f = await b.get(`${planUrl}/needs/new`);
      expect(f.statusCode).toBe(200);
      return String(planVersion(f.body));
    };
    let res = await b.post(`${planUrl}/needs/new`, need({ version: await needForm(), domain: 'work-education-volunteering', description: 'Wants to find paid work', arisesFromMentalDisorder: 'true', reducesRiskOfDeterioration: 'false', testsRationale: 'Related to the illness but work support does not reduce the risk of relapse for Robin' }));
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    res = await b.post(`${planUrl}/needs/new`, need({ version: await needForm(), domain: 'accommodation', accommodationEnhanced: 'false', description: 'Needs somewhere to live', arisesFromMentalDisorder: 'true', reducesRiskOfDeterioration: 'true', testsRationale: 'Homeless on discharge' }));
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    res = await b.post(`${planUrl}/needs/new`, need({ version: await needForm(), domain: 'accommodation', accommodationEnhanced: 'true', accommodationFeature: '24-hour mental health staffing', description: 'Supported accommodation with staff on site', arisesFromMentalDisorder: 'true', reducesRiskOfDeterioration: 'true', testsRationale: 'Relapsed twice when living alone' }));
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    page = await b.get(planUrl);
    const categories = [...page.body.matchAll(/data-qa="need-category">([^<]+)</g)].map((m) => m[1]);
    expect(categories).toHaveLength(3);
    expect(categories[2]).toMatch(/section 117/i);
    expect(categories[0]).not.toMatch(/section 117/i);
    expect(categories[1]).not.toMatch(/section 117/i);

    // A charge on the section 117 service is refused, with the message, and nothing saved.
    const form = await b.get(`${planUrl}/services/new`);
    expect(form.statusCode, form.body.slice(0, 500)).toBe(200);
    const plusNeedId = /value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>\s*Accommodation: Supported accommodation/.exec(form.body)![1]!;
    const service = {
      needIds: plusNeedId,
      serviceType: 'Supported living',
      provider: 'Riverside Supported Living',
      ...dateForm('startOn', '2025-03-01'),
      frequency: '24-hour support',
      unitsPerWeek: '1',
      unitCost: '1,250.00',
      deliveryRoute: 'direct-payment',
      localAuthorityPercent: '60',
      icbPercent: '40',
      splitBasis: 'Mostly social care needs with health oversight',
    };
    const v = String(planVersion(form.body));
    res = await b.post(`${planUrl}/services/new`, { ...service, version: v, charge: '25' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Section 117 aftercare is free');
    res = await b.post(`${planUrl}/services/new`, { ...service, version: v, localAuthorityPercent: '60', icbPercent: '30' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The shares must add up to 100%');
    res = await b.post(`${planUrl}/services/new`, { ...service, version: v });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    page = await b.get(planUrl);
    expect(page.body).toMatch(/data-qa="split">60% \/ 40%/);
    expect(page.body).toContain('Direct payment');
    expect(page.body).toMatch(/data-qa="totals-week">.*£750\.00.*£500\.00.*£1,250\.00/s);

    // The work need is not section 117; nothing needs a service, so the plan can be submitted.
    res = await b.post(`${planUrl}/submit`, { version: String(planVersion(page.body)) });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);

    // A team manager of another body cannot approve; Northvale's can.
    const senior = await signedIn(demo.senior);
    const seniorPage = await senior.get(planUrl);
    expect(seniorPage.statusCode).toBe(403);
    const manager = await signedIn(demo.manager);
    page = await manager.get(planUrl);
    expect(page.body).toContain('Approve or return the plan');
    res = await manager.post(`${planUrl}/approve`, { version: String(planVersion(page.body)), decision: 'approve', note: '' });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    // Issue 13: the plan puts 40% on the ICB, so the council's approval records its agreement
    // and the plan waits for the ICB's; the ICB's commissioner agrees and the plan is approved.
    page = await manager.get(planUrl);
    expect(page.body).toMatch(/data-qa="plan-status">Waiting for the ICB’s agreement/);
    const commissioner = await signedIn(demo.commissioner);
    page = await commissioner.get(planUrl);
    expect(page.body).toContain('Approve or return the plan');
    res = await commissioner.post(`${planUrl}/approve`, { version: String(planVersion(page.body)), decision: 'approve', note: '' });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(302);
    page = await manager.get(planUrl);
    expect(page.body).toMatch(/data-qa="plan-status">Approved/);

    // Printable plan and PDF.
    const print = await manager.get(`${planUrl}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Supported living');
    const pdf = await manager.post(`${planUrl}/pdf`, {});
    expect(pdf.statusCode).toBe(302);
    const download = await manager.get(pdf.headers.location as string);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('application/pdf');

    // The next version starts as a copy, and the versions compare side by side.
    res = await b.post(`/people/${id}/plans`, {});
    expect(res.statusCode).toBe(302);
    const list = await b.get(`/people/${id}/plans`);
    const compare = /href="(\/people\/[^"]+\/plans\/compare\?[^"]+)"/.exec(list.body)![1]!.replace(/&amp;/g, '&');
    const diff = await b.get(compare);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('Compare plan 1 with plan 2');
    expect(diff.body).toContain('3 unchanged');
  });
});
