import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { activeMembership, type Actor } from '../access/actor.ts';
import { can } from '../access/policy.ts';

export interface NavItem {
  href: string;
  text: string;
  active?: boolean;
}

/** The service navigation a user sees depends on what they may do. */
export function navigationFor(actor: Actor, currentPath: string): NavItem[] {
  const items: NavItem[] = [{ href: '/', text: 'Home' }];
  if (can(actor, 'person:write')) items.push({ href: '/my-work', text: 'My work' });
  if (can(actor, 'person:read')) {
    items.push({ href: '/register', text: 'Register' }, { href: '/pipeline', text: 'Hospital pipeline' }, { href: '/lost-to-follow-up', text: 'Lost to follow-up' });
  }
  if (can(actor, 'person:read')) items.push({ href: '/disputes', text: 'Disputes' });
  if (can(actor, 'person:read') && can(actor, 'assurance:read')) items.push({ href: '/dashboards', text: 'Dashboards' });
  if (can(actor, 'panel:read')) items.push({ href: '/panels', text: 'Panels' });
  // Quality and audit staff and team managers (person:audit); the page lists people, so it needs person:read too.
  if (can(actor, 'person:read') && (can(actor, 'person:audit') || can(actor, 'audit:read'))) items.push({ href: '/data-quality', text: 'Data quality' });
  if (can(actor, 'person:read') && can(actor, 'case-audit:manage')) items.push({ href: '/audits', text: 'Annual audit' });
  items.push({ href: '/rules', text: 'Rules' });
  if (can(actor, 'users:manage', { partnershipId: actor.partnershipId, organisationId: actor.activeOrganisationId }) ||
      can(actor, 'audit:read', { partnershipId: actor.partnershipId, organisationId: actor.activeOrganisationId })) {
    items.push({ href: '/admin', text: 'Administration' });
  }
  return items.map((item) => ({
    ...item,
    active: item.href === '/' ? currentPath === '/' : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
  }));
}

export function setUpViews(app: FastifyInstance, env: nunjucks.Environment): void {
  app.decorateReply('render', async function render(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const request: FastifyRequest = this.request;
    const actor = request.actor;
    const currentPath = request.url.split('?')[0] ?? '/';
    // A CSRF token is only minted for pages that carry a form: every signed-in page has
    // the sign-out form; anonymous pages opt in (the sign-in form).
    const needsCsrf = actor !== null || data.withCsrf === true;
    const flash = request.session?.flash;
    if (flash) delete request.session.flash;
    const membership = actor ? activeMembership(actor) : undefined;
    const locals = {
      cspNonce: this.cspNonce?.script,
      csrfToken: needsCsrf ? this.generateCsrf() : undefined,
      currentUser: actor
        ? {
            displayName: actor.displayName,
            organisations: actor.memberships.map((m) => ({ id: m.organisationId, name: m.organisationName })),
          }
        : null,
      currentOrganisation: membership ? { id: membership.organisationId, name: membership.organisationName, roles: membership.roles } : null,
      navigation: actor ? navigationFor(actor, currentPath) : [],
      currentPath,
      flash,
      ...data,
    };
    const html = await new Promise<string>((resolve, reject) =>
      env.render(template, locals, (err, out) => (err ? reject(err) : resolve(out ?? ''))),
    );
    return this.type('text/html; charset=utf-8').send(html);
  });
}
