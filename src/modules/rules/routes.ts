import type { FastifyInstance } from 'fastify';
import { assertCan } from '../../platform/access/policy.ts';
import { problem } from '../../platform/errors/handler.ts';
import { caseInputSchema, decisionSchema, evaluate, legalStatusCodes, parseCase, parseCaseJson, ruleCatalogue, sourceParts } from '../../domain/rules/index.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
class MalformedJson {
  constructor(readonly text: string) {}
}

export function rulesRoutes(app: FastifyInstance): void {
  /** The rule catalogue, for practitioners and lawyers alike. Public: it holds no personal data. */
  app.get('/rules', { config: { public: true } }, async (_request, reply) =>
    reply.render('modules/rules/views/rules.njk', {
      title: 'Section 117 rules and their sources',
      rules: ruleCatalogue.map((rule) => ({ ...rule, sourceParts: sourceParts(rule.source) })),
      legalStatusCodes,
    }),
  );

  // Its own scope, so malformed JSON reaches the engine's parser and gets the same
  // field-pathed 422 problem as the CLI, instead of the generic 400.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(null, new MalformedJson(text));
      }
    });
    scope.post(
      '/api/v1/rules/evaluate',
      {
        schema: {
          tags: ['rules'],
          summary: 'Evaluate a legal history with the section 117 rules engine',
          description:
            'Pure and deterministic: the same input always gives the same decision, which is exactly what `npx aftercare rules evaluate` prints. Nothing is stored. Invalid input, including malformed JSON, gets a 422 problem whose `errors` name each field path. See docs/rules.md for the contract (version 1).',
          body: caseInputSchema,
          response: { 200: decisionSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema },
        },
        // The engine's own parser gives field-pathed errors, including the checks a schema cannot express.
        attachValidation: true,
      },
      async (request, reply) => {
        const ctx = request.ctx();
        assertCan(ctx.actor, 'rules:evaluate');
        const parsed = request.body instanceof MalformedJson ? parseCaseJson(request.body.text) : parseCase(request.body);
        if (!parsed.ok) return problem(reply, parsed.problem);
        return reply.send(evaluate(parsed.value));
      },
    );
  });
}
