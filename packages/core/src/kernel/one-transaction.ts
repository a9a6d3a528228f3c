/**
 * Several registry operations as one transaction, for work that must happen whole or not at all
 * (loading a data set such as the demo seed). Every operation already runs in a transaction of its
 * own through `write`; here they all run inside one outer transaction instead: the context's
 * Prisma client is the transaction's, and its `$transaction` runs the inner work in place, so a
 * failure anywhere rolls back everything, transparency-log entries included.
 *
 * Signing-key administration (rotate, compromise) opens transactions of its own and must not be
 * called inside; nothing else needs more than the context.
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { RegistryContext } from './context.ts';
import type { SqlExecutor } from '../storage/sql-executor.ts';
import { LookupCache } from './lookup-cache.ts';

/** Longest time the one transaction may stay open (a data set on a slow machine). */
export const ONE_TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `work` with a context bound to one transaction; commits when it resolves, rolls
 * everything back when it throws.
 *
 * @example
 * await inOneTransaction(ctx, async (scoped) => { await registerMember(scoped, a); await registerMember(scoped, b); });
 */
export async function inOneTransaction<T>(ctx: RegistryContext, work: (scoped: RegistryContext) => Promise<T>): Promise<T> {
  try {
    return await ctx.prisma.$transaction((tx) => work(scopedContext(ctx, tx)), { timeout: ONE_TRANSACTION_TIMEOUT_MS, maxWait: 60_000 });
  } finally {
    // Its writes cleared only the transaction's own cache: clear the shared one now that they
    // are visible (and read them back from the primary until a read replica has them). After a
    // rollback nothing changed, and clearing costs only refills.
    ctx.db.noteWrite();
    ctx.lookups.clear();
  }
}

function scopedContext(ctx: RegistryContext, tx: Prisma.TransactionClient): RegistryContext {
  const inPlace = (arg: unknown) => (Array.isArray(arg) ? Promise.all(arg) : (arg as (client: unknown) => Promise<unknown>)(prisma));
  const prisma = new Proxy(tx, { get: (target, prop, receiver) => (prop === '$transaction' ? inPlace : Reflect.get(target, prop, receiver)) }) as unknown as PrismaClient;
  const query = async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) => tx.$queryRawUnsafe<Row[]>(text, ...params);
  const exec = async (text: string) => {
    await tx.$executeRawUnsafe(text);
  };
  // Raw reads go through the transaction too: they must see its own writes, and the embedded
  // database has one connection, which the transaction holds.
  const sql: SqlExecutor = { exec, query, transaction: (inner) => inner({ exec, query }) };
  // A lookup cache of the transaction's own: what its reads see includes its uncommitted writes,
  // which no other caller may be answered from (the shared cache is cleared when it ends). Small:
  // a transaction looks up a handful of keys, and its ring is allocated only if it stores one.
  return { ...ctx, prisma, db: { ...ctx.db, prisma, sql, readSql: sql }, lookups: new LookupCache({ maxEntries: 4_096, maxBytes: 1024 * 1024 }) };
}
