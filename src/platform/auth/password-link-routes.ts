import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { toGovukErrors, zodIssues } from '../http/validation.ts';
import { passwordLinkState, PASSWORD_LINK_HOURS, setPasswordSchema, setPasswordWithLink, type PasswordLinkState } from './password-links.ts';
import { passwordRules } from './passwords.ts';

const view = (name: string) => `platform/auth/views/${name}.njk`;

/** What a link that cannot be used says, and its status: gone (410) when used or expired, not found otherwise. */
function refused(state: Exclude<PasswordLinkState, { state: 'usable' }>) {
  if (state.state === 'used') return { status: 410, title: 'This link has already been used', text: 'Each link to set a password works once. If you set your password with it, sign in. If you did not, ask your Aftercare administrator for a new link.' };
  if (state.state === 'expired') return { status: 410, title: 'This link has expired', text: `Links to set a password work for ${PASSWORD_LINK_HOURS} hours. Ask your Aftercare administrator, or whoever set up your partnership, for a new link.` };
  return { status: 404, title: 'This link does not work', text: 'Check that you copied the whole link. If it still does not work, ask your Aftercare administrator for a new one.' };
}

/** The one-time set-password page (issue 14, item 1): public, like sign-in. */
export function passwordLinkRoutes(app: FastifyInstance, db: Db, clock: Clock): void {
  app.get<{ Params: { token: string } }>('/set-password/:token', { config: { public: true } }, async (request, reply) => {
    const state = await passwordLinkState(db, request.params.token, clock);
    reply.header('Referrer-Policy', 'no-referrer');
    if (state.state !== 'usable') {
      const page = refused(state);
      reply.status(page.status);
      return reply.render(view('password-link-refused'), { title: page.title, text: page.text });
    }
    return reply.render(view('set-password'), { title: 'Set your password', withCsrf: true, email: state.email, token: request.params.token, minLength: passwordRules.minLength });
  });

  app.post<{ Params: { token: string } }>('/set-password/:token', { config: { public: true } }, async (request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    // The link is the permission: a link that cannot be used is refused before the form is read.
    const before = await passwordLinkState(db, request.params.token, clock);
    if (before.state !== 'usable') {
      const page = refused(before);
      reply.status(page.status);
      return reply.render(view('password-link-refused'), { title: page.title, text: page.text });
    }
    const parsed = setPasswordSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      reply.status(422);
      return reply.render(view('set-password'), { title: 'Set your password', withCsrf: true, email: before.email, token: request.params.token, minLength: passwordRules.minLength, errors: toGovukErrors(zodIssues(parsed.error)) });
    }
    const after = await setPasswordWithLink(db, request.params.token, parsed.data.password, clock, request.id);
    if (after.state !== 'usable') {
      const page = refused(after);
      reply.status(page.status);
      return reply.render(view('password-link-refused'), { title: page.title, text: page.text });
    }
    return reply.render(view('password-set'), { title: 'Your password has been set', email: after.email });
  });
}
