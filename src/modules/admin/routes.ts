import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roles, roleLabels, organisationTypes, organisationTypeLabels } from '../../platform/access/actor.ts';
import { can } from '../../platform/access/policy.ts';
import { InputError, ForbiddenError } from '../../platform/errors/errors.ts';
import { asArray, asBoolean, asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { resetSecondFactor, usersWithSecondFactor } from '../../platform/auth/two-factor.ts';
import { AUDIT_PAGE_SIZE, searchAuditEvents } from './audit.service.ts';
import { createOrganisation, createOrganisationFromReference, getOrganisation, listOrganisations, referenceGroups, updateOrganisation } from './organisations.service.ts';
import { approveToken, createToken, listTokens, revokeToken } from './tokens.service.ts';
import {
  administeredOrganisations,
  createUser,
  getMembership,
  isOwnAccount,
  listUsersOfOrganisation,
  OWN_ACCESS_REFUSED,
  unlockUser,
  updateMembership,
} from './users.service.ts';

const v = (name: string) => `modules/admin/views/${name}.njk`;

const roleItems = (selected: string[]) => roles.map((r) => ({ value: r, text: roleLabels[r], checked: selected.includes(r) }));
const typeItems = (selected: string | undefined) => organisationTypes.map((t) => ({ value: t, text: organisationTypeLabels[t], checked: selected === t }));

/** Re-show a form with its error summary when a use case refuses the input (PRG is kept for success). */
async function withInputErrors(reply: FastifyReply, template: string, data: Record<string, unknown>, run: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    reply.status(422);
    return reply.render(template, { ...data, errors: toGovukErrors(error.issues, { roles: 'roles', type: 'type', active: 'active' }) });
  }
}

function flash(request: FastifyRequest, text: string): void {
  request.session.flash = { type: 'success', text };
}

export function adminRoutes(app: FastifyInstance): void {
  app.get('/admin', async (request, reply) => {
    const ctx = request.ctx();
    const organisations = await administeredOrganisations(ctx);
    const canAudit = can(ctx.actor, 'audit:read', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId });
    const canManageSettings = can(ctx.actor, 'settings:manage');
    const canImport = ctx.actor.memberships.some((m) => can(ctx.actor, 'register:import', { partnershipId: ctx.actor.partnershipId, organisationId: m.organisationId }));
    // Information governance (issue 14, item 6): subject access exports and the retention review.
    const canGovern = can(ctx.actor, 'person:subject-access') || can(ctx.actor, 'retention:review');
    if (organisations.length === 0 && !canAudit && !canManageSettings) throw new ForbiddenError();
    return reply.render(v('index'), { title: 'Administration', organisations, canAudit, canManageSettings, canImport, canGovern });
  });

  // Organisations
  app.get('/admin/organisations', async (request, reply) => {
    const ctx = request.ctx();
    const organisations = await listOrganisations(ctx);
    const canCreate = can(ctx.actor, 'organisations:manage', { partnershipId: ctx.actor.partnershipId });
    return reply.render(v('organisations'), {
      title: 'Organisations',
      organisations: organisations.map((o) => ({
        ...o,
        canEdit: can(ctx.actor, 'organisations:manage', { partnershipId: o.partnershipId, organisationId: o.id }),
        canManageUsers: can(ctx.actor, 'users:manage', { partnershipId: o.partnershipId, organisationId: o.id }),
      })),
      canCreate,
    });
  });

  app.get('/admin/organisations/new', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'organisations:manage', { partnershipId: ctx.actor.partnershipId })) throw new ForbiddenError();
    return reply.render(v('organisation-form'), { title: 'Add an organisation', values: { active: true }, typeItems: typeItems(undefined), action: '/admin/organisations/new', referenceGroups: await referenceGroups(ctx, '') });
  });

  app.post('/admin/organisations/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    // Chosen by name from the shipped reference list (issue 14, item 1), or typed in full (other providers).
    const reference = body.reference === undefined ? null : asString(body.reference);
    const values = reference === null ? { type: asString(body.type) || undefined, name: asString(body.name), code: asString(body.code), onsCode: asString(body.onsCode), active: true } : { active: true };
    const page = { title: 'Add an organisation', values, typeItems: typeItems(values.type), action: '/admin/organisations/new', referenceGroups: await referenceGroups(ctx, reference ?? '') };
    return withInputErrors(reply, v('organisation-form'), page, async () => {
      const created = reference === null ? await createOrganisation(ctx, values) : await createOrganisationFromReference(ctx, reference);
      flash(request, `${created.name} has been added.`);
      return reply.redirect('/admin/organisations');
    });
  });

  app.get<{ Params: { id: string } }>('/admin/organisations/:id/edit', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    if (!can(ctx.actor, 'organisations:manage', { partnershipId: org.partnershipId, organisationId: org.id })) throw new ForbiddenError();
    return reply.render(v('organisation-form'), {
      title: `Change ${org.name}`,
      values: org,
      typeItems: typeItems(org.type),
      action: `/admin/organisations/${org.id}/edit`,
      version: org.version,
    });
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/edit', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const values = { type: asString(body.type) || undefined, name: asString(body.name), code: asString(body.code), onsCode: asString(body.onsCode), active: asBoolean(body.active) ?? true };
    const version = asVersion(body.version);
    return withInputErrors(
      reply,
      v('organisation-form'),
      { title: 'Change organisation', values, typeItems: typeItems(values.type), action: `/admin/organisations/${request.params.id}/edit`, version },
      async () => {
        const updated = await updateOrganisation(ctx, request.params.id, version, values);
        flash(request, `${updated.name} has been updated.`);
        return reply.redirect('/admin/organisations');
      },
    );
  });

  // Users of an organisation: only that organisation's administrators (or the lead organisation's).
  app.get<{ Params: { id: string } }>('/admin/organisations/:id/users', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    const listed = await listUsersOfOrganisation(ctx, org.id);
    const withSecondFactor = await usersWithSecondFactor(ctx, listed.map((u) => u.id));
    const users = listed.map((u) => ({ ...u, isYou: isOwnAccount(ctx, u), hasSecondFactor: withSecondFactor.has(u.id) }));
    return reply.render(v('users'), { title: `Users of ${org.name}`, organisation: org, users, now: new Date() });
  });

  // Issue 14, item 3: reset another user's second factor (never one's own), audited; they set it up again.
  app.post<{ Params: { id: string } }>('/admin/memberships/:id/reset-second-factor', async (request, reply) => {
    const ctx = request.ctx();
    const member = await getMembership(ctx, request.params.id);
    const reset = await resetSecondFactor(ctx, { userId: member.id, displayName: member.displayName });
    flash(request, reset ? `${member.displayName}’s second factor has been reset. They have been signed out, and will set up an authenticator app again when they next sign in.` : `${member.displayName} had no second factor to reset.`);
    return reply.redirect(`/admin/organisations/${member.organisationId}/users`);
  });

  app.get<{ Params: { id: string } }>('/admin/organisations/:id/users/new', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    if (!can(ctx.actor, 'users:manage', { partnershipId: org.partnershipId, organisationId: org.id })) throw new ForbiddenError();
    return reply.render(v('user-form'), { title: `Add a user to ${org.name}`, organisation: org, values: {}, roleItems: roleItems([]) });
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/users/new', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    // Permission before input: a refused actor gets 403 whatever the form holds.
    if (!can(ctx.actor, 'users:manage', { partnershipId: org.partnershipId, organisationId: org.id })) throw new ForbiddenError();
    const body = formBody(request.body);
    const values = {
      displayName: asString(body.displayName),
      email: asString(body.email),
      password: asString(body.password),
      organisationId: org.id,
      roles: asArray(body.roles),
    };
    return withInputErrors(
      reply,
      v('user-form'),
      { title: `Add a user to ${org.name}`, organisation: org, values: { ...values, password: '' }, roleItems: roleItems(values.roles) },
      async () => {
        await createUser(ctx, values);
        flash(request, `${values.displayName} can now sign in to ${org.name}.`);
        return reply.redirect(`/admin/organisations/${org.id}/users`);
      },
    );
  });

  app.get<{ Params: { id: string } }>('/admin/memberships/:id/edit', async (request, reply) => {
    const ctx = request.ctx();
    const member = await getMembership(ctx, request.params.id);
    if (isOwnAccount(ctx, member)) throw new ForbiddenError(OWN_ACCESS_REFUSED);
    return reply.render(v('membership-form'), { title: `Change ${member.displayName}’s access`, member, values: member, roleItems: roleItems(member.roles), version: member.membershipVersion });
  });

  app.post<{ Params: { id: string } }>('/admin/memberships/:id/edit', async (request, reply) => {
    const ctx = request.ctx();
    const member = await getMembership(ctx, request.params.id);
    const body = formBody(request.body);
    const values = { roles: asArray(body.roles), active: asBoolean(body.active) };
    const version = asVersion(body.version);
    return withInputErrors(
      reply,
      v('membership-form'),
      { title: `Change ${member.displayName}’s access`, member, values, roleItems: roleItems(values.roles), version },
      async () => {
        await updateMembership(ctx, member.membershipId, version, values);
        flash(request, `${member.displayName}’s access has been updated.`);
        return reply.redirect(`/admin/organisations/${member.organisationId}/users`);
      },
    );
  });

  app.post<{ Params: { id: string } }>('/admin/memberships/:id/unlock', async (request, reply) => {
    const ctx = request.ctx();
    const member = await getMembership(ctx, request.params.id);
    await unlockUser(ctx, member.membershipId);
    flash(request, `${member.displayName}’s account has been unlocked.`);
    return reply.redirect(`/admin/organisations/${member.organisationId}/users`);
  });

  // API tokens
  app.get<{ Params: { id: string } }>('/admin/organisations/:id/tokens', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    const tokens = await listTokens(ctx, org.id);
    return reply.render(v('tokens'), { title: `API tokens for ${org.name}`, organisation: org, tokens, values: {}, currentUserId: ctx.actor.userId });
  });

  app.post<{ Params: { id: string } }>('/admin/organisations/:id/tokens', async (request, reply) => {
    const ctx = request.ctx();
    const org = await getOrganisation(ctx, request.params.id);
    const body = formBody(request.body);
    const values = { organisationId: org.id, name: asString(body.name) };
    try {
      const created = await createToken(ctx, values);
      const tokens = await listTokens(ctx, org.id);
      return await reply.render(v('tokens'), { title: `API tokens for ${org.name}`, organisation: org, tokens, values: {}, created, currentUserId: ctx.actor.userId });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const tokens = await listTokens(ctx, org.id);
      reply.status(422);
      return reply.render(v('tokens'), { title: `API tokens for ${org.name}`, organisation: org, tokens, values, errors: toGovukErrors(error.issues), currentUserId: ctx.actor.userId });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const revoked = await revokeToken(ctx, request.params.id, asVersion(body.version));
    flash(request, `The token “${revoked.name}” has been revoked. Systems using it can no longer call the API.`);
    return reply.redirect(`/admin/organisations/${revoked.organisationId}/tokens`);
  });

  app.post<{ Params: { id: string } }>('/admin/tokens/:id/approve', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const approved = await approveToken(ctx, request.params.id, asVersion(body.version));
    flash(request, `The token “${approved.name}” has been approved. Systems can now use it to call the API.`);
    return reply.redirect(`/admin/organisations/${approved.organisationId}/tokens`);
  });

  // Audit trail
  app.get('/admin/audit', async (request, reply) => {
    const ctx = request.ctx();
    const query = request.query as Record<string, string>;
    try {
      const result = await searchAuditEvents(ctx, query);
      const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));
      const base = new URLSearchParams(Object.entries(result.filter).filter(([k, val]) => k !== 'page' && val !== undefined) as [string, string][]);
      const link = (p: number) => `/admin/audit?${new URLSearchParams([...base, ['page', String(p)]]).toString()}`;
      return await reply.render(v('audit'), {
        title: 'Audit trail',
        ...result,
        values: result.filter,
        pagination: {
          ...(result.filter.page > 1 ? { previous: { href: link(result.filter.page - 1) } } : {}),
          ...(result.filter.page < pages ? { next: { href: link(result.filter.page + 1) } } : {}),
        },
        pages,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      return reply.render(v('audit'), { title: 'Audit trail', rows: [], total: 0, values: query, errors: toGovukErrors(error.issues), pagination: {}, pages: 1 });
    }
  });
}
