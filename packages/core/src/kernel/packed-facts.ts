/**
 * The form in which the hot-lookup cache keeps an account's facts: bytes, outside the JavaScript
 * heap (in the cache's ring, byte-ring-index.ts), instead of a tree of objects, arrays, strings
 * and Dates on it.
 *
 * Why bytes, not packed arrays (the form before): at 1,000,000 accounts the cache held 83,000
 * keys, 69 MiB of heap, over half the service's live heap (a heap snapshot after `pnpm bench`'s
 * Zipf run). Every full collection traced those ten-odd objects per key, and V8 sizes the old
 * space as a multiple of the live heap, so the cache cost several times its own bytes in RSS.
 *
 * The bytes are a sequence of tagged values, written by {@link packFacts} in exactly the order
 * {@link unpackFacts} reads them (the reader checks each tag, so a change to one side that the
 * other misses throws instead of answering from shifted fields):
 * - text as UTF-8 with a 32-bit length; enum-like strings (platform, statuses, kinds, programs,
 *   categories, provinces) as a 16-bit index into a table of interned strings shared by every
 *   entry; the account key as one byte when it is the cache key (the usual case);
 * - counts and versions as 32-bit integers; timestamps as 64-bit floats (epoch ms), null as a tag.
 * An unknown key without flags (the most common negative answer) is no bytes at all.
 *
 * A hit rebuilds fresh AccountFacts (a few small objects, about a microsecond or two), so nothing
 * an answer does to its facts can reach the cache.
 */
import type { AccountFacts, AdminFacts, TimedStatus } from '../rules/facts.ts';
import type { BadgeEventFacts, SignatureFacts } from '../rules/standing.ts';

/**
 * One key's facts, packed: a view of a scratch buffer, valid until the next {@link packFacts}
 * (the cache copies it into its ring at once; anything that keeps it copies it).
 */
export type PackedFacts = Buffer;

/** The tag byte before each value. */
const Tag = { Null: 0, Int: 1, Interned: 2, Text: 3, Time: 4, NoTime: 5, SameKey: 6 } as const;
type Tag = (typeof Tag)[keyof typeof Tag];

/** An unknown key without flags: no account, no admins, nothing timed. */
const UNKNOWN: PackedFacts = Buffer.alloc(0);

/** Interned enum-like strings (a few hundred at most; the table stops growing at MAX_INTERNED). */
const internIndex = new Map<string, number>();
const internedText: string[] = [];
const MAX_INTERNED = 4096;

/** Where packFacts writes before copying out the exact bytes (grown when an entry needs more). */
let scratch = Buffer.allocUnsafeSlow(16 * 1024);

class PackedWriter {
  pos = 0;
  #ensure(bytes: number): void {
    if (this.pos + bytes <= scratch.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, this.pos + bytes));
    scratch.copy(bigger, 0, 0, this.pos);
    scratch = bigger;
  }
  /**
   * Writes `tag` and reserves `bytes` after it; returns where those bytes start. It may replace
   * `scratch`, so callers read `scratch` only after it returns (not `scratch.write…(v, this.#value(…))`,
   * which would write into the old buffer).
   */
  #value(tag: Tag, bytes: number): number {
    this.#ensure(1 + bytes);
    scratch[this.pos] = tag;
    const start = this.pos + 1;
    this.pos = start + bytes;
    return start;
  }
  tag(tag: Tag): void {
    this.#value(tag, 0);
  }
  int(value: number): void {
    const at = this.#value(Tag.Int, 4);
    scratch.writeInt32LE(value, at);
  }
  text(value: string | null): void {
    if (value === null) return this.tag(Tag.Null);
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the length is known only once written.
    const start = this.#value(Tag.Text, 4 + 3 * value.length);
    const length = scratch.write(value, start + 4, 'utf8');
    scratch.writeUInt32LE(length, start);
    this.pos = start + 4 + length;
  }
  /** An enum-like string: an index into the shared table (text once the table is full). */
  interned(value: string | null): void {
    if (value === null) return this.tag(Tag.Null);
    let index = internIndex.get(value);
    if (index === undefined && internedText.length < MAX_INTERNED) {
      index = internedText.push(value) - 1;
      internIndex.set(value, index);
    }
    if (index === undefined) return this.text(value);
    const at = this.#value(Tag.Interned, 2);
    scratch.writeUInt16LE(index, at);
  }
  time(value: Date | null): void {
    if (value === null) return this.tag(Tag.NoTime);
    const at = this.#value(Tag.Time, 8);
    scratch.writeDoubleLE(value.getTime(), at);
  }
  /** The bytes written (a view of the scratch buffer: no copy). */
  done(): PackedFacts {
    return scratch.subarray(0, this.pos);
  }
}

/** Packs facts for the cache under `key`. */
export function packFacts(key: string, facts: AccountFacts): PackedFacts {
  if (facts.accountId === null && facts.flags.length === 0 && facts.admins.length === 0 && facts.platform === null && facts.key === null && facts.url === null) return UNKNOWN;
  const w = new PackedWriter();
  w.text(facts.accountId);
  w.interned(facts.platform);
  if (facts.key === key) w.tag(Tag.SameKey);
  else w.text(facts.key);
  w.text(facts.url);
  w.int(facts.flags.length);
  for (const f of facts.flags) {
    w.interned(f.category);
    w.time(f.createdAt);
    w.time(f.liftedAt);
  }
  w.int(facts.admins.length);
  for (const a of facts.admins) {
    w.text(a.member.id);
    w.text(a.member.displayName);
    w.interned(a.member.kind);
    w.interned(a.member.province);
    for (const history of [a.ownership, a.memberEvents]) {
      w.int(history.length);
      for (const e of history) {
        w.interned(e.status);
        w.time(e.at);
      }
    }
    w.int(a.signatures.length);
    for (const g of a.signatures) {
      w.int(g.version);
      w.time(g.signedAt);
      w.time(g.withdrawnAt);
    }
    w.int(a.badges.length);
    for (const b of a.badges) {
      w.text(b.id);
      w.interned(b.program);
      w.time(b.issuedAt);
      w.int(b.events.length);
      for (const e of b.events) {
        w.interned(e.status);
        w.interned(e.category ?? null);
        w.time(e.expiresAt);
        w.time(e.at);
      }
    }
  }
  return w.done();
}

/**
 * Rebuilds the facts packed under `key` from `bytes[start, end)` (fresh objects: the caller may
 * keep or change them).
 */
export function unpackFacts(key: string, bytes: Buffer, start = 0, end = bytes.length): AccountFacts {
  if (start === end) return { accountId: null, platform: null, key: null, url: null, flags: [], admins: [] };
  // A reader object, not closures made per call: on the hot path (every cache hit) closures cost
  // their allocation, and under tsx/esbuild's keepNames a defineProperty each.
  const r = new PackedReader(bytes, start);
  const accountId = r.textOrNull();
  const platform = r.textOrNull();
  const storedKey = r.keyOr(key);
  const url = r.textOrNull();
  const flags: AccountFacts['flags'] = new Array(r.int());
  for (let f = 0; f < flags.length; f++) flags[f] = { category: r.text(), createdAt: r.date()!, liftedAt: r.date() };
  const admins: AdminFacts[] = new Array(r.int());
  for (let a = 0; a < admins.length; a++) {
    const member = { id: r.text(), displayName: r.text(), kind: r.text(), province: r.textOrNull() };
    const ownership: TimedStatus[] = new Array(r.int());
    for (let e = 0; e < ownership.length; e++) ownership[e] = { status: r.text(), at: r.date()! };
    const memberEvents: TimedStatus[] = new Array(r.int());
    for (let e = 0; e < memberEvents.length; e++) memberEvents[e] = { status: r.text(), at: r.date()! };
    const signatures: SignatureFacts[] = new Array(r.int());
    for (let g = 0; g < signatures.length; g++) signatures[g] = { version: r.int(), signedAt: r.date()!, withdrawnAt: r.date() };
    const badges: AdminFacts['badges'] = new Array(r.int());
    for (let b = 0; b < badges.length; b++) {
      const id = r.text();
      const program = r.text();
      const issuedAt = r.date()!;
      const events: BadgeEventFacts[] = new Array(r.int());
      for (let e = 0; e < events.length; e++) {
        const status = r.text() as BadgeEventFacts['status'];
        const category = r.textOrNull();
        events[e] = { status, expiresAt: r.date()!, at: r.date()!, category };
      }
      badges[b] = { id, program, issuedAt, events };
    }
    admins[a] = { member, ownership, memberEvents, signatures, badges };
  }
  r.expectEnd(end);
  return { accountId, platform, key: storedKey, url, flags, admins };
}

/** Reads a packed entry in the order packFacts wrote it, checking each value's tag. */
class PackedReader {
  #pos: number;
  readonly #bytes: Buffer;
  constructor(bytes: Buffer, start: number) {
    this.#bytes = bytes;
    this.#pos = start;
  }
  /** Throws unless the reader stopped exactly at `end` (a value read past it came from the next record). */
  expectEnd(end: number): void {
    if (this.#pos !== end) throw new Error(`packed facts: read to byte ${this.#pos}, the entry ends at ${end} (packFacts and unpackFacts disagree)`);
  }
  #unexpected(tag: number, wanted: string): never {
    throw new Error(`packed facts: tag ${tag} at byte ${this.#pos - 1} where ${wanted} was written (packFacts and unpackFacts disagree)`);
  }
  textOrNull(): string | null {
    const b = this.#bytes;
    const tag = b[this.#pos++]!;
    if (tag === Tag.Interned) {
      const index = b.readUInt16LE(this.#pos);
      this.#pos += 2;
      return internedText[index]!;
    }
    if (tag === Tag.Text) {
      const length = b.readUInt32LE(this.#pos);
      const start = this.#pos + 4;
      this.#pos = start + length;
      return b.toString('utf8', start, start + length);
    }
    if (tag === Tag.Null) return null;
    return this.#unexpected(tag, 'text');
  }
  text(): string {
    return this.textOrNull() ?? this.#unexpected(Tag.Null, 'text (not null)');
  }
  /** The account key: the cache key when packFacts wrote SameKey. */
  keyOr(cacheKey: string): string | null {
    if (this.#bytes[this.#pos] === Tag.SameKey) {
      this.#pos++;
      return cacheKey;
    }
    return this.textOrNull();
  }
  int(): number {
    const tag = this.#bytes[this.#pos++]!;
    if (tag !== Tag.Int) this.#unexpected(tag, 'a count');
    const value = this.#bytes.readInt32LE(this.#pos);
    this.#pos += 4;
    return value;
  }
  date(): Date | null {
    const tag = this.#bytes[this.#pos++]!;
    if (tag === Tag.NoTime) return null;
    if (tag !== Tag.Time) this.#unexpected(tag, 'a time');
    const ms = this.#bytes.readDoubleLE(this.#pos);
    this.#pos += 8;
    return new Date(ms);
  }
}
