/**
 * A cache of hot verification lookups. It holds the facts of a key (histories, not answers),
 * so an answer computed from it is right at any moment: expiry by time needs no invalidation.
 * Any committed change clears it at once in this process, and in every other replica through
 * PostgreSQL LISTEN/NOTIFY (see change-feed.ts); a generation counter keeps a lookup that
 * raced a change from putting stale rows back.
 */
import type { AccountFacts } from '../rules/facts.ts';
import type { PledgeVersionFacts } from '../rules/standing.ts';
import type { Lookalike } from '../rules/verification-result.ts';

export interface LookupCacheOptions {
  /** Most keys kept (least recently used go first). Default 100,000. */
  maxEntries?: number;
  /** Longest time a row is trusted even without a change notice (lost notifications). Default 60 s. */
  maxAgeMs?: number;
}

export class LookupCache {
  readonly #entries = new Map<string, { row: AccountFacts; storedAt: number }>();
  readonly #lookalikes = new Map<string, { found: Lookalike[]; storedAt: number }>();
  readonly #max: number;
  readonly #maxAgeMs: number;
  #generation = 0;
  /** Names this cache in change notices, so a replica ignores the notices of its own writes. */
  readonly id = crypto.randomUUID();
  hits = 0;
  misses = 0;

  constructor(options: LookupCacheOptions = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
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
    return entry.row;
  }

  set(key: string, row: AccountFacts, generation: number): void {
    if (generation !== this.#generation) return;
    this.#entries.set(key, { row, storedAt: Date.now() });
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
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

  /** The lookalikes found for an unknown or unverified key (they change only with the registry). */
  getLookalikes(key: string): Lookalike[] | undefined {
    const entry = this.#lookalikes.get(key);
    if (this.#max === 0 || !entry || Date.now() - entry.storedAt > this.#maxAgeMs) return undefined;
    return entry.found;
  }

  setLookalikes(key: string, found: Lookalike[], generation: number): void {
    if (generation !== this.#generation || this.#max === 0) return;
    this.#lookalikes.set(key, { found, storedAt: Date.now() });
    if (this.#lookalikes.size > this.#max) this.#lookalikes.delete(this.#lookalikes.keys().next().value!);
  }

  /** Forgets everything (a change was committed here or in another replica). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#lookalikes.clear();
    this.#pledgeVersions = null;
  }

  get size(): number {
    return this.#entries.size;
  }
}
