import { describe, expect, it } from 'vitest';
import type { Actor, ActorMembership, Role } from './actor.ts';
import { can, canSeeRestrictedNotes, endingApprovalOrganisation, organisationScope, planApprovalBodies, scheduleAccess } from './policy.ts';

const P = 'partnership-1';
const membership = (organisationId: string, roles: Role[], isLead = false): ActorMembership => ({
  organisationId,
  organisationCode: organisationId.toUpperCase(),
  organisationName: organisationId,
  organisationType: 'local-authority',
  isLead,
  roles,
});
const user = (...memberships: ActorMembership[]): Actor => ({
  kind: 'user',
  userId: 'u1',
  tokenId: null,
  displayName: 'Test',
  partnershipId: P,
  activeOrganisationId: memberships[0]!.organisationId,
  memberships,
});

describe('access policy', () => {
  it('never lets anyone act in another partnership, whatever their roles', () => {
    const admin = user(membership('icb', ['administrator'], true));
    expect(can(admin, 'users:manage', { partnershipId: 'other', organisationId: 'icb' })).toBe(false);
    expect(can(admin, 'rules:evaluate', { partnershipId: 'other' })).toBe(false);
  });

  it('scopes an administrator to their own organisation', () => {
    const laAdmin = user(membership('northvale', ['administrator']));
    expect(can(laAdmin, 'users:manage', { partnershipId: P, organisationId: 'northvale' })).toBe(true);
    expect(can(laAdmin, 'users:manage', { partnershipId: P, organisationId: 'southmere' })).toBe(false);
    expect(can(laAdmin, 'organisations:manage', { partnershipId: P })).toBe(false);
  });

  it('extends a lead-organisation administrator to the whole partnership', () => {
    const icbAdmin = user(membership('icb', ['administrator'], true));
    expect(can(icbAdmin, 'users:manage', { partnershipId: P, organisationId: 'southmere' })).toBe(true);
    expect(can(icbAdmin, 'organisations:manage', { partnershipId: P })).toBe(true);
    expect(organisationScope(icbAdmin, 'audit:read')).toEqual({ all: true });
  });

  it('grants a role only in the organisation where it is held (overlapping memberships)', () => {
    // Administrator in Northvale, practitioner in Southmere: no admin rights in Southmere.
    const mixed = user(membership('northvale', ['administrator']), membership('southmere', ['practitioner']));
    expect(can(mixed, 'users:manage', { partnershipId: P, organisationId: 'northvale' })).toBe(true);
    expect(can(mixed, 'users:manage', { partnershipId: P, organisationId: 'southmere' })).toBe(false);
    expect(organisationScope(mixed, 'users:manage')).toEqual({ all: false, organisationIds: ['northvale'] });
  });

  it('gives a lead-organisation practitioner no administration', () => {
    const practitioner = user(membership('icb', ['practitioner', 'commissioner'], true));
    expect(can(practitioner, 'users:manage', { partnershipId: P, organisationId: 'icb' })).toBe(false);
    expect(can(practitioner, 'audit:read', { partnershipId: P, organisationId: 'icb' })).toBe(false);
    expect(can(practitioner, 'rules:evaluate')).toBe(true);
  });

  it('lets quality and audit staff read the audit trail but not manage users', () => {
    const quality = user(membership('icb', ['quality-audit'], true));
    expect(can(quality, 'audit:read', { partnershipId: P, organisationId: 'northvale' })).toBe(true);
    expect(can(quality, 'users:manage', { partnershipId: P, organisationId: 'icb' })).toBe(false);
  });

  it('lets only the lead organisation’s administrators manage the partnership’s planning settings', () => {
    const icbAdmin = user(membership('icb', ['administrator'], true));
    expect(can(icbAdmin, 'settings:manage')).toBe(true);
    expect(can(icbAdmin, 'settings:manage', { partnershipId: P, organisationId: 'northvale' })).toBe(true);
    expect(can(icbAdmin, 'settings:manage', { partnershipId: 'other' })).toBe(false);
    expect(organisationScope(icbAdmin, 'settings:manage')).toEqual({ all: true });
    // A council's administrator runs their own council, not the partnership, even for their own organisation.
    const laAdmin = user(membership('northvale', ['administrator']));
    expect(can(laAdmin, 'settings:manage')).toBe(false);
    expect(can(laAdmin, 'settings:manage', { partnershipId: P, organisationId: 'northvale' })).toBe(false);
    expect(organisationScope(laAdmin, 'settings:manage')).toEqual({ all: false, organisationIds: [] });
    // Other roles in the lead organisation do not hold it.
    expect(can(user(membership('icb', ['commissioner', 'quality-audit', 'team-manager'], true)), 'settings:manage')).toBe(false);
    // Administrator in a council and commissioner in the lead organisation: the roles do not combine.
    expect(can(user(membership('northvale', ['administrator']), membership('icb', ['commissioner'], true)), 'settings:manage')).toBe(false);
  });

  it('limits API tokens to their narrow permissions', () => {
    const token: Actor = { ...user(membership('trust', [])), kind: 'token', userId: null, tokenId: 't1' };
    expect(can(token, 'rules:evaluate')).toBe(true);
    expect(can(token, 'organisations:read')).toBe(true);
    expect(can(token, 'users:manage', { partnershipId: P, organisationId: 'trust' })).toBe(false);
    expect(can(token, 'audit:read', { partnershipId: P, organisationId: 'trust' })).toBe(false);
    const leadToken: Actor = { ...user(membership('icb', [], true)), kind: 'token', userId: null, tokenId: 't2' };
    expect(can(leadToken, 'settings:manage')).toBe(false);
  });
});

describe('who may decide an ending of section 117 aftercare for each body', () => {
  const person = { partnershipId: P, responsibleLocalAuthority: 'NORTHVALE', responsibleIcb: 'E54000901', involvedOrganisations: ['trust'] };
  const icbMembership = (roles: Role[]): ActorMembership => ({ ...membership('icb', roles, true), organisationCode: 'QZV', organisationOnsCode: 'E54000901', organisationType: 'icb' });

  it('lets a team manager, senior practitioner or panel member of the responsible local authority decide for it', () => {
    for (const role of ['team-manager', 'senior-practitioner', 'panel-member'] as const) {
      expect(endingApprovalOrganisation(user(membership('northvale', [role])), person, 'local-authority')).toBe('northvale');
    }
    expect(endingApprovalOrganisation(user(membership('northvale', ['practitioner'])), person, 'local-authority')).toBeNull();
    expect(endingApprovalOrganisation(user(membership('northvale', ['commissioner'])), person, 'local-authority')).toBeNull();
    // Not for the ICB.
    expect(endingApprovalOrganisation(user(membership('northvale', ['team-manager'])), person, 'icb')).toBeNull();
  });

  it('lets a commissioner or panel member of the responsible ICB decide for it, matched by its ONS code', () => {
    expect(endingApprovalOrganisation(user(icbMembership(['commissioner'])), person, 'icb')).toBe('icb');
    expect(endingApprovalOrganisation(user(icbMembership(['panel-member'])), person, 'icb')).toBe('icb');
    expect(endingApprovalOrganisation(user(icbMembership(['team-manager'])), person, 'icb')).toBeNull();
    expect(endingApprovalOrganisation(user(icbMembership(['commissioner'])), person, 'local-authority')).toBeNull();
  });

  it('refuses other bodies, involved organisations, other partnerships and API tokens', () => {
    expect(endingApprovalOrganisation(user(membership('southmere', ['team-manager'])), person, 'local-authority')).toBeNull();
    expect(endingApprovalOrganisation(user(membership('trust', ['team-manager'])), person, 'local-authority')).toBeNull();
    expect(endingApprovalOrganisation(user(membership('northvale', ['team-manager'])), { ...person, partnershipId: 'other' }, 'local-authority')).toBeNull();
    expect(endingApprovalOrganisation(user(membership('northvale', ['team-manager'])), { ...person, responsibleLocalAuthority: null }, 'local-authority')).toBeNull();
    const token: Actor = { ...user(membership('northvale', ['team-manager'])), kind: 'token', userId: null, tokenId: 't1' };
    expect(endingApprovalOrganisation(token, person, 'local-authority')).toBeNull();
  });

  it('lets a panel member of both bodies decide for either (the service stops one person deciding for both)', () => {
    const panel = user(icbMembership(['panel-member']), membership('northvale', ['panel-member']));
    expect(endingApprovalOrganisation(panel, person, 'local-authority')).toBe('northvale');
    expect(endingApprovalOrganisation(panel, person, 'icb')).toBe('icb');
  });
});

describe('funding panels', () => {
  it('lets panel members and commissioners decide, and not practitioners, managers or API tokens', () => {
    expect(can(user(membership('icb', ['panel-member'], true)), 'panel:decide')).toBe(true);
    expect(can(user(membership('icb', ['commissioner'], true)), 'panel:decide')).toBe(true);
    expect(can(user(membership('northvale', ['panel-member'])), 'panel:decide')).toBe(true);
    expect(can(user(membership('northvale', ['practitioner'])), 'panel:decide')).toBe(false);
    expect(can(user(membership('northvale', ['team-manager'])), 'panel:decide')).toBe(false);
    expect(can(user(membership('icb', ['administrator'], true)), 'panel:decide')).toBe(false);
    const token: Actor = { ...user(membership('icb', ['panel-member'], true)), kind: 'token', userId: null, tokenId: 't1' };
    expect(can(token, 'panel:decide')).toBe(false);
    expect(can(user(membership('icb', ['panel-member'], true)), 'panel:decide', { partnershipId: 'other' })).toBe(false);
  });

  it('lets practitioners see the panels (to follow their cases), but not administrators or read-only users', () => {
    expect(can(user(membership('northvale', ['practitioner'])), 'panel:read')).toBe(true);
    expect(can(user(membership('icb', ['commissioner'], true)), 'panel:read')).toBe(true);
    expect(can(user(membership('icb', ['administrator'], true)), 'panel:read')).toBe(false);
    expect(can(user(membership('northvale', ['read-only'])), 'panel:read')).toBe(false);
  });
});

describe('scheduled reports (issue 12, finding 4)', () => {
  const schedule = { partnershipId: P, createdBy: 'u1' };
  it('lets the owner change and stop their schedule, and nobody else change it', () => {
    expect(scheduleAccess(user(membership('northvale', ['team-manager'])), schedule)).toEqual({ change: true, stop: true });
    const other = { ...user(membership('southmere', ['senior-practitioner'])), userId: 'u2' };
    expect(scheduleAccess(other, schedule)).toEqual({ change: false, stop: false });
    const commissioner = { ...user(membership('icb', ['commissioner'], true)), userId: 'u3' };
    expect(scheduleAccess(commissioner, schedule)).toEqual({ change: false, stop: false });
  });

  it('lets the lead organisation’s quality and audit staff stop any schedule but not change it; not a council’s', () => {
    expect(scheduleAccess({ ...user(membership('icb', ['quality-audit'], true)), userId: 'u4' }, schedule)).toEqual({ change: false, stop: true });
    expect(scheduleAccess({ ...user(membership('northvale', ['quality-audit'])), userId: 'u5' }, schedule)).toEqual({ change: false, stop: false });
    expect(scheduleAccess({ ...user(membership('icb', ['administrator'], true)), userId: 'u6' }, schedule)).toEqual({ change: false, stop: false });
    expect(scheduleAccess(user(membership('northvale', ['team-manager'])), { ...schedule, partnershipId: 'other' })).toEqual({ change: false, stop: false });
  });
});

describe('who may agree an aftercare plan for each body that pays (issue 13)', () => {
  const person = { partnershipId: P, responsibleLocalAuthority: 'NORTHVALE', responsibleIcb: 'E54000901', involvedOrganisations: ['trust'] };
  const icbMembership = (roles: Role[]): ActorMembership => ({ ...membership('icb', roles, true), organisationCode: 'QZV', organisationOnsCode: 'E54000901', organisationType: 'icb' });

  it('lets a team manager or senior practitioner of the responsible local authority agree for it, not a commissioner or practitioner', () => {
    expect(planApprovalBodies(user(membership('northvale', ['team-manager'])), person)).toEqual([{ body: 'local-authority', organisationId: 'northvale' }]);
    expect(planApprovalBodies(user(membership('northvale', ['senior-practitioner'])), person)).toEqual([{ body: 'local-authority', organisationId: 'northvale' }]);
    expect(planApprovalBodies(user(membership('northvale', ['commissioner'])), person)).toEqual([]);
    expect(planApprovalBodies(user(membership('northvale', ['practitioner'])), person)).toEqual([]);
  });

  it('lets a commissioner, team manager or senior practitioner of the responsible ICB agree for it (matched by its ONS code), not a panel member', () => {
    for (const role of ['commissioner', 'team-manager', 'senior-practitioner'] as const) {
      expect(planApprovalBodies(user(icbMembership([role])), person)).toEqual([{ body: 'icb', organisationId: 'icb' }]);
    }
    expect(planApprovalBodies(user(icbMembership(['panel-member'])), person)).toEqual([]);
  });

  it('refuses other bodies, other partnerships and API tokens', () => {
    expect(planApprovalBodies(user(membership('southmere', ['team-manager'])), person)).toEqual([]);
    expect(planApprovalBodies(user(membership('northvale', ['team-manager'])), { ...person, partnershipId: 'other' })).toEqual([]);
    const token: Actor = { ...user(icbMembership(['commissioner'])), kind: 'token', userId: null, tokenId: 't1' };
    expect(planApprovalBodies(token, person)).toEqual([]);
  });
});

describe('restricted case notes (issue 15, item 1)', () => {
  const person = { partnershipId: P, responsibleLocalAuthority: 'NORTHVALE', responsibleIcb: 'ICB', involvedOrganisations: [] as string[] };
  const chosen = ['team-manager', 'quality-audit'];

  it('shows them to a chosen role in an organisation responsible for the person', () => {
    expect(canSeeRestrictedNotes(user(membership('northvale', ['team-manager'])), person, chosen)).toBe(true);
    expect(canSeeRestrictedNotes(user(membership('icb', ['quality-audit'], true)), person, chosen)).toBe(true);
  });

  it('hides them from a role not chosen, from a chosen role elsewhere, and from another partnership', () => {
    expect(canSeeRestrictedNotes(user(membership('northvale', ['practitioner'])), person, chosen)).toBe(false);
    expect(canSeeRestrictedNotes(user(membership('eastbridge', ['team-manager'])), person, chosen)).toBe(false);
    // A chosen role in one organisation does not carry over to a practitioner membership of the person's.
    expect(canSeeRestrictedNotes(user(membership('northvale', ['practitioner']), membership('eastbridge', ['team-manager'])), person, chosen)).toBe(false);
    expect(canSeeRestrictedNotes(user(membership('northvale', ['team-manager'])), { ...person, partnershipId: 'other' }, chosen)).toBe(false);
    expect(canSeeRestrictedNotes(user(membership('northvale', ['administrator'])), person, ['administrator'])).toBe(false);
  });
});
