/**
 * The hot-lookup cache never serves a stale answer after a change: in the process that made
 * it at once, and in another replica on the same PostgreSQL database through LISTEN/NOTIFY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeAccount, openRegistry, type Registry } from '../../src/index.ts';
import { createTestDatabase, createVerifiedMember, openTestRegistry, type TestDatabase, type TestRegistry, registryInternals } from '../../src/testing/index.ts';

describe('hot-lookup cache', () => {
  let test: TestRegistry;
  beforeAll(async () => {
    test = await openTestRegistry();
  });
  afterAll(() => test.close());

  it('keeps its answers through writes that change no answer (a webhook subscription), and drops them on one that does', async () => {
    const own = await openTestRegistry({ webhooks: { allowLoopback: true } });
    try {
      const { registry } = own;
      const { badge } = await createVerifiedMember(registry, { accounts: ['https://www.tiktok.com/@cache.keeps'] });
      expect((await registry.verify({ url: 'tiktok.com/@cache.keeps' })).status).toBe('VERIFIED');
      const held = registry.counters().lookupCacheEntries;
      expect(held).toBeGreaterThan(0);
      const owner = { id: 'cache-platform', role: 'PLATFORM' as const };
      const { subscription } = await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.suspended'], allAccounts: true }, owner);
      await registry.pauseWebhookSubscription(subscription.id, owner);
      expect(registry.counters().lookupCacheEntries).toBe(held);
      await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
      expect(registry.counters().lookupCacheEntries).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('what a verify inside a transaction reads (its own uncommitted writes) never reaches the shared cache, during or after a rollback', async () => {
    const { registry } = test;
    const url = 'https://www.tiktok.com/@cache.rollback';
    const { badge } = await createVerifiedMember(registry, { accounts: [url] });
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    const refused = new Error('roll back');
    await expect(registry.inOneTransaction(async (scoped) => {
      await scoped.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
      // Read inside the transaction: it sees the suspension; no other caller may be answered from that.
      expect((await scoped.verify({ url })).status).toBe('SUSPENDED');
      // The shared cache holds the committed facts, or nothing: never the suspension.
      const shared = registryInternals(registry).context.lookups.get(normalizeAccount(url).key);
      expect(shared?.admins[0]?.badges[0]?.events.map((e) => e.status) ?? ['ACTIVE']).toEqual(['ACTIVE']);
      throw refused;
    })).rejects.toBe(refused);
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
  });

  it('serves repeated lookups without a query, and a change is seen at once', async () => {
    const { registry } = test;
    const { badge } = await createVerifiedMember(registry, { accounts: ['https://www.tiktok.com/@cache.test'] });
    let queries = 0;
    const original = registryInternals(registry).db.sql.query;
    registryInternals(registry).db.sql.query = ((...args: Parameters<typeof original>) => {
      queries++;
      return original(...args);
    }) as typeof original;
    try {
      expect((await registry.verify({ url: 'tiktok.com/@cache.test' })).status).toBe('VERIFIED');
      const afterFirst = queries;
      expect(afterFirst).toBeGreaterThan(0);
      expect((await registry.verify({ url: 'https://m.tiktok.com/@Cache.Test?lang=vi' })).status).toBe('VERIFIED');
      expect(queries).toBe(afterFirst);

      await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
      expect((await registry.verify({ url: 'tiktok.com/@cache.test' })).status).toBe('SUSPENDED');
      // A question about the past bypasses the cache and asks the database.
      const before = queries;
      await registry.verify({ url: 'tiktok.com/@cache.test' }, { at: new Date(Date.now() - 1000) });
      expect(queries).toBeGreaterThan(before);
    } finally {
      registryInternals(registry).db.sql.query = original;
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('hot-lookup cache across replicas (PostgreSQL LISTEN/NOTIFY)', () => {
  let database: TestDatabase;
  let a: Registry;
  let b: Registry;
  beforeAll(async () => {
    database = await createTestDatabase();
    const dataKey = 'k'.repeat(43);
    a = await openRegistry({ databaseUrl: database.databaseUrl, dataKey });
    b = await openRegistry({ databaseUrl: database.databaseUrl, dataKey });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('a suspension made through one replica clears the other replica\'s cache', async () => {
    const { badge } = await createVerifiedMember(a, { accounts: ['https://www.youtube.com/@replica.test'] });
    expect((await b.verify({ url: 'youtube.com/@replica.test' })).status).toBe('VERIFIED');
    expect((await b.verify({ url: 'youtube.com/@replica.test' })).status).toBe('VERIFIED'); // now cached in b
    await a.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    let status = '';
    for (let i = 0; i < 50 && status !== 'SUSPENDED'; i++) {
      status = (await b.verify({ url: 'youtube.com/@replica.test' })).status;
      if (status !== 'SUSPENDED') await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe('SUSPENDED');
  });
});
