/** What a proposal to end (or reinstate) section 117 aftercare asks for, with plain labels. */
import { z } from 'zod';
import { endReasons } from '../../domain/rules/index.ts';
import { isoDateField } from '../register/index.ts';

export const endingKinds = ['ending', 'reinstatement'] as const;
export type EndingKind = (typeof endingKinds)[number];

/** The engine's end-reason codes (contract endReasons), in plain words. */
export const endReasonLabels: Record<(typeof endReasons)[number], string> = {
  'no-longer-in-need': 'They no longer need aftercare services for their mental disorder',
  'discharged-from-specialist-services': 'They have been discharged from specialist mental health services',
  'time-elapsed': 'Time has passed since they left hospital',
  readmitted: 'They were readmitted informally or under section 2',
  'cto-ended': 'Their community treatment order ended',
  'refuses-services': 'They refuse or have disengaged from services',
  'doing-well': 'They are doing well',
  'moved-area': 'They moved to another area',
};

/**
 * The end reasons as the letter says them to the person. Only a lawful reason lets an ending
 * be recorded, so the others are here for completeness.
 */
export const endReasonsForPerson: Record<(typeof endReasons)[number], string> = {
  'no-longer-in-need': 'You no longer need aftercare services for your mental health.',
  'discharged-from-specialist-services': 'You have been discharged from specialist mental health services.',
  'time-elapsed': 'Time has passed since you left hospital.',
  readmitted: 'You went back into hospital informally or under section 2.',
  'cto-ended': 'Your community treatment order ended.',
  'refuses-services': 'You said no to services, or stopped using them.',
  'doing-well': 'You are doing well.',
  'moved-area': 'You moved to another area.',
};

export const endingStatusLabels = { proposed: 'Waiting for decisions', declined: 'Declined', withdrawn: 'Withdrawn', recorded: 'Recorded' } as const;
export const endingStatusTags = { proposed: 'govuk-tag--yellow', declined: 'govuk-tag--red', withdrawn: 'govuk-tag--grey', recorded: 'govuk-tag--green' } as const;

const requiredText = (max: number, missing: string, label: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, `${label} must be ${max} characters or fewer`);

export const endingInputSchema = (today: string) =>
  z.object({
    kind: z.enum(endingKinds, { error: 'Choose whether this ends aftercare or reinstates it' }).default('ending'),
    effectiveOn: isoDateField('the date aftercare ends', { required: false, notFuture: true, today }),
    reasonCodes: z.array(z.enum(endReasons, { error: 'Choose reasons from the list' })).default([]),
    reasons: requiredText(4000, 'Explain the reasons in your own words', 'The reasons'),
    personInvolved: z.boolean({ error: 'Say whether the person was involved in the decision' }),
    personView: requiredText(4000, 'Enter the person’s view, or why they were not involved', 'The person’s view'),
    otherCarePlan: z
      .string()
      .trim()
      .max(4000, 'The plan for other care must be 4000 characters or fewer')
      .optional()
      .transform((v) => (v ? v : null)),
    messageToPerson: z
      .string()
      .trim()
      .max(4000, 'What to tell the person must be 4000 characters or fewer')
      .optional()
      .transform((v) => (v ? v : null)),
    legalOverride: z.boolean().default(false),
    legalOverrideNote: z
      .string()
      .trim()
      .max(2000, 'The legal sign-off must be 2000 characters or fewer')
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((input, ctx) => {
    if (input.legalOverride && !input.legalOverrideNote) {
      ctx.addIssue({ code: 'custom', path: ['legalOverrideNote'], message: 'Say who gave the legal sign-off, when, and why ending is right while they remain conditionally discharged' });
    }
  });

export type EndingInput = z.output<ReturnType<typeof endingInputSchema>>;

export const decisionInputSchema = z.object({
  decision: z.enum(['approve', 'decline'], { error: 'Choose whether to approve or decline' }),
  body: z.enum(['local-authority', 'icb']).optional(),
  reason: z
    .string()
    .trim()
    .max(4000, 'The reasons must be 4000 characters or fewer')
    .optional()
    .transform((v) => (v ? v : null)),
});
