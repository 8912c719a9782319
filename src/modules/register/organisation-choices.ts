import { referenceIcbs, referenceLocalAuthorities, referenceName } from '../../domain/reference/organisations.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { organisationLabel } from '../../platform/plain-language.ts';
import { partnershipBodies } from './organisation-choices.queries.ts';

/*
 * Organisations chosen by name (issue #13, item 3): the person and legal-history forms offer the
 * partnership's own local authorities and ICBs first, then every other English and Welsh body of
 * the shipped reference list (src/domain/reference/organisations.ts), as a select that needs no
 * JavaScript. The value sent is the ONS code the rules engine uses; the server accepts only a
 * value the form offered.
 */

export type OrganisationKind = 'local-authority' | 'icb';

export interface Choice {
  value: string;
  text: string;
}

export interface OrganisationChoices {
  own: Record<OrganisationKind, Choice[]>;
  others: Record<OrganisationKind, Choice[]>;
  /** Whether a code is one the form offers for that kind of body. */
  offers(kind: OrganisationKind, code: string): boolean;
  /** The body's name: the partnership's own name first, then the reference list's. */
  nameOf(code: string): string | null;
}

/** The choices for an actor's partnership. */
export async function loadOrganisationChoices(ctx: ServiceContext): Promise<OrganisationChoices> {
  const rows = await ctx.data.read((q) => partnershipBodies(q, ctx.actor.partnershipId));
  const own: Record<OrganisationKind, Choice[]> = {
    'local-authority': rows.filter((r) => r.type === 'local-authority').map((r) => ({ value: r.code, text: r.name })),
    // An ICB is recorded by its ONS code (E54…), which the rules engine uses.
    icb: rows.filter((r) => r.type === 'icb' && r.onsCode).map((r) => ({ value: r.onsCode!, text: r.name })),
  };
  const ownCodes = new Set([...own['local-authority'], ...own.icb].map((c) => c.value));
  const byName = (a: Choice, b: Choice) => a.text.localeCompare(b.text, 'en-GB');
  const others: Record<OrganisationKind, Choice[]> = {
    'local-authority': referenceLocalAuthorities.filter((b) => !ownCodes.has(b.code)).map((b) => ({ value: b.code, text: b.name })).sort(byName),
    icb: referenceIcbs.filter((b) => !ownCodes.has(b.code)).map((b) => ({ value: b.code, text: b.name })).sort(byName),
  };
  const sets: Record<OrganisationKind, Set<string>> = {
    'local-authority': new Set([...own['local-authority'], ...others['local-authority']].map((c) => c.value)),
    icb: new Set([...own.icb, ...others.icb].map((c) => c.value)),
  };
  const names = new Map([...own['local-authority'], ...own.icb].map((c) => [c.value, c.text]));
  return {
    own,
    others,
    offers: (kind, code) => sets[kind].has(code),
    nameOf: (code) => names.get(code) ?? referenceName(code),
  };
}

export interface ChoiceGroup {
  label: string;
  options: Array<Choice & { selected: boolean }>;
}

/**
 * The groups of a select: the partnership's bodies, then the others. A value already on a record
 * that the lists do not hold (an old code) is kept as an option, by its description, so saving
 * the form unchanged does not lose it.
 */
export function choiceGroups(choices: OrganisationChoices, kind: OrganisationKind, selected: string | null | undefined): ChoiceGroup[] {
  const mark = (c: Choice) => ({ ...c, selected: c.value === selected });
  const current = selected && selected !== 'none' && !choices.offers(kind, selected) ? [{ value: selected, text: organisationLabel(selected, choices.nameOf) }] : [];
  const others = kind === 'icb' ? 'Other ICBs and Welsh health boards' : 'Other local authorities in England and Wales';
  return [
    { label: 'In this partnership', options: [...current, ...choices.own[kind]].map(mark) },
    { label: others, options: choices.others[kind].map(mark) },
  ].filter((g) => g.options.length > 0);
}

export interface OrganisationSelect {
  id: string;
  name: string;
  label: string;
  labelClasses?: string;
  hint?: string;
  first: Array<Choice & { selected: boolean }>;
  groups: ChoiceGroup[];
}

/** What the organisation select (views/_organisation-select.njk) shows for one question. */
export function organisationSelect(
  choices: OrganisationChoices,
  question: { name: string; kind: OrganisationKind; label: string; labelClasses?: string; hint?: string; noneOption?: string },
  selected: string | null | undefined,
): OrganisationSelect {
  return {
    id: question.name,
    name: question.name,
    label: question.label,
    ...(question.labelClasses ? { labelClasses: question.labelClasses } : {}),
    ...(question.hint ? { hint: question.hint } : {}),
    first: question.noneOption ? [{ value: 'none', text: question.noneOption, selected: selected === 'none' }] : [],
    groups: choiceGroups(choices, question.kind, selected),
  };
}
