import { z } from 'zod';
import { isRealDate } from '../../domain/calendar-date.ts';
import { nhsNumberMessages, nhsNumberProblem, normaliseNhsNumber } from '../../domain/nhs-number.ts';

/** NHS ethnic category codes (NHS Data Dictionary, Ethnic Category). */
export const ethnicCategories = [
  ['A', 'White: British'],
  ['B', 'White: Irish'],
  ['C', 'White: any other White background'],
  ['D', 'Mixed: White and Black Caribbean'],
  ['E', 'Mixed: White and Black African'],
  ['F', 'Mixed: White and Asian'],
  ['G', 'Mixed: any other mixed background'],
  ['H', 'Asian or Asian British: Indian'],
  ['J', 'Asian or Asian British: Pakistani'],
  ['K', 'Asian or Asian British: Bangladeshi'],
  ['L', 'Asian or Asian British: any other Asian background'],
  ['M', 'Black or Black British: Caribbean'],
  ['N', 'Black or Black British: African'],
  ['P', 'Black or Black British: any other Black background'],
  ['R', 'Other ethnic groups: Chinese'],
  ['S', 'Other ethnic groups: any other ethnic group'],
  ['Z', 'Not stated'],
  ['99', 'Not known'],
] as const;
export const ethnicCodes = ethnicCategories.map(([c]) => c) as [string, ...string[]];
export const ethnicLabel = (code: string): string => ethnicCategories.find(([c]) => c === code)?.[1] ?? code;

export const sexes = ['female', 'male', 'indeterminate', 'not-known'] as const;
export const sexLabels: Record<(typeof sexes)[number], string> = { female: 'Female', male: 'Male', indeterminate: 'Indeterminate', 'not-known': 'Not known' };
export const communicationNeedKinds = ['easy-read', 'large-print', 'braille', 'bsl', 'audio'] as const;
export const communicationNeedLabels: Record<(typeof communicationNeedKinds)[number], string> = {
  'easy-read': 'Easy read',
  'large-print': 'Large print',
  braille: 'Braille',
  bsl: 'British Sign Language',
  audio: 'Audio',
};
export const engagementStatuses = ['engaged', 'disengaged', 'not-known'] as const;
export const engagementLabels: Record<(typeof engagementStatuses)[number], string> = { engaged: 'Engaged', disengaged: 'Disengaged', 'not-known': 'Not known' };
export const dischargePlanningStatuses = ['not-started', 'in-progress', 'ready'] as const;
export const contactRelationships = ['nearest-relative', 'next-of-kin', 'carer', 'advocate', 'attorney', 'deputy'] as const;
export const contactRelationshipLabels: Record<(typeof contactRelationships)[number], string> = {
  'nearest-relative': 'Nearest relative (Mental Health Act)',
  'next-of-kin': 'Next of kin',
  carer: 'Carer',
  advocate: 'Advocate',
  attorney: 'Attorney (lasting power of attorney)',
  deputy: 'Deputy (Court of Protection)',
};

export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null));

/** A date from a GOV.UK date input, already joined as YYYY-MM-DD (or '' when left blank). */
export const isoDateField = (label: string, options: { required: boolean; notFuture?: boolean; today?: string }) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        if (options.required) ctx.addIssue({ code: 'custom', message: `Enter ${label}` });
        return null;
      }
      if (v === 'incomplete') {
        ctx.addIssue({ code: 'custom', message: `${sentence(label)} must include a day, month and year` });
        return null;
      }
      if (!isRealDate(v)) {
        ctx.addIssue({ code: 'custom', message: `${sentence(label)} must be a real date` });
        return null;
      }
      if (v < '1900-01-01') {
        ctx.addIssue({ code: 'custom', message: `${sentence(label)} must be after 1900` });
        return null;
      }
      if (options.notFuture && options.today && v > options.today) {
        ctx.addIssue({ code: 'custom', message: `${sentence(label)} must be today or in the past` });
        return null;
      }
      return v;
    });

function sentence(label: string): string {
  const bare = label.replace(/^(the|their|a) /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

export const nhsNumberField = z
  .string({ error: nhsNumberMessages.missing })
  .transform((v, ctx) => {
    const problem = nhsNumberProblem(v);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: nhsNumberMessages[problem] });
      return z.NEVER;
    }
    return normaliseNhsNumber(v);
  });

const GSS_LA = /^(E0[6-9]|E10|W06)\d{6}$/;
const ICB = /^(E54|W11)\d{6}$/;

/**
 * Which organisation codes a form offered (organisation-choices.ts): given, a code outside them
 * is refused in plain words; without it (the API), any well-formed ONS code is taken.
 */
export type KnownOrganisations = (kind: 'local-authority' | 'icb', code: string) => boolean;

export const organisationMessages = {
  residenceLocalAuthority: 'Select the local authority they live in from the list',
  gpIcb: 'Select the ICB of their GP practice from the list',
} as const;

export function personInputSchema(today: string, known?: KnownOrganisations) {
  return z.object({
    nhsNumber: nhsNumberField,
    givenName: z.string().trim().min(1, 'Enter their first name').max(100, 'First name must be 100 characters or fewer'),
    familyName: z.string().trim().min(1, 'Enter their last name').max(100, 'Last name must be 100 characters or fewer'),
    dateOfBirth: isoDateField('their date of birth', { required: true, notFuture: true, today }),
    address: optionalText(500, 'Address'),
    postcode: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!/^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like ZZ99 3AB' });
          return z.NEVER;
        }
        return v.replace(/\s*(\d[A-Z]{2})$/, ' $1');
      }),
    residenceLocalAuthority: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || (known ? known('local-authority', v) : GSS_LA.test(v)), known ? organisationMessages.residenceLocalAuthority : 'Enter the local authority’s ONS code, like E06000901'),
    gpPractice: optionalText(20, 'GP practice code'),
    gpIcb: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || (known ? known('icb', v) : ICB.test(v)), known ? organisationMessages.gpIcb : 'Enter the ICB’s ONS code, like E54000901'),
    ethnicity: z.enum(ethnicCodes, { error: 'Select their ethnic group, or “Not known”' }).default('99'),
    sex: z.enum(sexes, { error: 'Select their sex, or “Not known”' }).default('not-known'),
    gender: optionalText(100, 'Gender'),
    preferredLanguage: z.string().trim().max(100, 'Language must be 100 characters or fewer').optional().transform((v) => v || 'English'),
    interpreterNeeded: z.boolean().default(false),
    communicationNeeds: z.array(z.enum(communicationNeedKinds, { error: 'Select a communication need from the list' })).default([]),
    communicationNotes: optionalText(1000, 'Communication notes'),
    engagement: z.enum(engagementStatuses, { error: 'Select whether they are engaging with services' }).default('not-known'),
    lastContactOn: isoDateField('the date of last contact', { required: false, notFuture: true, today }),
    expectedDischargeOn: isoDateField('the expected discharge date', { required: false }),
    dischargePlanning: z.enum(dischargePlanningStatuses).default('not-started'),
    allocatedTeamId: z
      .string()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || z.uuid().safeParse(v).success, 'Select a team from the list'),
    leadPractitionerId: z
      .string()
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || z.uuid().safeParse(v).success, 'Select a practitioner from the list'),
  });
}
export type PersonInput = z.output<ReturnType<typeof personInputSchema>>;

export const contactInputSchema = z.object({
  relationship: z.enum(contactRelationships, { error: 'Select how they are related to the person' }),
  name: z.string().trim().min(1, 'Enter their name').max(200, 'Name must be 200 characters or fewer'),
  phone: optionalText(40, 'Phone number'),
  email: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || z.email().safeParse(v).success, 'Enter an email address in the correct format, like name@example.org'),
  address: optionalText(500, 'Address'),
  consentToShare: z.boolean({ error: 'Select whether the person agrees to share information with this contact' }),
  notes: optionalText(1000, 'Notes'),
});
