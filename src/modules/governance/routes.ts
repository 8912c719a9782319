import type { FastifyInstance, FastifyReply } from 'fastify';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { countOf, govukDate } from '../../platform/plain-language.ts';
import { basisLabels, decideRetention, listRecordsDueNow, mayReviewRetention, openRetentionReview, retentionReviewPage } from './retention.service.ts';
import { findForSubjectAccess, mayExportSubjectAccess, openSubjectAccess, produceSubjectAccessExport } from './subject-access.service.ts';

/*
 * Information governance (issue 14, item 6): subject access exports and the retention review.
 * Routes call services only; each service asks its permission before it reads the input.
 */

const v = (name: string) => `modules/governance/views/${name}.njk`;
const home = { text: 'Information governance', href: '/governance' };

function renderDecision(reply: FastifyReply, row: Awaited<ReturnType<typeof openRetentionReview>>, values: { decision: string; keepYears: string; reason: string }, errors?: InputError) {
  if (errors) reply.status(422);
  return reply.render(v('retention-decision'), {
    title: `Retention review: ${row.givenName} ${row.familyName}`,
    row,
    basis: basisLabels[row.review.basis as keyof typeof basisLabels] ?? row.review.basis,
    values,
    errors: errors ? toGovukErrors(errors.issues, { decision: 'decision', keepYears: 'keepYears', reason: 'reason' }) : undefined,
    breadcrumbs: [{ text: 'Home', href: '/' }, home, { text: 'Records due for retention review', href: '/governance/retention' }],
  });
}

export function governanceRoutes(app: FastifyInstance): void {
  app.get('/governance', async (request, reply) => {
    const ctx = request.ctx();
    const canExport = mayExportSubjectAccess(ctx);
    const canReview = mayReviewRetention(ctx);
    if (!canExport && !canReview) throw new ForbiddenError();
    return reply.render(v('index'), { title: 'Information governance', canExport, canReview, breadcrumbs: [{ text: 'Home', href: '/' }] });
  });

  // Subject access: find the person by NHS number (administrators do not open the register).
  app.get<{ Querystring: { nhsNumber?: string } }>('/governance/subject-access', async (request, reply) => {
    const ctx = request.ctx();
    if (!mayExportSubjectAccess(ctx)) throw new ForbiddenError();
    const nhsNumber = typeof request.query.nhsNumber === 'string' ? request.query.nhsNumber : null;
    let errors;
    if (nhsNumber !== null) {
      try {
        return await reply.redirect(`/people/${await findForSubjectAccess(ctx, nhsNumber)}/subject-access`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        reply.status(422);
        errors = toGovukErrors(error.issues, { nhsNumber: 'nhsNumber' });
      }
    }
    return reply.render(v('subject-access-find'), { title: 'Subject access export', nhsNumber: nhsNumber ?? '', errors, breadcrumbs: [{ text: 'Home', href: '/' }, home] });
  });

  app.get<{ Params: { id: string } }>('/people/:id/subject-access', async (request, reply) => {
    const page = await openSubjectAccess(request.ctx(), request.params.id);
    return reply.render(v('subject-access'), {
      title: `Subject access export: ${page.name}`,
      page,
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: page.name, href: `/people/${page.id}` }],
    });
  });

  app.post<{ Params: { id: string } }>('/people/:id/subject-access', async (request, reply) => {
    const file = await produceSubjectAccessExport(request.ctx(), request.params.id);
    reply.header('Content-Type', 'application/zip').header('Content-Disposition', `attachment; filename="${file.filename}"`).header('Cache-Control', 'no-store').header('X-Content-SHA256', file.sha256);
    return reply.send(file.content);
  });

  // Retention review.
  app.get('/governance/retention', async (request, reply) => {
    const data = await retentionReviewPage(request.ctx());
    const label = (b: string) => basisLabels[b as keyof typeof basisLabels] ?? b;
    return reply.render(v('retention'), {
      title: 'Records due for retention review',
      ...data,
      basisLabel: label,
      breadcrumbs: [{ text: 'Home', href: '/' }, home],
    });
  });

  app.post('/governance/retention/list', async (request, reply) => {
    const { listed, waiting } = await listRecordsDueNow(request.ctx());
    request.session.flash = { type: 'success', text: listed ? `${countOf(listed, 'more record')} listed: ${countOf(waiting, 'record waits', 'records wait')} for a decision.` : `No more records are due. ${countOf(waiting, 'record waits', 'records wait')} for a decision.` };
    return reply.redirect('/governance/retention');
  });

  app.get<{ Params: { reviewId: string } }>('/governance/retention/:reviewId', async (request, reply) => {
    const row = await openRetentionReview(request.ctx(), request.params.reviewId);
    return renderDecision(reply, row, { decision: '', keepYears: '', reason: '' });
  });

  app.post<{ Params: { reviewId: string } }>('/governance/retention/:reviewId', async (request, reply) => {
    const ctx = request.ctx();
    if (!mayReviewRetention(ctx)) throw new ForbiddenError();
    const body = formBody(request.body);
    const values = { decision: asString(body.decision), keepYears: asString(body.keepYears), reason: asString(body.reason) };
    try {
      const { review, person } = await decideRetention(ctx, request.params.reviewId, asVersion(body.version), values);
      request.session.flash = {
        type: 'success',
        text: review.decision === 'keep' ? `${person.givenName} ${person.familyName}’s record will be kept until ${govukDate(review.keepUntil)}.` : `${person.givenName} ${person.familyName}’s record is marked for destruction. Aftercare has not deleted it: destroy it under your organisation’s records procedure.`,
      };
      return await reply.redirect('/governance/retention');
    } catch (error) {
      if (error instanceof InputError) return renderDecision(reply, await openRetentionReview(ctx, request.params.reviewId), values, error);
      throw error;
    }
  });
}
