import { describe, expect, it } from 'vitest';
import { sentenceStats } from '../../domain/readability.ts';
import { plainText } from '../../platform/documents/model.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { extractPdf } from '../../platform/documents/testing/pdf-text.ts';
import { isPictogram, pictogramFile, PICTOGRAM_CREDIT } from '../../platform/documents/pictograms.ts';
import { buildStatement, StatementNotAvailableError, type StatementFacts } from './statement.ts';

const northvale = { name: 'Northvale Council', contactPhone: '01632 960111', contactEmail: 'section117.e06000901@demo.aftercare.example', contactAddress: 'Northvale Council, Civic Offices, 2 Market Street, Northvale NV1 2AA' };
const icb = { name: 'NHS Northvale and Southmere Integrated Care Board', contactPhone: '01632 960100', contactEmail: 'section117.qzv@demo.aftercare.example', contactAddress: 'NHS Northvale and Southmere Integrated Care Board, Civic Offices, 1 Market Street, Northvale NV1 1AA' };

const facts: StatementFacts = {
  personName: 'Alex Testperson',
  status: 'entitled',
  entitlementStart: '2025-03-01',
  localAuthority: northvale,
  icb,
  plan: { needs: ['Managing a tenancy and daily living'], services: ['Support worker: 3 visits a week, 1 hour each', 'Peer support group: weekly'] },
  nextReviewDue: '2026-04-12',
  producedOn: '2026-03-01',
};

describe('the statement of entitlement', () => {
  it('says who is responsible, from when, that aftercare is free, reviews, ending, complaints and advocacy', () => {
    const text = plainText(buildStatement(facts, 'standard'));
    for (const fact of [
      'Alex Testperson',
      '1 March 2025',
      'Northvale Council',
      'NHS Northvale and Southmere Integrated Care Board',
      '01632 960111',
      'section117.e06000901@demo.aftercare.example',
      'You cannot be charged for section 117 aftercare services',
      'at least every 12 months',
      '12 April 2026',
      'both the local authority and the integrated care board',
      'you are doing well',
      'you refuse services',
      'time has passed',
      'Local Government and Social Care Ombudsman',
      'Parliamentary and Health Service Ombudsman',
      'Independent Mental Health Advocate (IMHA)',
      'Care Act advocate',
      'Support worker: 3 visits a week, 1 hour each.',
    ]) {
      expect(text).toContain(fact);
    }
  });

  it('tells someone still in hospital that it starts when they leave', () => {
    const pending = { ...facts, status: 'pending' as const, entitlementStart: null, nextReviewDue: null };
    expect(plainText(buildStatement(pending, 'standard'))).toContain('You will be entitled when you leave hospital');
    expect(plainText(buildStatement(pending, 'easy-read'))).toContain('Yes. You will get it when you leave hospital.');
  });

  it('is refused with a clear reason for anyone not entitled or pending', () => {
    for (const status of ['not-entitled', 'ended', 'manual-review'] as const) {
      expect(() => buildStatement({ ...facts, status }, 'standard')).toThrow(StatementNotAvailableError);
    }
    expect(() => buildStatement({ ...facts, status: 'ended' }, 'easy-read')).toThrow(/only be produced for someone who is entitled.*has ended/);
  });

  it('asks its easy read headings as questions and speaks to "you"', () => {
    const doc = buildStatement(facts, 'easy-read');
    const headings = doc.blocks.filter((b) => b.kind === 'heading' && b.level === 2);
    expect(headings.length).toBeGreaterThanOrEqual(8);
    for (const h of headings) expect(h.kind === 'heading' && h.text.endsWith('?')).toBe(true);
    expect(plainText(doc)).toMatch(/\byou\b/i);
    expect(doc.easyRead).toBe(true);
  });

  it('keeps the easy read PDF to short sentences: under 15 words on average', async () => {
    const pdf = await extractPdf(await renderPdf(buildStatement(facts, 'easy-read')));
    expect(pdf.text).toContain('Alex Testperson');
    expect(pdf.text).toContain('No. Section 117 aftercare is free.');
    const stats = sentenceStats(pdf.text);
    expect(stats.sentences).toBeGreaterThan(50);
    expect(stats.averageWordsPerSentence).toBeLessThan(15);
    // The longest "sentence" is a postal address (one paragraph of short lines).
    expect(stats.longestSentenceWords).toBeLessThanOrEqual(20);
  });

  it('is a real easy read statement: type at least 16pt, a picture beside every point, one short idea per line, under 15 words a sentence', async () => {
    const doc = buildStatement(facts, 'easy-read');
    // A picture per point: everything but the headings and the picture credit is a point with a shipped picture.
    const body = doc.blocks.filter((b) => b.kind !== 'heading');
    const points = body.filter((b) => b.kind === 'point');
    expect(points.length).toBeGreaterThanOrEqual(30);
    expect(body.filter((b) => b.kind !== 'point')).toEqual([{ kind: 'paragraph', text: PICTOGRAM_CREDIT }]);
    for (const b of points) {
      expect(isPictogram(b.picture)).toBe(true);
      expect(pictogramFile(b.picture)).toMatch(/^<svg[^>]*viewBox="0 0 72 72"/);
      // One idea per line: each line is short, and at most two very short sentences ("Yes. You get …").
      for (const line of b.lines) {
        const stats = sentenceStats(line);
        expect(stats.sentences, line).toBeLessThanOrEqual(2);
        expect(stats.longestSentenceWords, line).toBeLessThanOrEqual(15);
      }
    }
    const pdf = await extractPdf(await renderPdf(doc));
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(16);
    const stats = sentenceStats(pdf.text);
    expect(stats.averageWordsPerSentence).toBeLessThan(15);
    expect(pdf.text).toContain(PICTOGRAM_CREDIT);
    // The pictures are decoration (the text says it all): no figure for a screen reader to stop at.
    expect(pdf.structureRoles).not.toContain('Figure');
  });

  it('makes the large print version 18pt or larger throughout', async () => {
    const doc = buildStatement(facts, 'large-print');
    expect(doc.largePrint).toBe(true);
    const pdf = await extractPdf(await renderPdf(doc));
    expect(Math.min(...pdf.fontSizes)).toBeGreaterThanOrEqual(18);
    expect(pdf.info.Title).toBe('Your section 117 aftercare (large print)');
    expect(pdf.text).toContain('Parliamentary and Health Service Ombudsman');
  });
});
