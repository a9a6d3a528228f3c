/**
 * The delivery worker (issue 15): sends the outbox's deliveries at least once, in order per
 * subscription, with exponential backoff and jitter for up to `maxAgeMs` (72 h), then marks the
 * delivery FAILED and pauses the subscription (PAUSED_FAILING, with the reason). It also
 * announces what happens by time (badge expiries, pledges lapsing at the end of a grace period),
 * once each.
 *
 * One worker holds a subscription at a time: it takes a lease on the subscription row with
 * `FOR UPDATE SKIP LOCKED`, so with several replicas on one PostgreSQL database exactly one
 * sends a given event (a replica killed mid-delivery leaves a lease that runs out; what it was
 * sending is then sent again, with the same `webhook-id`). On the embedded database the single
 * process clears stale leases at start.
 */
import { randomUUID } from 'node:crypto';
import { write, type RegistryContext } from '../kernel/context.ts';
import { sqlStamp } from '../verification/lookup-sql.ts';
import { postWebhook, type SendLimits } from './endpoint.ts';
import { signatureHeaders } from './signatures.ts';

export interface DeliveryWorkerOptions {
  /** Subscriptions served at once (default 8). */
  concurrency?: number;
  /** How often to look for work when nothing woke the worker (default 500 ms). */
  pollMs?: number;
  /**
   * After a wake, wait this long before claiming (default 20 ms), so a burst of writes is sent in
   * one round per subscription instead of one round (five statements) per write.
   */
  coalesceMs?: number;
  /** First retry after about this long (default 5 s), doubling each time. */
  retryBaseMs?: number;
  /** Longest wait between two attempts (default 1 h). */
  retryMaxDelayMs?: number;
  /** After this long failing, a delivery is FAILED and its subscription paused (default 72 h). */
  maxAgeMs?: number;
  /** A worker's hold on a subscription, renewed while it works (default 30 s). */
  leaseMs?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Bytes of a response read at most (default 64 KiB). */
  maxResponseBytes?: number;
  /** How often to look for badges whose expiry has passed (default 30 s; 0: never). */
  expiryCheckMs?: number;
  /** Expiries older than this when first seen are not announced (default 7 days): no flood at first start. */
  expiryLookbackMs?: number;
  /** Called with each outcome (metrics, logs). */
  onDelivery?: (outcome: { subscriptionId: string; eventId: string; ok: boolean; status: number | null; error: string | null; attempt: number }) => void;
  onError?: (error: unknown) => void;
}

export interface DeliveryWorker {
  readonly id: string;
  /** Looks for work now. */
  wake(): void;
  /** Stops taking work, aborts requests in flight (they will be sent again) and releases its leases. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  url: string;
  secret: Uint8Array;
  previousSecret: Uint8Array | null;
  previousSecretUntil: Date | null;
}

/** Delay before attempt `attempts + 1`: exponential with jitter (half to all of the step). */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Starts a worker over the registry's context (Registry.startWebhookDelivery binds it).
 *
 * @example const worker = startDeliveryWorker(ctx, { pollMs: 200 }); … await worker.stop();
 */
export function startDeliveryWorker(ctx: RegistryContext, options: DeliveryWorkerOptions = {}): DeliveryWorker {
  const id = `worker_${randomUUID()}`;
  const concurrency = options.concurrency ?? 8;
  const pollMs = options.pollMs ?? 500;
  const coalesceMs = options.coalesceMs ?? 20;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 3_600_000;
  const maxAgeMs = options.maxAgeMs ?? 72 * 3_600_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const expiryCheckMs = options.expiryCheckMs ?? 30_000;
  const expiryLookbackMs = options.expiryLookbackMs ?? 7 * 24 * 3_600_000;
  const limits: SendLimits = { timeoutMs: options.timeoutMs ?? 10_000, maxResponseBytes: options.maxResponseBytes ?? 65_536, allowLoopback: ctx.webhooks?.allowLoopback === true };
  const onError = options.onError ?? ((error: unknown) => console.error('webhook delivery:', error));
  const abort = new AbortController();
  const active = new Map<string, Promise<void>>();
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  ctx.webhooks?.wakers.add(wake);

  const claim = async (count: number): Promise<Claimed[]> => {
    const now = ctx.now();
    return ctx.prisma.$queryRawUnsafe<Claimed[]>(
      `UPDATE "WebhookSubscription" s SET "leasedBy" = $1, "leaseUntil" = $2::timestamp
       WHERE s.id IN (
         SELECT c.id FROM "WebhookSubscription" c
         WHERE c.status = 'ACTIVE' AND (c."leaseUntil" IS NULL OR c."leaseUntil" < $3::timestamp) AND NOT (c.id = ANY($5::text[]))
           AND EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."subscriptionId" = c.id AND d.status = 'PENDING' AND d."nextAttemptAt" <= $3::timestamp)
         ORDER BY c."leaseUntil" NULLS FIRST LIMIT $4 FOR UPDATE SKIP LOCKED)
         AND (s."leaseUntil" IS NULL OR s."leaseUntil" < $3::timestamp)
       RETURNING s.id, s.url, s.secret, s."previousSecret", s."previousSecretUntil"`,
      id, sqlStamp(new Date(now.getTime() + leaseMs)), sqlStamp(now), count, [...active.keys()],
    );
  };

  /** Renews the lease; false when it was lost or the subscription is no longer ACTIVE. */
  const renew = async (subscriptionId: string): Promise<boolean> => {
    const n = await ctx.prisma.$executeRawUnsafe(
      `UPDATE "WebhookSubscription" SET "leaseUntil" = $3::timestamp WHERE id = $1 AND "leasedBy" = $2 AND status = 'ACTIVE'`,
      subscriptionId, id, sqlStamp(new Date(ctx.now().getTime() + leaseMs)),
    );
    return n === 1;
  };

  const release = async (subscriptionId: string) => {
    await ctx.prisma.$executeRawUnsafe(`UPDATE "WebhookSubscription" SET "leasedBy" = NULL, "leaseUntil" = NULL WHERE id = $1 AND "leasedBy" = $2`, subscriptionId, id);
  };

  /** Records deliveries as DELIVERED in one statement (a crash before it only means they are sent again). */
  const recordDelivered = async (subscriptionId: string, done: Array<{ seq: number; createdAt: Date; status: number; at: Date }>) => {
    if (done.length === 0) return;
    await ctx.prisma.$executeRawUnsafe(
      `UPDATE "WebhookDelivery" d SET status = 'DELIVERED', attempts = d.attempts + 1, "lastAttemptAt" = u.at, "deliveredAt" = u.at, "lastStatusCode" = u.code, "lastError" = NULL
       FROM unnest($2::int[], $3::timestamp[], $4::int[], $5::timestamp[]) AS u(seq, created, code, at)
       WHERE d."subscriptionId" = $1 AND d."eventSeq" = u.seq AND d."createdAt" = u.created AND d.status = 'PENDING'`,
      subscriptionId, done.map((d) => d.seq), done.map((d) => sqlStamp(d.createdAt)), done.map((d) => d.status), done.map((d) => sqlStamp(d.at)),
    );
    done.length = 0;
  };

  const serve = async (sub: Claimed): Promise<void> => {
    const secrets = [ctx.personal.open(sub.secret, `webhook-secret:${sub.id}`)];
    if (sub.previousSecret && sub.previousSecretUntil && sub.previousSecretUntil > ctx.now()) secrets.push(ctx.personal.open(sub.previousSecret, `webhook-secret-previous:${sub.id}`));
    const url = new URL(sub.url);
    let renewedAt = Date.now();
    // Successes are recorded in batches (every 50, or 200 ms, and before anything else is written).
    const delivered: Array<{ seq: number; createdAt: Date; status: number; at: Date }> = [];
    let flushedAt = Date.now();
    try {
      for (;;) {
        if (stopping) return;
        const due = await ctx.prisma.$queryRawUnsafe<Array<{ eventSeq: number; attempts: number; nextAttemptAt: Date; createdAt: Date; id: string; payload: string }>>(
          `SELECT d."eventSeq", d.attempts, d."nextAttemptAt", d."createdAt", e.id, e.payload FROM "WebhookDelivery" d JOIN "OutboxEvent" e ON e.seq = d."eventSeq"
           WHERE d."subscriptionId" = $1 AND d.status = 'PENDING' AND NOT (d."eventSeq" = ANY($2::int[])) ORDER BY d."eventSeq" LIMIT 100`,
          sub.id, delivered.map((d) => d.seq),
        );
        if (due.length === 0) return;
        for (const d of due) {
          if (stopping) return;
          // In order: the oldest pending event waits for its retry, and everything after it too.
          if (new Date(d.nextAttemptAt) > ctx.now()) return;
          if (Date.now() - renewedAt > leaseMs / 3) {
            await recordDelivered(sub.id, delivered);
            if (!(await renew(sub.id))) return;
            renewedAt = Date.now();
          }
          const key = await ctx.keys.current().catch(() => null);
          const headers = await signatureHeaders({ id: d.id, timestamp: new Date(), body: d.payload, secrets, key });
          const outcome = await postWebhook(url, headers, d.payload, limits, abort.signal);
          // Stopped mid-request: leave it PENDING, it is sent again (at least once).
          if (stopping && !outcome.ok) return;
          const at = ctx.now();
          const attempt = d.attempts + 1;
          options.onDelivery?.({ subscriptionId: sub.id, eventId: d.id, ok: outcome.ok, status: outcome.status, error: outcome.ok ? null : outcome.error, attempt });
          if (outcome.ok) {
            delivered.push({ seq: d.eventSeq, createdAt: new Date(d.createdAt), status: outcome.status, at });
            if (delivered.length >= 50 || Date.now() - flushedAt > 200) {
              await recordDelivered(sub.id, delivered);
              flushedAt = Date.now();
            }
            continue;
          }
          await recordDelivered(sub.id, delivered);
          // (`createdAt` guards each update: a redelivery queued meanwhile is not taken as done.)
          const error = outcome.error.slice(0, 500);
          if (at.getTime() - new Date(d.createdAt).getTime() >= maxAgeMs) {
            await ctx.prisma.$transaction([
              ctx.prisma.webhookDelivery.updateMany({ where: { subscriptionId: sub.id, eventSeq: d.eventSeq, status: 'PENDING', createdAt: d.createdAt }, data: { status: 'FAILED', attempts: attempt, lastAttemptAt: at, lastStatusCode: outcome.status, lastError: error } }),
              ctx.prisma.webhookSubscription.update({
                where: { id: sub.id },
                data: { status: 'PAUSED_FAILING', statusReason: `paused by the registry at ${at.toISOString()}: event ${d.id} could not be delivered for ${Math.round(maxAgeMs / 60_000)} minutes (last: ${error}); resume to send the rest`, updatedAt: at },
              }),
            ]);
            return;
          }
          await ctx.prisma.webhookDelivery.updateMany({
            where: { subscriptionId: sub.id, eventSeq: d.eventSeq, status: 'PENDING', createdAt: d.createdAt },
            data: { attempts: attempt, lastAttemptAt: at, lastStatusCode: outcome.status, lastError: error, nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempt, retryBaseMs, retryMaxDelayMs)) },
          });
          return;
        }
        // A short page was everything pending when it was read: what came since wakes the worker.
        if (due.length < 100) return;
      }
    } finally {
      await recordDelivered(sub.id, delivered);
    }
  };

  /** Announces an event that happened by time, once per kind, subject and moment (whichever replica is first). */
  const announce = async (kind: string, subject: string, moment: Date, data: Record<string, string | number>) => {
    await write(ctx, async (tx, at) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO "TimedEventNotice" (kind, subject, at, "createdAt") VALUES ($1, $2, $3::timestamp, $4::timestamp) ON CONFLICT DO NOTHING`,
        kind, subject, sqlStamp(moment), sqlStamp(at),
      );
      return { result: null, events: inserted === 1 ? [{ kind, subject, data }] : [] };
    });
  };

  /** Badge expiries and pledge lapses whose time has passed (not older than the lookback). */
  const announceTimedEvents = async () => {
    const now = ctx.now();
    const since = sqlStamp(new Date(now.getTime() - expiryLookbackMs));
    const expired = await ctx.prisma.$queryRawUnsafe<Array<{ id: string; expiresAt: Date }>>(
      `SELECT b.id, b."expiresAt" FROM "Badge" b
       WHERE b.status <> 'REVOKED' AND b."expiresAt" <= $1::timestamp AND b."expiresAt" > $2::timestamp
         AND NOT EXISTS (SELECT 1 FROM "TimedEventNotice" n WHERE n.kind = 'badge.expired' AND n.subject = b.id AND n.at = b."expiresAt")
       ORDER BY b."expiresAt" LIMIT 200`,
      sqlStamp(now), since,
    );
    for (const badge of expired) {
      if (stopping) return;
      await announce('badge.expired', badge.id, new Date(badge.expiresAt), { expiresAt: new Date(badge.expiresAt).toISOString() });
    }
    // A member who signed an earlier version but not this one lapses when its grace period ends.
    const lapsed = await ctx.prisma.$queryRawUnsafe<Array<{ memberId: string; version: number; graceEndsAt: Date }>>(
      `SELECT m.id AS "memberId", pv.version, pv."graceEndsAt" FROM "PledgeVersion" pv JOIN "Member" m ON m.status = 'ACTIVE'
       WHERE pv.status <> 'DRAFT' AND pv."graceEndsAt" <= $1::timestamp AND pv."graceEndsAt" > $2::timestamp
         AND EXISTS (SELECT 1 FROM "PledgeSignature" ps JOIN "PledgeVersion" old ON old.id = ps."pledgeVersionId" WHERE ps."memberId" = m.id AND old.version < pv.version)
         AND NOT EXISTS (SELECT 1 FROM "PledgeSignature" ps JOIN "PledgeVersion" cur ON cur.id = ps."pledgeVersionId" WHERE ps."memberId" = m.id AND cur.version >= pv.version AND ps."withdrawnAt" IS NULL)
         AND NOT EXISTS (SELECT 1 FROM "TimedEventNotice" n WHERE n.kind = 'pledge.lapsed' AND n.subject = m.id AND n.at = pv."graceEndsAt")
       LIMIT 200`,
      sqlStamp(now), since,
    );
    for (const row of lapsed) {
      if (stopping) return;
      await announce('pledge.lapsed', row.memberId, new Date(row.graceEndsAt), { version: row.version, graceEndsAt: new Date(row.graceEndsAt).toISOString() });
    }
  };

  const loop = async () => {
    if (ctx.db.kind === 'pglite') {
      // One process owns the embedded database: any lease in it is a crashed run's.
      await ctx.prisma.$executeRawUnsafe(`UPDATE "WebhookSubscription" SET "leasedBy" = NULL, "leaseUntil" = NULL WHERE "leasedBy" IS NOT NULL`);
    }
    let lastExpiryCheck = 0;
    while (!stopping) {
      woken = false;
      try {
        if (expiryCheckMs > 0 && Date.now() - lastExpiryCheck >= expiryCheckMs) {
          lastExpiryCheck = Date.now();
          await announceTimedEvents();
        }
        const free = concurrency - active.size;
        const claimed = free > 0 ? await claim(free) : [];
        for (const sub of claimed) {
          const task = serve(sub)
            .catch(onError)
            .finally(async () => {
              await release(sub.id).catch(onError);
              active.delete(sub.id);
              wake();
            });
          active.set(sub.id, task);
        }
        if (claimed.length > 0 && claimed.length === free) continue;
      } catch (error) {
        if (stopping) break;
        onError(error);
      }
      if (stopping) continue;
      if (woken) {
        if (coalesceMs > 0) await new Promise((resolve) => setTimeout(resolve, coalesceMs));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  };
  const running = loop();

  return {
    id,
    wake,
    async stop() {
      if (stopping) return running;
      stopping = true;
      ctx.webhooks?.wakers.delete(wake);
      abort.abort();
      wakeUp?.();
      await running;
      await Promise.allSettled([...active.values()]);
    },
  };
}
