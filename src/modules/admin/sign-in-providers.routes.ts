import type { FastifyInstance } from 'fastify';
import { can } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asBoolean, asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { getOrganisation } from './organisations.service.ts';
import { getSignInProvider, linkSignInIdentity, saveSignInProvider, testSignInProvider } from './sign-in-providers.service.ts';

/*
 * Single sign-on settings of one organisation (issue 14, item 2): its administrators' page.
 * The client secret is a password field that is never filled in: left blank, the stored one stays.
 */

const view = 'modules/admin/views/sign-in-provider.njk';

export function signInProviderRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>('/admin/organisations/:id/sign-in', async (request, reply) => {
    const ctx = request.ctx();
    const { organisation, provider, redirectUri } = await getSignInProvider(ctx, request.params.id);
    const values = provider
      ? { ...provider, allowedDomains: provider.allowedDomains.join(', ') }
      : { emailClaim: 'email', scopes: 'openid email profile', trustEmail: false, enabled: false, allowedDomains: '' };
    return reply.render(view, { title: `Single sign-on for ${organisation.name}`, organisation, provider, redirectUri, values, version: provider?.version ?? 0 });
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/sign-in', async (request, reply) => {
    const ctx = request.ctx();
    // Permission before input: a refused actor gets 403 whatever the form holds.
    const organisation = await getOrganisation(ctx, request.params.id);
    if (!can(ctx.actor, 'organisations:manage', { partnershipId: organisation.partnershipId, organisationId: organisation.id })) throw new ForbiddenError();
    const body = formBody(request.body);
    const input = {
      issuer: asString(body.issuer),
      clientId: asString(body.clientId),
      clientSecret: asString(body.clientSecret),
      allowedDomains: asString(body.allowedDomains),
      emailClaim: asString(body.emailClaim),
      scopes: asString(body.scopes),
      trustEmail: asString(body.trustEmail) === 'true',
      enabled: asBoolean(body.enabled),
    };
    const version = asVersion(body.version);
    try {
      const saved = await saveSignInProvider(ctx, organisation.id, version, input);
      request.session.flash = { type: 'success', text: saved.enabled ? `People at ${organisation.name} can now sign in with their organisation’s account.` : `Single sign-on settings for ${organisation.name} have been saved. It is turned off.` };
      return await reply.redirect(`/admin/organisations/${organisation.id}/sign-in`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const current = await getSignInProvider(ctx, organisation.id);
      reply.status(422);
      // The secret typed is never sent back.
      const { clientSecret: _secret, ...shown } = input;
      return reply.render(view, {
        title: `Single sign-on for ${organisation.name}`,
        organisation,
        provider: current.provider,
        redirectUri: current.redirectUri,
        values: shown,
        version,
        errors: toGovukErrors(error.issues, { enabled: 'enabled' }),
      });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/sign-in/test', async (request, reply) => {
    const ctx = request.ctx();
    const organisation = await getOrganisation(ctx, request.params.id);
    if (!can(ctx.actor, 'organisations:manage', { partnershipId: organisation.partnershipId, organisationId: organisation.id })) throw new ForbiddenError();
    const result = await testSignInProvider(ctx, organisation.id);
    request.session.flash = { type: result.ok ? 'success' : 'important', text: result.message };
    return reply.redirect(`/admin/organisations/${organisation.id}/sign-in`);
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/sign-in/links', async (request, reply) => {
    const ctx = request.ctx();
    const organisation = await getOrganisation(ctx, request.params.id);
    if (!can(ctx.actor, 'organisations:manage', { partnershipId: organisation.partnershipId, organisationId: organisation.id })) throw new ForbiddenError();
    const body = formBody(request.body);
    const link = { email: asString(body.email), subject: asString(body.subject) };
    try {
      const linked = await linkSignInIdentity(ctx, organisation.id, link);
      request.session.flash = { type: 'success', text: `${linked.email} is now linked to that identity: they can sign in with ${organisation.name}’s account.` };
      return await reply.redirect(`/admin/organisations/${organisation.id}/sign-in`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const current = await getSignInProvider(ctx, organisation.id);
      const provider = current.provider;
      reply.status(422);
      return reply.render(view, {
        title: `Single sign-on for ${organisation.name}`,
        organisation,
        provider,
        redirectUri: current.redirectUri,
        values: provider ? { ...provider, allowedDomains: provider.allowedDomains.join(', ') } : {},
        version: provider?.version ?? 0,
        link,
        errors: toGovukErrors(error.issues, { email: 'link-email', subject: 'link-subject' }),
      });
    }
  });
}
