/**
 * "Waiting for you" (issue 13): the queue page, a task's page, and the task actions (complete,
 * hand on, put aside), one task or several ticked at once. Thin: each handler reads the form,
 * calls the service and renders or redirects; every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError, type FieldIssue } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import {
  assigneeChoices,
  assertUser,
  completeTasks,
  openTask,
  parseTaskRefs,
  parseWaitingQuery,
  reassignTasks,
  snoozeTasks,
  unsnoozeTask,
  waitingForYou,
  waitingKindLabels,
  waitingKinds,
  type WaitingQuery,
} from './work.service.ts';

const v = (name: string) => `modules/work/views/${name}.njk`;

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  const issues: FieldIssue[] = error.issues.map((i) => ({ path: i.path, message: i.message }));
  return toGovukErrors(issues, { until: 'until-day', to: 'to', outcome: 'outcome', reason: 'reason', tasks: 'action', action: 'action' });
}

function waitingLink(q: WaitingQuery, change: Partial<WaitingQuery>): string {
  const next = { ...q, ...change };
  const params = new URLSearchParams();
  if (next.kind !== 'all') params.set('kind', next.kind);
  if (next.snoozed) params.set('snoozed', 'yes');
  params.set('sort', next.sort);
  params.set('order', next.order);
  return `/waiting?${params.toString()}`;
}

/** The form's values for the task actions, to refill it after an error. */
function actionValues(body: FormBody | null) {
  return {
    action: body ? asString(body.action) : '',
    outcome: body ? asString(body.outcome) : '',
    to: body ? asString(body.to) : '',
    reason: body ? asString(body.reason) : '',
    until: body ? { day: asString(body['until-day']), month: asString(body['until-month']), year: asString(body['until-year']) } : dateParts(null),
  };
}

async function assigneeItems(request: FastifyRequest, selected: string) {
  const choices = await assigneeChoices(request.ctx());
  return [
    { value: '', text: 'Choose someone or a team', selected: selected === '' },
    ...choices.users.map((u) => ({ value: `user:${u.id}`, text: `${u.name} (${u.organisationName})`, selected: selected === `user:${u.id}` })),
    ...choices.teams.map((t) => ({ value: `team:${t.id}`, text: `Team: ${t.name} (${t.organisationName})`, selected: selected === `team:${t.id}` })),
  ];
}

async function renderQueue(request: FastifyRequest, reply: FastifyReply, body: FormBody | null, errors?: unknown) {
  const ctx = request.ctx();
  assertUser(ctx);
  const q = parseWaitingQuery(request.query as Record<string, unknown>);
  const work = await waitingForYou(ctx, q);
  const values = actionValues(body);
  const ticked = body ? parseTaskRefs(body.tasks).map((r) => r.id) : [];
  const sortLink = (key: WaitingQuery['sort']) => waitingLink(q, { sort: key, order: q.sort === key && q.order === 'asc' ? 'desc' : 'asc' });
  const ariaSort = (key: WaitingQuery['sort']) => (q.sort === key ? (q.order === 'asc' ? 'ascending' : 'descending') : 'none');
  return reply.render(v('waiting'), {
    title: q.snoozed ? 'Tasks put aside' : 'Waiting for you',
    q,
    work,
    values,
    ticked,
    errors,
    hasTasks: work.items.some((i) => i.task !== null),
    assignees: work.items.some((i) => i.task !== null) ? await assigneeItems(request, values.to) : [],
    kindItems: [
      { value: 'all', text: `Everything (${work.total})`, selected: q.kind === 'all' },
      ...waitingKinds.map((k) => ({ value: k, text: `${waitingKindLabels[k]} (${work.counts[k]})`, selected: q.kind === k })),
    ],
    kindLinks: waitingKinds.filter((k) => work.counts[k] > 0).map((k) => ({ text: waitingKindLabels[k], count: work.counts[k], href: waitingLink(q, { kind: k, snoozed: false }) })),
    sortItems: [
      { value: 'due', text: 'Due date', selected: q.sort === 'due' },
      { value: 'age', text: 'How long it has waited', selected: q.sort === 'age' },
      { value: 'name', text: 'Name', selected: q.sort === 'name' },
    ],
    orderItems: [
      { value: 'asc', text: 'Soonest, longest waiting or A first', selected: q.order === 'asc' },
      { value: 'desc', text: 'Latest, newest or Z first', selected: q.order === 'desc' },
    ],
    sortLinks: { due: sortLink('due'), age: sortLink('age'), name: sortLink('name') },
    ariaSort: { due: ariaSort('due'), age: ariaSort('age'), name: ariaSort('name') },
    snoozedLink: waitingLink(q, { snoozed: true, kind: 'task' }),
    queueLink: waitingLink(q, { snoozed: false, kind: 'all' }),
  });
}

async function renderTask(request: FastifyRequest<{ Params: { taskId: string } }>, reply: FastifyReply, body: FormBody | null, errors?: unknown) {
  const ctx = request.ctx();
  const { task, personName } = await openTask(ctx, request.params.taskId);
  const values = actionValues(body);
  return reply.render(v('task'), { title: task.title, task, personName, values, errors, assignees: await assigneeItems(request, values.to), today: ctx.today() });
}

function actionInput(body: FormBody) {
  return { outcome: asString(body.outcome), to: asString(body.to), until: dateFromParts(body, 'until'), reason: asString(body.reason) };
}

const done = (action: string, n: number) => {
  const tasks = n === 1 ? 'The task has' : `${n} tasks have`;
  if (action === 'complete') return `${tasks} been completed.`;
  if (action === 'reassign') return `${tasks} been handed on.`;
  return `${tasks} been put aside.`;
};

async function act(request: FastifyRequest, action: string, refs: Array<{ id: string; version: number }>, body: FormBody): Promise<number> {
  const ctx = request.ctx();
  assertUser(ctx);
  const input = actionInput(body);
  if (action === 'complete') return completeTasks(ctx, refs, input);
  if (action === 'reassign') return reassignTasks(ctx, refs, input);
  if (action === 'snooze') return snoozeTasks(ctx, refs, input);
  throw new InputError([{ path: 'action', message: 'Choose what to do with the selected tasks' }]);
}

export function workRoutes(app: FastifyInstance): void {
  app.get('/waiting', async (request, reply) => renderQueue(request, reply, null));

  // Several tasks at once, ticked in the queue.
  app.post('/waiting/tasks', async (request, reply) => {
    const body = formBody(request.body);
    const action = asString(body.action);
    try {
      const n = await act(request, action, parseTaskRefs(body.tasks), body);
      request.session.flash = { type: 'success', text: done(action, n) };
      return await reply.redirect('/waiting');
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderQueue(request, reply, body, errors);
    }
  });

  app.get<{ Params: { taskId: string } }>('/waiting/tasks/:taskId', async (request, reply) => renderTask(request, reply, null));

  for (const action of ['complete', 'reassign', 'snooze'] as const) {
    app.post<{ Params: { taskId: string } }>(`/waiting/tasks/:taskId/${action}`, async (request, reply) => {
      const body = formBody(request.body);
      try {
        const n = await act(request, action, [{ id: request.params.taskId, version: asVersion(body.version) }], body);
        request.session.flash = { type: 'success', text: done(action, n) };
        return await reply.redirect('/waiting');
      } catch (error) {
        const errors = errorsOf(error);
        reply.status(422);
        return renderTask(request, reply, { ...body, action }, errors);
      }
    });
  }

  app.post<{ Params: { taskId: string } }>('/waiting/tasks/:taskId/bring-back', async (request, reply) => {
    const body = formBody(request.body);
    const ctx = request.ctx();
    assertUser(ctx);
    await unsnoozeTask(ctx, { id: request.params.taskId, version: asVersion(body.version) });
    request.session.flash = { type: 'success', text: 'The task is back in your queue.' };
    return reply.redirect('/waiting');
  });
}
