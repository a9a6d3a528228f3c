/**
 * Webhook subscriptions through GraphQL (issue 15): the owner manages its own, another caller
 * sees nothing of them, OFFICER sees all; core's refusals arrive as typed results; the live
 * `webhookEvents` subscription streams over Server-Sent Events the caller's events only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createVerifiedMember, registryInternals } from '@trust-alliance/core/testing';
import { openTestServer, type TestServer } from './helpers.ts';
import { startReceiver } from '../../packages/core/test/webhooks/receiver.ts';

const A = { role: 'PLATFORM', subject: 'platform-a' } as const;
const B = { role: 'BUSINESS', subject: 'business-b' } as const;
let t: TestServer;
let n = 0;

beforeAll(async () => {
  t = await openTestServer({ registry: { webhooks: { allowLoopback: true } } });
});
afterAll(() => t?.close());

async function member() {
  n += 1;
  const url = `https://www.facebook.com/webhookapi${Date.now().toString(36)}${n}`;
  const { badge } = await createVerifiedMember(t.registry, { accounts: [url] });
  return { url, badgeId: badge.id };
}

const CREATE = `mutation ($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    __typename
    ... on WebhookSubscriptionSecretPayload { secret subscription { id url eventTypes watchedAccounts status } }
    ... on Error { code field message }
  }
}`;

describe('managing subscriptions', () => {
  it('creates, lists, pauses, resumes, rotates and deletes for the owner only', async () => {
    const { url } = await member();
    const created = await t.gql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.suspended', 'badge.revoked'], accounts: [url, url.toUpperCase().replace('HTTPS://WWW.FACEBOOK.COM', 'https://m.facebook.com')] } }, A);
    expect(created.errors).toBeUndefined();
    const payload = created.data!.createWebhookSubscription;
    expect(payload.__typename).toBe('WebhookSubscriptionSecretPayload');
    expect(payload.secret).toMatch(/^whsec_/);
    // Two spellings of one account: one watched key.
    expect(payload.subscription).toMatchObject({ eventTypes: ['badge.suspended', 'badge.revoked'], watchedAccounts: 1, status: 'ACTIVE' });
    const id = payload.subscription.id as string;

    const mine = await t.gql('{ webhookSubscriptions { id } }', {}, A);
    expect(mine.data!.webhookSubscriptions.map((s: { id: string }) => s.id)).toContain(id);
    const theirs = await t.gql('{ webhookSubscriptions { id } }', {}, B);
    expect(theirs.data!.webhookSubscriptions).toEqual([]);
    expect((await t.gql('query ($id: ID!) { webhookSubscription(id: $id) { id } }', { id }, B)).data!.webhookSubscription).toBeNull();
    const officer = await t.gql('{ webhookSubscriptions { id } }', {}, 'OFFICER');
    expect(officer.data!.webhookSubscriptions.map((s: { id: string }) => s.id)).toContain(id);

    const PAUSE = 'mutation ($id: ID!) { pauseWebhookSubscription(id: $id) { __typename ... on WebhookSubscriptionPayload { subscription { status statusReason } } ... on Error { code } } }';
    expect((await t.gql(PAUSE, { id }, B)).data!.pauseWebhookSubscription).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect((await t.gql(PAUSE, { id }, A)).data!.pauseWebhookSubscription.subscription.status).toBe('PAUSED');
    const resumed = await t.gql('mutation ($id: ID!) { resumeWebhookSubscription(id: $id) { ... on WebhookSubscriptionPayload { subscription { status } } } }', { id }, A);
    expect(resumed.data!.resumeWebhookSubscription.subscription.status).toBe('ACTIVE');
    const rotated = await t.gql('mutation ($id: ID!) { rotateWebhookSecret(id: $id) { ... on WebhookSubscriptionSecretPayload { secret } } }', { id }, A);
    expect(rotated.data!.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.data!.rotateWebhookSecret.secret).not.toBe(payload.secret);
    const changed = await t.gql('mutation ($id: ID!, $add: [String!]) { changeWebhookWatchList(id: $id, add: $add) { ... on WebhookSubscriptionPayload { subscription { watchedAccounts } } } }', { id, add: ['https://www.tiktok.com/@someone.else'] }, A);
    expect(changed.data!.changeWebhookWatchList.subscription.watchedAccounts).toBe(2);
    const DELETE = 'mutation ($id: ID!) { deleteWebhookSubscription(id: $id) { __typename ... on DeleteWebhookSubscriptionPayload { id } ... on Error { code } } }';
    expect((await t.gql(DELETE, { id }, B)).data!.deleteWebhookSubscription.code).toBe('NOT_FOUND');
    expect((await t.gql(DELETE, { id }, A)).data!.deleteWebhookSubscription).toEqual({ __typename: 'DeleteWebhookSubscriptionPayload', id });
  });

  it('a retried create or rotation with the same idempotency key gets the same subscription and secret, kept sealed at rest', async () => {
    const { url } = await member();
    const CREATE_KEYED = CREATE.replace('($input: CreateWebhookSubscriptionInput!)', '($input: CreateWebhookSubscriptionInput!, $key: String)').replace('(input: $input)', '(input: $input, idempotencyKey: $key)');
    const input = { url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.revoked'], accounts: [url] };
    const key = `create-${Date.now()}`;
    const first = (await t.gql(CREATE_KEYED, { input, key }, A)).data!.createWebhookSubscription;
    const again = (await t.gql(CREATE_KEYED, { input, key }, A)).data!.createWebhookSubscription;
    expect(first.__typename).toBe('WebhookSubscriptionSecretPayload');
    expect(again.subscription.id).toBe(first.subscription.id);
    expect(again.secret).toBe(first.secret);
    const mine = (await t.gql('{ webhookSubscriptions { id } }', {}, A)).data!.webhookSubscriptions.filter((s: { id: string }) => s.id === first.subscription.id);
    expect(mine).toHaveLength(1);
    // The same key with other input is refused; another caller's same key is its own.
    const other = (await t.gql(CREATE_KEYED, { input: { ...input, eventTypes: ['badge.issued'] }, key }, A)).data!.createWebhookSubscription;
    expect(other).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const theirs = (await t.gql(CREATE_KEYED, { input, key }, B)).data!.createWebhookSubscription;
    expect(theirs.subscription.id).not.toBe(first.subscription.id);

    const ROTATE = 'mutation ($id: ID!, $key: String) { rotateWebhookSecret(id: $id, idempotencyKey: $key) { __typename ... on WebhookSubscriptionSecretPayload { secret } ... on Error { code } } }';
    const id = first.subscription.id as string;
    const rotated = (await t.gql(ROTATE, { id, key: 'rotate-1' }, A)).data!.rotateWebhookSecret.secret as string;
    expect((await t.gql(ROTATE, { id, key: 'rotate-1' }, A)).data!.rotateWebhookSecret.secret).toBe(rotated);
    expect(rotated).not.toBe(first.secret);
    const next = (await t.gql(ROTATE, { id, key: 'rotate-2' }, A)).data!.rotateWebhookSecret.secret as string;
    expect(next).not.toBe(rotated);

    // No secret is readable in the stored results of the keys.
    const stored = JSON.stringify(await registryInternals(t.registry).db.prisma.idempotencyRecord.findMany());
    for (const secret of [first.secret, rotated, next]) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice('whsec_'.length));
    }
  });

  it('answers core\'s refusals as typed results, and refuses roles that may not subscribe', async () => {
    const unsafe = await t.gql(CREATE, { input: { url: 'https://169.254.169.254/latest', eventTypes: ['badge.revoked'], allAccounts: true } }, A);
    expect(unsafe.data!.createWebhookSubscription).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'url' });
    const badType = await t.gql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.exploded'], allAccounts: true } }, A);
    expect(badType.data!.createWebhookSubscription).toMatchObject({ __typename: 'ValidationError', field: 'eventTypes.0' });
    for (const as of [undefined, 'MEMBER'] as const) {
      const refused = await t.gql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.revoked'], allAccounts: true } }, as);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

/** Reads SSE `data:` lines of one GraphQL subscription until `count` events came or time ran out. */
async function sse(query: string, as: { role: string; subject: string }, signal: AbortSignal) {
  const token = await t.token(as.role as never, as.subject);
  const res = await fetch(`${t.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
    signal,
  });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: Array<{ data?: { webhookEvents: { type: string; data: { accounts: Array<{ key: string; status: string }> } } }; errors?: unknown }> = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
          if (data) events.push(JSON.parse(data));
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, done };
}

describe('live events over Server-Sent Events', () => {
  it('streams the caller\'s events and not another subscriber\'s', async () => {
    const a = await member();
    const b = await member();
    for (const [who, account] of [[A, a], [B, b]] as const) {
      const r = await t.gql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.suspended'], accounts: [account.url] } }, who);
      expect(r.data!.createWebhookSubscription.__typename).toBe('WebhookSubscriptionSecretPayload');
    }
    const abort = new AbortController();
    const QUERY = 'subscription { webhookEvents { id type timestamp data } }';
    const streamA = await sse(QUERY, A, abort.signal);
    const streamB = await sse(QUERY, B, abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await t.registry.suspendBadge({ badgeId: a.badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
    await expect.poll(() => streamA.events.length, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    abort.abort();
    await Promise.all([streamA.done, streamB.done]);
    expect(streamA.events[0]!.data!.webhookEvents).toMatchObject({ type: 'badge.suspended', data: { accounts: [{ status: 'SUSPENDED' }] } });
    expect(streamB.events).toEqual([]);
  });

  it('refuses the live view without a suitable token', async () => {
    const abort = new AbortController();
    const stream = await sse('subscription { webhookEvents { id } }', { role: 'MEMBER', subject: 'some-member' }, abort.signal);
    await expect.poll(() => stream.events.length, { timeout: 5_000 }).toBe(1);
    abort.abort();
    expect((stream.events[0]!.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('FORBIDDEN');
  });
});

describe('end to end: subscribe, receive, verify', () => {
  it('a platform subscribes through GraphQL and checks what it receives with standardwebhooks', async () => {
    const { url, badgeId } = await member();
    const receiver = await startReceiver();
    const worker = t.registry.startWebhookDelivery({ pollMs: 50 });
    try {
      const created = await t.gql(CREATE, { input: { url: receiver.url, eventTypes: ['badge.revoked'], accounts: [url] } }, A);
      const { secret } = created.data!.createWebhookSubscription;
      await t.registry.revokeBadge({ badgeId, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION', reasonPrivate: 'private words' });
      const [got] = await receiver.waitFor(1);
      const event = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; data: { accounts: Array<{ status: string; reason: { code: string } }> } };
      expect(event.type).toBe('badge.revoked');
      expect(event.data.accounts[0]).toMatchObject({ status: 'REVOKED', reason: { code: 'BADGE_REVOKED' } });
      expect(got!.body).not.toContain('private words');
      const deliveries = await t.gql(`query { webhookSubscriptions { deliveries { eventId status attempts lastStatusCode } } }`, {}, A);
      await expect.poll(async () => (await t.gql(`query ($id: ID!) { webhookSubscription(id: $id) { deliveries { status } } }`, { id: created.data!.createWebhookSubscription.subscription.id }, A)).data!.webhookSubscription.deliveries[0].status).toBe('DELIVERED');
      expect(deliveries.errors).toBeUndefined();
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });
});
