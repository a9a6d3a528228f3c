/**
 * Prometheus metrics (prom-client), served on a listener of their own (metrics-server.ts) so that
 * they are never reachable through the public port. Label values are bounded: route templates,
 * status codes, verify statuses, and at most MAX_OPERATION_NAMES GraphQL operation names
 * (a client chooses those names; the rest are counted as "other").
 */
import { Counter, Gauge, Histogram, Registry as MetricsRegistry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import type { DefinitionNode } from 'graphql';
import type { Registry } from '@trust-alliance/core';
import type { RequestRecord } from './access-log.ts';

const MAX_OPERATION_NAMES = 100;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface Metrics {
  registry: MetricsRegistry;
  /** Feed of finished requests (access-log.ts calls it). */
  onRequest(record: RequestRecord): void;
  /** Counts GraphQL operations by name and result. */
  graphqlPlugin: Plugin;
  /** Feed of webhook delivery attempts (the delivery worker's `onDelivery`). */
  onWebhookDelivery(outcome: { ok: boolean; status: number | null; attempt: number }): void;
}

/**
 * Creates the metrics of one service process over its registry. Verify answers are counted by
 * wrapping the registry's `verify` and `verifyMany` (every route and resolver goes through them).
 * @example const metrics = createMetrics(registry); await startMetricsServer(metrics, { port: 9464, host: '127.0.0.1' });
 */
export function createMetrics(registry: Registry): Metrics {
  const metrics = new MetricsRegistry();
  collectDefaultMetrics({ register: metrics, eventLoopMonitoringPrecision: 20 });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics],
  });
  const rateLimited = new Counter({ name: 'rate_limit_rejections_total', help: 'Requests refused by a rate limit (429), by route and role.', labelNames: ['route', 'role'] as const, registers: [metrics] });
  const operations = new Counter({ name: 'graphql_operations_total', help: 'GraphQL operations executed, by operation name and result (ok or error).', labelNames: ['operation', 'result'] as const, registers: [metrics] });
  const webhookDeliveries = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by result (delivered, rejected: the receiver answered non-2xx, unreachable: no answer) and whether it was a retry.',
    labelNames: ['result', 'retry'] as const,
    registers: [metrics],
  });
  const verifyAnswers = new Counter({ name: 'verify_answers_total', help: 'Verification answers given, by status.', labelNames: ['status'] as const, registers: [metrics] });
  const counterFromRegistry = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [metrics],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counterFromRegistry('lookup_cache_hits_total', 'Verify lookups answered from the lookup cache.', () => registry.counters().lookupCacheHits);
  counterFromRegistry('lookup_cache_misses_total', 'Verify lookups that went to the database.', () => registry.counters().lookupCacheMisses);
  for (const [name, help, read] of [
    ['lookup_cache_entries', 'Keys the verify lookup cache holds now.', () => registry.counters().lookupCacheEntries],
    ['lookup_cache_bytes', 'Bytes the verify lookup cache holds now: records in its ring (bounded by lookupCache.maxBytes, default 32 MiB) and lookalike answers.', () => registry.counters().lookupCacheBytes],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [metrics],
      collect() {
        this.set(read());
      },
    });
  }
  // Read replicas (DATABASE_READ_URL): where verify's database reads went.
  counterFromRegistry('verify_replica_reads_total', 'Verify database reads answered by a read replica.', () => registry.readRouting()?.replicaReads ?? 0);
  counterFromRegistry('verify_primary_reads_total', 'Verify database reads routed to the primary (no fresh replica, own writes, or fallback); 0 without replicas.', () => registry.readRouting()?.primaryReads ?? 0);
  counterFromRegistry('verify_replica_fallbacks_total', 'Verify reads that failed on a read replica and were answered by the primary.', () => registry.readRouting()?.fallbacks ?? 0);
  counterFromRegistry('status_list_rebuilds_total', 'Status List Tokens signed again rather than served as stored.', () => registry.counters().statusListRebuilds);

  // The PostgreSQL pool, read at scrape time from pg's own counters (nothing per query); absent on PGlite.
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool: connections open by state (idle, in_use), queries waiting for a connection, and the pool size limit (max). Not reported on embedded PGlite.',
    labelNames: ['state'] as const,
    registers: [metrics],
    collect() {
      this.reset();
      const pool = registry.databasePool();
      if (!pool) return;
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'in_use' }, pool.total - pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
      this.set({ state: 'max' }, pool.max);
    },
  });

  const { verify, verifyMany } = registry;
  registry.verify = async (...args) => {
    const answer = await verify(...args);
    verifyAnswers.inc({ status: answer.status });
    return answer;
  };
  registry.verifyMany = async (...args) => {
    const answers = await verifyMany(...args);
    for (const answer of answers) verifyAnswers.inc({ status: answer.status });
    return answers;
  };

  const names = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  const graphqlPlugin: Plugin = {
    onExecute({ args }) {
      const operation = args.document.definitions.find((d: DefinitionNode) => d.kind === 'OperationDefinition' && (!args.operationName || d.name?.value === args.operationName));
      const name = operation && 'name' in operation ? operation.name?.value : undefined;
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          operations.inc({ operation: operationLabel(name), result: failed ? 'error' : 'ok' });
        },
      };
    },
  };

  return {
    registry: metrics,
    onRequest: (record) => {
      duration.observe({ method: record.method, route: record.route, status: String(record.status) }, record.durationMs / 1000);
      if (record.status === 429) rateLimited.inc({ route: record.route, role: record.role });
    },
    graphqlPlugin,
    onWebhookDelivery: (outcome) => {
      webhookDeliveries.inc({ result: outcome.ok ? 'delivered' : outcome.status === null ? 'unreachable' : 'rejected', retry: outcome.attempt > 1 ? 'yes' : 'no' });
    },
  };
}
