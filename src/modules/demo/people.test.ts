import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../domain/nhs-number.ts';
import { evaluateHistory, type StoredEvent } from '../register/decision.ts';
import { personInputSchema } from '../register/inputs.ts';
import { DEMO_PEOPLE, planDemoPeople, scenarios, type PlannedPerson } from './people.ts';

function decide(p: PlannedPerson, today: string) {
  const history: StoredEvent[] = p.events.map((e, i) => {
    const { type, date, ...payload } = e.event;
    return { id: String(i), type, occurredOn: date, payload };
  });
  return evaluateHistory(history, p.details.dateOfBirth, today);
}

describe('the demo people plan', () => {
  it('is the same every time for the same day', () => {
    expect(planDemoPeople({ count: 50, today: '2026-11-23' })).toEqual(planDemoPeople({ count: 50, today: '2026-11-23' }));
  });

  // Any day: the histories are counted back from it, so they must stay possible on every day.
  it.each(['2026-11-23', '2027-02-28', '2028-02-29', '2030-07-01'])('plans possible histories that reach the intended status on %s', (today) => {
    const plan = planDemoPeople({ today });
    expect(plan).toHaveLength(DEMO_PEOPLE);
    const statuses = new Map<string, number>();
    for (const p of plan) {
      expect(p.events.every((e) => e.event.date <= today && e.event.date > p.details.dateOfBirth)).toBe(true);
      const decision = decide(p, today);
      expect({ scenario: p.scenario, status: decision.status }).toEqual({ scenario: p.scenario, status: p.expected });
      if (p.scenario === 'ending-refused') expect(decision.rejectedEvents).toHaveLength(1);
      else expect(decision.rejectedEvents).toEqual([]);
      statuses.set(decision.status, (statuses.get(decision.status) ?? 0) + 1);
    }
    expect(statuses.get('entitled')).toBeGreaterThan(DEMO_PEOPLE / 2);
    expect(statuses.get('pending')).toBeGreaterThan(20);
    expect(statuses.get('ended')).toBeGreaterThan(20);
  });

  it('holds every kind of history, valid and unique NHS numbers, and details the person form accepts', () => {
    const today = '2026-11-23';
    const plan = planDemoPeople({ today });
    expect(new Set(plan.map((p) => p.scenario))).toEqual(new Set(scenarios));
    const numbers = plan.map((p) => p.details.nhsNumber);
    expect(new Set(numbers).size).toBe(plan.length);
    expect(numbers.every((n) => n.startsWith('999') && isValidNhsNumber(n))).toBe(true);
    const schema = personInputSchema(today);
    for (const p of plan) expect(schema.safeParse(p.details).success).toBe(true);
    expect(plan.filter((p) => p.confirmDuplicate)).toHaveLength(1);
    expect(plan.filter((p) => p.details.dateOfBirth > '2008-11-23').length).toBeGreaterThanOrEqual(5);
    expect(plan.some((p) => p.details.postcode === 'ZZ99 3VZ')).toBe(true);
  });
});
