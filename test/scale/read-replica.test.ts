/**
 * Read replicas (issue 16) against a real primary and streaming replica (pg-cluster.ts): verify's
 * reads (core, the API's GraphQL `verify` and `GET /v1/verify`) are answered by the replica (counted by the router and, independently, in the replica's
 * own statement log); a writer reads its own write at once; a replica further behind than the
 * bound is skipped, also when the lag comes from a write no notice announced; an idle primary does
 * not make a current replica look stale; a stopped replica costs no failed request.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey, onboardMember, ensurePledge, openRegistry, type Registry, type RegistryOptions } from '@trust-alliance/core';
import { registryInternals } from '@trust-alliance/core/testing';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { adminClient, clusterUnavailable, startReplicatedCluster, type AdminClient, type ReplicatedCluster } from './pg-cluster.ts';

const unavailable = clusterUnavailable();
if (unavailable) console.warn(`test/scale/read-replica.test.ts skipped: ${unavailable}`);

// Generous, so that a loaded machine (slow checks) does not make a current replica look stale.
const MAX_LAG_MS = 2000;

/** Waits (up to 15 s, generous for a loaded machine: no timing is asserted) until `ok` holds. */
async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(unavailable !== null)('read replicas on a real streaming replica', () => {
  let cluster: ReplicatedCluster;
  let writer: Registry;
  let reader: Registry;
  let replicaAdmin: AdminClient;
  let primaryAdmin: AdminClient;
  const url = 'https://www.facebook.com/replica.tested.page';
  let badgeId: string;
  const dataKey = generateDataKey();
  const options = (): RegistryOptions => ({ databaseUrl: cluster.primaryUrl, dataKey, lookupCache: false, readReplicas: { urls: [cluster.replicaUrl], maxLagMs: MAX_LAG_MS, checkIntervalMs: 50 } });

  /** Lookups the replica executed, from its own statement log (log_statement=all). */
  const replicaLookups = async () => (await readFile(cluster.replicaLog, 'utf8')).split('verify-lookup-now').length - 1;
  const routing = (r: Registry) => r.readRouting()!;
  const usable = (r: Registry) => routing(r).replicas[0]!.usable;

  beforeAll(async () => {
    cluster = await startReplicatedCluster();
    try {
      writer = await openRegistry(options());
      // Another service process on the same database: it hears the writer's changes by notice.
      reader = await openRegistry(options());
      await ensurePledge(writer);
      const onboarded = await onboardMember(writer, { member: { kind: 'KOL', displayName: 'Trang Bản Sao', province: 'Huế' }, accounts: [url] });
      badgeId = onboarded.badge!.id;
      replicaAdmin = adminClient(cluster.replicaUrl);
      await replicaAdmin.connect();
      primaryAdmin = adminClient(cluster.primaryUrl);
      await primaryAdmin.connect();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  });

  afterAll(async () => {
    try {
      await replicaAdmin?.end().catch(() => {});
      await primaryAdmin?.end().catch(() => {});
      await reader?.close();
      await writer?.close();
    } finally {
      await cluster?.stop();
    }
  });

  it('answers verify from the replica once it has replayed the writes, and an idle primary does not make it look stale', async () => {
    await until('the replica has replayed the onboarding', () => usable(reader) && usable(writer));
    // Idle for longer than the bound: a replay-timestamp check (now - last replayed commit) would
    // call the replica stale from now on, and it would never become usable again.
    await new Promise((r) => setTimeout(r, MAX_LAG_MS + 500));
    await until('the idle replica is still usable', () => usable(reader));
    const before = { ...routing(reader), logged: await replicaLookups() };
    for (let i = 0; i < 5; i++) expect((await reader.verify({ url })).status).toBe('VERIFIED');
    const after = routing(reader);
    expect(after.replicaReads - before.replicaReads).toBe(5);
    expect(after.primaryReads - before.primaryReads).toBe(0);
    expect((await replicaLookups()) - before.logged).toBe(5);
  });

  it('answers GET /v1/verify and GraphQL verify of the API from the replica', async () => {
    await until('the replica is usable', () => usable(reader));
    const app = createApp({ registry: reader, graphiql: false, routes: publicRoutes(reader), publicRateLimit: 0, loadShedding: false, logError: () => {} });
    try {
      const before = { ...routing(reader), logged: await replicaLookups() };
      const rest = await app.yoga.fetch(`http://api/v1/verify?url=${encodeURIComponent(url)}`);
      expect(((await rest.json()) as { status: string }).status).toBe('VERIFIED');
      const graphql = await app.yoga.fetch('http://api/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query V($url: String!) { verify(input: { url: $url }) { status } }', variables: { url } }),
      });
      expect(((await graphql.json()) as { data: { verify: { status: string } } }).data.verify.status).toBe('VERIFIED');
      expect(routing(reader).replicaReads - before.replicaReads).toBe(2);
      expect(routing(reader).primaryReads - before.primaryReads).toBe(0);
      expect((await replicaLookups()) - before.logged).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('sends the lookup cache misses to the replica, and the hits nowhere', async () => {
    const cached = await openRegistry({ ...options(), lookupCache: {} });
    try {
      await until('the replica is usable', () => usable(cached));
      const before = { ...routing(cached), logged: await replicaLookups(), hits: cached.counters().lookupCacheHits };
      for (let i = 0; i < 3; i++) expect((await cached.verify({ url })).status).toBe('VERIFIED');
      expect(routing(cached).replicaReads - before.replicaReads).toBe(1);
      expect(routing(cached).primaryReads - before.primaryReads).toBe(0);
      expect((await replicaLookups()) - before.logged).toBe(1);
      expect(cached.counters().lookupCacheHits - before.hits).toBe(2);
    } finally {
      await cached.close();
    }
  });

  it('lets a writer read its own write at once, though the replica has not replayed it', async () => {
    await until('the replica is usable', () => usable(writer));
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    try {
      await writer.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION' });
      // The replica still holds the badge as ACTIVE; a read routed there would answer VERIFIED.
      for (let i = 0; i < 5; i++) expect((await writer.verify({ url })).status).not.toBe('VERIFIED');
      // The other process: at most the bound late, then never stale again while the replica lags.
      await until('the reader sees the suspension', async () => (await reader.verify({ url })).status !== 'VERIFIED');
      await until('the lagging replica is no longer usable', () => !usable(reader));
      const before = { ...routing(reader), logged: await replicaLookups() };
      expect((await reader.verify({ url })).status).not.toBe('VERIFIED');
      expect(routing(reader).replicaReads).toBe(before.replicaReads);
      expect(await replicaLookups()).toBe(before.logged);
    } finally {
      await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    }
    // Once replayed, the replica answers again, with the write.
    await until('the replica has replayed the suspension', () => usable(reader));
    const before = routing(reader).replicaReads;
    expect((await reader.verify({ url })).status).not.toBe('VERIFIED');
    expect(routing(reader).replicaReads).toBe(before + 1);
  });

  it('skips a replica further behind than the bound even when no change notice announced the write', async () => {
    await until('the replica is usable', () => usable(reader));
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    try {
      // A change on the primary that the registry does not know about (no notice, no barrier).
      await primaryAdmin.query('CREATE TABLE IF NOT EXISTS replica_lag_probe (n int); INSERT INTO replica_lag_probe VALUES (1)');
      await until('the replica is more than the bound behind', () => !usable(reader));
      const stats = routing(reader).replicas[0]!;
      expect(stats.healthy).toBe(true);
      expect(stats.lagMs).toBeGreaterThan(MAX_LAG_MS);
      const before = routing(reader);
      await reader.verify({ url });
      expect(routing(reader).replicaReads).toBe(before.replicaReads);
      expect(routing(reader).primaryReads).toBe(before.primaryReads + 1);
    } finally {
      await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    }
    await until('the replica caught up', () => usable(reader));
  });

  it('answers every request from the primary when the replica stops', async () => {
    await until('the replica is usable', () => usable(reader) && usable(writer));
    // Checked by its timer only every 15 s: the stop is found by the failing reads themselves.
    const unaware = await openRegistry({ ...options(), readReplicas: { urls: [cluster.replicaUrl], maxLagMs: 60_000, checkIntervalMs: 15_000 } });
    try {
      // Its change listener connected after the first check (a barrier): check again, by hand.
      await until('the replica is usable for the unaware registry', async () => {
        await registryInternals(unaware).db.checkReplicas();
        return usable(unaware);
      });
      const before = { unaware: routing(unaware), reader: routing(reader) };
      await replicaAdmin.end();
      await cluster.stopReplica();
      const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? reader : unaware).verify({ url })));
      expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
      for (const a of answers) expect((a as PromiseFulfilledResult<{ status: string }>).value.status).not.toBe('VERIFIED');
      const after = { unaware: routing(unaware), reader: routing(reader) };
      expect(after.unaware.fallbacks - before.unaware.fallbacks).toBeGreaterThanOrEqual(1);
      // Ten concurrent calls per registry: their cache misses share lookups (coalesced-lookups.ts), all on the primary.
      expect(after.unaware.primaryReads - before.unaware.primaryReads).toBeGreaterThanOrEqual(1);
      expect(after.reader.primaryReads - before.reader.primaryReads).toBeGreaterThanOrEqual(1);
      expect(after.unaware.replicaReads + after.reader.replicaReads).toBe(before.unaware.replicaReads + before.reader.replicaReads);
      expect(after.unaware.replicas[0]!.healthy).toBe(false);
      await until('the stopped replica is marked down by the checks', () => !routing(reader).replicas[0]!.healthy);
      // Writes still work, and are read back.
      await writer.reinstateBadge({ badgeId, reasonCategory: 'REINSTATED' });
      expect((await reader.verify({ url })).status).toBe('VERIFIED');
      expect((await unaware.verify({ url })).status).toBe('VERIFIED');
    } finally {
      await unaware.close();
    }
  });
});
