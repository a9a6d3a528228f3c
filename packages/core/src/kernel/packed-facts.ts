/**
 * The form in which the hot-lookup cache keeps an account's facts: two flat arrays instead of
 * a tree of small objects, arrays and Dates. At national scale the cache's byte bound, not its
 * entry bound, decides how many keys it holds, so the bytes per entry decide its hit rate.
 *
 * - `s`: the strings and counts, in the order {@link unpackFacts} reads them. Counts and
 *   versions are small integers (no heap of their own); enum-like strings (platform, statuses,
 *   kinds, programs, categories, provinces) are interned, so every entry shares one copy; the
 *   account key is not repeated when it is the cache key.
 * - `t`: every timestamp, as epoch milliseconds in one array of doubles (8 bytes each instead
 *   of a Date object each); NaN stands for null.
 * An unknown key without flags (the most common negative answer) is one shared constant.
 *
 * A hit rebuilds fresh AccountFacts (a few small objects, about a microsecond), so nothing an
 * answer does to its facts can reach the cache.
 */
import type { AccountFacts, AdminFacts, TimedStatus } from '../rules/facts.ts';
import type { BadgeEventFacts, SignatureFacts } from '../rules/standing.ts';

export interface PackedFacts {
  readonly s: ReadonlyArray<string | number | null>;
  readonly t: readonly number[];
}

const EMPTY_TIMES: readonly number[] = Object.freeze([]);
/** An unknown key without flags: no account, no admins, nothing timed. */
const UNKNOWN: PackedFacts = Object.freeze({ s: Object.freeze([null, null, null, null, 0, 0]), t: EMPTY_TIMES });
/** `s[2]` when the account's key is the cache key (the usual case: found by `Account.key`). */
const SAME_KEY = 1;

/** Interned enum-like strings (a few hundred at most; the table stops growing at MAX_INTERNED). */
const interned = new Map<string, string>();
const MAX_INTERNED = 4096;
function intern(value: string | null): string | null {
  if (value === null) return null;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < MAX_INTERNED) interned.set(value, value);
  return value;
}
/** Whether a string is shared through the intern table (then an entry does not hold it). */
function isInterned(value: string): boolean {
  return interned.get(value) === value;
}

const time = (date: Date | null): number => (date === null ? NaN : date.getTime());
const date = (ms: number): Date | null => (Number.isNaN(ms) ? null : new Date(ms));

/** Packs facts for the cache under `key`. */
export function packFacts(key: string, facts: AccountFacts): PackedFacts {
  if (facts.accountId === null && facts.flags.length === 0 && facts.admins.length === 0 && facts.platform === null && facts.key === null && facts.url === null) return UNKNOWN;
  const s: Array<string | number | null> = [facts.accountId, intern(facts.platform), facts.key === key ? SAME_KEY : facts.key, facts.url, facts.flags.length];
  const t: number[] = [];
  for (const f of facts.flags) {
    s.push(intern(f.category));
    t.push(time(f.createdAt), time(f.liftedAt));
  }
  s.push(facts.admins.length);
  for (const a of facts.admins) {
    s.push(a.member.id, a.member.displayName, intern(a.member.kind), intern(a.member.province));
    for (const history of [a.ownership, a.memberEvents]) {
      s.push(history.length);
      for (const e of history) {
        s.push(intern(e.status));
        t.push(time(e.at));
      }
    }
    s.push(a.signatures.length);
    for (const g of a.signatures) {
      s.push(g.version);
      t.push(time(g.signedAt), time(g.withdrawnAt));
    }
    s.push(a.badges.length);
    for (const b of a.badges) {
      s.push(b.id, intern(b.program), b.events.length);
      t.push(time(b.issuedAt));
      for (const e of b.events) {
        s.push(intern(e.status), intern(e.category ?? null));
        t.push(time(e.expiresAt), time(e.at));
      }
    }
  }
  // slice(): arrays grown by push keep spare capacity; the copies are exactly as long as needed.
  return { s: s.slice(), t: t.length === 0 ? EMPTY_TIMES : t.slice() };
}

/** Rebuilds the facts packed under `key` (fresh objects: the caller may keep or change them). */
export function unpackFacts(key: string, packed: PackedFacts): AccountFacts {
  // A reader object, not closures made per call: on the hot path (every cache hit) closures cost
  // their allocation, and under tsx/esbuild's keepNames a defineProperty each (measured: the
  // largest self time of a hot verifyMany).
  const r = new PackedReader(packed);
  const accountId = r.next() as string | null;
  const platform = r.next() as string | null;
  const storedKey = r.next();
  const url = r.next() as string | null;
  const flags: AccountFacts['flags'] = new Array(r.num());
  for (let f = 0; f < flags.length; f++) flags[f] = { category: r.str(), createdAt: r.date()!, liftedAt: r.date() };
  const admins: AdminFacts[] = new Array(r.num());
  for (let a = 0; a < admins.length; a++) {
    const member = { id: r.str(), displayName: r.str(), kind: r.str(), province: r.next() as string | null };
    const ownership: TimedStatus[] = new Array(r.num());
    for (let e = 0; e < ownership.length; e++) ownership[e] = { status: r.str(), at: r.date()! };
    const memberEvents: TimedStatus[] = new Array(r.num());
    for (let e = 0; e < memberEvents.length; e++) memberEvents[e] = { status: r.str(), at: r.date()! };
    const signatures: SignatureFacts[] = new Array(r.num());
    for (let g = 0; g < signatures.length; g++) signatures[g] = { version: r.num(), signedAt: r.date()!, withdrawnAt: r.date() };
    const badges: AdminFacts['badges'] = new Array(r.num());
    for (let b = 0; b < badges.length; b++) {
      const id = r.str();
      const program = r.str();
      const issuedAt = r.date()!;
      const events: BadgeEventFacts[] = new Array(r.num());
      for (let e = 0; e < events.length; e++) {
        const status = r.str() as BadgeEventFacts['status'];
        const category = r.next() as string | null;
        events[e] = { status, expiresAt: r.date()!, at: r.date()!, category };
      }
      badges[b] = { id, program, issuedAt, events };
    }
    admins[a] = { member, ownership, memberEvents, signatures, badges };
  }
  return { accountId, platform, key: storedKey === SAME_KEY ? key : (storedKey as string | null), url, flags, admins };
}

/** Reads a packed entry in the order packFacts wrote it: values from `s`, times from `t`. */
class PackedReader {
  #i = 0;
  #j = 0;
  readonly #s: PackedFacts['s'];
  readonly #t: PackedFacts['t'];
  constructor(packed: PackedFacts) {
    this.#s = packed.s;
    this.#t = packed.t;
  }
  next(): unknown {
    return this.#s[this.#i++];
  }
  str(): string {
    return this.#s[this.#i++] as string;
  }
  num(): number {
    return this.#s[this.#i++] as number;
  }
  date(): Date | null {
    return date(this.#t[this.#j++]!);
  }
}

/**
 * Heap bytes a packed entry holds (V8 on 64-bit without pointer compression, as Node ships):
 * the `{ s, t }` object 40, each array 32 (the JSArray) + 16 + 8 per element (its backing store; doubles unboxed, small
 * integers inline), each string it alone holds 16 + its characters (one byte each when all are
 * Latin-1, else two), rounded up to 8; interned strings and the shared constants cost nothing.
 * `pnpm bench` and test/bench/cache-entry-bytes.ts compare it with the heap.
 */
export function packedBytes(packed: PackedFacts): number {
  if (packed === UNKNOWN) return 0;
  let bytes = 40 + 48 + 8 * packed.s.length + (packed.t === EMPTY_TIMES ? 0 : 48 + 8 * packed.t.length);
  for (const value of packed.s) {
    if (typeof value !== 'string' || isInterned(value)) continue;
    bytes += 16 + Math.ceil(((/[^\u0000-\u00ff]/.test(value) ? 2 : 1) * value.length) / 8) * 8;
  }
  return bytes;
}
