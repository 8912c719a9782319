import { z } from 'zod';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { webhookEventTypes, type WebhookEventType } from '../../platform/webhooks/events.ts';
import { encryptSecret } from '../../platform/webhooks/secret-box.ts';
import { newWebhookSecret } from '../../platform/webhooks/signing.ts';
import { assertCanManageFeeds } from './finance.service.ts';
import { findAttempts, findDeliveries, findSubscriptions, insertSubscription, setSubscriptionActiveAtVersion, type SubscriptionRow } from './webhooks.queries.ts';

/*
 * Webhook subscriptions (issue 14, item 5; docs/decisions/0012-feeds.md), set up by an
 * administrator of the lead organisation: a name, the receiver's address and the events it
 * wants. The signing secret is made here, shown once, and kept only encrypted. Every change is
 * audited, without the secret.
 */

export interface SubscriptionInput {
  name?: unknown;
  url?: unknown;
  eventTypes?: unknown;
}

function subscriptionSchema(production: boolean) {
  return z.object({
    name: z.string({ error: 'Enter a name for the receiving system' }).trim().min(1, 'Enter a name for the receiving system').max(200, 'Name must be 200 characters or fewer'),
    url: z
      .string({ error: 'Enter the address to send to' })
      .trim()
      .min(1, 'Enter the address to send to')
      .max(2000, 'The address must be 2,000 characters or fewer')
      .refine((v) => URL.canParse(v) && ['https:', 'http:'].includes(new URL(v).protocol), 'Enter the address as a full web address, like https://finance.example.gov.uk/aftercare/webhooks')
      .refine((v) => !production || !URL.canParse(v) || new URL(v).protocol === 'https:', 'The address must start with https:// (deliveries carry personal data)'),
    eventTypes: z
      .array(z.enum(webhookEventTypes, { error: 'Choose events from the list' }), { error: 'Choose at least one event to send' })
      .min(1, 'Choose at least one event to send'),
  });
}

/** A subscription as administrators see it: never its secret. */
export type SubscriptionView = Omit<SubscriptionRow, 'secretEncrypted'>;
const view = ({ secretEncrypted: _secret, ...rest }: SubscriptionRow): SubscriptionView => rest;

/** Add a subscription; returns it and its secret, to be shown once. */
export async function createSubscription(ctx: ServiceContext, input: SubscriptionInput): Promise<{ subscription: SubscriptionView; secret: string }> {
  assertCanManageFeeds(ctx);
  const data = parseInput(subscriptionSchema(ctx.config.env === 'production'), { ...input, eventTypes: input.eventTypes === undefined ? undefined : [input.eventTypes].flat() });
  const secret = newWebhookSecret();
  const created = await ctx.data.transaction(async (tx, audit) => {
    const row = await insertSubscription(tx, {
      partnershipId: ctx.actor.partnershipId,
      name: data.name,
      url: data.url,
      eventTypes: [...new Set(data.eventTypes)] as WebhookEventType[],
      secretEncrypted: encryptSecret(ctx.config.webhookSecretKey, secret),
      createdBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    });
    await audit.change({ action: 'webhook-subscription.created', subjectType: 'webhook-subscription', subjectId: row.id, after: view(row) });
    return row;
  });
  return { subscription: view(created), secret };
}

export async function listSubscriptions(ctx: ServiceContext): Promise<SubscriptionView[]> {
  assertCanManageFeeds(ctx);
  return (await ctx.data.read((q) => findSubscriptions(q, ctx.actor.partnershipId))).map(view);
}

/** Turn a subscription off (nothing more is queued or sent to it) or on again. */
export async function setSubscriptionActive(ctx: ServiceContext, id: string, version: number, active: boolean): Promise<SubscriptionView> {
  assertCanManageFeeds(ctx);
  if (!z.uuid().safeParse(id).success) throw new NotFoundError('There is no such subscription');
  if (!Number.isInteger(version)) throw new InputError([{ path: 'version', message: 'The form is out of date: go back and try again' }]);
  return ctx.data.transaction(async (tx, audit) => {
    const after = expectOneUpdated(await setSubscriptionActiveAtVersion(tx, ctx.actor.partnershipId, id, version, active, ctx.clock.now()));
    await audit.change({ action: active ? 'webhook-subscription.turned-on' : 'webhook-subscription.turned-off', subjectType: 'webhook-subscription', subjectId: id, after: view(after) });
    return view(after);
  });
}

/** The delivery log: each delivery with its attempts (status codes, errors) and next retry. */
export async function deliveryLog(ctx: ServiceContext) {
  assertCanManageFeeds(ctx);
  return ctx.data.read(async (q) => {
    const deliveries = await findDeliveries(q, ctx.actor.partnershipId);
    const attempts = await findAttempts(q, ctx.actor.partnershipId, deliveries.map((d) => d.id));
    return deliveries.map((d) => {
      const { id: eventId } = JSON.parse(d.body) as { id: string };
      return { ...d, eventId, attemptLog: attempts.filter((a) => a.notificationId === d.id) };
    });
  });
}
