import { describe, expect, it } from 'vitest';
import { chronologyKinds } from '../../domain/chronology.ts';
import { chronologySources } from './sources.queries.ts';

describe('the chronology’s sources', () => {
  it('has exactly one source for every kind the filter offers, in the filter’s order', () => {
    expect(chronologySources.map((s) => s.kind)).toEqual([...chronologyKinds]);
  });
});
