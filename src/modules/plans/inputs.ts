/**
 * What a plan form or the plans API may send. Every field has a message written for the
 * practitioner fixing it. Money is entered in pounds and held in pence; shares in percent and
 * held in basis points (src/domain/funding.ts).
 */
import { z } from 'zod';
import { needDomainIds } from '../../domain/rules/index.ts';
import { isoDateField, optionalText } from '../register/index.ts';

export const deliveryRoutes = ['commissioned', 'direct-payment', 'personal-health-budget', 'individual-service-fund', 'notional-budget'] as const;
export type DeliveryRoute = (typeof deliveryRoutes)[number];
export const deliveryRouteLabels: Record<DeliveryRoute, string> = {
  commissioned: 'Commissioned service',
  'direct-payment': 'Direct payment',
  'personal-health-budget': 'Personal health budget',
  'individual-service-fund': 'Individual service fund',
  'notional-budget': 'Notional budget',
};

export const needLevelLabels = { low: 'Low', medium: 'Medium', high: 'High' } as const;
export const advocacyKinds = ['imha', 'imca', 'care-act'] as const;
export const advocacyLabels: Record<(typeof advocacyKinds)[number], string> = {
  imha: 'Independent mental health advocate (IMHA)',
  imca: 'Independent mental capacity advocate (IMCA)',
  'care-act': 'Care Act advocate',
};
export const planStatusLabels = { draft: 'Draft', submitted: 'Submitted for approval', approved: 'Approved', superseded: 'Superseded' } as const;
export const planStatusTags = { draft: 'govuk-tag--grey', submitted: 'govuk-tag--blue', approved: 'govuk-tag--green', superseded: 'govuk-tag--grey' } as const;

const requiredText = (max: number, missing: string, label: string) =>
  z.string({ error: missing }).trim().min(1, missing).max(max, `${label} must be ${max} characters or fewer`);

const yesNo = (missing: string) => z.boolean({ error: missing });

/** Pounds as typed ("21.50", "£1,200") to whole pence; refuses fractions of a penny. */
export const poundsField = (label: string, options: { required: boolean }) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((raw, ctx) => {
      const text = typeof raw === 'number' ? String(raw) : (raw ?? '').trim().replace(/^£/, '').replace(/,/g, '');
      if (text === '') {
        if (options.required) ctx.addIssue({ code: 'custom', message: `Enter ${label}` });
        return null;
      }
      if (!/^\d+(\.\d{1,2})?$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be an amount in pounds, like 21.50` });
        return null;
      }
      const [whole = '0', fraction = ''] = text.split('.');
      const pence = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
      if (pence > 100_000_000) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be £1,000,000 or less` });
        return null;
      }
      return pence;
    });

const percentField = (label: string) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((raw, ctx) => {
      const text = typeof raw === 'number' ? String(raw) : (raw ?? '').trim().replace(/%$/, '');
      if (text === '') {
        ctx.addIssue({ code: 'custom', message: `Enter the ${label} share as a percentage` });
        return 0;
      }
      if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > 100) {
        ctx.addIssue({ code: 'custom', message: `The ${label} share must be a percentage from 0 to 100, like 60` });
        return 0;
      }
      return Number(text);
    });

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const planDetailsSchema = z.object({
  personVoice: optionalText(5000, 'What the person says'),
  goals: optionalText(5000, 'Goals'),
  strengths: optionalText(5000, 'Strengths'),
  earlyWarningSigns: optionalText(5000, 'Early warning signs'),
  whatHelps: optionalText(5000, 'What helps'),
  crisisContacts: optionalText(2000, 'Who to contact in a crisis'),
  wrap: optionalText(1000, 'WRAP or equivalent'),
  carersInvolved: optionalText(2000, 'Carers involved'),
  carerAssessmentOfferedOn: isoDateField('the date a carer’s assessment was offered', { required: false }),
  carerAssessmentOutcome: optionalText(2000, 'Outcome of the carer’s assessment'),
  advocacy: z
    .array(
      z.object({
        kind: z.enum(advocacyKinds, { error: 'Choose a kind of advocate' }),
        offeredOn: isoDateField('the date advocacy was offered', { required: true }),
        used: z.boolean({ error: 'Say whether the person used the advocate' }),
        notes: optionalText(1000, 'Notes'),
      }),
    )
    .max(3)
    .default([]),
  participants: optionalText(2000, 'Who took part'),
});
export type PlanDetailsInput = z.output<typeof planDetailsSchema>;

export const needInputSchema = z
  .object({
    domain: z.enum(needDomainIds, { error: 'Choose the area of life this need is about' }),
    description: requiredText(2000, 'Describe the need', 'The description'),
    personWords: optionalText(2000, 'The person’s own words'),
    strengths: optionalText(2000, 'Strengths'),
    desiredOutcome: optionalText(2000, 'The outcome they want'),
    level: z.enum(['low', 'medium', 'high'], { error: 'Choose how much support the need calls for' }),
    arisesFromMentalDisorder: yesNo('Say whether the need arises from or relates to the person’s mental disorder'),
    reducesRiskOfDeterioration: yesNo('Say whether meeting the need reduces the risk of their mental condition getting worse'),
    testsRationale: requiredText(4000, 'Explain your answers to the two tests', 'The explanation'),
    accommodationEnhanced: z.boolean().nullable().default(null),
    accommodationFeature: optionalText(1000, 'The enhanced or specialised feature'),
    primaryHealthNeed: z.boolean().default(false),
    healthNeed: z.boolean().default(false),
    eligibleCareActNeed: z.boolean().default(false),
  })
  .superRefine((need, ctx) => {
    if (need.domain === 'accommodation' && need.accommodationEnhanced === null) {
      ctx.addIssue({ code: 'custom', path: ['accommodationEnhanced'], message: 'Say whether the accommodation needed is enhanced or specialised because of the mental disorder' });
    }
    if (need.accommodationEnhanced === true && !need.accommodationFeature) {
      ctx.addIssue({ code: 'custom', path: ['accommodationFeature'], message: 'Describe the enhanced or specialised feature, for example 24-hour staffing by mental health workers' });
    }
  });
export type NeedInput = z.output<typeof needInputSchema>;

export const serviceInputSchema = z
  .object({
    needIds: z.array(z.uuid({ error: 'Choose the needs this service meets' })).min(1, 'Choose at least one need this service meets'),
    /** A code from the list of types (src/domain/reference/service-types.ts or the partnership's own), or "other". */
    serviceTypeCode: z.string().trim().max(80).optional().transform((v) => v || undefined),
    /** The service in words: needed when it is "other" (or when an API client sends no code). */
    serviceType: z.string().trim().max(200, 'The description of the service must be 200 characters or fewer').optional().transform((v) => v || undefined),
    provider: requiredText(200, 'Enter the provider', 'The provider'),
    startOn: isoDateField('the start date', { required: true }),
    endOn: isoDateField('the end date', { required: false }),
    frequency: requiredText(200, 'Say how often, for example 3 visits a week of 1 hour', 'How often'),
    unitsPerWeek: z
      .union([z.string(), z.number()])
      .optional()
      .transform((raw, ctx) => {
        const text = typeof raw === 'number' ? String(raw) : (raw ?? '').trim();
        if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > 168 * 4) {
          ctx.addIssue({ code: 'custom', message: text === '' ? 'Enter the number of units a week' : 'Units a week must be a number, like 7.5' });
          return 0;
        }
        return Number(text);
      }),
    unitCostPence: poundsField('the unit cost', { required: true }),
    deliveryRoute: z.enum(deliveryRoutes, { error: 'Choose how the service is delivered' }),
    localAuthorityPercent: percentField('local authority'),
    icbPercent: percentField('ICB'),
    splitBasis: requiredText(1000, 'Record the basis on which the split was agreed: there is no national default', 'The basis of the split'),
    chargePence: poundsField('the weekly charge to the person', { required: false }),
    topUp: z
      .object({
        preferredWeeklyPence: poundsField('the weekly cost of the preferred accommodation', { required: true }),
        usualWeeklyPence: poundsField('the usual weekly cost', { required: true }),
        payer: z.enum(['person', 'third-party'], { error: 'Choose who pays the top-up' }),
      })
      .nullable()
      .default(null),
  })
  .superRefine((service, ctx) => {
    if (service.startOn && service.endOn && service.endOn < service.startOn) {
      ctx.addIssue({ code: 'custom', path: ['endOn'], message: 'The end date must be the same as or after the start date' });
    }
  });
export type ServiceInput = z.output<typeof serviceInputSchema>;

export const budgetRequestSchema = z
  .object({
    kind: z.enum(['direct-payment', 'personal-health-budget'], { error: 'Choose a direct payment or a personal health budget' }),
    requestedOn: isoDateField('the date it was asked for', { required: true }),
    status: z.enum(['requested', 'granted', 'refused', 'withdrawn'], { error: 'Choose what has happened to the request' }),
    decidedOn: isoDateField('the date of the decision', { required: false }),
    notAppropriateReason: optionalText(2000, 'The reason'),
    weeklyAmountPence: poundsField('the weekly amount', { required: false }),
    notes: optionalText(2000, 'Notes'),
  })
  .superRefine((request, ctx) => {
    if ((request.status === 'granted' || request.status === 'refused') && !request.decidedOn) {
      ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: 'Enter the date of the decision' });
    }
    if (request.decidedOn && request.requestedOn && request.decidedOn < request.requestedOn) {
      ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: 'The decision date must be the same as or after the date it was asked for' });
    }
  });
export type BudgetRequestInput = z.output<typeof budgetRequestSchema>;
