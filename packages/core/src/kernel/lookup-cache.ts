/**
 * A cache of hot verification lookups. It holds the facts of a key (histories, not answers),
 * so an answer computed from it is right at any moment: expiry by time needs no invalidation.
 * Any committed change clears it at once in this process, and in every other replica through
 * PostgreSQL LISTEN/NOTIFY (see change-feed.ts); a generation counter keeps a lookup that
 * raced a change from putting stale rows back.
 *
 * Its entries live outside the JavaScript heap, in one ring of bytes with an open-addressing
 * index in typed arrays (kernel/byte-ring-index.ts): each key's facts packed (kernel/packed-facts.ts)
 * behind a small header. The form before kept a Map entry, a key string, a record and a Buffer per
 * key on the heap; at 1,000,000 accounts the Zipf workload's 100,000 keys were a large share of the
 * live heap, every full collection traced them, and V8 sizes the old space as a multiple of the
 * live heap, so they cost several times their own bytes in RSS. Here the cache's memory is the
 * ring, allocated once (its pages are touched as it fills) and bounded exactly by `maxBytes`.
 *
 * Eviction is first in, first out: the ring overwrites its oldest records. Every entry also
 * expires `maxAgeMs` after it was stored (a hit does not extend it), so the oldest record is the
 * one closest to expiry anyway; least-recently-used order would only keep hot keys a little
 * longer before they expire. Lookalike answers (rare and small) stay on the heap, beside their
 * key's record and dropped with it.
 */
import type { AccountFacts } from '../rules/facts.ts';
import type { PledgeVersionFacts } from '../rules/standing.ts';
import type { Lookalike } from '../rules/verification-result.ts';
import { packFacts, unpackFacts } from './packed-facts.ts';
import { ByteRingIndex } from './byte-ring-index.ts';

export interface LookupCacheOptions {
  /** Most keys kept (the oldest go first). Default 100,000. */
  maxEntries?: number;
  /** Longest time a row is trusted even without a change notice (lost notifications). Default 60 s. */
  maxAgeMs?: number;
  /** The ring's size: all the memory its entries may take (the oldest go first). Default {@link DEFAULT_CACHE_MAX_BYTES}. */
  maxBytes?: number;
}

/**
 * The default byte bound: 32 MiB. A record averaged 370 bytes on `pnpm bench`'s Zipf run at
 * 1,000,000 accounts (the report gives the figure), so the ring holds about 90,000 keys and is the
 * bound that bites before the 100,000 entries.
 */
export const DEFAULT_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Heap bytes a value holds, estimated from V8's layout on 64-bit with pointer compression off (an
 * upper side): objects 24 bytes + 8 per property, arrays 32 + 8 per element, strings 24 + their
 * length (one byte per Latin-1 character, two otherwise), Dates 80, numbers 16. Used for the
 * lookalike answers the cache keeps on the heap.
 */
export function approximateBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 0;
  if (typeof value === 'number') return 16;
  if (typeof value === 'string') return 24 + (/[^\u0000-\u00ff]/.test(value) ? 2 : 1) * value.length;
  if (value instanceof Date) return 80;
  if (Array.isArray(value)) {
    let bytes = 32 + 8 * value.length;
    for (const item of value) bytes += approximateBytes(item);
    return bytes;
  }
  if (typeof value === 'object') {
    let bytes = 24;
    for (const key in value) bytes += 8 + approximateBytes((value as Record<string, unknown>)[key]);
    return bytes;
  }
  return 8;
}

/** The answer of most lookalike searches, shared by every entry that has it (answers only read it). */
const NO_LOOKALIKES: Lookalike[] = Object.freeze([]) as unknown as Lookalike[];

/** What a record's mark byte says about its key's lookalikes. */
const Lookalikes = { NotSearched: 0, None: 1, Kept: 2 } as const;

/** What the cache's memory is, for metrics and `pnpm bench`. */
export interface LookupCacheMemory {
  /** Bytes of the ring's live records (header, key, packed facts). */
  liveBytes: number;
  /** The ring's bytes written so far (its pages in memory; never more than `maxBytes`). */
  ringBytesTouched: number;
  /** The index's typed arrays. */
  indexBytes: number;
  /** Lookalike answers kept on the heap, estimated (see {@link approximateBytes}). */
  lookalikeBytes: number;
}

export class LookupCache {
  readonly #max: number;
  readonly #maxAgeMs: number;
  readonly #maxBytes: number;
  /** Made at the first store: a cache per transaction (one-transaction.ts) mostly stores nothing. */
  #ring: ByteRingIndex | null = null;
  /** Non-empty lookalike answers by key, for records whose mark says Kept, with their estimated bytes. */
  readonly #lookalikes = new Map<string, { found: Lookalike[]; bytes: number }>();
  #lookalikeBytes = 0;
  #generation = 0;
  /** Names this cache in change notices, so a replica ignores the notices of its own writes. */
  readonly id = crypto.randomUUID();
  hits = 0;
  misses = 0;

  constructor(options: LookupCacheOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  }

  get #off(): boolean {
    return this.#max === 0 || this.#maxBytes <= 0;
  }

  #ringForStore(): ByteRingIndex {
    this.#ring ??= new ByteRingIndex({
      capacityBytes: this.#maxBytes,
      maxEntries: this.#max,
      // A record leaving the ring takes its lookalike answers with it.
      onDrop: (key, mark) => {
        if (mark === Lookalikes.Kept) this.#forgetLookalikes(key());
      },
    });
    return this.#ring;
  }

  /** Bytes the entries hold: live records in the ring and lookalike answers on the heap. */
  get bytes(): number {
    return (this.#ring?.liveBytes ?? 0) + this.#lookalikeBytes;
  }

  memory(): LookupCacheMemory {
    return { liveBytes: this.#ring?.liveBytes ?? 0, ringBytesTouched: this.#ring?.bytesTouched ?? 0, indexBytes: this.#ring?.indexBytes ?? 0, lookalikeBytes: this.#lookalikeBytes };
  }

  /** The current generation: pass it back to {@link set} so a racing change wins. */
  get generation(): number {
    return this.#generation;
  }

  /** The record of a key stored less than maxAgeMs ago, or -1 (an older one is dropped). */
  #fresh(key: string): number {
    const ring = this.#ring;
    if (!ring) return -1;
    const record = ring.find(key);
    if (record < 0) return -1;
    if (Date.now() - ring.storedAt(record) > this.#maxAgeMs) {
      ring.remove(record);
      return -1;
    }
    return record;
  }

  get(key: string): AccountFacts | undefined {
    if (this.#off) return undefined;
    const record = this.#fresh(key);
    if (record < 0) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const ring = this.#ring!;
    return unpackFacts(key, ring.bytes, ring.valueStart(record), ring.valueEnd(record));
  }

  set(key: string, row: AccountFacts, generation: number): void {
    if (generation !== this.#generation || this.#off) return;
    this.#ringForStore().store(key, packFacts(key, row), Date.now());
  }

  #pledgeVersions: { versions: PledgeVersionFacts[]; storedAt: number } | null = null;

  /** The pledge versions (a tiny table every answer needs). */
  getPledgeVersions(): PledgeVersionFacts[] | undefined {
    const cached = this.#pledgeVersions;
    return cached && Date.now() - cached.storedAt <= this.#maxAgeMs ? cached.versions : undefined;
  }

  setPledgeVersions(versions: PledgeVersionFacts[], generation: number): void {
    if (generation === this.#generation) this.#pledgeVersions = { versions, storedAt: Date.now() };
  }

  /**
   * The lookalikes found for an unknown, unverified or flagged key (they change only with the
   * registry), kept with the key's facts: stored after them, so they expire and are dropped with
   * them.
   */
  getLookalikes(key: string): Lookalike[] | undefined {
    if (this.#off) return undefined;
    const record = this.#fresh(key);
    if (record < 0) return undefined;
    const mark = this.#ring!.mark(record);
    if (mark === Lookalikes.None) return NO_LOOKALIKES;
    if (mark === Lookalikes.Kept) return this.#lookalikes.get(key)?.found;
    return undefined;
  }

  /**
   * Keeps the lookalikes of a key whose facts are cached (otherwise nothing: they go together).
   * Non-empty answers are held on the heap up to a quarter of `maxBytes`; past that they are not
   * kept (the search runs again), so a flood of lookalike-heavy keys cannot grow the heap.
   */
  setLookalikes(key: string, found: Lookalike[], generation: number): void {
    if (generation !== this.#generation || this.#off) return;
    const record = this.#fresh(key);
    if (record < 0) return;
    const ring = this.#ring!;
    if (ring.mark(record) === Lookalikes.Kept) this.#forgetLookalikes(key);
    if (found.length === 0) return ring.setMark(record, Lookalikes.None);
    const weight = approximateBytes(found);
    if (this.#lookalikeBytes + weight > this.#maxBytes / 4) return ring.setMark(record, Lookalikes.NotSearched);
    this.#lookalikes.set(key, { found, bytes: weight });
    this.#lookalikeBytes += weight;
    ring.setMark(record, Lookalikes.Kept);
  }

  #forgetLookalikes(key: string): void {
    const kept = this.#lookalikes.get(key);
    if (!kept) return;
    this.#lookalikes.delete(key);
    this.#lookalikeBytes -= kept.bytes;
  }

  /** Forgets everything (a change was committed here or in another replica). */
  clear(): void {
    this.#generation++;
    this.#ring?.clear();
    this.#lookalikes.clear();
    this.#lookalikeBytes = 0;
    this.#pledgeVersions = null;
  }

  get size(): number {
    return this.#ring?.size ?? 0;
  }
}
