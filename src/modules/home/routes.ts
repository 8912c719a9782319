import type { FastifyInstance } from 'fastify';
import { activeMembership, roleLabels, type Role } from '../../platform/access/actor.ts';
import { can } from '../../platform/access/policy.ts';
import { waitingSummary } from '../work/index.ts';

interface Section {
  id: string;
  heading: string;
  links: Array<{ href: string; text: string; description: string }>;
}

/** What each role's home page offers, from what the actor may do in the organisation they act for. */
export function homeSections(roles: Role[], permissions: { manageUsers: boolean; readAudit: boolean; readPeople?: boolean }): Section[] {
  const sections: Section[] = [];
  const has = (...r: Role[]) => r.some((x) => roles.includes(x));
  const people = permissions.readPeople === true;
  const register = { href: '/register', text: 'Register', description: 'Find someone by NHS number or name; filter, sort and download the people you work with.' };
  const pipeline = { href: '/pipeline', text: 'Hospital pipeline', description: 'People detained on a qualifying section, with expected discharge dates and whether aftercare planning is ready.' };
  const lost = { href: '/lost-to-follow-up', text: 'Lost to follow-up', description: 'Entitled people with no allocated team, no recent contact or an overdue review, with a one-click follow-up task.' };
  if (has('practitioner', 'senior-practitioner', 'team-manager')) {
    sections.push({
      id: 'practice',
      heading: has('team-manager') ? 'Your team’s section 117 work' : 'Your section 117 work',
      links: [
        ...(people ? [register, lost, pipeline] : []),
        { href: '/rules', text: 'Section 117 rules', description: 'How Aftercare decides entitlement, responsible bodies, reviews and lawful endings, with the law behind each rule.' },
      ],
    });
  }
  if (has('commissioner', 'panel-member')) {
    sections.push({
      id: 'commissioning',
      heading: 'Commissioning and funding',
      links: [
        ...(people ? [register, pipeline] : []),
        { href: '/rules', text: 'Section 117 rules', description: 'Responsible ICB and local authority rules, the two statutory tests and funding principles.' },
        { href: '/api/v1/docs', text: 'API documentation', description: 'For integrating local systems with the register.' },
      ],
    });
  }
  if (has('quality-audit') || permissions.readAudit) {
    sections.push({
      id: 'assurance',
      heading: 'Assurance',
      links: [...(people && has('quality-audit') ? [register, lost] : []), { href: '/admin/audit', text: 'Audit trail', description: 'Who changed or viewed what, and when.' }],
    });
  }
  if (permissions.manageUsers) {
    sections.push({
      id: 'administration',
      heading: 'Administration',
      links: [
        { href: '/admin', text: 'Users, organisations and API tokens', description: 'Give people access, set their roles, issue tokens for other systems.' },
      ],
    });
  }
  if (has('read-only') && sections.length === 0) {
    sections.push({
      id: 'read-only',
      heading: 'Looking up information',
      links: [...(people ? [register] : []), { href: '/rules', text: 'Section 117 rules', description: 'The rules the register applies, with their sources.' }],
    });
  }
  return sections;
}

export function homeRoutes(app: FastifyInstance): void {
  app.get('/', async (request, reply) => {
    const { actor } = request.ctx();
    const membership = activeMembership(actor)!;
    const target = { partnershipId: actor.partnershipId, organisationId: actor.activeOrganisationId };
    const sections = homeSections(membership.roles, {
      manageUsers: can(actor, 'users:manage', target),
      readAudit: can(actor, 'audit:read', target),
      readPeople: can(actor, 'person:read', target),
    });
    return reply.render('modules/home/views/home.njk', {
      title: 'Home',
      ...(await waitingSummary(request.ctx())),
      membership,
      roleNames: membership.roles.map((r) => roleLabels[r]),
      sections,
      // "Add a person" for whoever may (the permission /people/new asks for).
      canAddPerson: can(actor, 'person:write', target),
    });
  });

  app.get('/accessibility', { config: { public: true } }, async (_request, reply) =>
    reply.render('modules/home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
}
