import { ForbiddenError } from '../errors/errors.ts';
import type { Actor, ActorMembership, Role } from './actor.ts';

/**
 * The one place that decides what an actor may do. Routes and services ask it;
 * nothing else inspects roles. Rules:
 *  1. Nobody acts outside their own partnership (the tenant).
 *  2. A permission is granted by a role held in a membership.
 *  3. Organisation-scoped permissions apply to the member's own organisation; a
 *     membership of the partnership's lead organisation extends them to every
 *     organisation in the partnership.
 *  4. API tokens hold a fixed, narrow set of permissions for their organisation.
 */
export type Permission =
  | 'rules:evaluate'
  | 'organisations:read'
  | 'organisations:manage'
  | 'users:manage'
  | 'tokens:manage'
  | 'audit:read';

const everyRole: Role[] = [
  'practitioner',
  'senior-practitioner',
  'team-manager',
  'commissioner',
  'panel-member',
  'quality-audit',
  'administrator',
  'read-only',
];

const grants: Record<Permission, { roles: Role[]; scope: 'partnership' | 'organisation' }> = {
  'rules:evaluate': { roles: everyRole, scope: 'partnership' },
  'organisations:read': { roles: everyRole, scope: 'partnership' },
  'organisations:manage': { roles: ['administrator'], scope: 'organisation' },
  'users:manage': { roles: ['administrator'], scope: 'organisation' },
  'tokens:manage': { roles: ['administrator'], scope: 'organisation' },
  'audit:read': { roles: ['administrator', 'quality-audit'], scope: 'organisation' },
};

const tokenPermissions: ReadonlySet<Permission> = new Set(['rules:evaluate', 'organisations:read']);

export interface Target {
  partnershipId: string;
  /** For organisation-scoped permissions: the organisation the record belongs to. Omit for "any/new". */
  organisationId?: string | undefined;
}

function membershipGrants(m: ActorMembership, permission: Permission, target: Target): boolean {
  const grant = grants[permission];
  if (!m.roles.some((r) => grant.roles.includes(r))) return false;
  if (grant.scope === 'partnership') return true;
  if (m.isLead) return true;
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
  return { all: false, organisationIds: granting.map((m) => m.organisationId) };
}
