import { describe, expect, it } from 'vitest';
import { averageDays, daysBetween, quorumOf } from './quorum.ts';

describe('panel quorum', () => {
  const icb = { userId: 'c', name: 'Commissioner', bodies: ['icb' as const] };
  const la = { userId: 'l', name: 'LA panel member', bodies: ['local-authority' as const] };
  const both = { userId: 'b', name: 'Member of both', bodies: ['icb' as const, 'local-authority' as const] };

  it('needs the ICB and a local authority', () => {
    expect(quorumOf([icb, la]).quorate).toBe(true);
    expect(quorumOf([icb]).quorate).toBe(false);
    expect(quorumOf([icb]).message).toContain('local authority');
    expect(quorumOf([la]).message).toContain('ICB');
    expect(quorumOf([]).quorate).toBe(false);
  });

  it('does not let one person who sits for both bodies make a panel alone', () => {
    expect(quorumOf([both]).quorate).toBe(false);
    expect(quorumOf([both]).message).toContain('two different people');
    expect(quorumOf([both, icb]).quorate).toBe(true);
    expect(quorumOf([both, la]).quorate).toBe(true);
  });

  it('measures time to decision in whole days', () => {
    expect(daysBetween(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-15T09:00:00Z'))).toBe(13);
    expect(averageDays([10, 13])).toBe(11.5);
    expect(averageDays([])).toBeNull();
  });
});
