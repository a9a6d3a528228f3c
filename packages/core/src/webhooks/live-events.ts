/**
 * The live view (issue 15): the same events the caller's subscriptions receive, streamed as they
 * commit (the GraphQL subscription over Server-Sent Events reads this). It follows the outbox by
 * its sequence, so events committed by any replica reach every listener; the same
 * authorization applies as for the subscriptions themselves.
 */
import type { Actor, RegistryContext } from '../kernel/context.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { WebhookEventPayload } from './event-types.ts';
import { SUBSCRIPTION_ID } from './subscriptions.ts';

export interface LiveEventsOptions {
  /** Only the events of this subscription (default: of every subscription the caller owns). */
  subscriptionId?: string | null;
  /** How often to look for new events (default 500 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Events for the caller's watch lists from now on, until `signal` aborts.
 *
 * @example for await (const event of liveWebhookEvents(ctx, actor, { signal })) console.log(event.type);
 */
export function liveWebhookEvents(ctx: RegistryContext, actor: Actor, options: LiveEventsOptions = {}): AsyncIterableIterator<WebhookEventPayload> & { return(): Promise<IteratorResult<WebhookEventPayload>> } {
  // Closing the stream (a client gone: GraphQL calls return()) ends the polling at once, not at the next event.
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const events = follow(ctx, actor, { ...options, signal: stop.signal });
  const iterator = {
    next: () => events.next(),
    return: async () => {
      stop.abort();
      return events.return(undefined);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

async function* follow(ctx: RegistryContext, actor: Actor, options: LiveEventsOptions): AsyncGenerator<WebhookEventPayload, void> {
  if (actor.role !== 'PLATFORM' && actor.role !== 'BUSINESS' && actor.role !== 'OFFICER' && actor.role !== 'ADMIN' && actor.role !== 'SYSTEM') {
    throw new ForbiddenError('WEBHOOK_ROLES', 'Live webhook events are for PLATFORM and BUSINESS tokens (OFFICER and ADMIN see all)');
  }
  const seeAll = actor.role === 'OFFICER' || actor.role === 'ADMIN' || actor.role === 'SYSTEM';
  const subscriptionId = options.subscriptionId ?? null;
  if (subscriptionId !== null) {
    if (!SUBSCRIPTION_ID.test(subscriptionId)) throw new NotFoundError('WebhookSubscription', subscriptionId.slice(0, 100), 'subscriptionId');
    const found = await ctx.prisma.webhookSubscription.findFirst({ where: { id: subscriptionId, ...(seeAll ? {} : { ownerId: actor.id }) }, select: { id: true } });
    if (!found) throw new NotFoundError('WebhookSubscription', subscriptionId, 'subscriptionId');
  }
  const pollMs = options.pollMs ?? 500;
  const [{ last }] = await ctx.prisma.$queryRawUnsafe<Array<{ last: number }>>(`SELECT COALESCE(MAX(seq), -1)::int AS last FROM "OutboxEvent"`);
  let cursor = last;
  while (!options.signal?.aborted) {
    // Read the top first: a leaf's index is taken under the log's lock until its commit, so
    // every event up to a visible top has committed (none is skipped).
    const [{ top }] = await ctx.prisma.$queryRawUnsafe<Array<{ top: number }>>(`SELECT COALESCE(MAX(seq), -1)::int AS top FROM "OutboxEvent"`);
    const rows = await ctx.prisma.$queryRawUnsafe<Array<{ seq: number; payload: string }>>(
      `SELECT e.seq, e.payload FROM "OutboxEvent" e
       WHERE e.seq > $1 AND e.seq <= $5 AND EXISTS (
         SELECT 1 FROM "WebhookSubscription" s
         WHERE ($2::text IS NULL OR s.id = $2) AND ($3::boolean OR s."ownerId" = $4) AND e.type = ANY(s."eventTypes")
           AND (s."allAccounts" OR e.global OR EXISTS (
             SELECT 1 FROM "WebhookWatch" w WHERE w."subscriptionId" = s.id AND (w."accountId" = ANY(e."accountIds") OR (w."accountId" IS NULL AND w.key = ANY(e.keys))))))
       ORDER BY e.seq LIMIT 500`,
      cursor, subscriptionId, seeAll && subscriptionId === null, actor.id, top,
    );
    for (const row of rows) {
      cursor = row.seq;
      yield JSON.parse(row.payload) as WebhookEventPayload;
    }
    // Events matched by nobody still move the cursor forward.
    if (rows.length < 500) cursor = Math.max(cursor, top);
    else continue;
    if (options.signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
