/**
 * A cache of hot verification lookups. It holds the facts of a key (histories, not answers),
 * so an answer computed from it is right at any moment: expiry by time needs no invalidation.
 * Any committed change clears it at once in this process, and in every other replica through
 * PostgreSQL LISTEN/NOTIFY (see change-feed.ts); a generation counter keeps a lookup that
 * raced a change from putting stale rows back.
 *
 * It keeps facts packed (kernel/packed-facts.ts: one byte buffer per key, outside the JavaScript
 * heap, so full collections do not trace them), and rebuilds them on a hit.
 *
 * It is bounded twice: by entries and by an estimate of the memory its entries hold (`maxBytes`,
 * heap and buffers), since one key's facts range from a few hundred bytes (unknown) to kilobytes
 * (an account with several admins and badge histories); at national scale the byte bound is what
 * keeps a process's memory flat whatever the workload. `pnpm bench` compares the estimate with
 * the heap and buffer memory freed by clearing the cache.
 */
import type { AccountFacts } from '../rules/facts.ts';
import type { PledgeVersionFacts } from '../rules/standing.ts';
import type { Lookalike } from '../rules/verification-result.ts';
import { packedBytes, packFacts, unpackFacts, type PackedFacts } from './packed-facts.ts';

export interface LookupCacheOptions {
  /** Most keys kept (least recently used go first). Default 100,000. */
  maxEntries?: number;
  /** Longest time a row is trusted even without a change notice (lost notifications). Default 60 s. */
  maxAgeMs?: number;
  /** Most heap its entries may hold, estimated (least recently used go first). Default {@link DEFAULT_CACHE_MAX_BYTES}. */
  maxBytes?: number;
}

/** The default byte bound: 128 MiB. */
export const DEFAULT_CACHE_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Heap bytes a cached value holds, estimated from V8's layout on 64-bit with pointer compression
 * off (an upper side): objects 24 bytes + 8 per property, arrays 32 + 8 per element, strings
 * 24 + their length (one byte per Latin-1 character, two otherwise), Dates 80 (their cached fields), numbers 16; checked against the heap in `pnpm bench`.
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

/** What a map entry costs beside its value: the key string, the entry record, the map's slots. */
const ENTRY_OVERHEAD = 120;

export class LookupCache {
  /** A key's facts and, once searched, its lookalikes: one entry, so they are kept or dropped together. */
  readonly #entries = new Map<string, { row: PackedFacts; storedAt: number; bytes: number; found: Lookalike[] | undefined }>();
  readonly #max: number;
  readonly #maxAgeMs: number;
  readonly #maxBytes: number;
  #bytes = 0;
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

  /** Estimated heap held by the entries (see {@link approximateBytes}). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Drops least recently used entries until both bounds hold. */
  #trim(): void {
    while (this.#entries.size > this.#max || (this.#bytes > this.#maxBytes && this.#entries.size > 0)) {
      const [key, entry] = this.#entries.entries().next().value!;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }

  /** The current generation: pass it back to {@link set} so a racing change wins. */
  get generation(): number {
    return this.#generation;
  }

  get(key: string): AccountFacts | undefined {
    if (this.#max === 0) return undefined;
    const entry = this.#entries.get(key);
    if (!entry || Date.now() - entry.storedAt > this.#maxAgeMs) {
      this.misses++;
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.hits++;
    return unpackFacts(key, entry.row);
  }

  set(key: string, row: AccountFacts, generation: number): void {
    if (generation !== this.#generation || this.#max === 0) return;
    const packed = packFacts(key, row);
    const entry = { row: packed, storedAt: Date.now(), bytes: ENTRY_OVERHEAD + 2 * key.length + packedBytes(packed), found: undefined };
    const previous = this.#entries.get(key);
    if (previous) {
      this.#entries.delete(key);
      this.#bytes -= previous.bytes;
    }
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#trim();
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
   * registry), kept with the key's facts: a hot negative key stays as recently used as its
   * facts (read just before), and is dropped with them.
   */
  getLookalikes(key: string): Lookalike[] | undefined {
    const entry = this.#entries.get(key);
    if (this.#max === 0 || !entry || Date.now() - entry.storedAt > this.#maxAgeMs) return undefined;
    return entry.found;
  }

  /** Keeps the lookalikes of a key whose facts are cached (otherwise nothing: they go together). */
  setLookalikes(key: string, found: Lookalike[], generation: number): void {
    if (generation !== this.#generation || this.#max === 0) return;
    const entry = this.#entries.get(key);
    if (!entry) return;
    const weigh = (list: Lookalike[] | undefined) => (list === undefined || list.length === 0 ? 0 : approximateBytes(list));
    const added = weigh(found) - weigh(entry.found);
    entry.found = found.length === 0 ? NO_LOOKALIKES : found;
    entry.bytes += added;
    this.#bytes += added;
    this.#trim();
  }

  /** Forgets everything (a change was committed here or in another replica). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#bytes = 0;
    this.#pledgeVersions = null;
  }

  get size(): number {
    return this.#entries.size;
  }
}
