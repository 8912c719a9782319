import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../http/context.ts';
import { loadPersonSections, registerPersonSection } from './person-sections.ts';

const ctx = {} as ServiceContext;
const someone = { id: 'p1', partnershipId: 'x', responsibleLocalAuthority: null, responsibleIcb: null, involvedOrganisations: [] };

describe('person page sections registered by other modules', () => {
  it('loads each registered section for the person, leaves out those with nothing to show, and replaces a section registered again', async () => {
    registerPersonSection({ name: 'test-a', template: 'a.njk', load: async (_c, p, today) => ({ who: p.id, today }) });
    registerPersonSection({ name: 'test-empty', template: 'empty.njk', load: async () => null });
    registerPersonSection({ name: 'test-a', template: 'a2.njk', load: async (_c, p) => ({ who: p.id }) });
    const sections = (await loadPersonSections(ctx, someone, '2026-12-06')).filter((s) => s.name.startsWith('test-'));
    expect(sections).toEqual([{ name: 'test-a', template: 'a2.njk', data: { who: 'p1' } }]);
  });
});
