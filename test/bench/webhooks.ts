/**
 * `pnpm bench:webhooks` (issue 15): N badge changes fanned out to S subscribers on loopback
 * receivers; events delivered per second and the p50/p99 time from commit (the write's promise
 * resolving) to delivery (the receiver reading the request), and the in-process `verify` rate
 * beside the writes, with and without the delivery worker running. The receivers run in a
 * process of their own (webhook-receivers.ts): a platform's servers do not share the registry's
 * CPU, so their work must not count against its verify rate.
 *
 *   pnpm bench:webhooks                                  10,000 changes, 10 subscribers, PGlite
 *   pnpm bench:webhooks --db postgres --changes 2000     (DATABASE_URL or the local server)
 *
 * Prints one JSON line and a table row for docs/BENCHMARKS.md.
 */
import { generateDataKey, openRegistry, type Actor } from '@trust-alliance/core';
import { createTestDatabase, createVerifiedMember, registryInternals } from '@trust-alliance/core/testing';
import { fmt, fmtMs, percentile, spawnTs } from './common.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const CHANGES = Number(arg('changes', '10000'));
const SUBSCRIBERS = Number(arg('subscribers', '10'));
const BADGES = Number(arg('badges', '20'));
const DB = arg('db', 'pglite');
const OWNER: Actor = { id: 'bench-platform', role: 'PLATFORM' };

const database = DB === 'postgres' ? await createTestDatabase(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres') : await createTestDatabase('');
const registry = await openRegistry({ dataDir: 'memory://', dataKey: generateDataKey(), databaseUrl: database.databaseUrl, webhooks: { allowLoopback: true }, lookupCache: false });
const prisma = registryInternals(registry).db.prisma;

// Receivers: one loopback server per subscriber, in a child process, reporting when each event id arrived.
const arrivals: Array<Map<string, number>> = Array.from({ length: SUBSCRIBERS }, () => new Map<string, number>());
const receivers = spawnTs('webhook-receivers.ts', [String(SUBSCRIBERS)], { ipc: true });
receivers.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
const ports = await new Promise<number[]>((resolve, reject) => {
  receivers.once('exit', (code) => reject(new Error(`the receivers exited with ${code}`)));
  receivers.on('message', (message: { ports?: number[]; arrivals?: Array<[number, string, number]> }) => {
    if (message.ports) resolve(message.ports);
    for (const [subscriber, id, at] of message.arrivals ?? []) if (!arrivals[subscriber]!.has(id)) arrivals[subscriber]!.set(id, at);
  });
});

console.error(`preparing ${BADGES} badges on ${DB}…`);
const badges: string[] = [];
const urls: string[] = [];
for (let i = 0; i < BADGES; i++) {
  const url = `https://www.facebook.com/benchhook${i}x${Date.now().toString(36)}`;
  const { badge } = await createVerifiedMember(registry, { accounts: [url] });
  badges.push(badge.id);
  urls.push(url);
}
for (let s = 0; s < SUBSCRIBERS; s++) {
  const url = `http://127.0.0.1:${ports[s]}/hook`;
  // Half watch every account, half a watch list of the bench accounts.
  await registry.createWebhookSubscription({ url, eventTypes: ['badge.suspended', 'badge.reinstated'], ...(s % 2 === 0 ? { allAccounts: true } : { accounts: urls }) }, OWNER);
}

/** verify calls per second in process for `ms`. */
async function verifyRate(ms: number): Promise<number> {
  const end = performance.now() + ms;
  let calls = 0;
  while (performance.now() < end) {
    await registry.verifyMany(urls.map((url) => ({ url })));
    calls += urls.length;
  }
  return calls / (ms / 1000);
}
const verifyIdle = await verifyRate(3_000);

// The changes run throughout; the verify rate is measured beside the writes alone (no worker
// yet), then beside the writes and their deliveries. Latencies count only events committed
// once the worker runs (the first ones wait for it).
console.error(`${CHANGES} changes…`);
const commits: number[] = [];
const started = Date.now();
const state = badges.map(() => true);
let writing = true;
let worker: ReturnType<typeof registry.startWebhookDelivery> | null = null;
let workerStartedAt = Infinity; // Date.now(), like the receivers' arrival times
let verifyWritesOnly = 0;
let verifyWithDeliveries = 0;
const measuring = (async () => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  verifyWritesOnly = await verifyRate(3_000);
  workerStartedAt = Date.now();
  worker = registry.startWebhookDelivery({ pollMs: 100, concurrency: SUBSCRIBERS });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  if (writing) verifyWithDeliveries = await verifyRate(3_000);
})();
for (let i = 0; i < CHANGES; i++) {
  const b = i % BADGES;
  if (state[b]) await registry.suspendBadge({ badgeId: badges[b]!, reasonCategory: 'UNDER_INVESTIGATION' });
  else await registry.reinstateBadge({ badgeId: badges[b]!, reasonCategory: 'REINSTATED' });
  state[b] = !state[b];
  commits.push(Date.now());
}
writing = false;
const writesDone = Date.now();
await measuring;
const events = await prisma.outboxEvent.findMany({ where: { type: { in: ['badge.suspended', 'badge.reinstated'] } }, orderBy: { seq: 'asc' }, select: { id: true } });
const total = events.length * SUBSCRIBERS;
const deadline = performance.now() + 600_000;
while (arrivals.reduce((n, m) => n + m.size, 0) < total && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
const delivered = arrivals.reduce((n, m) => n + m.size, 0);
const lastArrival = Math.max(...arrivals.flatMap((m) => [...m.values()]));
const latencies: number[] = [];
events.forEach((e, i) => {
  for (const m of arrivals) {
    const at = m.get(e.id);
    if (at !== undefined && commits[i]! > workerStartedAt) latencies.push(at - commits[i]!);
  }
});
await (worker as { stop(): Promise<void> } | null)?.stop();
receivers.removeAllListeners('exit');
receivers.send('stop');
await new Promise((resolve) => receivers.once('exit', resolve));
await registry.close();
await database.drop();

const result = {
  db: DB, changes: CHANGES, subscribers: SUBSCRIBERS, events: events.length, delivered, expected: total,
  writesPerSecond: Math.round(CHANGES / ((writesDone - started) / 1000)),
  deliveredPerSecond: Math.round(delivered / ((lastArrival - started) / 1000)),
  latencySamples: latencies.length,
  p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)),
  verifyPerSecondIdle: Math.round(verifyIdle), verifyPerSecondBesideWrites: Math.round(verifyWritesOnly), verifyPerSecondBesideWritesAndDeliveries: Math.round(verifyWithDeliveries),
  verifyRatio: Number((verifyWithDeliveries / verifyWritesOnly).toFixed(2)),
};
console.log(JSON.stringify(result));
console.log(`| webhooks (${DB}) | ${fmt(CHANGES)} changes × ${SUBSCRIBERS} subscribers | ${fmt(result.deliveredPerSecond)} deliveries/s (writes ${fmt(result.writesPerSecond)}/s) | p50 ${fmtMs(result.p50Ms)} · p99 ${fmtMs(result.p99Ms)} commit→delivery | verify ${fmt(result.verifyPerSecondBesideWritesAndDeliveries)}/s with deliveries vs ${fmt(result.verifyPerSecondBesideWrites)}/s without (×${result.verifyRatio}) |`);
process.exit(delivered === total ? 0 : 1);
