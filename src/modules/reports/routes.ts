/**
 * Scheduled report pages (issue 7, item 7) and the download of a notification's attachment.
 * Thin: each handler reads the form, calls schedules.service.ts and renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FIRST_DAY, LAST_DAY } from '../../domain/report-schedule.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { scheduleAccess } from '../../platform/access/policy.ts';
import { loadRegisterOptions } from '../register/index.ts';
import { describeQuery, queryFromSearch, reportSourceLabels, reportSources, searchOf, toReportQuery, type ReportSource } from './report-build.ts';
import {
  assertCanSchedule,
  createSchedule,
  deleteSchedule,
  getScheduleFor,
  listSchedules,
  notificationAttachment,
  recipientChoices,
  setScheduleActive,
  updateSchedule,
  type ScheduleInput,
  type ScheduleRow,
} from './schedules.service.ts';

const v = (name: string) => `modules/reports/views/${name}.njk`;

const isSource = (s: string): s is ReportSource => (reportSources as readonly string[]).includes(s);

function formValues(body: FormBody): ScheduleInput {
  return {
    name: asString(body.name),
    source: asString(body.source),
    query: asString(body.query),
    recipientUserIds: asArray(body.recipientUserIds),
    dayOfMonth: asString(body.dayOfMonth),
  };
}

const fieldIds: Record<string, string> = { recipientUserIds: 'recipientUserIds', source: 'source', query: 'query-summary' };

async function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  values: { name: string; source: string; query: string; recipientUserIds: string[]; dayOfMonth: string },
  mode: { kind: 'new' } | { kind: 'edit'; schedule: ScheduleRow },
  errors?: unknown,
) {
  const ctx = request.ctx();
  const [recipients, options] = await Promise.all([recipientChoices(ctx), loadRegisterOptions(ctx)]);
  const source = isSource(values.source) ? values.source : null;
  return reply.render(v('schedule-form'), {
    title: mode.kind === 'new' ? 'Set up a monthly report' : `Change “${mode.schedule.name}”`,
    mode: mode.kind,
    action: mode.kind === 'new' ? '/reports/schedules/new' : `/reports/schedules/${mode.schedule.id}/edit`,
    version: mode.kind === 'edit' ? mode.schedule.version : null,
    values,
    source,
    sourceLabel: source ? reportSourceLabels[source] : null,
    filters: source ? describeQuery(source, queryFromSearch(values.query), options) : null,
    sourceItems: reportSources.map((s) => ({ value: s, text: reportSourceLabels[s], checked: values.source === s })),
    recipientItems: recipients.map((r) => ({ value: r.id, text: r.name, hint: { text: r.organisations }, checked: values.recipientUserIds.includes(r.id) })),
    firstDay: FIRST_DAY,
    lastDay: LAST_DAY,
    errors,
  });
}

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

const idParam = z.object({ id: z.string() });

export function reportsRoutes(app: FastifyInstance): void {
  app.get('/reports/schedules', async (request, reply) => {
    const ctx = request.ctx();
    const [rows, recipients, options] = await Promise.all([listSchedules(ctx), recipientChoices(ctx), loadRegisterOptions(ctx)]);
    const names = new Map(recipients.map((r) => [r.id, r.name]));
    return reply.render(v('schedules'), {
      title: 'Scheduled reports',
      schedules: rows.map((s) => {
        const source = isSource(s.source) ? s.source : null;
        return {
          ...s,
          // Others' schedules are listed without their controls (issue 12, finding 4).
          may: scheduleAccess(ctx.actor, s),
          sourceLabel: source ? reportSourceLabels[source] : s.source,
          filters: source ? describeQuery(source, toReportQuery(s.query), options) : '',
          recipients: s.recipientUserIds.map((id) => names.get(id) ?? 'A user who can no longer receive it').join(', '),
        };
      }),
    });
  });

  app.get<{ Querystring: Record<string, string | string[]> }>('/reports/schedules/new', async (request, reply) => {
    const ctx = request.ctx();
    assertCanSchedule(ctx);
    const raw = { ...request.query };
    const source = asString(raw.source);
    delete raw.source;
    const query = searchOf(toReportQuery(raw));
    const options = await loadRegisterOptions(ctx);
    const name = isSource(source) ? `${reportSourceLabels[source]}${query ? `: ${describeQuery(source, queryFromSearch(query), options)}` : ''}`.slice(0, 120) : '';
    return renderForm(request, reply, { name, source, query, recipientUserIds: ctx.actor.userId ? [ctx.actor.userId] : [], dayOfMonth: '1' }, { kind: 'new' });
  });

  app.post('/reports/schedules/new', async (request, reply) => {
    const ctx = request.ctx();
    assertCanSchedule(ctx);
    const body = formBody(request.body);
    const values = formValues(body);
    try {
      const created = await createSchedule(ctx, values);
      request.session.flash = { type: 'success', text: `“${created.name}” will be sent on day ${created.dayOfMonth} of each month, first on ${created.nextRunOn}.` };
      return await reply.redirect('/reports/schedules');
    } catch (error) {
      return renderForm(request, reply, { ...values, query: asString(body.query) }, { kind: 'new' }, errorsOf(error));
    }
  });

  app.get('/reports/schedules/:id/edit', async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const s = await getScheduleFor(request.ctx(), id, 'change');
    return renderForm(request, reply, { name: s.name, source: s.source, query: searchOf(toReportQuery(s.query)), recipientUserIds: s.recipientUserIds, dayOfMonth: String(s.dayOfMonth) }, { kind: 'edit', schedule: s });
  });

  app.post('/reports/schedules/:id/edit', async (request, reply) => {
    const ctx = request.ctx();
    const { id } = idParam.parse(request.params);
    const s = await getScheduleFor(ctx, id, 'change');
    const body = formBody(request.body);
    const values = { ...formValues(body), source: s.source };
    try {
      const saved = await updateSchedule(ctx, id, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: `“${saved.name}” has been changed.` };
      return await reply.redirect('/reports/schedules');
    } catch (error) {
      return renderForm(request, reply, { ...values, query: asString(body.query) }, { kind: 'edit', schedule: s }, errorsOf(error));
    }
  });

  for (const [path, active] of [
    ['pause', false],
    ['resume', true],
  ] as const) {
    app.post(`/reports/schedules/:id/${path}`, async (request, reply) => {
      const ctx = request.ctx();
      const { id } = idParam.parse(request.params);
      const saved = await setScheduleActive(ctx, id, asVersion(formBody(request.body).version), active);
      request.session.flash = { type: 'success', text: active ? `“${saved.name}” has been resumed: next sent on ${saved.nextRunOn}.` : `“${saved.name}” has been paused. Nothing will be sent until it is resumed.` };
      return reply.redirect('/reports/schedules');
    });
  }

  app.get('/reports/schedules/:id/delete', async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const s = await getScheduleFor(request.ctx(), id, 'stop');
    return reply.render(v('delete'), { title: `Delete “${s.name}”`, s });
  });

  app.post('/reports/schedules/:id/delete', async (request, reply) => {
    const ctx = request.ctx();
    const { id } = idParam.parse(request.params);
    const deleted = await deleteSchedule(ctx, id, asVersion(formBody(request.body).version));
    request.session.flash = { type: 'success', text: `“${deleted.name}” has been deleted. Nothing more will be sent.` };
    return reply.redirect('/reports/schedules');
  });

  // A notification's attachment: only its own recipient can download it.
  app.get('/notifications/:id/attachment', async (request, reply) => {
    const ctx = request.ctx();
    const { id } = idParam.parse(request.params);
    const file = await notificationAttachment(ctx, id);
    if (!file) throw new NotFoundError('Attachment not found');
    const safeName = file.name.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .header('Content-Type', file.type)
      .header('Content-Disposition', `attachment; filename="${safeName}"`)
      .header('Cache-Control', 'no-store')
      .send(file.content);
  });
}

