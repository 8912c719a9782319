import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { isApiRequest } from '../http/authentication.ts';
import { AppError, PROBLEM_BASE, TooManyRequestsError, type FieldIssue } from './errors.ts';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldIssue[];
}

function sendProblem(reply: FastifyReply, problem: Omit<Problem, 'instance'>): FastifyReply {
  return reply
    .status(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send({ ...problem, type: problem.type.startsWith('http') ? problem.type : `${PROBLEM_BASE}${problem.type}`, instance: reply.request.id });
}

/** Send an RFC 9457 problem; used by API routes for their own 4xx answers. */
export function problem(reply: FastifyReply, p: Omit<Problem, 'instance'>): FastifyReply {
  return sendProblem(reply, p);
}

const pageFor: Record<number, { template: string; title: string }> = {
  401: { template: 'platform/views/pages/401.njk', title: 'You need to sign in' },
  403: { template: 'platform/views/pages/403.njk', title: 'You do not have permission to see this page' },
  404: { template: 'platform/views/pages/404.njk', title: 'Page not found' },
  409: { template: 'platform/views/pages/409.njk', title: 'Somebody else changed this record' },
  429: { template: 'platform/views/pages/429.njk', title: 'Too many attempts' },
  500: { template: 'platform/views/pages/500.njk', title: 'Sorry, there is a problem with the service' },
};

/** Fastify's own refusals in plain English, without repeating the address or body sent. */
function frameworkRefusal(statusCode: number): { status: number; type: string; title: string; detail: string } {
  switch (statusCode) {
    case 413:
      return { status: 413, type: 'too-large', title: 'The request is too large', detail: 'The request body is larger than the service accepts.' };
    case 414:
      return { status: 414, type: 'address-too-long', title: 'The address is too long', detail: 'Part of the web address is longer than the service accepts. Check the address and try again.' };
    case 415:
      return { status: 415, type: 'unsupported-media-type', title: 'The request’s content type is not accepted', detail: 'Send the body as JSON (application/json) or as a web form.' };
    default:
      return { status: statusCode, type: 'bad-request', title: 'The request could not be understood', detail: 'The request is not valid. Check the address and try again.' };
  }
}

/**
 * Fastify's refusals made before any route is found (a malformed address, a path part too
 * long) skip the hooks and the error handler, so they are answered here, given to Fastify as
 * `frameworkErrors`: problem+json for the API, a GOV.UK error page for pages, with the
 * security headers every response carries, and never the address echoed.
 */
export function frameworkErrorHandler(env: nunjucks.Environment, securityHeaders: (nonce: string) => Array<readonly [string, string]>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const refusal = frameworkRefusal(error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400);
    request.log.info({ status: refusal.status, code: error.code }, 'request refused');
    const nonce = randomBytes(16).toString('base64');
    for (const [name, value] of securityHeaders(nonce)) reply.header(name, value);
    reply.header('Cache-Control', 'no-store').header('X-Request-Id', request.id).status(refusal.status);
    if (isApiRequest(request) || request.headers.accept?.includes('application/problem+json')) {
      void sendProblem(reply, refusal);
      return;
    }
    env.render('platform/views/pages/error.njk', { title: refusal.title, detail: refusal.detail, cspNonce: nonce, navigation: [], currentPath: '/' }, (err, html) => {
      if (err) request.log.error({ err }, 'error page failed to render');
      void reply.type(err ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8').send(err ? `${refusal.status} ${refusal.title}` : html ?? '');
    });
  };
}

/**
 * One mapping from errors to responses: GOV.UK error pages for browsers, problem+json
 * for the API. Authorisation failures are always 403; unexpected errors are logged and
 * shown without detail.
 */
export function setUpErrorHandling(app: FastifyInstance, production: boolean): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (isApiRequest(request)) {
      return sendProblem(reply, { type: 'not-found', title: 'Not found', status: 404, detail: `No resource at ${request.method} ${request.url.split('?')[0]}` });
    }
    reply.status(404);
    return reply.render(pageFor[404]!.template, { title: pageFor[404]!.title });
  });

  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let type = 'internal-error';
    let title = 'Internal error';
    let detail = 'Something went wrong. The error has been logged.';
    let errors: FieldIssue[] | undefined;

    if (error instanceof AppError) {
      status = error.statusCode;
      type = error.problemType;
      title = error.title;
      detail = error.message;
      if ('issues' in error) errors = (error as unknown as { issues: FieldIssue[] }).issues;
      if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
    } else if (error.code?.startsWith('FST_CSRF')) {
      status = 403;
      type = 'csrf';
      title = 'Form expired or not valid';
      detail = 'The form could not be accepted because its security token was missing, expired or not valid. Go back, reload the page and try again.';
    } else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      // The parser's message quotes the body back; the answer never does.
      status = 400;
      type = 'malformed-json';
      title = 'The request body is not valid JSON';
      detail = 'The request body must be valid JSON.';
      errors = [{ path: '(body)', message: detail }];
    } else if (error.code?.startsWith('FST_') && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own refusals (content type, body size, …): plain words, never the request echoed.
      ({ status, type, title, detail } = frameworkRefusal(error.statusCode));
    } else if (error.validation) {
      status = 422;
      type = 'invalid-input';
      title = 'The input is not valid';
      errors = error.validation.map((v) => ({
        path: (v.instancePath ?? '').replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.'),
        message: v.message ?? 'is not valid',
      }));
      detail = errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; ');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      type = 'bad-request';
      title = 'Bad request';
      detail = error.message;
    }

    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ status, type }, 'request refused');

    if (isApiRequest(request) || request.headers.accept?.includes('application/problem+json')) {
      return sendProblem(reply, { type, title, status, detail, ...(errors ? { errors } : {}) });
    }
    const page = type === 'csrf' ? { template: 'platform/views/pages/error.njk', title } : pageFor[status] ?? (status >= 500 ? pageFor[500]! : { template: 'platform/views/pages/error.njk', title });
    reply.status(status);
    try {
      return await reply.render(page.template, {
        title: page.title,
        detail,
        errors: errors ? { list: errors.map((e) => ({ text: e.message, href: `#${e.path}` })), fields: {} } : undefined,
        stack: production ? undefined : error.stack,
      });
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render');
      return reply.type('text/plain; charset=utf-8').send(`${status} ${page.title}`);
    }
  });
}
