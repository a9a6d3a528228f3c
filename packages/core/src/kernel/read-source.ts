/**
 * Which database the reads of `verify` go to. They may be answered by a read replica (a bounded
 * moment old, storage/read-replicas.ts), except for a caller that must see its own writes: an
 * operation under an idempotency key reads from the primary. (Writes committed by this process,
 * and those announced by change notices, are handled by the router's barrier.)
 */
import type { SqlExecutor } from '../storage/sql-executor.ts';
import type { RegistryContext } from './context.ts';
import { insideIdempotentRequest } from './idempotency.ts';

/** The executor for a verification read in the current call. */
export function verificationReads(ctx: RegistryContext): Pick<SqlExecutor, 'query'> {
  return insideIdempotentRequest() ? ctx.db.sql : ctx.db.readSql;
}
