import type { Actor } from '../access/actor.ts';
import type { ServiceContext } from './context.ts';
import type { SessionData } from '../auth/session-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, or null when nobody has signed in. */
    actor: Actor | null;
    /** How the actor authenticated: a browser session or an API bearer token. */
    authKind: 'session' | 'bearer' | null;
    /** The use-case context for a signed-in actor; throws UnauthenticatedError otherwise. */
    ctx(): ServiceContext;
  }
  interface FastifyReply {
    /** Render a page with the layout's shared data (nonce, CSRF token, user, navigation). */
    render(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
  }
  interface FastifyContextConfig {
    /** Pages and endpoints anyone may reach without signing in. */
    public?: boolean;
  }
}

declare module '@fastify/session' {
  interface FastifySessionObject extends SessionData {}
}
