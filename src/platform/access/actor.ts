/** Who is acting: a signed-in user, or an API client holding an organisation's token. */

export const roles = [
  'practitioner',
  'senior-practitioner',
  'team-manager',
  'commissioner',
  'panel-member',
  'quality-audit',
  'administrator',
  'read-only',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  practitioner: 'Practitioner',
  'senior-practitioner': 'Senior practitioner',
  'team-manager': 'Team manager',
  commissioner: 'Commissioner',
  'panel-member': 'Panel member',
  'quality-audit': 'Quality and audit',
  administrator: 'Administrator',
  'read-only': 'Read only',
};

export const organisationTypes = ['local-authority', 'icb', 'nhs-trust', 'other-provider'] as const;
export type OrganisationType = (typeof organisationTypes)[number];

export const organisationTypeLabels: Record<OrganisationType, string> = {
  'local-authority': 'Local authority',
  icb: 'Integrated care board (ICB)',
  'nhs-trust': 'NHS trust',
  'other-provider': 'Other provider',
};

export interface ActorMembership {
  organisationId: string;
  organisationCode: string;
  /** An ICB's ONS code (E54…), used with its ODS code to match responsible bodies. */
  organisationOnsCode?: string | null;
  organisationName: string;
  organisationType: OrganisationType;
  /** The lead organisation hosts the partnership (usually the ICB). */
  isLead: boolean;
  roles: Role[];
}

export interface Actor {
  kind: 'user' | 'token';
  /** The user, or for a token the user who created it is not the actor: null. */
  userId: string | null;
  tokenId: string | null;
  displayName: string;
  partnershipId: string;
  /** The organisation the actor is acting for now. */
  activeOrganisationId: string;
  memberships: ActorMembership[];
}

export function activeMembership(actor: Actor): ActorMembership | undefined {
  return actor.memberships.find((m) => m.organisationId === actor.activeOrganisationId);
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.memberships.some((m) => m.roles.includes(role));
}
