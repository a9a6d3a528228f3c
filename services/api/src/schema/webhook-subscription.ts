/**
 * Webhooks (issue 15): PLATFORM and BUSINESS callers manage their own webhook subscriptions
 * (OFFICER and ADMIN see and manage all), list deliveries and redeliver; `webhookEvents` streams
 * the same events live over Server-Sent Events for the caller's watch lists. Core decides
 * everything (who owns what, the checks of the endpoint and of the watch list); this file maps.
 * Another caller's subscription is NOT_FOUND, never FORBIDDEN.
 */
import { z } from 'zod';
import { MAX_WATCHED_ACCOUNTS, WEBHOOK_EVENT_TYPES, type WebhookDeliveryView, type WebhookEventPayload, type WebhookSubscriptionView } from '@trust-alliance/core';
import { WebhookDeliveryStatus, WebhookSubscriptionStatus } from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';

const WebhookSubscriptionStatusEnum = builder.enumType(WebhookSubscriptionStatus, {
  name: 'WebhookSubscriptionStatus',
  description: 'ACTIVE sends; PAUSED was paused by its owner; PAUSED_FAILING was paused by the registry after a delivery kept failing (see statusReason).',
});
const WebhookDeliveryStatusEnum = builder.enumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus', description: 'PENDING (to send or retry), DELIVERED (2xx), FAILED (gave up).' });

const WebhookDeliveryRef = builder.objectRef<WebhookDeliveryView>('WebhookDelivery').implement({
  description: 'One event sent (or to send) to one subscription.',
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'Also the `webhook-id` header: duplicates carry the same one.' }),
    eventType: t.exposeString('eventType'),
    eventAt: t.field({ type: 'DateTime', resolve: (d) => d.eventAt }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.nextAttemptAt }),
    lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastAttemptAt }),
    lastStatusCode: t.int({ nullable: true, resolve: (d) => d.lastStatusCode }),
    lastError: t.string({ nullable: true, resolve: (d) => d.lastError }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.deliveredAt }),
  }),
});

const WebhookSubscriptionRef = builder.objectRef<WebhookSubscriptionView>('WebhookSubscription').implement({
  description: 'Where to send which events about which accounts. The signing secret is shown only when created or rotated.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    eventTypes: t.stringList({ resolve: (s) => s.eventTypes }),
    allAccounts: t.exposeBoolean('allAccounts'),
    watchedAccounts: t.exposeInt('watchedAccounts', { description: 'How many accounts the watch list holds.' }),
    status: t.field({ type: WebhookSubscriptionStatusEnum, resolve: (s) => s.status }),
    statusReason: t.string({ nullable: true, resolve: (s) => s.statusReason }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (s) => s.updatedAt }),
    deliveries: t.field({
      type: [WebhookDeliveryRef],
      description: 'The latest deliveries, newest event first.',
      args: { first: t.arg.int({ required: false, description: '1 to 500 (default 50).' }), status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }) },
      resolve: (s, args, ctx) => ctx.registry.listWebhookDeliveries({ id: s.id, first: args.first ?? null, status: args.status ?? null }, ctx.actor),
    }),
  }),
});

builder.queryField('webhookEventTypes', (t) =>
  t.stringList({ description: 'Every event type a subscription may ask for.', authScopes: { public: true }, resolve: () => [...WEBHOOK_EVENT_TYPES] }),
);

builder.queryField('webhookSubscriptions', (t) =>
  t.field({
    type: [WebhookSubscriptionRef],
    description: "The caller's subscriptions (OFFICER and ADMIN: everyone's), newest first.",
    authScopes: { bulkVerify: true },
    resolve: (_root, _args, ctx) => ctx.registry.listWebhookSubscriptions(ctx.actor),
  }),
);

builder.queryField('webhookSubscription', (t) =>
  t.field({
    type: WebhookSubscriptionRef,
    nullable: true,
    description: 'One subscription of the caller (null when there is none by that id for the caller).',
    authScopes: { bulkVerify: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      try {
        return await ctx.registry.getWebhookSubscription(id, ctx.actor);
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_FOUND') return null;
        throw error;
      }
    },
  }),
);

const CreateWebhookSubscriptionInput = builder.inputType('CreateWebhookSubscriptionInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'https, resolving to public addresses only.', validate: z.string().max(2048) }),
    eventTypes: t.stringList({ required: true, description: 'See webhookEventTypes.', validate: z.array(z.string()).min(1).max(WEBHOOK_EVENT_TYPES.length) }),
    accounts: t.stringList({ required: false, description: `Accounts to watch: any URL or handle, normalized like verify (at most ${MAX_WATCHED_ACCOUNTS.toLocaleString('en')}). Omit with allAccounts.`, validate: z.array(z.string()).max(MAX_WATCHED_ACCOUNTS) }),
    allAccounts: t.boolean({ required: false, description: 'Every account instead of a watch list.' }),
  }),
});

const SubscriptionWithSecret = builder.objectRef<{ subscription: WebhookSubscriptionView; secret: string }>('WebhookSubscriptionSecretPayload').implement({
  fields: (t) => ({
    subscription: t.field({ type: WebhookSubscriptionRef, resolve: (p) => p.subscription }),
    secret: t.exposeString('secret', { description: 'The Standard Webhooks secret (whsec_…): shown this once; keep it to check `webhook-signature`.' }),
  }),
});
const SubscriptionPayload = builder.objectRef<{ subscription: WebhookSubscriptionView }>('WebhookSubscriptionPayload').implement({
  fields: (t) => ({ subscription: t.field({ type: WebhookSubscriptionRef, resolve: (p) => p.subscription }) }),
});

lifecycleMutation('createWebhookSubscription', {
  description: 'Subscribes an https endpoint to events about a watch list (or every account). PLATFORM, BUSINESS, OFFICER or ADMIN; the subscription belongs to the token subject. A retry with the same idempotencyKey returns the same subscription and secret.',
  input: CreateWebhookSubscriptionInput,
  payload: SubscriptionWithSecret,
  authScopes: { bulkVerify: true },
  run: (input, ctx) => ctx.registry.createWebhookSubscription({ url: input.url, eventTypes: input.eventTypes, accounts: input.accounts ?? null, allAccounts: input.allAccounts ?? null }, ctx.actor),
});

lifecycleMutation('pauseWebhookSubscription', {
  description: 'Stops sending; events keep queuing and are sent on resume.',
  payload: SubscriptionPayload,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({ id: t.id({ required: true }) }),
  run: async ({ id }, ctx) => ({ subscription: await ctx.registry.pauseWebhookSubscription(id, ctx.actor) }),
});

lifecycleMutation('resumeWebhookSubscription', {
  description: 'Sends again, starting with what queued while paused.',
  payload: SubscriptionPayload,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({ id: t.id({ required: true }) }),
  run: async ({ id }, ctx) => ({ subscription: await ctx.registry.resumeWebhookSubscription(id, ctx.actor) }),
});

lifecycleMutation('rotateWebhookSecret', {
  description: 'A new signing secret (returned once; a retry with the same idempotencyKey returns the same one); deliveries carry signatures with the old one too for 24 hours.',
  payload: SubscriptionWithSecret,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({ id: t.id({ required: true }) }),
  run: ({ id }, ctx) => ctx.registry.rotateWebhookSecret(id, ctx.actor),
});

lifecycleMutation('changeWebhookWatchList', {
  description: 'Adds and removes watched accounts (any URL or handle).',
  payload: SubscriptionPayload,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({
    id: t.id({ required: true }),
    add: t.stringList({ required: false, validate: z.array(z.string()).max(MAX_WATCHED_ACCOUNTS) }),
    remove: t.stringList({ required: false, validate: z.array(z.string()).max(MAX_WATCHED_ACCOUNTS) }),
  }),
  run: async ({ id, add, remove }, ctx) => ({ subscription: await ctx.registry.changeWebhookWatchList({ id, add: add ?? null, remove: remove ?? null }, ctx.actor) }),
});

const DeletedPayload = builder.objectRef<{ id: string }>('DeleteWebhookSubscriptionPayload').implement({ fields: (t) => ({ id: t.exposeID('id') }) });
lifecycleMutation('deleteWebhookSubscription', {
  description: 'Deletes the subscription with its watch list and deliveries.',
  payload: DeletedPayload,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({ id: t.id({ required: true }) }),
  run: async ({ id }, ctx) => {
    await ctx.registry.deleteWebhookSubscription(id, ctx.actor);
    return { id };
  },
});

const RedeliverPayload = builder.objectRef<{ queued: number }>('RedeliverWebhooksPayload').implement({ fields: (t) => ({ queued: t.exposeInt('queued') }) });
lifecycleMutation('redeliverWebhooks', {
  description: 'Sends again one event (eventId) or every event of a time range (from, to) that reached the subscription, in order, with the same webhook-id.',
  payload: RedeliverPayload,
  authScopes: { bulkVerify: true },
  idempotent: true,
  args: (t) => ({
    id: t.id({ required: true }),
    eventId: t.string({ required: false, validate: z.string().max(100) }),
    from: t({ type: 'DateTime', required: false }),
    to: t({ type: 'DateTime', required: false }),
  }),
  run: async (args, ctx) => ({ queued: await ctx.registry.redeliverWebhooks({ id: args.id, eventId: args.eventId ?? null, from: args.from ?? null, to: args.to ?? null }, ctx.actor) }),
});

// Live view ----------------------------------------------------------------------------------

const WebhookEventRef = builder.objectRef<WebhookEventPayload>('WebhookEvent').implement({
  description: 'An event as webhooks deliver it: the accounts concerned with the registry\'s answer now; nothing personal.',
  fields: (t) => ({
    id: t.exposeString('id'),
    type: t.exposeString('type'),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => new Date(e.timestamp) }),
    data: t.field({ type: 'JSON', resolve: (e) => e.data }),
  }),
});

builder.subscriptionType({});
builder.subscriptionField('webhookEvents', (t) =>
  t.field({
    type: WebhookEventRef,
    description: "Events for the caller's watch lists as they happen (over Server-Sent Events: POST /graphql with Accept: text/event-stream). PLATFORM, BUSINESS, OFFICER or ADMIN.",
    authScopes: { bulkVerify: true },
    args: { subscriptionId: t.arg.id({ required: false, description: 'Only this subscription\'s events (default: every subscription of the caller).' }) },
    subscribe: (_root, { subscriptionId }, ctx) => ctx.registry.liveWebhookEvents(ctx.actor, { subscriptionId: subscriptionId ?? null }),
    resolve: (event) => event,
  }),
);
