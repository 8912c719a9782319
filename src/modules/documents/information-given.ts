import { z } from 'zod';
import { isoDateField } from '../register/index.ts';

/** What was given, in which format, and whether it was understood: the record of information given. */
export const informationSubjects = ['rights-statement', 'plan', 'letter', 'other'] as const;
export type InformationSubject = (typeof informationSubjects)[number];
export const informationSubjectLabels: Record<InformationSubject, string> = {
  'rights-statement': 'Their section 117 rights (the statement of entitlement)',
  plan: 'Their aftercare plan',
  letter: 'A letter',
  other: 'Something else',
};

export const informationFormats = ['standard', 'easy-read', 'large-print', 'braille', 'bsl', 'audio', 'verbal'] as const;
export type InformationFormat = (typeof informationFormats)[number];
export const informationFormatLabels: Record<InformationFormat, string> = {
  standard: 'Standard print',
  'easy-read': 'Easy read',
  'large-print': 'Large print',
  braille: 'Braille',
  bsl: 'British Sign Language (BSL)',
  audio: 'Audio',
  verbal: 'Told them only (verbal)',
};

/** Formats that put the information in the person's hands in writing. */
const writtenFormats: readonly InformationFormat[] = ['standard', 'easy-read', 'large-print', 'braille'];
export function isWrittenFormat(format: string): boolean {
  return (writtenFormats as readonly string[]).includes(format);
}

export const understoodAnswers = ['yes', 'partly', 'no', 'not-known'] as const;
export const understoodLabels: Record<(typeof understoodAnswers)[number], string> = {
  yes: 'Yes',
  partly: 'Partly',
  no: 'No',
  'not-known': 'Not known',
};

const optionalText = (maxLength: number, label: string) =>
  z
    .string()
    .trim()
    .max(maxLength, `${label} must be ${maxLength} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null));

export function informationGivenSchema(today: string) {
  return z
    .object({
      subject: z.enum(informationSubjects, { error: 'Select what was given' }),
      givenOn: isoDateField('the date it was given', { required: true, notFuture: true, today }),
      format: z.enum(informationFormats, { error: 'Select the format it was given in' }),
      language: z.string({ error: 'Enter the language it was given in' }).trim().min(1, 'Enter the language it was given in').max(100, 'Language must be 100 characters or fewer'),
      documentId: z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? v : null))
        .refine((v) => v === null || z.uuid().safeParse(v).success, 'Select one of their stored documents, or none'),
      understood: z.enum(understoodAnswers, { error: 'Select whether they understood it' }),
      offerAgain: z.boolean({ error: 'Select whether to offer it again' }),
      offerAgainReason: optionalText(1000, 'Why and when to offer it again'),
      notes: optionalText(2000, 'Notes'),
    })
    .superRefine((v, ctx) => {
      if (v.offerAgain && !v.offerAgainReason) ctx.addIssue({ code: 'custom', path: ['offerAgainReason'], message: 'Enter why it should be offered again, and when' });
      if (v.subject === 'other' && !v.notes) ctx.addIssue({ code: 'custom', path: ['notes'], message: 'Describe what was given in the notes' });
    });
}
