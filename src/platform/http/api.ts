import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

/**
 * The JSON API under /api/v1. Request and response schemas are zod, and the OpenAPI
 * document is generated from the same schemas, so the docs cannot drift from the code.
 */
export async function setUpApi(app: FastifyInstance, version: string): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Aftercare API',
        version,
        description:
          'The Section 117 Partnership Register API. Authenticate with `Authorization: Bearer <token>` (tokens are issued per organisation by its administrators) or, from the browser, with the session cookie plus the `X-CSRF-Token` header. Errors are RFC 9457 `application/problem+json`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token issued to an organisation' },
          session: { type: 'apiKey', in: 'cookie', name: 'aftercare' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: true,
  });
}

export function apiDocsRoutes(app: FastifyInstance): void {
  app.get('/api/v1/openapi.json', { config: { public: true } }, async (_request, reply) => reply.type('application/json').send(app.swagger()));

  app.get('/api/v1/docs', { config: { public: true } }, async (_request, reply) => {
    const spec = app.swagger() as { paths?: Record<string, Record<string, { summary?: string; description?: string; tags?: string[]; responses?: Record<string, { description?: string }> }>> };
    const operations = Object.entries(spec.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        description: op.description ?? '',
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? '' })),
      })),
    );
    return reply.render('platform/views/pages/api-docs.njk', { title: 'API documentation', operations });
  });
}
