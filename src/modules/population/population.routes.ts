import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALL_CATEGORIES, populationDimensions, WHOLE_PARTNERSHIP, type PopulationDimension } from '../../domain/population.ts';
import { can } from '../../platform/access/policy.ts';
import { ConflictError, ForbiddenError, InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import type { ServiceContext } from '../../platform/http/context.ts';
import { asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import {
  assertCanManagePopulation,
  categoriesOf,
  checkFigure,
  dimensionLabels,
  fingerprint,
  localAuthorityCodes,
  MAX_UPLOAD_ROWS,
  parsePopulationCsv,
  populationPage,
  removeFigure,
  replaceFigures,
  saveFigure,
} from './population.service.ts';

/*
 * /settings/population (issue 7): the lead organisation's administrator enters the partnership's
 * population figures one at a time, or uploads them all as CSV, for rates per 100,000 on the
 * dashboard and in equality monitoring.
 */

const PATH = '/settings/population';
const template = 'modules/population/views/population.njk';
const MAX_FILE_BYTES = 1024 * 1024;

interface FormValues {
  localAuthority: string;
  dimension: string;
  category: string;
  population: string;
  version: number;
}

const emptyForm: FormValues = { localAuthority: WHOLE_PARTNERSHIP, dimension: 'total', category: ALL_CATEGORIES, population: '', version: 0 };

async function render(
  ctx: ServiceContext,
  reply: FastifyReply,
  data: { values?: FormValues; errors?: FieldIssue[]; uploadErrors?: FieldIssue[]; conflict?: string; status?: number; fingerprintShown?: string },
) {
  const { figures, localAuthorities: las } = await populationPage(ctx);
  const laName = (code: string) => (code === WHOLE_PARTNERSHIP ? 'Whole partnership' : (las.find((l) => l.code === code)?.name ?? code));
  const categoryLabel = (dimension: string, category: string) =>
    (populationDimensions as readonly string[]).includes(dimension) ? (categoriesOf(dimension as PopulationDimension).find((c) => c.value === category)?.text ?? category) : category;
  const values = data.values ?? emptyForm;
  const allErrors = [...(data.errors ?? []), ...(data.uploadErrors ?? [])];
  if (data.status) reply.status(data.status);
  return reply.render(template, {
    title: 'Population figures',
    figures: figures.map((f) => ({
      ...f,
      laName: laName(f.localAuthority),
      populationText: f.population.toLocaleString('en-GB'),
      dimensionLabel: dimensionLabels[f.dimension as PopulationDimension] ?? f.dimension,
      categoryLabel: categoryLabel(f.dimension, f.category),
      changeHref: `${PATH}?${new URLSearchParams({ la: f.localAuthority, dimension: f.dimension, category: f.category }).toString()}#figure-form`,
    })),
    fingerprint: data.fingerprintShown ?? fingerprint(figures),
    values,
    // The figure being changed, in words ("Northvale Council, Age band, 18 to 25").
    changing: { laName: laName(values.localAuthority), dimension: dimensionLabels[values.dimension as PopulationDimension] ?? values.dimension, category: categoryLabel(values.dimension, values.category) },
    localAuthorities: [{ value: WHOLE_PARTNERSHIP, text: 'Whole partnership' }, ...las.map((l) => ({ value: l.code, text: `${l.name} (${l.code})` }))].map((o) => ({ ...o, selected: o.value === values.localAuthority })),
    dimensions: populationDimensions.map((d) => ({ value: d, text: dimensionLabels[d], selected: d === values.dimension })),
    categoryTable: populationDimensions.map((d) => ({ dimension: dimensionLabels[d], codes: categoriesOf(d) })),
    laCodes: las,
    errors: allErrors.length > 0 ? toGovukErrors(allErrors, { file: 'file', form: 'figure-form' }) : undefined,
    uploadErrors: data.uploadErrors ?? [],
    conflict: data.conflict,
    maxRows: MAX_UPLOAD_ROWS,
  });
}

const refuse = (ctx: ServiceContext) => {
  if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError('Only the lead organisation’s administrators can change population figures');
};

export function populationRoutes(app: FastifyInstance): void {
  app.get(PATH, async (request, reply) => {
    const ctx = request.ctx();
    assertCanManagePopulation(ctx);
    const q = (request.query ?? {}) as Record<string, unknown>;
    const la = typeof q.la === 'string' ? q.la : '';
    const dimension = typeof q.dimension === 'string' ? q.dimension : '';
    const category = typeof q.category === 'string' ? q.category : '';
    let values: FormValues | undefined;
    if (la && dimension && category) {
      const existing = (await populationPage(ctx)).figures.find((f) => f.localAuthority === la && f.dimension === dimension && f.category === category);
      if (existing) values = { localAuthority: la, dimension, category, population: String(existing.population), version: existing.version };
    }
    return render(ctx, reply, { values });
  });

  app.post(PATH, async (request, reply) => {
    const ctx = request.ctx();
    refuse(ctx);
    const body = formBody(request.body);
    const values: FormValues = {
      localAuthority: asString(body.localAuthority),
      dimension: asString(body.dimension),
      category: asString(body.category),
      population: asString(body.population),
      version: asVersion(body.version),
    };
    const las = await localAuthorityCodes(ctx);
    const { figure, issues } = checkFigure({ localAuthority: values.localAuthority, dimension: values.dimension, category: values.category, population: values.population }, las);
    if (!figure) return render(ctx, reply, { values, errors: issues, status: 422 });
    try {
      await saveFigure(ctx, figure, values.version);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return render(ctx, reply, { values, conflict: error.message, errors: [{ path: 'form', message: error.message }], status: 409 });
    }
    request.session.flash = { type: 'success', text: `The population figure has been saved: ${figure.population.toLocaleString('en-GB')}.` };
    return reply.redirect(PATH);
  });

  app.post(`${PATH}/remove`, async (request, reply) => {
    const ctx = request.ctx();
    refuse(ctx);
    const body = formBody(request.body);
    const key = { localAuthority: asString(body.localAuthority), dimension: asString(body.dimension), category: asString(body.category) };
    try {
      await removeFigure(ctx, key, asVersion(body.version));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const message = 'Somebody else changed or removed this figure after you opened the page. Nothing was removed: check the figures shown.';
      return render(ctx, reply, { conflict: message, errors: [{ path: 'form', message }], status: 409 });
    }
    request.session.flash = { type: 'success', text: 'The population figure has been removed.' };
    return reply.redirect(PATH);
  });

  // The upload needs a multipart body; fields (the CSRF token among them) are attached to the
  // body before the CSRF check runs.
  void app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data')) {
      await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 } });
    }
    scope.post(`${PATH}/upload`, async (request: FastifyRequest, reply) => {
      const ctx = request.ctx();
      refuse(ctx);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const shown = typeof body.fingerprint === 'string' ? body.fingerprint : '';
      const file = body.file;
      const text = Buffer.isBuffer(file) ? file.toString('utf8') : typeof file === 'string' ? file : '';
      if (text.trim() === '') return render(ctx, reply, { uploadErrors: [{ path: 'file', message: 'Choose a CSV file of population figures to upload' }], status: 422 });
      const las = await localAuthorityCodes(ctx);
      const { figures, issues } = parsePopulationCsv(text, las);
      if (issues.length > 0) return render(ctx, reply, { uploadErrors: issues, status: 422 });
      try {
        const result = await replaceFigures(ctx, figures, shown);
        request.session.flash = { type: 'success', text: `${result.after.toLocaleString('en-GB')} population figures have been uploaded; they replace the ${result.before.toLocaleString('en-GB')} there were.` };
      } catch (error) {
        if (error instanceof InputError) return render(ctx, reply, { uploadErrors: error.issues, status: 422 });
        if (!(error instanceof ConflictError)) throw error;
        return render(ctx, reply, { conflict: error.message, errors: [{ path: 'file', message: error.message }], status: 409 });
      }
      return reply.redirect(PATH);
    });
  });
}
