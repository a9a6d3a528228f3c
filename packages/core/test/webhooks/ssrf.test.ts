/**
 * Safe outbound calls (issue 15): endpoints must be https and resolve to public addresses only,
 * checked when a subscription is created and again at delivery; the unsafe development setting
 * allows loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Registry } from '../../src/index.ts';
import { refusedAddress } from '../../src/index.ts';
import { openTestRegistry, type TestRegistry } from '../../src/testing/index.ts';
import { postWebhook } from '../../src/webhooks/endpoint.ts';
import { startReceiver } from './receiver.ts';

const OWNER: Actor = { id: 'platform-ssrf', role: 'PLATFORM' };

const REFUSED: Array<[string, string]> = [
  ['unspecified', '0.0.0.0'],
  ['loopback', '127.0.0.1'],
  ['loopback, elsewhere in 127/8', '127.255.0.9'],
  ['private 10/8', '10.1.2.3'],
  ['private 172.16/12', '172.31.255.1'],
  ['private 192.168/16', '192.168.1.1'],
  ['CGNAT 100.64/10', '100.100.100.100'],
  ['link-local', '169.254.1.1'],
  ['cloud metadata', '169.254.169.254'],
  ['documentation', '203.0.113.7'],
  ['benchmarking', '198.18.0.1'],
  ['multicast', '224.0.0.1'],
  ['reserved', '240.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['IPv6 unspecified', '::'],
  ['IPv6 loopback', '::1'],
  ['IPv6 unique local', 'fd00::1'],
  ['IPv6 unique local fc', 'fc12:3456::1'],
  ['IPv6 link-local', 'fe80::1'],
  ['IPv6 multicast', 'ff02::1'],
  ['IPv6 documentation', '2001:db8::1'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
  ['IPv4-mapped public (still refused: no smuggling)', '::ffff:8.8.8.8'],
  ['IPv4-compatible', '::127.0.0.1'],
  ['NAT64', '64:ff9b::a00:1'],
  ['6to4', '2002:a00:1::1'],
];

describe('addresses', () => {
  it.each(REFUSED)('refuses %s (%s)', (_what, address) => {
    expect(refusedAddress(address)).not.toBeNull();
  });
  it.each([['8.8.8.8'], ['1.1.1.1'], ['2606:4700:4700::1111'], ['172.32.0.1'], ['100.128.0.1']])('allows the public address %s', (address) => {
    expect(refusedAddress(address)).toBeNull();
  });
  it('allows loopback, and only loopback, with the unsafe development setting', () => {
    expect(refusedAddress('127.0.0.1', true)).toBeNull();
    expect(refusedAddress('::1', true)).toBeNull();
    expect(refusedAddress('10.0.0.1', true)).not.toBeNull();
    expect(refusedAddress('169.254.169.254', true)).not.toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', true)).not.toBeNull();
  });
});

describe('subscriptions refuse unsafe endpoints at creation', () => {
  let test: TestRegistry;
  let registry: Registry;
  beforeAll(async () => {
    test = await openTestRegistry();
    registry = test.registry;
  });
  afterAll(() => test?.close());

  const create = (url: string) => registry.createWebhookSubscription({ url, eventTypes: ['badge.revoked'], allAccounts: true }, OWNER);
  it.each([
    ['http', 'http://example.com/hook'],
    ['loopback over https', 'https://127.0.0.1/hook'],
    ['localhost', 'https://localhost/hook'],
    ['loopback over http without the setting', 'http://127.0.0.1:8080/hook'],
    ['private', 'https://10.0.0.5/hook'],
    ['CGNAT', 'https://100.64.0.1/hook'],
    ['metadata', 'https://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv6 ULA', 'https://[fd12::1]/hook'],
    ['IPv6 link-local', 'https://[fe80::1]/hook'],
    ['IPv4-mapped', 'https://[::ffff:7f00:1]/hook'],
    ['credentials', 'https://user:pw@example.com/hook'],
    ['not a URL', 'hook'],
    ['another scheme', 'ftp://example.com/hook'],
  ])('refuses %s (%s)', async (_what, url) => {
    await expect(create(url)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'url' });
  });
  it('refuses unknown event types and bad watch entries, naming them', async () => {
    await expect(registry.createWebhookSubscription({ url: 'https://8.8.8.8/x', eventTypes: ['badge.exploded'], allAccounts: true }, OWNER)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'eventTypes.0' });
    await expect(registry.createWebhookSubscription({ url: 'https://8.8.8.8/x', eventTypes: ['badge.revoked'], accounts: ['https://facebook.com/ok.page', 'not an account ::'] }, OWNER)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'accounts.1' });
    await expect(registry.createWebhookSubscription({ url: 'https://8.8.8.8/x', eventTypes: ['badge.revoked'] }, OWNER)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'accounts' });
  });
  it('takes a watch list of 100,000 accounts and refuses one more', async () => {
    const accounts = Array.from({ length: 100_000 }, (_, i) => `https://www.facebook.com/watched.page${i}`);
    const { subscription } = await registry.createWebhookSubscription({ url: 'https://8.8.8.8/x', eventTypes: ['badge.revoked'], accounts }, OWNER);
    expect(subscription.watchedAccounts).toBe(100_000);
    await expect(registry.createWebhookSubscription({ url: 'https://8.8.8.8/x', eventTypes: ['badge.revoked'], accounts: [...accounts, 'https://www.facebook.com/one.more'] }, OWNER)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'accounts' });
  }, 60_000);
});

describe('delivery checks the address again', () => {
  it('does not send to loopback without the setting, even when the name resolves there later', async () => {
    const receiver = await startReceiver();
    try {
      const limits = { timeoutMs: 1_000, maxResponseBytes: 1024, allowLoopback: false };
      for (const url of [receiver.url, `http://localhost:${receiver.port}/hook`, `https://localhost:${receiver.port}/hook`]) {
        const outcome = await postWebhook(new URL(url), {}, '{}', limits);
        expect(outcome.ok).toBe(false);
      }
      expect(receiver.received).toHaveLength(0);
      // With the setting, loopback is reached.
      expect(await postWebhook(new URL(`http://localhost:${receiver.port}/hook`), {}, '{"id":"x"}', { ...limits, allowLoopback: true })).toEqual({ ok: true, status: 200 });
    } finally {
      await receiver.close();
    }
  });
  it('follows no redirect and reads at most the response limit', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      else res.writeHead(200).end('x'.repeat(1_000_000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const limits = { timeoutMs: 2_000, maxResponseBytes: 1024, allowLoopback: true };
      expect(await postWebhook(new URL(`http://127.0.0.1:${port}/redirect`), {}, '{}', limits)).toMatchObject({ ok: false, status: 302 });
      expect(await postWebhook(new URL(`http://127.0.0.1:${port}/big`), {}, '{}', limits)).toMatchObject({ ok: true, status: 200 });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
