import { describe, expect, it } from 'vitest';
import { calculateRefund } from '../../domain/refund.ts';
import { plainText } from '../../platform/documents/model.ts';
import { chargeTotals, manualChargeSchema } from './charges.service.ts';
import { chargeImportSchema, checkChargeRow, readChargesFile, ChargesFileFormatError, type ChargeColumn } from './import.service.ts';
import { refundLetter } from './refund-letter.ts';

const TODAY = '2026-01-15';

describe('charge totals', () => {
  it('adds up each status to the penny', () => {
    const totals = chargeTotals([
      { status: 'lawful', amountPence: 2000, refundedPence: null },
      { status: 'refund-due', amountPence: 12550, refundedPence: null },
      { status: 'refund-due', amountPence: 1, refundedPence: null },
      { status: 'refunded', amountPence: 100000, refundedPence: 107978 },
    ]);
    expect(totals).toEqual({ chargedPence: 114551, lawfulPence: 2000, refundDuePence: 12551, refundedChargesPence: 100000, refundsPaidPence: 107978, refundDueCount: 2 });
  });
});

describe('a charge typed in by hand', () => {
  const valid = { service: 'other', description: 'Lunch club', s117: false, chargedFrom: '2025-04-01', chargedTo: '2025-04-30', paidOn: '2025-05-05', amount: '£1,234.56' };

  it('reads pounds as pence', () => {
    const parsed = manualChargeSchema(TODAY).parse(valid);
    expect(parsed.amount).toBe(123456);
  });

  it('names every problem at once, cross-field ones included', () => {
    const result = manualChargeSchema(TODAY).safeParse({ ...valid, description: '', s117: undefined, chargedFrom: '2025-05-01', chargedTo: '2025-04-01', paidOn: '2026-02-01', amount: '0' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths.sort()).toEqual(['amount', 'chargedTo', 'description', 'paidOn', 's117']);
    expect(result.error!.issues.find((i) => i.path[0] === 'amount')!.message).toBe('The amount charged must be more than £0.00');
    expect(result.error!.issues.find((i) => i.path[0] === 'paidOn')!.message).toContain('today or in the past');
  });
});

describe('a charge sent by a finance system', () => {
  const base = { externalId: 'f-1', serviceDescription: 'Home care', s117: true, chargedFrom: '2025-04-01', chargedTo: '2025-04-30', amountPence: 12550, paidOn: '2025-05-05' };

  it('needs the service either from the plan or described with s117', () => {
    expect(chargeImportSchema(TODAY).safeParse(base).success).toBe(true);
    expect(chargeImportSchema(TODAY).safeParse({ ...base, serviceDescription: undefined, s117: undefined, serviceId: '5e1f0000-0000-4000-8000-000000000117' }).success).toBe(true);
    const missing = chargeImportSchema(TODAY).safeParse({ ...base, serviceDescription: undefined, s117: undefined });
    expect(missing.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['s117', 'serviceDescription']);
  });

  it('refuses negative and fractional amounts, impossible dates and periods that end before they start, all at once', () => {
    const result = chargeImportSchema(TODAY).safeParse({ ...base, amountPence: -1, chargedFrom: '2025-02-29', chargedTo: '2025-01-01', paidOn: '2026-01-16', extra: 1 });
    const byPath = new Map(result.error!.issues.map((i) => [i.path.join('.') || (i as { keys?: string[] }).keys?.join(','), i.message]));
    expect(byPath.get('amountPence')).toContain('must be more than 0');
    expect(byPath.get('chargedFrom')).toBe('chargedFrom must be a real date: 2025-02-29 does not exist');
    expect(byPath.get('paidOn')).toContain('is in the future');
    expect(byPath.has('extra')).toBe(true);
    const reversed = chargeImportSchema(TODAY).safeParse({ ...base, amountPence: 12.5, chargedTo: '2025-03-01' });
    expect(reversed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['amountPence', 'chargedTo']);
  });
});

describe('the charges file', () => {
  const header = 'nhs_number,external_id,service,s117,charged_from,charged_to,amount,paid_on';

  it('reads columns in any order, with the line each row starts on', () => {
    const file = readChargesFile(`\uFEFFAmount,Paid On,NHS Number,External ID,Service,S117,Charged From,Charged To\r\n"1,000.00",2025-06-05,9999680003,f-1,"Home care, weekdays",yes,2025-05-01,2025-05-31\r\n\r\n12,2025-06-05,9999680003,f-2,Meals\r\n`);
    expect(file.rows).toEqual([
      { line: 2, values: { nhs_number: '9999680003', external_id: 'f-1', service: 'Home care, weekdays', s117: 'yes', charged_from: '2025-05-01', charged_to: '2025-05-31', amount: '1,000.00', paid_on: '2025-06-05' } },
    ]);
    expect(file.unreadable).toEqual([{ line: 4, message: 'has 5 fields but the header has 8' }]);
  });

  it('stops at a header that is not right', () => {
    expect(() => readChargesFile('')).toThrow(ChargesFileFormatError);
    expect(() => readChargesFile(`${header},notes\n`)).toThrow(/unknown column "notes"/);
    expect(() => readChargesFile('nhs_number,external_id\n')).toThrow(/missing columns service, s117, charged_from, charged_to, amount, paid_on/);
  });

  const row = (values: Partial<Record<ChargeColumn, string>>) => ({
    line: 7,
    values: { nhs_number: '999 968 0003', external_id: 'f-1', service: 'Home care', s117: 'Yes', charged_from: '01/04/2025', charged_to: '30/04/2025', amount: '£125.50', paid_on: '2025-05-05', ...values },
  });

  it('turns a good row into a charge: UK dates, pounds, yes or no, spaces in the NHS number', () => {
    expect(checkChargeRow(row({}), TODAY)).toEqual({
      planned: { line: 7, nhsNumber: '9999680003', input: { externalId: 'f-1', serviceDescription: 'Home care', s117: true, chargedFrom: '2025-04-01', chargedTo: '2025-04-30', amountPence: 12550, paidOn: '2025-05-05' } },
    });
    const fromPlan = checkChargeRow(row({ service: '5E1F0000-0000-4000-8000-000000000117', s117: '' }), TODAY);
    expect(fromPlan).toMatchObject({ planned: { input: { serviceId: '5e1f0000-0000-4000-8000-000000000117' } } });
    expect('planned' in fromPlan && 's117' in fromPlan.planned.input).toBe(false);
  });

  it('gives every reason a row is refused, naming the column', () => {
    const result = checkChargeRow(row({ nhs_number: '123', external_id: '', s117: '', amount: '-3', charged_from: '31/04/2025', paid_on: '2026-02-01' }), TODAY);
    expect(result).toEqual({
      problems: [
        'nhs_number: 123: NHS number must be 10 digits, like 999 000 0018',
        'external_id: empty: give the finance system’s id for the charge, so that loading the file again does not record it twice',
        's117: empty: say yes or no (whether the service is a section 117 service), or give the plan service’s id in the service column',
        'charged_from: 31/04/2025 is not a real date',
        'paid_on: 2026-02-01 is in the future: load a charge once it has been paid',
        'amount: -3 is negative: give the amount the person paid (a refund is not a charge)',
      ],
    });
  });
});

describe('the refund letter', () => {
  const calculation = calculateRefund({
    charges: [
      { description: 'Supported accommodation', chargedFrom: '2024-12-01', chargedTo: '2024-12-31', amountPence: 100000, paidOn: '2025-01-01' },
      { description: 'Home care', chargedFrom: '2025-03-15', chargedTo: '2025-03-15', amountPence: 12345, paidOn: '2025-03-15' },
    ],
    annualRatePercent: 8,
    toDate: '2025-12-31',
  });
  const facts = {
    calculation,
    rateBasisPoints: 800,
    date: '2026-01-15',
    person: { givenName: 'Avery', familyName: 'Ashdown', address: '1 Mill Lane, Northvale', postcode: 'ZZ99 3AB', nhsNumber: '9999680003', communicationNeeds: [] as string[] },
    from: { name: 'Northvale Council', contactPhone: '01632 960111', contactEmail: 's117@northvale.example', contactAddress: 'Civic Offices, Northvale' },
    signedBy: 'Sam Okafor',
  };

  it('is a letter with the same figures as the calculation, each charge on its own', () => {
    const doc = refundLetter(facts);
    const text = plainText(doc);
    expect(doc.title).toBe('Refund of charges for your section 117 aftercare');
    expect(doc.largePrint).toBeUndefined();
    expect(text).toContain('Dear Avery Ashdown,');
    expect(text).toContain('Our reference: NHS number 999 968 0003');
    expect(text).toContain('Total refund: £1,211.10');
    expect(text).toContain('Interest: £87.65');
    expect(text).toContain('1. Supported accommodation');
    expect(text).toContain('Charged for: 1 December 2024 to 31 December 2024');
    expect(text).toContain('Interest: £79.78 (364 days)');
    expect(text).toContain('Charged for: 15 March 2025');
    expect(text).toContain('Refund: £131.32');
    expect(text).toContain('Simple interest at 8% a year');
    expect(text).toContain('telephone 01632 960111 or email s117@northvale.example');
  });

  it('is in large print when the person’s record asks for it', () => {
    expect(refundLetter({ ...facts, person: { ...facts.person, communicationNeeds: ['large-print'] } }).largePrint).toBe(true);
  });

  it('opens with what the practitioner wrote to the person, and is headed and signed by the same body', () => {
    const text = plainText(refundLetter({ ...facts, whatToTellThePerson: 'I am sorry you were charged for your support at Mill Lane.' })).split('\n');
    const dear = text.indexOf('Dear Avery Ashdown,');
    expect(text[dear + 1]).toBe('I am sorry you were charged for your support at Mill Lane.');
    expect(text[0]).toBe('Northvale Council');
    const signed = text.indexOf('Yours sincerely,');
    expect(text.slice(signed + 1, signed + 3)).toEqual(['Sam Okafor', 'Northvale Council']);
  });
});
