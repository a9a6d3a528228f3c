/**
 * Read replicas for verification (issue 16): `verify` reads may go to PostgreSQL streaming
 * replicas, so the primary keeps its cores for writes. Three promises make that safe:
 *
 * - **Bounded staleness.** Every `checkIntervalMs` the router samples the primary's WAL position
 *   (`pg_current_wal_lsn()`, with the time it was asked) and each replica's replayed position
 *   (`pg_last_wal_replay_lsn()`). A replica that has replayed the primary's position of moment T
 *   holds every commit made before T, so its data is at most `now - T` old. Positions are
 *   compared, not `pg_last_xact_replay_timestamp()`, which grows on an idle primary although the
 *   replica is current. A replica more than `maxLagMs` behind, or not checked for that long
 *   (down, unreachable), is skipped.
 * - **Reading one's own writes.** After a write commits in this process, or a change notice from
 *   another process arrives, reads stay on the primary until a replica has replayed the primary's
 *   position taken after that commit (the barrier).
 * - **No failed reads.** A query that fails on a replica (stopped, restarted, conflict with
 *   recovery) is run again on the primary, and the replica is left out until its next good check.
 */
import pg from 'pg';
import type { SqlExecutor } from './sql-executor.ts';
import { openRegistryPool } from './registry-pool.ts';

export interface ReadReplicaOptions {
  /** PostgreSQL connection strings of streaming replicas of the primary (`DATABASE_READ_URL`, comma-separated). */
  urls: readonly string[];
  /** Oldest data a replica may answer with, in ms (`DATABASE_READ_MAX_LAG_MS`); default {@link DEFAULT_MAX_LAG_MS}. */
  maxLagMs?: number | undefined;
  /** How often positions are compared, in ms; default {@link DEFAULT_CHECK_INTERVAL_MS} (at most a quarter of `maxLagMs`). */
  checkIntervalMs?: number | undefined;
}

export const DEFAULT_MAX_LAG_MS = 1000;
export const DEFAULT_CHECK_INTERVAL_MS = 200;

/** What the router did since it was opened, and how each replica stands (for metrics and tests). */
export interface ReadRouterStats {
  /** Routed reads answered by a replica. */
  replicaReads: number;
  /** Routed reads answered by the primary (no replica fresh enough, or after a fallback). */
  primaryReads: number;
  /** Reads that failed on a replica and were answered by the primary instead. */
  fallbacks: number;
  replicas: Array<{ host: string; usable: boolean; healthy: boolean; lagMs: number | null }>;
}

/** A WAL position `X/Y` as a number (bigint). */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

interface Replica {
  readonly host: string;
  readonly pool: pg.Pool;
  healthy: boolean;
  /** Every commit made on the primary before this moment (ms) has been replayed here. */
  freshAsOf: number;
  replayed: bigint;
}

type Query = SqlExecutor['query'];

const REPLAY_SQL = `SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn`;
const PRIMARY_SQL = 'SELECT pg_current_wal_lsn()::text AS lsn';

/**
 * Routes the reads of `verify` between the primary (`primary`, the registry's own pool) and
 * the replicas. {@link ReadRouter.query} has the shape of `SqlExecutor.query`.
 */
export class ReadRouter {
  readonly #primary: Query;
  readonly #replicas: Replica[];
  readonly #maxLagMs: number;
  readonly #checkIntervalMs: number;
  /** Primary positions with the moment each was asked for (newest last), for `maxLagMs` back. */
  readonly #samples: Array<{ at: number; lsn: bigint }> = [];
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | null = null;
  #next = 0;
  /** Writes whose barrier position is still being read. */
  #pendingBarriers = 0;
  /** A barrier read failed: the next primary sample becomes the barrier. */
  #barrierUnknown = false;
  #barrier = 0n;
  #closed = false;
  readonly #stats = { replicaReads: 0, primaryReads: 0, fallbacks: 0 };

  constructor(primary: Query, options: ReadReplicaOptions, poolSize: number) {
    this.#primary = primary;
    this.#maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
    this.#checkIntervalMs = Math.max(10, Math.min(options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS, Math.floor(this.#maxLagMs / 4)));
    this.#replicas = options.urls.map((url) => {
      // Short timeouts: a replica that hangs must not hold a request long before the primary answers it.
      const pool = openRegistryPool(url, poolSize, { connectionTimeoutMillis: 2000, query_timeout: 10_000 });
      return { host: hostOf(url), pool, healthy: false, freshAsOf: -Infinity, replayed: 0n };
    });
  }

  /** Checks the replicas once, then every `checkIntervalMs` (the timer does not keep the process alive). */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.#checkIntervalMs);
    this.#timer.unref();
  }

  /** Compares the replicas' replayed positions with the primary's (one round; rounds never overlap). */
  check(): Promise<void> {
    this.#checking ??= this.#checkOnce().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #checkOnce(): Promise<void> {
    if (this.#closed) return;
    const at = Date.now();
    let primaryLsn: bigint;
    try {
      primaryLsn = lsnValue((await this.#primary<{ lsn: string }>(PRIMARY_SQL))[0]!.lsn);
    } catch {
      return; // Without the primary's position nothing is known to be fresh; replicas age out.
    }
    this.#samples.push({ at, lsn: primaryLsn });
    if (this.#barrierUnknown) {
      this.#barrier = primaryLsn > this.#barrier ? primaryLsn : this.#barrier;
      this.#barrierUnknown = false;
    }
    // Keep the samples that can still make a replica fresh (plus one older, as the lower bound).
    while (this.#samples.length > 2 && this.#samples[1]!.at < at - 2 * this.#maxLagMs) this.#samples.shift();
    await Promise.all(
      this.#replicas.map(async (replica) => {
        try {
          const replayed = lsnValue((await replica.pool.query<{ lsn: string }>(REPLAY_SQL)).rows[0]!.lsn);
          replica.replayed = replayed;
          replica.healthy = true;
          // The newest primary position this replica has replayed: it holds every commit before then.
          // None (behind every kept sample, or a replica replaced by one further behind): older than
          // the oldest sample, which is more than twice the bound ago, so not usable.
          let freshAsOf = Math.min(replica.freshAsOf, this.#samples[0]!.at - 1);
          for (let i = this.#samples.length - 1; i >= 0; i--) {
            if (this.#samples[i]!.lsn <= replayed) {
              freshAsOf = this.#samples[i]!.at;
              break;
            }
          }
          replica.freshAsOf = freshAsOf;
        } catch {
          replica.healthy = false;
        }
      }),
    );
  }

  /**
   * Called right after a write commits here, or a change notice arrives: until a replica has
   * replayed the primary's position from after that moment, reads stay on the primary.
   */
  noteWrite(): void {
    if (this.#replicas.length === 0) return;
    this.#pendingBarriers++;
    this.#primary<{ lsn: string }>(PRIMARY_SQL).then(
      (rows) => {
        const lsn = lsnValue(rows[0]!.lsn);
        if (lsn > this.#barrier) this.#barrier = lsn;
      },
      () => {
        this.#barrierUnknown = true;
      },
    ).finally(() => {
      this.#pendingBarriers--;
    });
  }

  /** Whether a read may go to `replica` now: healthy, within the bound, past the barrier (known). */
  #usable(replica: Replica, now: number): boolean {
    if (this.#pendingBarriers > 0 || this.#barrierUnknown) return false;
    return replica.healthy && now - replica.freshAsOf <= this.#maxLagMs && replica.replayed >= this.#barrier;
  }

  /** A replica fresh enough for a read now, round robin; null when the primary must answer. */
  #pick(): Replica | null {
    const now = Date.now();
    for (let i = 0; i < this.#replicas.length; i++) {
      const replica = this.#replicas[(this.#next + i) % this.#replicas.length]!;
      if (this.#usable(replica, now)) {
        this.#next = (this.#next + i + 1) % this.#replicas.length;
        return replica;
      }
    }
    return null;
  }

  /** Runs a read on a fresh replica, or on the primary (also when the replica fails). */
  query: Query = async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = [], options: { name?: string } = {}): Promise<Row[]> => {
    const replica = this.#pick();
    if (replica) {
      try {
        const result = await replica.pool.query<Row>(options.name ? { name: options.name, text, values: params as unknown[] } : { text, values: params as unknown[] });
        this.#stats.replicaReads++;
        return result.rows;
      } catch {
        // Stopped, restarted or cancelled by recovery: the primary answers, the replica waits for a good check.
        replica.healthy = false;
        this.#stats.fallbacks++;
      }
    }
    this.#stats.primaryReads++;
    return this.#primary<Row>(text, params, options);
  };

  stats(): ReadRouterStats {
    const now = Date.now();
    return {
      ...this.#stats,
      replicas: this.#replicas.map((r) => ({ host: r.host, usable: this.#usable(r, now), healthy: r.healthy, lagMs: Number.isFinite(r.freshAsOf) ? Math.max(0, now - r.freshAsOf) : null })),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#checking?.catch(() => {});
    await Promise.all(this.#replicas.map((r) => r.pool.end().catch(() => {})));
  }
}

/** host:port of a connection string, without credentials (for stats and logs). */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'replica';
  }
}
