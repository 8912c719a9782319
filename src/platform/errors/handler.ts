import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
      status = 400;
      type = 'malformed-json';
      title = 'The request body is not valid JSON';
      detail = error.message;
      errors = [{ path: '(body)', message: `The request body must be valid JSON: ${error.message}` }];
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
