import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, ensurePledge, openTestRegistry, registryInternals, type TestRegistry } from '../../src/testing/index.ts';
import { prepareMember, uniqueFacebookUrl } from '../helpers.ts';
import { MAX_READS_IN_FLIGHT } from '../../src/verification/coalesced-lookups.ts';
import { LOOKUP_NOW_WITH_SEARCH_SQL, lookupNowWithSearch } from '../../src/verification/lookup-with-search.ts';
import { findLookalikes } from '../../src/verification/lookalikes.ts';
import { normalizeAccount } from '../../src/accounts/normalize.ts';

let t: TestRegistry;
let registry: Registry;
let verifiedUrl: string;
let pendingUrl: string;
let flaggedUrl: string;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
  await ensurePledge(registry);
  verifiedUrl = uniqueFacebookUrl('coalesce.verified');
  await createVerifiedMember(registry, { accounts: [verifiedUrl], displayName: 'Gom Truy Vấn' });
  pendingUrl = (await prepareMember(registry))!.url!;
  flaggedUrl = uniqueFacebookUrl('coalesce.flagged');
  const report = await registry.reportAccount({ account: flaggedUrl, category: 'SCAM', description: 'Lừa đảo' });
  await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

const sql = () => registryInternals(registry).db.sql;
const forgetLookups = () => registryInternals(registry).context.lookups.clear();
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
/** The SQL texts `query` was called with since the spy was made. */
const texts = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => String(call[0]));

describe('cache misses of concurrent verify calls share their queries', () => {
  it('calls made together are answered by one lookup, which also searches for the suspects, with the answers each would get alone', async () => {
    const inputs = [verifiedUrl, pendingUrl, flaggedUrl, ...Array.from({ length: 17 }, (_, i) => uniqueFacebookUrl(`coalesce.unknown${i}`))];
    forgetLookups();
    const alone = [];
    for (const url of inputs) {
      forgetLookups();
      alone.push(await registry.verify({ url }));
    }
    forgetLookups();
    const spy = vi.spyOn(sql(), 'query');
    try {
      const together = await Promise.all(inputs.map((url) => registry.verify({ url })));
      const queries = texts(spy);
      // Every answer but the verified one needs a lookalike search: the lookup ran it.
      expect(queries).toEqual([LOOKUP_NOW_WITH_SEARCH_SQL]);
      const shape = (a: (typeof together)[number]) => ({ status: a.status, account: a.account, member: a.member, badges: a.badges, flags: a.flags, lookalikeOf: a.lookalikeOf, reason: a.reason });
      expect(together.map(shape)).toEqual(alone.map(shape));
      expect(together.map((a) => a.status).slice(0, 4)).toEqual(['VERIFIED', 'PENDING', 'FLAGGED', 'NOT_FOUND']);
    } finally {
      spy.mockRestore();
    }
  });

  it('the lookup searches only the keys without a verified owner holding a badge, and finds what the lookalike search finds', async () => {
    // A badge holder whose badge is suspended is answered SUSPENDED: no search either.
    const suspendedUrl = uniqueFacebookUrl('coalesce.hint.suspended');
    const { badge } = await createVerifiedMember(registry, { accounts: [suspendedUrl], displayName: 'Tạm Đình Chỉ' });
    await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });
    const accounts = [verifiedUrl, suspendedUrl, pendingUrl, flaggedUrl, uniqueFacebookUrl('coalesce.hint.unknown')].map((url) => normalizeAccount(url));
    const { context } = registryInternals(registry);
    const looked = await lookupNowWithSearch(context, sql(), accounts);
    // Searched: a list of lookalikes (maybe empty); not searched: undefined.
    expect(looked.map((l) => l.lookalikes !== undefined)).toEqual([false, false, true, true, true]);
    expect((await registry.verify({ url: suspendedUrl })).status).toBe('SUSPENDED');
    const alone = await findLookalikes(context, accounts.slice(2), registry.now(), sql());
    expect(looked.slice(2).map((l) => l.lookalikes)).toEqual(alone);
  });

  it('an answer the decision finds suspect that the lookup did not search gets its own search afterwards', async () => {
    // Verified under KOL_TRUST, so SQL skips its search; asked about another program, it is PENDING.
    forgetLookups();
    const spy = vi.spyOn(sql(), 'query');
    try {
      const answer = await registry.verify({ url: verifiedUrl }, { program: 'OFFICIAL_CHANNEL' });
      expect(answer.status).toBe('PENDING');
      const queries = texts(spy);
      expect(queries[0]).toBe(LOOKUP_NOW_WITH_SEARCH_SQL);
      expect(queries).toHaveLength(2);
      const { context } = registryInternals(registry);
      expect(answer.lookalikeOf).toEqual((await findLookalikes(context, [normalizeAccount(verifiedUrl)], registry.now(), sql()))[0]);
      // Cached facts whose lookalikes the cache does not hold get a search of their own too.
      const pendingKey = normalizeAccount(pendingUrl).key;
      await registry.verify({ url: pendingUrl });
      const factsOnly = context.lookups.get(pendingKey)!;
      forgetLookups();
      context.lookups.set(pendingKey, factsOnly, context.lookups.generation);
      spy.mockClear();
      const pending = await registry.verify({ url: pendingUrl });
      expect(pending.status).toBe('PENDING');
      // The pledge versions (cleared with the cache) and the search; no lookup.
      expect(texts(spy)).not.toContain(LOOKUP_NOW_WITH_SEARCH_SQL);
      expect(texts(spy).filter((q) => q.includes('"skeletonVariants" @>'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it(`at most ${MAX_READS_IN_FLIGHT} lookups run at once; keys asked meanwhile gather into one batch`, async () => {
    forgetLookups();
    const original = sql().query.bind(sql());
    const held: Array<() => void> = [];
    let lookups = 0;
    const spy = vi.spyOn(sql(), 'query').mockImplementation(async (...args: Parameters<typeof original>) => {
      if (args[0] === LOOKUP_NOW_WITH_SEARCH_SQL) {
        lookups++;
        await new Promise<void>((release) => held.push(release));
      }
      return original(...args);
    });
    try {
      const pending: Array<Promise<unknown>> = [];
      // Each call in its own turn of the event loop: alone, each would be a lookup of its own.
      for (let i = 0; i < MAX_READS_IN_FLIGHT + 10; i++) {
        pending.push(registry.verify({ url: uniqueFacebookUrl(`coalesce.gather${i}`) }));
        await nextTurn();
      }
      expect(lookups).toBe(MAX_READS_IN_FLIGHT);
      // Release the held lookups (and those that start after them) until every call is answered.
      const all = Promise.all(pending);
      let settled = false;
      void all.finally(() => { settled = true; });
      while (!settled) {
        held.splice(0).forEach((release) => release());
        await nextTurn();
      }
      const answers = await all;
      expect(answers).toHaveLength(MAX_READS_IN_FLIGHT + 10);
      // The ten that waited went in one lookup.
      expect(lookups).toBe(MAX_READS_IN_FLIGHT + 1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a failed lookup fails every call of its batch, and frees its place for the next', async () => {
    forgetLookups();
    const original = sql().query.bind(sql());
    const spy = vi.spyOn(sql(), 'query').mockImplementation(async (...args: Parameters<typeof original>) => {
      if (args[0] === LOOKUP_NOW_WITH_SEARCH_SQL) throw new Error('connection lost');
      return original(...args);
    });
    try {
      for (let round = 0; round <= MAX_READS_IN_FLIGHT; round++) {
        const outcomes = await Promise.allSettled([1, 2, 3].map((i) => registry.verify({ url: uniqueFacebookUrl(`coalesce.fail${round}.${i}`) })));
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      }
    } finally {
      spy.mockRestore();
    }
    // No place was kept by the failed batches: a lookup runs again.
    expect((await registry.verify({ url: verifiedUrl })).status).toBe('VERIFIED');
  });

  it('a read inside a write\'s transaction never joins a batch of reads outside it', async () => {
    forgetLookups();
    const spy = vi.spyOn(sql(), 'query');
    try {
      const outsideUrl = uniqueFacebookUrl('coalesce.outside');
      const [outside, inside] = await Promise.all([
        registry.verify({ url: outsideUrl }),
        registry.inOneTransaction((scoped) => scoped.verify({ url: verifiedUrl })),
      ]);
      expect(outside.status).toBe('NOT_FOUND');
      expect(inside.status).toBe('VERIFIED');
      // The registry's executor looked up the outside key alone; the other ran on the transaction's.
      const lookups = spy.mock.calls.filter((call) => call[0] === LOOKUP_NOW_WITH_SEARCH_SQL).map((call) => (call[1] as unknown[])[0]);
      expect(lookups).toEqual([[outside.account!.key]]);
    } finally {
      spy.mockRestore();
    }
  });
});
