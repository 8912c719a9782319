import { describe, expect, it } from 'vitest';
import { referenceIcbs } from '../../domain/reference/organisations.ts';
import { formerCcgs, successorOfFormerCcg } from './former-ccgs.ts';

describe('former CCGs and the ICBs that replaced them', () => {
  it('lists the 106 CCGs of April 2021, each once, each replaced by one of the 42 ICBs', () => {
    const named2021 = formerCcgs.slice(0, 106);
    expect(new Set(named2021.map((c) => c.code)).size).toBe(106);
    expect(named2021.every((c) => c.name?.startsWith('NHS ') && c.name.endsWith(' CCG'))).toBe(true);
    expect(new Set(formerCcgs.map((c) => c.code)).size).toBe(formerCcgs.length);
    const icbOds = new Set(referenceIcbs.map((b) => b.odsCode));
    expect(formerCcgs.every((c) => icbOds.has(c.successorIcbOdsCode))).toBe(true);
    expect(new Set(named2021.map((c) => c.successorIcbOdsCode)).size).toBe(42);
  });

  it('finds a CCG by its code or its name, written with or without "NHS" and "CCG"', () => {
    for (const text of ['00L', '00l', 'NHS Northumberland CCG', 'Northumberland CCG', 'NHS NORTHUMBERLAND CLINICAL COMMISSIONING GROUP']) {
      const found = successorOfFormerCcg(text);
      expect(found?.ccg.code, text).toBe('00L');
      expect(found?.icb).toMatchObject({ odsCode: 'QHM', code: 'E54000050', name: 'NHS North East and North Cumbria Integrated Care Board' });
    }
  });

  it('follows the July 2022 boundary changes: Bassetlaw to Nottingham and Nottinghamshire, Tameside and Glossop to Greater Manchester', () => {
    expect(successorOfFormerCcg('NHS Bassetlaw CCG')?.icb.odsCode).toBe('QT1');
    expect(successorOfFormerCcg('01Y')?.icb.odsCode).toBe('QOP');
    expect(successorOfFormerCcg('NHS Black Country and West Birmingham CCG')?.icb.odsCode).toBe('QUA');
  });

  it('follows CCGs that merged before 2021 to the ICB of the CCG they joined', () => {
    expect(successorOfFormerCcg('NHS Brent CCG')).toMatchObject({ ccg: { code: '07P' }, icb: { odsCode: 'QRV' } });
    expect(successorOfFormerCcg('00C')?.icb.odsCode).toBe('QHM');
    // Surrey Heartlands and Sussex are named by their April 2023 ONS codes.
    expect(successorOfFormerCcg('NHS East Sussex CCG')?.icb.code).toBe('E54000064');
  });

  it('knows nothing of names that are not former CCGs', () => {
    expect(successorOfFormerCcg('NHS Atlantis CCG')).toBeNull();
    expect(successorOfFormerCcg('QHM')).toBeNull();
    expect(successorOfFormerCcg('')).toBeNull();
  });
});
