import type { FastifyInstance, FastifyReply } from 'fastify';
import { InputError } from '../../platform/errors/errors.ts';
import { asArray, asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors } from '../../platform/http/validation.ts';
import { countOf } from '../../platform/plain-language.ts';
import { webhookEventLabels, webhookEventTypes } from '../../platform/webhooks/events.ts';
import { assertCanManageFeeds, downloadFinanceFile, listFinanceFiles, produceFinanceFileNow } from './finance.service.ts';
import { createSubscription, deliveryLog, listSubscriptions, setSubscriptionActive } from './webhooks.service.ts';

/*
 * Feeds to finance and case systems (issue 14, item 5), for administrators of the lead
 * organisation: the daily finance files (download audited), webhook subscriptions (the secret
 * shown once) and the delivery log. Permission is asked first on every route.
 */

const v = (name: string) => `modules/feeds/views/${name}.njk`;

const statusLabels: Record<string, string> = { pending: 'Waiting to be sent', sent: 'Delivered', failed: 'Failed' };
const eventItems = (chosen: string[]) => webhookEventTypes.map((t) => ({ value: t, text: webhookEventLabels[t], hint: { text: t }, checked: chosen.includes(t) }));
const breadcrumbs = [
  { text: 'Administration', href: '/admin' },
  { text: 'Finance and case-system feeds', href: '/admin/feeds' },
];

function renderNew(reply: FastifyReply, values: { name: string; url: string; eventTypes: string[] }, errors?: InputError) {
  if (errors) reply.status(422);
  return reply.render(v('subscription-new'), { title: 'Add a webhook subscription', values, eventItems: eventItems(values.eventTypes), breadcrumbs, errors: errors ? toGovukErrors(errors.issues, { eventTypes: 'eventTypes' }) : undefined });
}

export function feedsRoutes(app: FastifyInstance): void {
  app.get('/admin/feeds', async (request, reply) => {
    const ctx = request.ctx();
    const [files, subscriptions] = [await listFinanceFiles(ctx), await listSubscriptions(ctx)];
    return reply.render(v('feeds'), {
      title: 'Finance and case-system feeds',
      files,
      subscriptions: subscriptions.map((s) => ({ ...s, events: s.eventTypes.map((t) => webhookEventLabels[t as keyof typeof webhookEventLabels] ?? t) })),
      breadcrumbs: breadcrumbs.slice(0, 1),
    });
  });

  app.get<{ Params: { id: string } }>('/admin/feeds/finance/:id', async (request, reply) => {
    const file = await downloadFinanceFile(request.ctx(), request.params.id);
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${file.filename}"`).header('Cache-Control', 'no-store');
    return reply.send(file.content);
  });

  app.post('/admin/feeds/finance', async (request, reply) => {
    const { stored, file } = await produceFinanceFileNow(request.ctx());
    request.session.flash = { type: 'success', text: stored ? `Today’s finance file has been made: ${countOf(file.rows, 'row')} for ${countOf(file.people, 'person', 'people')}.` : 'Today’s finance file had already been made: it is in the list below.' };
    return reply.redirect('/admin/feeds');
  });

  app.get('/admin/feeds/webhooks/new', async (request, reply) => {
    assertCanManageFeeds(request.ctx());
    return renderNew(reply, { name: '', url: '', eventTypes: [...webhookEventTypes] });
  });

  app.post('/admin/feeds/webhooks/new', async (request, reply) => {
    const ctx = request.ctx();
    assertCanManageFeeds(ctx);
    const body = formBody(request.body);
    const values = { name: asString(body.name), url: asString(body.url), eventTypes: asArray(body.eventTypes) };
    try {
      const { subscription, secret } = await createSubscription(ctx, { name: values.name, url: values.url, eventTypes: values.eventTypes.length ? values.eventTypes : undefined });
      // The secret is shown on this page only (not after a redirect, not stored in clear): never cached.
      reply.header('Cache-Control', 'no-store');
      return await reply.render(v('subscription-created'), { title: 'Webhook subscription added', subscription, secret, breadcrumbs });
    } catch (error) {
      if (error instanceof InputError) return renderNew(reply, values, error);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/feeds/webhooks/:id/active', async (request, reply) => {
    const ctx = request.ctx();
    assertCanManageFeeds(ctx);
    const body = formBody(request.body);
    const active = asString(body.active) === 'true';
    const updated = await setSubscriptionActive(ctx, request.params.id, asVersion(body.version), active);
    request.session.flash = { type: 'success', text: active ? `${updated.name} will be sent events again.` : `${updated.name} has been turned off: nothing more will be sent to it.` };
    return reply.redirect('/admin/feeds');
  });

  app.get('/admin/feeds/webhooks/deliveries', async (request, reply) => {
    const deliveries = await deliveryLog(request.ctx());
    return reply.render(v('deliveries'), {
      title: 'Webhook delivery log',
      deliveries: deliveries.map((d) => ({ ...d, statusText: statusLabels[d.status] ?? d.status, eventLabel: webhookEventLabels[d.eventType as keyof typeof webhookEventLabels] ?? d.eventType })),
      breadcrumbs,
    });
  });
}
