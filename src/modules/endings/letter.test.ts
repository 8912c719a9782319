import { describe, expect, it } from 'vitest';
import { plainText } from '../../platform/documents/model.ts';
import { wrapInLetter } from '../documents/letter.ts';
import { buildEndingLetter, type EndingLetterFacts } from './letter.ts';

const facts: EndingLetterFacts = {
  personName: 'Robin Endwell',
  effectiveOn: '2026-01-15',
  reasonsForPerson: ['You no longer need aftercare services for your mental health.'],
  // What the practitioner wrote to Robin (the proposal's reasons and other care plan are staff's and never reach the letter).
  messageToPerson: 'We agreed at the joint review that you are ready to manage without aftercare.\n\nYour GP medication reviews every six months carry on.',
  localAuthority: { name: 'Northvale Council', contactPhone: '01234 567890', contactEmail: null, contactAddress: null },
  icb: { name: 'NHS Northvale and Southmere ICB', contactPhone: null, contactEmail: 'icb@example.org', contactAddress: null },
  decidedBy: { localAuthority: 'Alex Mensah', icb: 'Morgan Price' },
  producedOn: '2026-01-20',
};

describe('the ending letter', () => {
  it('says what changes and from when, who decided, why, what continues and how to challenge it', () => {
    const text = plainText(buildEndingLetter(facts, 'standard'));
    expect(text).toContain('Your section 117 aftercare ended on 15 January 2026.');
    expect(text).toContain('For Northvale Council: Alex Mensah');
    expect(text).toContain('You no longer need aftercare services for your mental health.');
    expect(text).toContain('Morgan Price');
    expect(text).toContain('agreed at the joint review');
    expect(text).toContain('GP medication reviews');
    expect(text).toContain('Northvale Council: telephone 01234 567890');
    expect(text).toContain('Local Government and Social Care Ombudsman');
    expect(text).toContain('Parliamentary and Health Service Ombudsman');
    expect(text).toMatch(/advocate/i);
    expect(text).toContain('it can be reinstated');
    expect(text).toContain('new assessment of your needs at any time');
  });

  it('has an easy read version with short sentences', () => {
    const doc = buildEndingLetter(facts, 'easy-read');
    expect(doc.easyRead).toBe(true);
    const text = plainText(doc);
    expect(text).toContain('Your section 117 aftercare has stopped.');
    expect(text).toContain('You can complain to your council or the NHS.');
    expect(text).toContain('Your aftercare can start again if you need it.');
    expect(text).toContain('We agreed at the joint review that you are ready to manage without aftercare.');
    const body = doc.blocks.filter((b) => b.kind !== 'heading');
    expect(body.filter((b) => b.kind !== 'point')).toHaveLength(1); // the picture credit
  });

  it('is produced in large print when the person’s record asks for it', () => {
    const letter = wrapInLetter(buildEndingLetter(facts, 'standard'), {
      recipient: { name: 'Robin Endwell', address: '1 High Street', postcode: 'NV1 1AA' },
      date: '2026-01-20',
      nhsNumber: '9998987008',
      from: [
        { body: facts.localAuthority!, signedBy: 'Alex Mensah' },
        { body: facts.icb!, signedBy: 'Morgan Price' },
      ],
      communicationNeeds: ['large-print'],
    });
    expect(letter.largePrint).toBe(true);
  });
});
