import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { NotFoundError } from '../../platform/errors/errors.ts';
import { loadPerson } from './people.queries.ts';

/**
 * Permission before input, as a property of the route table (issue 12, finding 10).
 *
 * Every state-changing route about one person (`/people/:id…`, `/people/:personId…`,
 * `/api/v1/people/:id…`, the lost-to-follow-up one-click task) gets a pre-handler that loads
 * the person and asserts the actor's permission on them before the handler reads a byte of the
 * body. Someone who may not change the record gets 403 whatever they send, never a 422 that
 * tells them the form's rules, never a 404 for a record they may not know exists. A route added
 * tomorrow under these paths is guarded without anyone remembering to.
 *
 * The services still check on their own (they are also called by jobs and the CLI); this is
 * the first of two checks, not the only one.
 *
 * Must be set up before the routes are added (it listens for them).
 */

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const personUrl = /^\/(?:api\/v1\/)?people\/:(?:id|personId)(?:\/|$)|^\/lost-to-follow-up\/:id\//;

type GuardPermission = 'person:read' | 'person:write' | 'person:subject-access';

/**
 * Routes whose decision is not "may change this person's record", each with why. The route's
 * service makes the narrower decision after the person is loaded.
 */
const readIsEnough: Record<string, string> = {
  // Commissioners and panel members of the responsible ICB decide an ending for the ICB without
  // holding person:write (policy.ts endingApprovalOrganisation; the endings service decides).
  'POST /people/:id/endings/:endingId/decide': 'ending decisions are made by the responsible bodies’ deciders',
  // Commissioners of the responsible ICB agree a plan for the ICB without holding person:write
  // (issue 13; policy.ts planApprovalBodies; the plans service decides).
  'POST /people/:id/plans/:planId/approve': 'plan agreements are given by the paying bodies’ approvers',
};

/**
 * Routes that neither read nor change the record but act on it under another permission, each
 * with why. The service checks the same permission again.
 */
const otherPermission: Record<string, { permission: GuardPermission; why: string }> = {
  // Issue 14, item 6: the organisation's administrators and quality staff answer a subject access
  // request; the export changes nothing in the record (policy.ts 'person:subject-access').
  'POST /people/:id/subject-access': { permission: 'person:subject-access', why: 'a subject access export is made by administrators and quality and audit staff' },
};

/** The permission the guard asks for on a route, or null if the route is not about one person. */
export function personGuardPermission(method: string, url: string): GuardPermission | null {
  if (!stateChanging.has(method) || !personUrl.test(url)) return null;
  const other = otherPermission[`${method} ${url}`];
  if (other) return other.permission;
  return readIsEnough[`${method} ${url}`] ? 'person:read' : 'person:write';
}

function guard(permission: GuardPermission) {
  return async function personGuard(request: FastifyRequest): Promise<void> {
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const personId = params.id ?? params.personId;
    if (!personId) throw new NotFoundError('Person not found');
    const ctx = request.ctx();
    try {
      await ctx.data.read((q) => loadPerson(q, ctx, personId, permission));
    } catch (error) {
      // The API names the id it could not find, as its own answers do.
      if (error instanceof NotFoundError && request.url.startsWith('/api/')) throw new NotFoundError(`There is no person with id ${personId}`);
      throw error;
    }
  };
}

export function guardPersonRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat();
    const permission = methods.map((m) => personGuardPermission(m, route.url)).find((p) => p !== null);
    if (!permission) return;
    // Route-level pre-handlers run after the app's (authentication and CSRF), before the handler.
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [guard(permission), ...existing];
  });
}
