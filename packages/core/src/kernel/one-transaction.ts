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
    // Reads inside the transaction saw its own writes and may have cached them: clear the cache
    // once it has ended, whether its data is now visible (committed; read it back from the
    // primary until a read replica has it) or never will be (rolled back).
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
  return { ...ctx, prisma, db: { ...ctx.db, prisma, sql, readSql: sql } };
}
