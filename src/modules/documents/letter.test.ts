import { describe, expect, it } from 'vitest';
import { plainText } from '../../platform/documents/model.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { letterFormat, wrapInLetter, type LetterDetails } from './letter.ts';
import { buildStatement, type StatementFacts } from './statement.ts';

const northvale = { name: 'Northvale Council', contactPhone: '01632 960111', contactEmail: 'section117.e06000901@demo.aftercare.example', contactAddress: 'Civic Offices, 2 Market Street, Northvale NV1 2AA' };
const facts: StatementFacts = { personName: 'Alex Testperson', status: 'entitled', entitlementStart: '2025-03-01', localAuthority: northvale, icb: null, nextReviewDue: null, producedOn: '2026-03-01' };
const letter: LetterDetails = {
  recipient: { name: 'Alex Testperson', address: '1 Test Street, Northvale', postcode: 'ZZ99 1AA' },
  date: '2026-03-01',
  nhsNumber: '9990000018',
  from: [{ body: northvale, signedBy: 'Sam Okafor' }],
};
const icb = { name: 'NHS Northvale and Southmere Integrated Care Board', contactPhone: '01632 960100', contactEmail: null, contactAddress: '1 Market Street, Northvale NV1 1AA' };

describe('letters in the person’s format', () => {
  it('reads the recorded communication needs', () => {
    expect(letterFormat([])).toEqual({ largePrint: false, suggested: 'standard', alsoSendIn: [] });
    expect(letterFormat(['large-print', 'braille'])).toEqual({ largePrint: true, suggested: 'large-print', alsoSendIn: ['Braille'] });
    expect(letterFormat(['easy-read', 'audio', 'bsl'])).toEqual({ largePrint: false, suggested: 'easy-read', alsoSendIn: ['British Sign Language', 'Audio'] });
  });

  it('puts a document in letter form: addresses, date, NHS number as the reference, sign-off, then the document on a new page', async () => {
    const doc = wrapInLetter(buildStatement(facts, 'standard'), letter);
    expect(doc.largePrint).toBeUndefined();
    const pdf = await extractPdf(await renderPdf(doc));
    expect(pdf.pages[0]).toContain('1 Test Street');
    expect(pdf.pages[0]).toContain('ZZ99 1AA');
    expect(pdf.pages[0]).toContain('1 March 2026');
    expect(pdf.pages[0]).toContain('Our reference: NHS number 999 000 0018');
    expect(pdf.pages[0]).toContain('Dear Alex Testperson,');
    expect(pdf.pages[0]).toContain('Sam Okafor');
    expect(pdf.pages[0]).not.toContain('What section 117 aftercare is');
    expect(pdf.text).toContain('What section 117 aftercare is');
  });

  it('is headed and signed by the same body; a joint letter names both bodies at the top and has a signatory for each', async () => {
    const single = await extractPdf(await renderPdf(wrapInLetter(buildStatement(facts, 'standard'), letter)));
    const firstPage = single.spokenPages[0]!;
    expect(firstPage.split('\n')[0]).toBe('Northvale Council Civic Offices 2 Market Street Northvale NV1 2AA');
    expect(firstPage).toContain('Yours sincerely,\nSam Okafor Northvale Council');
    expect(firstPage).not.toContain('Integrated Care Board');

    const joint = wrapInLetter(buildStatement(facts, 'standard'), { ...letter, from: [{ body: northvale, signedBy: 'Alex Mensah' }, { body: icb, signedBy: 'Morgan Price' }] });
    expect(joint.author).toBe('Northvale Council and NHS Northvale and Southmere Integrated Care Board');
    const pdf = await extractPdf(await renderPdf(joint));
    const lines = pdf.spokenPages[0]!.split('\n');
    const dear = lines.indexOf('Dear Alex Testperson,');
    const head = lines.slice(0, dear).join('\n');
    expect(head).toContain('A joint letter from Northvale Council and NHS Northvale and Southmere Integrated Care Board');
    expect(head).toContain('Northvale Council Civic Offices');
    expect(head).toContain('NHS Northvale and Southmere Integrated Care Board 1 Market Street');
    const signatures = lines.slice(lines.indexOf('Yours sincerely,') + 1);
    expect(signatures.slice(0, 2)).toEqual(['Alex Mensah Northvale Council', 'Morgan Price NHS Northvale and Southmere Integrated Care Board']);
  });

  it('opens with what the practitioner wrote to the person, straight after "Dear"', () => {
    const doc = wrapInLetter(buildStatement(facts, 'standard'), { ...letter, whatToTellThePerson: 'Thank you for meeting me on Tuesday.\n\nHere is the statement we talked about.' });
    const text = plainText(doc).split('\n');
    const dear = text.indexOf('Dear Alex Testperson,');
    expect(text.slice(dear + 1, dear + 3)).toEqual(['Thank you for meeting me on Tuesday.', 'Here is the statement we talked about.']);
  });

  it('is in large print when the person’s record asks for it', async () => {
    const doc = wrapInLetter(buildStatement(facts, 'standard'), { ...letter, communicationNeeds: ['large-print'] });
    expect(doc.largePrint).toBe(true);
    const pdf = await extractPdf(await renderPdf(doc));
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(18);
  });
});
