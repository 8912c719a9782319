import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEnding, proposeEnding } from '../src/modules/endings/endings.service.ts';
import { submitPanelCase } from '../src/modules/panels/panels.service.ts';
import { completeReview } from '../src/modules/reviews/reviews.service.ts';
import { ForbiddenError, InputError } from '../src/platform/errors/errors.ts';
import type { ServiceContext } from '../src/platform/http/context.ts';
import { createTestApp, demo, type TestApp } from './app.ts';
import { clockAt, contextFor, entitledPerson, nhsNumbers } from './fixtures.ts';

/*
 * Issue 12, finding 10, in the services themselves (the route guard and the permission matrix
 * cover the routes): someone who may not act is told so (403) before anything they sent is
 * looked at, so a refusal never depends on, or reveals anything about, the input.
 */

const clock = clockAt('2026-12-04');
let t: TestApp;
let practitioner: ServiceContext;
let readOnly: ServiceContext;
let personId: string;
const nextNhs = nhsNumbers(655_000);
const nonsense = { effectiveOn: 'not a date', reasonCodes: 'nope', heldOn: 'never', decision: 'perhaps', note: 7 };

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  practitioner = await contextFor(t, demo.practitioner, { clock });
  readOnly = await contextFor(t, demo.readOnly, { clock });
  personId = await entitledPerson(practitioner, { nhsNumber: nextNhs(), familyName: 'Beforeinput' });
});
afterAll(async () => {
  await t.close();
});

/** What a call was refused with (it must be refused). */
async function refusal(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('The call was not refused');
}

describe('permission before input, in the services', () => {
  it('refuses a read-only user proposing an ending with nonsense as 403, not 422, and the practitioner’s nonsense as 422', async () => {
    expect(await refusal(proposeEnding(readOnly, personId, nonsense))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(proposeEnding(practitioner, personId, nonsense))).toBeInstanceOf(InputError);
  });

  it('refuses someone who may not decide an ending as 403 whatever they sent', async () => {
    const proposal = await proposeEnding(practitioner, personId, {
      effectiveOn: '2026-12-01',
      reasonCodes: ['no-longer-in-need'],
      reasons: 'Settled for a year with no mental health support needed; agreed at the joint review.',
      personInvolved: true,
      personView: 'Happy to stop.',
      otherCarePlan: 'GP reviews medication every six months.',
      messageToPerson: 'You are well and settled, so your aftercare is ending.',
    });
    expect(await refusal(decideEnding(practitioner, personId, proposal.id, proposal.version, nonsense))).toBeInstanceOf(ForbiddenError);
  });

  it('refuses a read-only user sending a panel case or recording a review with nonsense as 403, not 422', async () => {
    expect(await refusal(submitPanelCase(readOnly, personId, '00000000-0000-4000-8000-000000000000', nonsense))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(completeReview(readOnly, personId, nonsense))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(completeReview(practitioner, personId, nonsense))).toBeInstanceOf(InputError);
  });
});
