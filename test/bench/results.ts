/**
 * The shapes of `pnpm bench`'s results (kept raw in test/bench/.results/*.json) and the two ways
 * they are read: medians, and service/baseline ratios paired by round. Shared by the report
 * (run.ts) and the side-by-side table of runs at several sizes (scale-table.ts).
 */
import type { LoadReport } from './data.ts';
import type { LoadResult } from './load-driver.ts';
import { median } from './common.ts';

export type DbKind = 'postgres' | 'pglite';

export interface HttpRow {
  db: DbKind;
  system: 'baseline' | 'graphql' | 'rest' | 'page' | 'badge' | 'graphql-nocache' | 'rest-nocache' | 'graphql-zipf' | 'rest-zipf' | 'graphql-zipf-heap-limit' | 'baseline-zipf' | 'graphql-nocache-replica';
  connections: number;
  round: number;
  result: LoadResult;
  cpuUsPerRequest: number | null;
  cacheHitRate: number | null;
  /** RSS of the server process right after the run. */
  rss: number | null;
  /** Lookup cache entries after the run (service only). */
  cacheEntries: number | null;
  /** Share of verify's database reads answered by the replica (replica row only). */
  replicaShare?: number | null;
}
export interface VerifyManyRow {
  db: DbKind;
  via: 'in-process' | 'graphql';
  size: number;
  state: 'cold' | 'hot';
  ms: number[];
  sqlQueries: number[];
  driverQueries: number[];
  /** The unmeasured calls of this size before the timed ones (ms), the first a process made of that size. */
  warmupMs?: number[];
}
export interface DbResult {
  db: DbKind;
  available: boolean;
  why?: string;
  load?: LoadReport;
  migrateMs?: number;
  serverVersion?: string;
  /** PostgreSQL: its buffer pool and whether it may sit in huge pages (a new connection's first statements depend on it: pg-backend-warmup.ts). */
  serverMemory?: string;
  http: HttpRow[];
  verifyMany: VerifyManyRow[];
  rss: { system: string; round: number; rss: number; heapUsed: number }[];
  restAvailable: boolean;
  restNote: string;
  /** The check page's answer and the live badge (services/api/src/web) are served by the bench service. */
  webAvailable: boolean;
  webNote: string;
  routes: string[];
  agreement?: { sample: number; same: number; differences: Record<string, number>; restSame: number | null; errors: number };
  graphqlVerifyManyNote?: string;
  startMs: { system: string; ms: number }[];
  prefilled: number[];
  zipfPrefilled: number[];
  /** The lookup cache after the Zipf runs: `ring` is its own account (ring, index, lookalikes); `bytes` what clearing it freed on the heap and in buffers. */
  cacheMemory: { entries: number; bytes: number | null; heap?: number; buffers?: number; ring?: { liveBytes: number; ringBytesTouched: number; indexBytes: number; lookalikeBytes: number } }[];
  replicaAgreement?: { sample: number; same: number };
  /** PostgreSQL: pg_database_size after the load. */
  databaseBytes?: number;
  /** PostgreSQL: the relations read into the OS page cache before measuring (pg_prewarm), or why not. */
  prewarm?: { bytes: number; ms: number } | string;
}

/** The median of one figure over rows. */
export function medianOf(rows: HttpRow[], pick: (r: HttpRow) => number): number {
  return median(rows.map(pick));
}

/** Service / baseline requests per second, paired by round and connections, then the median. */
export function pairedRatio(service: HttpRow[], baseline: HttpRow[]): number {
  const ratios: number[] = [];
  for (const s of service) {
    const b = baseline.find((x) => x.round === s.round && x.connections === s.connections);
    if (b) ratios.push(s.result.rps / b.result.rps);
  }
  return median(ratios);
}
