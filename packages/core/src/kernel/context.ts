/**
 * What every registry operation works with: the database, the sealed box for personal data,
 * the clock, and `write`, which runs an operation in one transaction together with its
 * transparency-log entry, so that no change is ever half done or unlogged.
 */
import type { PrismaClient, Prisma } from '../generated/prisma/client.ts';
import type { Database } from '../storage/database.ts';
import type { SealedBox } from '../privacy/sealed-box.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import type { MemberKeys } from '../privacy/member-keys.ts';
import type { DataKeys } from '../privacy/data-key.ts';
import { appendLogEntry, type LogEvent } from './log-append.ts';
import type { KeyStore } from './key-store.ts';
import type { LookupCache } from './lookup-cache.ts';
import { CHANGE_CHANNEL } from '../storage/change-feed.ts';
import { claimIdempotencyKey } from './idempotency.ts';

/** A Prisma client bound to one transaction. */
export type Tx = Prisma.TransactionClient;

/** Who does something: kept in history, never in public answers. */
export interface Actor {
  id: string;
  role: 'ADMIN' | 'OFFICER' | 'PLATFORM' | 'BUSINESS' | 'MEMBER' | 'PUBLIC' | 'SYSTEM';
}

/** The system itself (migrations, seeds, scheduled lapses). */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'SYSTEM' };

export interface RegistryContext {
  readonly db: Database;
  readonly prisma: PrismaClient;
  readonly personal: SealedBox;
  /** Members' own data keys (privacy/member-keys.ts): their personal data is sealed under them. */
  readonly memberKeys: MemberKeys;
  /** The configured master data keys (current, and the retiring one): only key rotation uses them. */
  readonly dataKeys: DataKeys;
  /** Keyed pseudonyms of personal values that are compared but never kept. */
  readonly pseudonyms: Pseudonyms;
  readonly now: () => Date;
  /** The alliance's issuer URL: `iss` of everything the registry signs. */
  readonly issuer: string;
  readonly keys: KeyStore;
  /** Hot verification lookups; cleared by every committed change. */
  readonly lookups: LookupCache;
  /** Seconds a verifier may cache a status list: the `ttl` of served Status List Tokens. */
  readonly statusListTtlSeconds: number;
  /** Work counters an operator watches (read through `Registry.counters()`). */
  readonly counters: { statusListRebuilds: number };
  /**
   * Writes the domain events of a write's log events to the outbox, inside its transaction
   * (set by the registry to webhooks/outbox.ts; the kernel imports no domain).
   */
  readonly outbox?: OutboxWriter;
  /** Called after a write that wrote log events commits (wakes this process's delivery worker). */
  readonly afterCommit?: () => void;
  /** Webhook settings: `allowLoopback` is the unsafe development setting; `wakers` hear `afterCommit`. */
  readonly webhooks?: { readonly allowLoopback: boolean; readonly wakers: Set<() => void> };
}

/** See {@link RegistryContext.outbox}: each log event with the index of its leaf. */
export type OutboxWriter = (tx: Tx, events: ReadonlyArray<LogEvent & { idx: number }>, at: Date) => Promise<void>;

export interface WriteOptions {
  /**
   * False for writes that cannot change any answer of `verify` (a webhook subscription, a data
   * subject's request): the lookup caches of every replica are then kept, no change notice is
   * sent and reads need not wait for a replica. Default true.
   */
  changesAnswers?: boolean;
}

/**
 * Runs `work` in one transaction and appends the events it returns to the transparency log
 * inside that same transaction.
 */
export async function write<T>(ctx: RegistryContext, work: (tx: Tx, at: Date) => Promise<{ result: T; events: LogEvent[] }>, options: WriteOptions = {}): Promise<T> {
  const changesAnswers = options.changesAnswers ?? true;
  const at = ctx.now();
  const outcome = await ctx.prisma.$transaction(
    async (tx) => {
      const idempotency = await claimIdempotencyKey(tx, at);
      if (idempotency && 'replay' in idempotency) return { replayed: true as const, result: idempotency.replay as T, events: [] };
      const out = await work(tx, at);
      await idempotency?.store(out.result);
      const logged: Array<LogEvent & { idx: number }> = [];
      for (const event of out.events) logged.push({ ...event, idx: await appendLogEntry(tx, event, at) });
      // Webhook events commit with the change that causes them, or not at all.
      if (ctx.outbox && logged.length > 0) await ctx.outbox(tx, logged, at);
      // Delivered to other replicas only if this transaction commits.
      if (changesAnswers && ctx.db.kind === 'postgres') await tx.$executeRawUnsafe('SELECT pg_notify($1, $2)', CHANGE_CHANNEL, ctx.lookups.id);
      return { replayed: false as const, ...out };
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  // Caches of this process drop what the write changed; other replicas hear the notice. Reads
  // that may go to a read replica stay on the primary until a replica has replayed this commit.
  if (!outcome.replayed && changesAnswers) {
    ctx.db.noteWrite();
    ctx.lookups.clear();
  }
  if (!outcome.replayed && outcome.events.length > 0) ctx.afterCommit?.();
  return outcome.result;
}

/** Locks one row for the rest of the transaction, so concurrent writers of it queue. */
export async function lockRow(tx: Tx, table: 'Badge' | 'Member' | 'Account' | 'OwnershipChallenge' | 'Report' | 'PledgeVersion', id: string): Promise<boolean> {
  // Table names come from the closed union above, never from input.
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "${table}" WHERE id = $1 FOR UPDATE`, id);
  return rows.length === 1;
}
