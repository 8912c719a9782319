import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { plainText } from '../../platform/documents/model.ts';
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

  it('is written to the person: staff reasoning about them is not printed, and empty sections are left out, never "Not recorded"', async () => {
    const sparse: PlanForDocument = {
      ...plan,
      plan: { ...plan.plan, wrap: null, carersInvolved: null, carerAssessment: '  ', advocacy: [], participants: null, goals: null },
      needs: [{ ...plan.needs[0]!, personWords: null, testsRationale: 'Her last two relapses followed missed medication; she lacks insight.' }],
      services: [{ ...plan.services[0]!, splitBasis: 'Mostly social care per CPN case note 14/3', topUp: null }],
    };
    const doc = buildPlanDocument(sparse);
    const pdf = await extractPdf(await renderPdf(doc));
    for (const text of [plainText(doc), pdf.text]) {
      expect(text).not.toContain('Not recorded');
      expect(text).not.toContain('Her last two relapses');
      expect(text).not.toContain('CPN case note');
      expect(text).not.toMatch(/\b(she|her|he|his)\b/i);
      expect(text).not.toContain('Your carers');
      expect(text).not.toContain('Wellness Recovery Action Plan');
      expect(text).not.toContain('advocacy');
      expect(text).not.toContain('Who helped make this plan');
      expect(text).not.toContain('Your goals');
      // What was answered is there, and spoken to "you".
      expect(text).toContain('Your section 117 aftercare plan, Alex Testperson');
      expect(text).toContain('What matters to you');
      expect(text).toContain('I want to keep my flat and see my sister.');
      expect(text).toContain('What you want to achieve');
      expect(text).toContain('Your needs');
      expect(text).toContain('Your services');
    }
  });

  it('keeps every heading with what follows it: none is left at the foot of a page', async () => {
    const many: PlanForDocument = {
      ...plan,
      needs: Array.from({ length: 9 }, (_, i) => ({ ...plan.needs[0]!, domainLabel: `Domain ${i + 1}` })),
      services: Array.from({ length: 9 }, (_, i) => ({ ...plan.services[0]!, serviceType: `Service type ${i + 1}` })),
    };
    for (const largePrint of [false, true]) {
      const doc = buildPlanDocument(many, { largePrint });
      const headings = new Set(doc.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : [])));
      const pdf = await extractPdf(await renderPdf(doc));
      expect(pdf.pageCount).toBeGreaterThan(3);
      pdf.spokenPages.slice(0, -1).forEach((page, i) => {
        const last = page.trim().split('\n').at(-1)!;
        expect(headings.has(last), `page ${i + 1}${largePrint ? ' (large print)' : ''} ends with the heading "${last}"`).toBe(false);
      });
    }
  });
});
