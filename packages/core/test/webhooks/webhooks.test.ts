/**
 * Webhooks end to end in core (issue 15), with real receivers on loopback: the outbox written
 * with the change (and not without it), delivery with Standard Webhooks signatures (HMAC and
 * Ed25519 against the published key set), order per subscription, retries on 500 and on
 * timeouts, a receiver down then back, giving up and pausing, redelivery, renames followed,
 * expiry announced once, and no subscriber seeing another's events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { Actor, Registry, DeliveryWorker, DeliveryWorkerOptions } from '../../src/index.ts';
import { createVerifiedMember, openTestRegistry, publishPledgeByAdmins, registryInternals, SAMPLE_PLEDGE, type TestClock, type TestRegistry } from '../../src/testing/index.ts';
import { uniqueFacebookUrl, facebookKey } from '../helpers.ts';
import { startReceiver, type Receiver, type Received } from './receiver.ts';

const PLATFORM_A: Actor = { id: 'platform-a', role: 'PLATFORM' };
const PLATFORM_B: Actor = { id: 'platform-b', role: 'PLATFORM' };
const OFFICER: Actor = { id: 'officer-1', role: 'OFFICER' };
const FAST: DeliveryWorkerOptions = { pollMs: 30, retryBaseMs: 40, retryMaxDelayMs: 150, timeoutMs: 400, leaseMs: 2_000, expiryCheckMs: 50 };

let test: TestRegistry;
let registry: Registry;
let clock: TestClock;
const receivers: Receiver[] = [];
const workers: DeliveryWorker[] = [];

beforeAll(async () => {
  test = await openTestRegistry({ webhooks: { allowLoopback: true } });
  ({ registry, clock } = test);
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(() => test?.close());

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}
function worker(options: DeliveryWorkerOptions = {}) {
  const w = registry.startWebhookDelivery({ ...FAST, ...options });
  workers.push(w);
  return w;
}
async function member() {
  const url = uniqueFacebookUrl('hook');
  const { badge, member: m, accountIds } = await createVerifiedMember(registry, { accounts: [url] });
  return { url, key: facebookKey(url), badgeId: badge.id, memberId: m.id, accountId: accountIds[0]! };
}
const suspend = (badgeId: string) => registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'Nguyễn Văn A, 0901234567, complained' });
const reinstate = (badgeId: string) => registry.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' });

async function verifyAsymmetric(r: Received): Promise<boolean> {
  const sig = String(r.headers['webhook-signature']).split(' ').find((s) => s.startsWith('v1a,'))!.slice(4);
  const jwks = await registry.keys.publicJwks();
  const jwk = jwks.keys.find((k) => k.kid === r.headers['webhook-key-id'])!;
  const key = await crypto.subtle.importKey('jwk', jwk as JsonWebKey, { name: 'Ed25519' }, false, ['verify']);
  const content = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  return crypto.subtle.verify({ name: 'Ed25519' }, key, Buffer.from(sig, 'base64'), new TextEncoder().encode(content));
}

describe('delivery and signatures', () => {
  it('delivers a suspension to the watcher, signed with its secret and with the registry key, with the new answer and nothing personal', async () => {
    const m = await member();
    const r = await receiver();
    const { subscription, secret } = await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended', 'badge.reinstated'], accounts: [m.url] }, PLATFORM_A);
    expect(subscription.watchedAccounts).toBe(1);
    expect(secret).toMatch(/^whsec_/);
    await suspend(m.badgeId);
    worker();
    const [got] = await r.waitFor(1);
    const event = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as Received['event'];
    expect(event.type).toBe('badge.suspended');
    expect(got!.headers['webhook-id']).toBe(event.id);
    expect(event.data.accounts).toEqual([expect.objectContaining({ key: m.key, platform: 'FACEBOOK', status: 'SUSPENDED', reason: { code: 'BADGE_SUSPENDED', category: 'UNDER_INVESTIGATION' } })]);
    expect(await verifyAsymmetric(got!)).toBe(true);
    // Nothing personal: no officer's reason, no names.
    expect(got!.body).not.toMatch(/Nguyễn|0901234567|complained|displayName/);
    // A tampered body fails both checks.
    const tampered = { ...got!, body: got!.body.replace('SUSPENDED', 'VERIFIED') };
    expect(() => new Webhook(secret).verify(tampered.body, got!.headers as Record<string, string>)).toThrow();
    expect(await verifyAsymmetric(tampered)).toBe(false);
    // The receiver answered before the worker recorded it: wait for the record.
    await expect.poll(async () => (await registry.listWebhookDeliveries({ id: subscription.id }, PLATFORM_A))[0]).toMatchObject({ eventId: event.id, status: 'DELIVERED', attempts: 1, lastStatusCode: 200 });
  });

  it('writes nothing for a change that is refused or rolled back', async () => {
    const m = await member();
    await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/x', eventTypes: ['badge.reinstated', 'badge.suspended'], accounts: [m.url] }, PLATFORM_A);
    const prisma = registryInternals(registry).db.prisma;
    const before = await prisma.outboxEvent.count();
    await expect(reinstate(m.badgeId)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await expect(registry.inOneTransaction(async (r) => {
      await r.suspendBadge({ badgeId: m.badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await prisma.outboxEvent.count()).toBe(before);
    expect((await registry.getBadge(m.badgeId))?.status).toBe('ACTIVE');
  });

  it('keeps the order of events per subscription', async () => {
    const m = await member();
    const r = await receiver();
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended', 'badge.reinstated'], accounts: [m.url] }, PLATFORM_A);
    for (let i = 0; i < 10; i++) await (i % 2 === 0 ? suspend(m.badgeId) : reinstate(m.badgeId));
    // Failures on the way must not reorder anything.
    r.behave((_req, n) => (n % 3 === 1 ? 500 : 200));
    worker();
    const got = await r.waitFor(10);
    expect(got.map((g) => g.event.type)).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'badge.suspended' : 'badge.reinstated')));
    expect(new Set(got.map((g) => g.event.id)).size).toBe(10);
  });
});

describe('retries', () => {
  it('retries on 500 and on a timeout, then delivers with the same webhook-id', async () => {
    const m = await member();
    const r = await receiver((_req, n) => (n === 0 ? 500 : n === 1 ? 'hang' : 200));
    const { subscription } = await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended'], accounts: [m.url] }, PLATFORM_A);
    await suspend(m.badgeId);
    worker();
    await r.waitFor(1);
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(1);
    await expect.poll(async () => (await registry.listWebhookDeliveries({ id: subscription.id }, PLATFORM_A))[0]).toMatchObject({ status: 'DELIVERED', attempts: 3 });
  });

  it('waits out a receiver that is down, then delivers everything in order', async () => {
    const m = await member();
    const r = await receiver();
    await r.down();
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended', 'badge.reinstated'], accounts: [m.url] }, PLATFORM_A);
    await suspend(m.badgeId);
    await reinstate(m.badgeId);
    worker();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await r.reopen();
    const got = await r.waitFor(2);
    expect(got.map((g) => g.event.type)).toEqual(['badge.suspended', 'badge.reinstated']);
  });

  it('gives up after the longest age: the delivery FAILED and the subscription paused, saying why; resume sends the rest', async () => {
    const m = await member();
    const r = await receiver(() => 503);
    const { subscription } = await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended', 'badge.reinstated'], accounts: [m.url] }, PLATFORM_A);
    await suspend(m.badgeId);
    await reinstate(m.badgeId);
    const w = worker({ maxAgeMs: 300 });
    await expect.poll(async () => (await registry.getWebhookSubscription(subscription.id, PLATFORM_A)).status, { timeout: 5_000 }).toBe('PAUSED_FAILING');
    await w.stop();
    const view = await registry.getWebhookSubscription(subscription.id, PLATFORM_A);
    expect(view.statusReason).toMatch(/could not be delivered/);
    const deliveries = await registry.listWebhookDeliveries({ id: subscription.id }, PLATFORM_A);
    expect(deliveries.map((d) => d.status)).toEqual(['PENDING', 'FAILED']);
    r.behave(() => 200);
    await registry.resumeWebhookSubscription(subscription.id, PLATFORM_A);
    worker();
    const got = await r.waitFor(1);
    expect(got[0]!.event.type).toBe('badge.reinstated');
    // Redeliver the failed one, then a range.
    expect(await registry.redeliverWebhooks({ id: subscription.id, eventId: deliveries[1]!.eventId }, PLATFORM_A)).toBe(1);
    await r.waitFor(2);
    expect(r.accepted[1]!.event.id).toBe(deliveries[1]!.eventId);
    expect(await registry.redeliverWebhooks({ id: subscription.id, from: new Date(0), to: clock.now() }, PLATFORM_A)).toBe(2);
    await r.waitFor(4);
    expect(r.accepted.slice(2).map((g) => g.event.type)).toEqual(['badge.suspended', 'badge.reinstated']);
  });
});

describe('stopping', () => {
  it('stops at once while a request hangs, leaving the delivery to be sent again', async () => {
    const m = await member();
    const r = await receiver(() => 'hang');
    const { subscription } = await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended'], accounts: [m.url] }, PLATFORM_A);
    await suspend(m.badgeId);
    const w = registry.startWebhookDelivery({ ...FAST, timeoutMs: 30_000 });
    await expect.poll(() => r.received.length, { timeout: 5_000 }).toBe(1);
    const t0 = Date.now();
    await w.stop();
    expect(Date.now() - t0).toBeLessThan(2_000);
    const [d] = await registry.listWebhookDeliveries({ id: subscription.id }, PLATFORM_A);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 0 });
    // Its lease is released: another worker takes it at once.
    r.behave(() => 200);
    worker();
    const got = await r.waitFor(1);
    expect(got[0]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
  });
});

describe('what reaches whom', () => {
  it('never sends one subscriber the events of accounts only another watches', async () => {
    const a = await member();
    const b = await member();
    const ra = await receiver();
    const rb = await receiver();
    const all = await receiver();
    await registry.createWebhookSubscription({ url: ra.url, eventTypes: ['badge.suspended'], accounts: [a.url] }, PLATFORM_A);
    await registry.createWebhookSubscription({ url: rb.url, eventTypes: ['badge.suspended'], accounts: [b.url] }, PLATFORM_B);
    await registry.createWebhookSubscription({ url: all.url, eventTypes: ['badge.suspended'], allAccounts: true }, OFFICER);
    await suspend(a.badgeId);
    await suspend(b.badgeId);
    worker();
    await all.waitFor(2);
    await ra.waitFor(1);
    await rb.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ra.received.map((x) => x.event.data.accounts[0]!.key)).toEqual([a.key]);
    expect(rb.received.map((x) => x.event.data.accounts[0]!.key)).toEqual([b.key]);
  });

  it('lets only the owner (and officers) see or change a subscription', async () => {
    const { subscription } = await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/own', eventTypes: ['badge.revoked'], allAccounts: true }, PLATFORM_A);
    await expect(registry.getWebhookSubscription(subscription.id, PLATFORM_B)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.pauseWebhookSubscription(subscription.id, PLATFORM_B)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.deleteWebhookSubscription(subscription.id, { id: 'platform-b', role: 'BUSINESS' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await registry.listWebhookSubscriptions(PLATFORM_B)).map((s) => s.id)).not.toContain(subscription.id);
    expect((await registry.listWebhookSubscriptions(OFFICER)).map((s) => s.id)).toContain(subscription.id);
    await expect(registry.listWebhookSubscriptions({ id: 'm', role: 'MEMBER' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/x', eventTypes: ['badge.revoked'], allAccounts: true }, { id: 'anonymous', role: 'PUBLIC' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await registry.deleteWebhookSubscription(subscription.id, PLATFORM_A)).toBe(true);
  });

  it('follows a watched account through a rename', async () => {
    const m = await member();
    const r = await receiver();
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['account.renamed', 'badge.suspended'], accounts: [m.url] }, PLATFORM_A);
    const renamed = uniqueFacebookUrl('renamed');
    await registry.renameAccount({ accountId: m.accountId, account: renamed });
    await suspend(m.badgeId);
    worker();
    const got = await r.waitFor(2);
    expect(got.map((g) => g.event.type)).toEqual(['account.renamed', 'badge.suspended']);
    expect(got[0]!.event.data.previousKey).toBe(m.key);
    expect(got[1]!.event.data.accounts[0]!.key).toBe(facebookKey(renamed));
    // A watch list given the old name after the rename still means that account.
    const late = await receiver();
    await registry.createWebhookSubscription({ url: late.url, eventTypes: ['badge.reinstated'], accounts: [m.url] }, PLATFORM_B);
    await reinstate(m.badgeId);
    const [again] = await late.waitFor(1);
    expect(again!.event.data.accounts[0]!.key).toBe(facebookKey(renamed));
  });

  it('announces a badge expiry once, when its time passes', async () => {
    const m = await member();
    const r = await receiver();
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.expired'], accounts: [m.url] }, PLATFORM_A);
    const badge = await registry.getBadge(m.badgeId);
    // Time moves on for the rest of this file (every later test makes its own badges).
    clock.advance(badge!.expiresAt.getTime() - clock.now().getTime() + 1_000);
    worker();
    const [got] = await r.waitFor(1);
    expect(got!.event.data.accounts[0]).toMatchObject({ key: m.key, status: 'EXPIRED' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.received.filter((x) => x.event.data.badge && (x.event.data.badge as { id: string }).id === m.badgeId)).toHaveLength(1);
  });

  it('streams the caller\'s events live, and only those', async () => {
    const a = await member();
    const b = await member();
    await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/live', eventTypes: ['badge.suspended'], accounts: [a.url] }, PLATFORM_A);
    await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/live', eventTypes: ['badge.suspended'], accounts: [b.url] }, PLATFORM_B);
    const abort = new AbortController();
    const stream = registry.liveWebhookEvents(PLATFORM_A, { pollMs: 30, signal: abort.signal });
    const first = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await suspend(b.badgeId);
    await suspend(a.badgeId);
    const { value } = await first;
    abort.abort();
    expect(value!.data.accounts[0]!.key).toBe(a.key);
  });
});

describe('other event types', () => {
  it('announces a flag and its lifting about a watched key that is no member, and key rotations to everyone who asks', async () => {
    const r = await receiver();
    const scam = 'https://www.tiktok.com/@scam.copy.of.someone';
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['account.flagged', 'account.flag_lifted', 'signing_key.rotated'], accounts: [scam] }, PLATFORM_A);
    const report = await registry.reportAccount({ account: scam, category: 'IMPERSONATION', description: 'copies Thu Hà, my phone 0901234567' });
    await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'confirmed by officer Trần', flagAccount: true }, OFFICER);
    const flag = await registryInternals(registry).db.prisma.flag.findFirstOrThrow({ where: { reportId: report.id } });
    await registry.liftFlag({ flagId: flag.id, reason: 'recovered by its owner Lê' }, OFFICER);
    const rotated = await registry.keys.rotate(undefined, 'scheduled', { id: 'admin-1', role: 'ADMIN' });
    worker();
    const got = await r.waitFor(3);
    expect(got.map((g) => g.event.type)).toEqual(['account.flagged', 'account.flag_lifted', 'signing_key.rotated']);
    expect(got[0]!.event.data.accounts[0]).toMatchObject({ status: 'FLAGGED' });
    expect(got[1]!.event.data.accounts[0]!.status).not.toBe('FLAGGED');
    expect(got[2]!.event.data.signingKey).toEqual({ kid: rotated.kid });
    for (const g of got) expect(g.body).not.toMatch(/Thu Hà|0901234567|Trần|Lê/);
  });
});

describe('secrets', () => {
  it('signs with both secrets for a while after a rotation', async () => {
    const m = await member();
    const r = await receiver();
    const { subscription, secret: old } = await registry.createWebhookSubscription({ url: r.url, eventTypes: ['badge.suspended'], accounts: [m.url] }, PLATFORM_A);
    const { secret: fresh } = await registry.rotateWebhookSecret(subscription.id, PLATFORM_A);
    expect(fresh).not.toBe(old);
    await suspend(m.badgeId);
    worker();
    const [got] = await r.waitFor(1);
    expect(() => new Webhook(fresh).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(old).verify(got!.body, got!.headers as Record<string, string>)).not.toThrow();
    const sealed = await registryInternals(registry).db.prisma.webhookSubscription.findUniqueOrThrow({ where: { id: subscription.id } });
    expect(Buffer.from(sealed.secret).toString('utf8')).not.toContain(fresh.slice(6));
  });
});

describe('pledge lapses by time', () => {
  it('announces the lapse of a member who did not sign a new version when its grace period ends, once', async () => {
    const m = await member();
    const r = await receiver();
    await registry.createWebhookSubscription({ url: r.url, eventTypes: ['pledge.lapsed', 'pledge_version.published'], accounts: [m.url] }, PLATFORM_A);
    await publishPledgeByAdmins(registry, { ...SAMPLE_PLEDGE, textEn: `${SAMPLE_PLEDGE.textEn} (v-next ${Date.now()})`, graceDays: 30 });
    clock.advance(31 * 24 * 3600_000);
    worker();
    const got = await r.waitFor(2);
    expect(got.map((g) => g.event.type)).toEqual(['pledge_version.published', 'pledge.lapsed']);
    expect(got[1]!.event.data.accounts[0]).toMatchObject({ key: m.key });
    expect(got[1]!.event.data.accounts[0]!.status).not.toBe('VERIFIED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.received.filter((x) => x.event.type === 'pledge.lapsed')).toHaveLength(1);
  });
});
