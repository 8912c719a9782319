import type { FastifyReply } from 'fastify';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { toGovukErrors, type GovukErrors } from './validation.ts';

/*
 * What the pages about one person share (risk, capacity, safeguarding, carers, Care Act needs):
 * how the caption names the person, the breadcrumbs, and how a form that failed is answered.
 */

export interface PagePerson {
  id: string;
  givenName: string;
  familyName: string;
  nhsNumber: string;
}

/** The caption of a page about the person: their name and NHS number ("999 000 0018"), and their id for links. */
export function personCaption(p: PagePerson) {
  return { name: `${p.givenName} ${p.familyName}`, nhsNumber: formatNhsNumber(p.nhsNumber), personId: p.id };
}

/** Home › the person › the section (`path` under /people/{id}/) when the page is inside it. */
export function personCrumbs(p: PagePerson, section: { text: string; path: string } | null = null) {
  return [{ text: 'Home', href: '/' }, { text: `${p.givenName} ${p.familyName}`, href: `/people/${p.id}` }, ...(section ? [{ text: section.text, href: `/people/${p.id}/${section.path}` }] : [])];
}

/**
 * A form that failed, as GOV.UK errors: bad input is a 422 with each field's message (`fieldIds`
 * maps an input path to the field's id), somebody else's newer save a 409 with `conflictText`;
 * anything else is thrown on to the error handler.
 */
export function formFailure(reply: FastifyReply, error: unknown, fieldIds: Record<string, string>, conflictText: string | ((e: ConflictError) => string)): GovukErrors {
  if (error instanceof InputError) {
    reply.status(422);
    return toGovukErrors(error.issues, fieldIds);
  }
  if (error instanceof ConflictError) {
    reply.status(409);
    return { list: [{ text: typeof conflictText === 'string' ? conflictText : conflictText(error), href: '#conflict' }], fields: {} };
  }
  throw error;
}
