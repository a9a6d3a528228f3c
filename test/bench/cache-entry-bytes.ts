/**
 * Heap per lookup-cache entry, measured: the real lookup rows of N keys of a bench database
 * (85% accounts, 10% unknown keys, 5% flagged keys, like the bench's query mix), turned into
 * facts as verify does, then kept (a) as AccountFacts objects in a Map (the cache's form before
 * packed-facts.ts) and (b) in a LookupCache (packed into its ring, byte-ring-index.ts). Each side:
 * full GC, the heap before and after, delta / N; for (b) also the ring's bytes per entry (its
 * records; the ring itself is one buffer of `maxBytes`, here sized to hold every key).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/trust_bench_h3 \
 *     node --expose-gc --import tsx test/bench/cache-entry-bytes.ts [--keys 20000]
 *
 * (A database made by `BENCH_PG_DATABASE=trust_bench_h3 pnpm bench --db postgres --keep-db ...`.)
 */
import { pg } from './common.ts';
import { LookupCache, approximateBytes } from '../../packages/core/src/kernel/lookup-cache.ts';
import { LOOKUP_NOW_SQL, type LookupRow } from '../../packages/core/src/verification/lookup-sql.ts';
import { toAccountFacts } from '../../packages/core/src/verification/account-facts.ts';
import type { AccountFacts } from '../../packages/core/src/rules/facts.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const n = arg('keys', 20_000);
const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trust_bench_h3' });
await client.connect();
const accounts = (await client.query<{ key: string }>(`SELECT key FROM "Account" ORDER BY random() LIMIT $1`, [Math.round(n * 0.85)])).rows.map((r) => r.key);
const flagged = (await client.query<{ key: string }>(`SELECT DISTINCT "accountKey" AS key FROM "Flag" LIMIT $1`, [Math.round(n * 0.05)])).rows.map((r) => r.key);
const unknown = Array.from({ length: n - accounts.length - flagged.length }, (_, i) => `facebook:nobody.${i}.x`);
const keys = [...accounts, ...flagged, ...unknown];
// The rows as JSON text, so each side below parses its own (as the pg driver does per query).
const texts: string[] = [];
for (let i = 0; i < keys.length; i += 1000) {
  const chunk = keys.slice(i, i + 1000);
  const { rows } = await client.query<LookupRow>(LOOKUP_NOW_SQL, [chunk]);
  for (const row of rows) texts.push(JSON.stringify({ ...row, key0: chunk[row.ord - 1] }));
}
await client.end();

// The heap only: the cache's ring is one buffer, reported from its own account below.
const settle = () => { for (let i = 0; i < 4; i++) gc!(); return process.memoryUsage().heapUsed; };
const facts = (text: string): [string, AccountFacts] => {
  const row = JSON.parse(text) as LookupRow & { key0: string };
  return [row.key0, toAccountFacts(row)];
};

function measure(label: string, fill: () => { held: unknown; estimate: number }) {
  const before = settle();
  const { held, estimate } = fill();
  const after = settle();
  console.log(`${label}: ${((after - before) / keys.length).toFixed(0)} B/entry of heap measured, ${(estimate / keys.length).toFixed(0)} B/entry ${label.startsWith('LookupCache') ? 'in its ring' : 'estimated'} (${keys.length} keys)`);
  return held;
}

for (let round = 0; round < 2; round++) {
  let keep: unknown = measure('facts objects in a Map (old form)', () => {
    const map = new Map<string, { row: AccountFacts; storedAt: number; bytes: number }>();
    let estimate = 0;
    for (const text of texts) {
      const [key, row] = facts(text);
      const bytes = 120 + 2 * key.length + approximateBytes(row);
      estimate += bytes;
      map.set(key, { row, storedAt: Date.now(), bytes });
    }
    return { held: map, estimate };
  });
  keep = null;
  keep = measure('LookupCache, packed in its ring (new form)', () => {
    const cache = new LookupCache({ maxEntries: 10_000_000, maxBytes: keys.length * 4096 });
    for (const text of texts) {
      const [key, row] = facts(text);
      cache.set(key, row, cache.generation);
    }
    return { held: cache, estimate: cache.memory().liveBytes };
  });
  // What a hit costs now that it rebuilds the facts (CPU of the process, all keys three times).
  const cache = keep as LookupCache;
  const cpu = process.cpuUsage();
  for (let r = 0; r < 3; r++) for (const key of keys) cache.get(key);
  const used = process.cpuUsage(cpu);
  console.log(`  a hit (get + unpack): ${((used.user + used.system) / (3 * keys.length)).toFixed(2)} µs CPU`);
  void keep;
}
