import { ForbiddenError } from '../errors/errors.ts';
import { roles, type Actor, type ActorMembership, type Role } from './actor.ts';

/**
 * The one place that decides what an actor may do. Routes and services ask it;
 * nothing else inspects roles. Rules:
 *  1. Nobody acts outside their own partnership (the tenant).
 *  2. A permission is granted by a role held in a membership.
 *  3. Organisation-scoped permissions apply to the member's own organisation; a
 *     membership of the partnership's lead organisation extends them to every
 *     organisation in the partnership. Lead-scoped permissions (the partnership's
 *     own settings) are held only through the lead organisation.
 *  4. API tokens hold a fixed, narrow set of permissions for their organisation.
 */
export type Permission =
  | 'rules:evaluate'
  | 'organisations:read'
  | 'organisations:manage'
  | 'users:manage'
  | 'tokens:manage'
  | 'audit:read'
  /** A person's record: people the actor's organisation is responsible for or involved with. */
  | 'person:read'
  | 'person:write'
  /** Who viewed and changed a person's record. */
  | 'person:audit'
  /** The partnership's planning settings (resource allocation, refund interest): lead organisation administrators only. */
  | 'settings:manage'
  /** Funding panels: see meetings and the cases on their agendas. */
  | 'panel:read'
  /** Funding panels: hold meetings, record who was present and decide cases (panel members and commissioners). */
  | 'panel:decide'
  /** Assurance dashboards in the navigation (figures are still limited to the people the actor may read). */
  | 'assurance:read'
  /** The annual case audit: configure audits, edit the partnership's checklist, audit sampled cases, record findings. */
  | 'case-audit:manage'
  /**
   * Import an existing register from a spreadsheet, for the actor's organisation (lead administrators:
   * any). Administrators see the file's rows and the outcome, not the register's records.
   */
  | 'register:import'
  /** Set up reports emailed on a schedule (each recipient's copy is built with their own access). */
  | 'reports:schedule'
  /** The feeds to finance and case systems (issue 14, item 5): the daily finance file and webhook subscriptions, for the whole partnership. */
  | 'feeds:manage'
  /**
   * Information governance (issue 14, item 6): a subject access export of everything held about a
   * person, for administrators and quality and audit staff of an organisation responsible for or
   * involved with the person (the organisation answering the request as controller).
   */
  | 'person:subject-access'
  /** The retention review of records past their retention period: administrators and quality and audit staff of the lead organisation. */
  | 'retention:review'
  /**
   * Risk (issue 15, item 4): record the outcome of an escalation and complete a learning review,
   * for team managers of an organisation responsible for or involved with the person (competency
   * framework domain 4, leader level: "oversees escalation where risk is increasing").
   */
  | 'risk:escalation:decide'
  /**
   * Safeguarding adults (issue 16, item 1): record the Care Act 2014 s42(1) decision on a concern
   * and run the s42(2) enquiry, for team managers and senior practitioners. Held through the
   * person's responsible local authority only (the duty is the local authority's: s42(1)); see
   * `safeguardingDecisionOrganisation`.
   */
  | 'safeguarding:decide';

const everyRole: Role[] = [...roles];

const personReaders: Role[] = ['practitioner', 'senior-practitioner', 'team-manager', 'commissioner', 'panel-member', 'quality-audit', 'read-only'];

/**
 * `lead` scope: granted only through a membership of the partnership's lead organisation, for
 * settings that belong to the whole partnership rather than to any one organisation.
 * `relationship` scope: granted for a person when one of the actor's granting memberships is
 * the person's responsible local authority or ICB, or is involved with them (recorded them,
 * holds the allocated team, detains or provides for them). See `relationshipScope`.
 */
const grants: Record<Permission, { roles: Role[]; scope: 'partnership' | 'organisation' | 'lead' | 'relationship' }> = {
  'rules:evaluate': { roles: everyRole, scope: 'partnership' },
  'organisations:read': { roles: everyRole, scope: 'partnership' },
  'organisations:manage': { roles: ['administrator'], scope: 'organisation' },
  'users:manage': { roles: ['administrator'], scope: 'organisation' },
  'tokens:manage': { roles: ['administrator'], scope: 'organisation' },
  'audit:read': { roles: ['administrator', 'quality-audit'], scope: 'organisation' },
  'person:read': { roles: personReaders, scope: 'relationship' },
  'person:write': { roles: ['practitioner', 'senior-practitioner', 'team-manager'], scope: 'relationship' },
  'person:audit': { roles: ['team-manager', 'quality-audit'], scope: 'relationship' },
  'settings:manage': { roles: ['administrator'], scope: 'lead' },
  'panel:read': { roles: ['practitioner', 'senior-practitioner', 'team-manager', 'commissioner', 'panel-member', 'quality-audit'], scope: 'partnership' },
  'panel:decide': { roles: ['panel-member', 'commissioner'], scope: 'partnership' },
  'assurance:read': { roles: ['team-manager', 'commissioner', 'quality-audit', 'senior-practitioner'], scope: 'partnership' },
  'case-audit:manage': { roles: ['quality-audit'], scope: 'partnership' },
  'register:import': { roles: ['administrator'], scope: 'organisation' },
  'reports:schedule': { roles: ['team-manager', 'commissioner', 'quality-audit', 'senior-practitioner'], scope: 'partnership' },
  'feeds:manage': { roles: ['administrator'], scope: 'lead' },
  'person:subject-access': { roles: ['administrator', 'quality-audit'], scope: 'relationship' },
  'retention:review': { roles: ['administrator', 'quality-audit'], scope: 'lead' },
  'risk:escalation:decide': { roles: ['team-manager'], scope: 'relationship' },
  'safeguarding:decide': { roles: ['team-manager', 'senior-practitioner'], scope: 'relationship' },
};

const tokenPermissions: ReadonlySet<Permission> = new Set(['rules:evaluate', 'organisations:read', 'person:read', 'person:write']);

export interface Target {
  partnershipId: string;
  /** For organisation-scoped permissions: the organisation the record belongs to. Omit for "any/new". */
  organisationId?: string | undefined;
}

function membershipGrants(m: ActorMembership, permission: Permission, target: Target): boolean {
  const grant = grants[permission];
  if (!m.roles.some((r) => grant.roles.includes(r))) return false;
  if (grant.scope === 'partnership') return true;
  if (grant.scope === 'relationship') return target.organisationId === undefined || target.organisationId === m.organisationId;
  if (m.isLead) return true;
  if (grant.scope === 'lead') return false;
  return target.organisationId !== undefined && target.organisationId === m.organisationId;
}

export function can(actor: Actor, permission: Permission, target?: Target): boolean {
  const t = target ?? { partnershipId: actor.partnershipId };
  if (t.partnershipId !== actor.partnershipId) return false;
  if (actor.kind === 'token') {
    return tokenPermissions.has(permission) && (t.organisationId === undefined || grants[permission].scope === 'partnership' || t.organisationId === actor.activeOrganisationId);
  }
  return actor.memberships.some((m) => membershipGrants(m, permission, t));
}

export function assertCan(actor: Actor, permission: Permission, target?: Target): void {
  if (!can(actor, permission, target)) throw new ForbiddenError();
}

/**
 * For lists: which organisations' records the actor may see under an organisation-scoped
 * permission. `all` for lead-organisation members, otherwise the ids of their own organisations.
 */
export function organisationScope(actor: Actor, permission: Permission): { all: true } | { all: false; organisationIds: string[] } {
  const grant = grants[permission];
  if (actor.kind === 'token') {
    return tokenPermissions.has(permission) ? { all: false, organisationIds: [actor.activeOrganisationId] } : { all: false, organisationIds: [] };
  }
  const granting = actor.memberships.filter((m) => m.roles.some((r) => grant.roles.includes(r)));
  if (grant.scope === 'partnership' && granting.length > 0) return { all: true };
  if (granting.some((m) => m.isLead)) return { all: true };
  if (grant.scope === 'lead') return { all: false, organisationIds: [] };
  return { all: false, organisationIds: granting.map((m) => m.organisationId) };
}

/** A person's relationships, as the access policy sees them. */
export interface PersonRelationships {
  partnershipId: string;
  responsibleLocalAuthority: string | null;
  responsibleIcb: string | null;
  involvedOrganisations: readonly string[];
}

/**
 * The organisations through which an actor holds a person-scoped permission: their ids
 * (for involvement) and codes (for responsible bodies). Queries turn this into a WHERE
 * clause (src/modules/register/access.queries.ts), so a list can never return a person the actor
 * could not open. Tokens act only through their own organisation.
 */
export function relationshipScope(actor: Actor, permission: Permission): { organisationIds: string[]; organisationCodes: string[] } {
  const grant = grants[permission];
  const granting =
    actor.kind === 'token'
      ? tokenPermissions.has(permission)
        ? actor.memberships
        : []
      : actor.memberships.filter((m) => m.roles.some((r) => grant.roles.includes(r)));
  return {
    organisationIds: granting.map((m) => m.organisationId),
    organisationCodes: granting.flatMap((m) => (m.organisationOnsCode ? [m.organisationCode, m.organisationOnsCode] : [m.organisationCode])),
  };
}

export function canOnPerson(actor: Actor, permission: Permission, person: PersonRelationships): boolean {
  if (person.partnershipId !== actor.partnershipId) return false;
  const scope = relationshipScope(actor, permission);
  return (
    (person.responsibleLocalAuthority !== null && scope.organisationCodes.includes(person.responsibleLocalAuthority)) ||
    (person.responsibleIcb !== null && scope.organisationCodes.includes(person.responsibleIcb)) ||
    person.involvedOrganisations.some((id) => scope.organisationIds.includes(id))
  );
}

export function assertCanOnPerson(actor: Actor, permission: Permission, person: PersonRelationships): void {
  if (!canOnPerson(actor, permission, person)) throw new ForbiddenError('You do not have access to this person’s record');
}

/** Roles that may approve an aftercare plan for a responsible body. */
const planApprovers: Role[] = ['team-manager', 'senior-practitioner'];

/**
 * Approving an aftercare plan commits a responsible body (MHA 1983 s117(2), (3)): only a team
 * manager or senior practitioner of the person's responsible local authority or ICB may do it.
 * Being involved with the person (recording them, holding the team, providing) is not enough.
 * Returns the approving organisation's id, or null if the actor may not approve.
 */
export function planApprovalOrganisation(actor: Actor, person: PersonRelationships): string | null {
  if (actor.kind !== 'user' || person.partnershipId !== actor.partnershipId) return null;
  const bodies = [person.responsibleLocalAuthority, person.responsibleIcb].filter((code): code is string => code !== null);
  const membership = actor.memberships.find(
    (m) => m.roles.some((r) => planApprovers.includes(r)) && (bodies.includes(m.organisationCode) || (m.organisationOnsCode !== null && m.organisationOnsCode !== undefined && bodies.includes(m.organisationOnsCode))),
  );
  return membership?.organisationId ?? null;
}

/** The bodies that pay for an aftercare plan, each of which agrees to it (issue 13). */
export type PlanBody = 'local-authority' | 'icb';

/** Roles that may agree a plan for each responsible body: the ICB's commissioners commit its money too. */
const planAgreers: Record<PlanBody, Role[]> = {
  'local-authority': planApprovers,
  icb: [...planApprovers, 'commissioner'],
};

/** The roles whose holders agree plans for a body (to tell them a plan waits on them). */
export function planAgreerRoles(body: PlanBody): Role[] {
  return [...planAgreers[body]];
}

/**
 * For which of the person's responsible bodies the actor may agree (approve) an aftercare plan
 * (issue 13: each body that pays agrees): a team manager or senior practitioner of the
 * responsible local authority; a team manager, senior practitioner or commissioner of the
 * responsible ICB. API tokens never agree. Each entry names the body and the organisation.
 */
export function planApprovalBodies(actor: Actor, person: PersonRelationships): Array<{ body: PlanBody; organisationId: string }> {
  if (actor.kind !== 'user' || person.partnershipId !== actor.partnershipId) return [];
  const out: Array<{ body: PlanBody; organisationId: string }> = [];
  for (const body of ['local-authority', 'icb'] as const) {
    const code = body === 'local-authority' ? person.responsibleLocalAuthority : person.responsibleIcb;
    if (code === null) continue;
    const m = actor.memberships.find((x) => x.roles.some((r) => planAgreers[body].includes(r)) && (x.organisationCode === code || (x.organisationOnsCode !== null && x.organisationOnsCode !== undefined && x.organisationOnsCode === code)));
    if (m) out.push({ body, organisationId: m.organisationId });
  }
  return out;
}

/** The two bodies that must each approve the ending (or reinstatement) of section 117 aftercare. */
export type EndingBody = 'local-authority' | 'icb';

/** Roles that may decide an ending for each responsible body. */
const endingApprovers: Record<EndingBody, Role[]> = {
  'local-authority': ['team-manager', 'senior-practitioner', 'panel-member'],
  icb: ['commissioner', 'panel-member'],
};

/** The roles whose holders decide endings for a body (to tell them a proposal waits on them). */
export function endingDeciderRoles(body: EndingBody): Role[] {
  return [...endingApprovers[body]];
}

/** The roles a permission is granted to (to find who can act on work that waits, such as a panel case). */
export function rolesGranted(permission: Permission): Role[] {
  return [...grants[permission].roles];
}

/**
 * Ending section 117 aftercare needs both responsible bodies to be satisfied that the person no
 * longer needs it (MHA 1983 s117(2); rule R9). For `body`, only a team manager, senior
 * practitioner or panel member of the person's responsible local authority, or a commissioner
 * or panel member of their responsible ICB, may decide for it. Involvement is not enough, and
 * API tokens never decide. Returns the deciding organisation's id, or null if the actor may not.
 * (Someone who holds roles in both bodies may still decide for only one of them on any one
 * proposal: the endings service enforces that.)
 */
export function endingApprovalOrganisation(actor: Actor, person: PersonRelationships, body: EndingBody): string | null {
  if (actor.kind !== 'user' || person.partnershipId !== actor.partnershipId) return null;
  const code = body === 'local-authority' ? person.responsibleLocalAuthority : person.responsibleIcb;
  if (code === null) return null;
  const membership = actor.memberships.find(
    (m) => m.roles.some((r) => endingApprovers[body].includes(r)) && (m.organisationCode === code || (m.organisationOnsCode !== null && m.organisationOnsCode !== undefined && m.organisationOnsCode === code)),
  );
  return membership?.organisationId ?? null;
}

/**
 * Who may act on a scheduled report (issue 12, finding 4). A schedule sends its owner's choice of
 * data, under their name, to people they chose, so only the person who set it up may change it,
 * pause it, resume it or delete it. One exception, so a report can always be stopped: quality and
 * audit staff of the partnership's lead organisation (who answer for information governance
 * across the partnership) may pause, resume or delete any of the partnership's schedules, for
 * example when its owner has left or a recipient should no longer receive it; they may not
 * change what it sends or to whom, because that would send data in someone else's name.
 * Administrators manage accounts, not reports, and other organisations' staff have no say.
 */
export function scheduleAccess(actor: Actor, schedule: { partnershipId: string; createdBy: string | null }): { change: boolean; stop: boolean } {
  if (actor.kind !== 'user' || schedule.partnershipId !== actor.partnershipId || !can(actor, 'reports:schedule')) return { change: false, stop: false };
  const owner = actor.userId !== null && schedule.createdBy === actor.userId;
  const governance = actor.memberships.some((m) => m.isLead && m.roles.includes('quality-audit'));
  return { change: owner, stop: owner || governance };
}

/**
 * Restricted case notes (issue 15, item 1): third-party or safeguarding information, seen only by
 * holders of the roles the partnership chose (case_note_settings; by default team managers, senior
 * practitioners and quality and audit staff) in an organisation that may read the person.
 */
export function canSeeRestrictedNotes(actor: Actor, person: PersonRelationships, restrictedRoles: readonly string[]): boolean {
  if (actor.kind !== 'user' || !canOnPerson(actor, 'person:read', person)) return false;
  const scope = relationshipScope(actor, 'person:read');
  return actor.memberships.some(
    (m) =>
      m.roles.some((r) => restrictedRoles.includes(r)) &&
      (scope.organisationIds.includes(m.organisationId) &&
        ((person.responsibleLocalAuthority !== null && (m.organisationCode === person.responsibleLocalAuthority || m.organisationOnsCode === person.responsibleLocalAuthority)) ||
          (person.responsibleIcb !== null && (m.organisationCode === person.responsibleIcb || m.organisationOnsCode === person.responsibleIcb)) ||
          person.involvedOrganisations.includes(m.organisationId))),
  );
}

/** The roles a partnership may choose to see restricted case notes (those who may read records). */
export function restrictedNoteRoleChoices(): Role[] {
  return [...personReaders];
}

/**
 * The s42 duty to make enquiries is the local authority's (Care Act 2014, section 42(1) and (2)):
 * only a team manager or senior practitioner (safeguarding:decide) of the person's responsible
 * local authority decides whether the criteria are met and leads or oversees the enquiry.
 * Involvement is not enough, and API tokens never decide. Returns that organisation's id, or null.
 */
export function safeguardingDecisionOrganisation(actor: Actor, person: PersonRelationships): string | null {
  if (actor.kind !== 'user' || person.partnershipId !== actor.partnershipId || person.responsibleLocalAuthority === null) return null;
  const code = person.responsibleLocalAuthority;
  const deciders = grants['safeguarding:decide'].roles;
  const membership = actor.memberships.find((m) => m.roles.some((r) => deciders.includes(r)) && (m.organisationCode === code || (m.organisationOnsCode !== null && m.organisationOnsCode !== undefined && m.organisationOnsCode === code)));
  return membership?.organisationId ?? null;
}

/**
 * Safeguarding details (issue 16, item 1): the categories, the concern, the person's views and the
 * enquiry are seen only by holders of the roles the partnership chose (safeguarding_settings), in
 * an organisation that may read the person, by the same rule as restricted case notes. Everyone
 * else who may read the person sees only that a concern is open.
 */
export function canSeeSafeguardingDetails(actor: Actor, person: PersonRelationships, chosenRoles: readonly string[]): boolean {
  return canSeeRestrictedNotes(actor, person, chosenRoles);
}
