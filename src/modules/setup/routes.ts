import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { referenceIcbs, referenceLocalAuthorities, referenceTrusts } from '../../domain/reference/organisations.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { asArray, asString, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { createPartnership, hasPartnership } from './setup.service.ts';

const view = (name: string) => `modules/setup/views/${name}.njk`;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB');

interface Values {
  name: string;
  icb: string;
  localAuthorities: string[];
  trusts: string[];
  adminEmail: string;
  adminName: string;
}

function formData(values: Values) {
  return {
    icbItems: [
      { value: '', text: 'Choose the ICB or health board', selected: values.icb === '' },
      ...[...referenceIcbs].sort(byName).map((b) => ({ value: b.code, text: b.name, selected: values.icb === b.code })),
    ],
    laItems: [...referenceLocalAuthorities].sort(byName).map((b) => ({ value: b.code, text: b.name, checked: values.localAuthorities.includes(b.code) })),
    trustItems: [...referenceTrusts].sort(byName).map((b) => ({ value: b.code, text: b.name, checked: values.trusts.includes(b.code) })),
  };
}

/**
 * First-run set-up as a page (issue 14, item 1): only while the database holds no partnership and
 * only when SETUP_TOKEN is set; afterwards /setup is not found, for good. The token is asked for
 * in the form (not the address, which proxies log) and checked before anything else is read.
 */
export function setupRoutes(app: FastifyInstance, db: Db, config: Config, clock: Clock): void {
  const available = async () => {
    if (!config.setupToken || (await hasPartnership(db))) throw new NotFoundError();
  };
  const empty: Values = { name: '', icb: '', localAuthorities: [], trusts: [], adminEmail: '', adminName: '' };

  app.get('/setup', { config: { public: true } }, async (_request, reply) => {
    await available();
    return reply.render(view('setup'), { title: 'Set up your partnership', withCsrf: true, values: empty, ...formData(empty) });
  });

  app.post('/setup', { config: { public: true } }, async (request, reply) => {
    await available();
    const body = formBody(request.body);
    const values: Values = {
      name: asString(body.name),
      icb: asString(body.icb),
      localAuthorities: asArray(body.localAuthorities),
      trusts: asArray(body.trusts),
      adminEmail: asString(body.adminEmail),
      adminName: asString(body.adminName),
    };
    const page = { title: 'Set up your partnership', withCsrf: true, values, ...formData(values) };
    if (!tokenMatches(asString(body.setupToken), config.setupToken!)) {
      reply.status(403);
      return reply.render(view('setup'), { ...page, errors: toGovukErrors([{ path: 'setupToken', message: 'The set-up token is not right: use the SETUP_TOKEN this server was started with' }]) });
    }
    try {
      const created = await createPartnership(db, values, { clock, requestId: request.id, publicBaseUrl: config.publicBaseUrl });
      return await reply.render(view('created'), { title: 'Your partnership has been set up', created });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      return reply.render(view('setup'), { ...page, errors: toGovukErrors(error.issues) });
    }
  });
}
