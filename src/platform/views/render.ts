import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { activeMembership } from '../access/actor.ts';
import { can } from '../access/policy.ts';
import { navigationFor } from './navigation.ts';

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
      /** The header's "Find a person" box (issue 15, item 5): for everyone who may read people's records. */
      canFindPeople: actor ? can(actor, 'person:read') : false,
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
