/**
 * Which needs are section 117 needs: the two statutory tests of s117(6) (R19), the
 * accommodation-plus test (R21), and only for a person who is, or is about to be, entitled (R39).
 */
import { because } from './catalogue.ts';
import type { Need, NeedDecision, Reason, Status } from './contract.ts';

/** R19 (a): the need arises from or relates to the person's mental disorder. */
function arisesFromMentalDisorder(need: Need): Reason {
  return because(
    'R19',
    need.arisesFromMentalDisorder
      ? 'Test (a) met: the need arises from or relates to the person\'s mental disorder (any mental disorder, including a later or different one).'
      : 'Test (a) not met: the need does not arise from or relate to the person\'s mental disorder.',
  );
}

/** R19 (b): meeting the need reduces the risk of deterioration and of readmission. */
function reducesRiskOfDeterioration(need: Need): Reason {
  return because(
    'R19',
    need.reducesRiskOfDeterioration
      ? 'Test (b) met: meeting the need reduces the risk of the person\'s mental condition deteriorating, and so of readmission.'
      : 'Test (b) not met: meeting the need does not reduce the risk of the person\'s mental condition deteriorating.',
  );
}

/** R21: accommodation counts only when it is enhanced or specialised ("accommodation-plus"). */
function accommodationPlus(need: Need): Reason | null {
  if (!need.accommodation) return null;
  return because(
    'R21',
    need.accommodation.enhancedSpecialised
      ? 'Accommodation-plus: the accommodation has enhanced or specialised features because of the mental disorder.'
      : 'Ordinary accommodation is a common need, not aftercare: rent and ordinary housing costs are not section 117 services.',
  );
}

/** R39: only a person who is entitled, or pending, has section 117 needs. */
function personHasSection117(status: Status): Reason {
  switch (status) {
    case 'entitled':
      return because('R39', 'The person is entitled to section 117 aftercare.');
    case 'pending':
      return because('R39', 'The person\'s entitlement is pending: aftercare is planned before discharge.');
    case 'manual-review':
      return because('R39', 'Whether the person is entitled needs manual review, so no need is section 117 yet.');
    case 'ended':
      return because('R39', 'The person\'s entitlement has ended, so no need is section 117.');
    case 'not-entitled':
      return because('R39', 'The person is not entitled to section 117 aftercare, so no need is section 117.');
  }
}

export function classifyNeed(need: Need, status: Status): NeedDecision {
  const accommodation = accommodationPlus(need);
  const reasons = [arisesFromMentalDisorder(need), reducesRiskOfDeterioration(need)];
  if (accommodation) reasons.push(accommodation);
  reasons.push(personHasSection117(status));
  const s117 =
    need.arisesFromMentalDisorder &&
    need.reducesRiskOfDeterioration &&
    (need.accommodation === undefined || need.accommodation.enhancedSpecialised) &&
    (status === 'entitled' || status === 'pending');
  return { id: need.id, s117, reasons };
}
