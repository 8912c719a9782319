import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { buildPlanDocument, type PlanForDocument } from './plan-document.ts';

const plan: PlanForDocument = {
  person: { name: 'Alex Testperson', nhsNumber: '9990000018', dateOfBirth: '1980-05-17' },
  entitlement: {
    status: 'Entitled',
    startDate: '2025-03-01',
    localAuthority: { name: 'Northvale Council', contactPhone: '01632 960111', contactEmail: 'section117.e06000901@demo.aftercare.example', contactAddress: 'Civic Offices, 2 Market Street' },
    icb: { name: 'NHS Northvale and Southmere Integrated Care Board', contactPhone: null, contactEmail: null, contactAddress: null },
    nextReviewDue: '2026-03-01',
  },
  plan: {
    number: 2,
    status: 'approved',
    approvedOn: '2025-04-10',
    approvedBy: 'Alex Mensah',
    personVoice: 'I want to keep my flat and see my sister.',
    goals: 'Stay well at home.',
    strengths: 'Good at cooking.',
    earlyWarningSigns: 'Not sleeping.',
    whatHelps: 'Walks, a call from my sister.',
    crisisContacts: 'Crisis line 01632 960999',
    wrap: null,
    carersInvolved: 'Sister',
    carerAssessment: 'Offered on 1 April 2025: declined',
    advocacy: ['IMHA offered on 1 March 2025: used'],
    participants: 'Alex, sister, care coordinator',
  },
  needs: [
    { domainLabel: 'Accommodation', description: 'Support to keep a tenancy', personWords: 'Help with letters and bills', desiredOutcome: 'Keep my flat', categoryLabel: 'Section 117 aftercare', s117: true, testsRationale: 'Arises from the mental disorder and reduces the risk of readmission.' },
  ],
  services: [
    {
      serviceType: 'Supported living',
      provider: 'Riverside Supported Living',
      frequency: '10 hours a week',
      startOn: '2025-04-14',
      endOn: null,
      weeklyCost: '£250.00',
      deliveryRouteLabel: 'Commissioned',
      s117: true,
      split: '60% local authority, 40% ICB',
      splitBasis: 'Mostly social care',
      topUp: null,
    },
  ],
  totals: { weekly: { localAuthority: '£150.00', icb: '£100.00', total: '£250.00' }, yearly: { localAuthority: '£7,821.43', icb: '£5,214.29', total: '£13,035.71' } },
};

describe('the plan as a document', () => {
  it('names the entitlement start and the responsible bodies in the PDF', async () => {
    const pdf = await extractPdf(await renderPdf(buildPlanDocument(plan)));
    expect(pdf.text).toContain('1 March 2025');
    expect(pdf.text).toContain('Northvale Council');
    expect(pdf.text).toContain('NHS Northvale and Southmere Integrated Care Board');
    expect(pdf.text).toContain('999 000 0018');
    expect(pdf.text).toContain('Supported living');
    expect(pdf.text).toContain('60% local authority, 40% ICB');
    expect(pdf.text).toContain('£13,035.71');
    expect(pdf.structureRoles).toContain('Table');
    expect(pdf.info.Title).toBe('Section 117 aftercare plan, version 2');
  });

  it('can be produced in large print', async () => {
    const doc = buildPlanDocument(plan, { largePrint: true });
    expect(doc.largePrint).toBe(true);
    const pdf = await extractPdf(await renderPdf(doc));
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(18);
  });
});
