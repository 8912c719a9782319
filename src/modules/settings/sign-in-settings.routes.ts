import type { FastifyInstance } from 'fastify';
import { can } from '../../platform/access/policy.ts';
import { openSignInSettings, updateSignInSettings } from '../../platform/auth/two-factor.ts';
import { ConflictError, ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asBoolean, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';

const template = 'modules/settings/views/sign-in-settings.njk';

/**
 * The partnership's sign-in settings (issue 14, item 3): whether every local account, not only
 * administrators', must use a second factor. Lead-organisation administrators ('settings:manage').
 * The setting lives with the platform's sign-in (src/platform/auth/two-factor.ts), which reads it.
 */
export function signInSettingsRoutes(app: FastifyInstance): void {
  app.get('/admin/sign-in-settings', async (request, reply) => {
    const settings = await openSignInSettings(request.ctx());
    return reply.render(template, { title: 'Sign-in settings', value: settings.requireSecondFactorForAll, version: settings.version, administratorsRequired: request.ctx().config.requireSecondFactorForAdministrators });
  });

  app.post('/admin/sign-in-settings', async (request, reply) => {
    const ctx = request.ctx();
    // Refuse before reading the form.
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const value = asBoolean(body.requireSecondFactorForAll);
    const version = asVersion(body.version);
    try {
      await updateSignInSettings(ctx, version, { requireSecondFactorForAll: value });
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      const current = await openSignInSettings(ctx);
      reply.status(error instanceof InputError ? 422 : 409);
      const errors =
        error instanceof InputError
          ? toGovukErrors(error.issues, { requireSecondFactorForAll: 'requireSecondFactorForAll' })
          : { list: [{ text: 'Somebody else saved this setting after you opened it. Your change has not been saved: check the setting, then save again.', href: '#requireSecondFactorForAll' }], fields: {} };
      return reply.render(template, { title: 'Sign-in settings', value: error instanceof InputError ? undefined : current.requireSecondFactorForAll, version: current.version, administratorsRequired: ctx.config.requireSecondFactorForAdministrators, errors });
    }
    request.session.flash = {
      type: 'success',
      text: value ? 'Every local account must now use a second factor. People without one will set it up when they next sign in.' : 'Only the accounts that must have one need a second factor now. Others may still set one up.',
    };
    return reply.redirect('/admin/sign-in-settings');
  });
}
