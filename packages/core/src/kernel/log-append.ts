/**
 * Appending registry events to the transparency log (docs/ARCHITECTURE.md, "Signed formats"): each event becomes a
 * leaf H(0x00 ‖ canonical JSON) at the next index. Appends take a table lock, so indices stay
 * dense and ordered even with concurrent writers; the lock is held only to the commit.
 */
import { canonicalJson, leafHash } from '@trust-alliance/verifier';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * One registry event as it enters the log. Only identifiers, statuses, public reason
 * categories, hashes and keyed commitments: never a member's personal data, a private reason,
 * a report's text or an allegation no officer confirmed (privacy/commitments.ts), and account
 * keys only in public form (privacy/public-account.ts).
 */
export interface LogEvent {
  kind: string;
  subject: string;
  data: Record<string, string | number | boolean | null | string[]>;
}

/** Appends `event` inside the caller's transaction and returns its index. */
export async function appendLogEntry(tx: Prisma.TransactionClient, event: LogEvent, at: Date): Promise<number> {
  await tx.$executeRawUnsafe('LOCK TABLE "LogEntry" IN SHARE ROW EXCLUSIVE MODE');
  const [{ next }] = await tx.$queryRawUnsafe<Array<{ next: number }>>('SELECT COALESCE(MAX(idx) + 1, 0)::int AS next FROM "LogEntry"');
  const payload = canonicalJson({ ...event, at: at.toISOString(), idx: next });
  const hash = await leafHash(new TextEncoder().encode(payload));
  await tx.logEntry.create({ data: { idx: next, kind: event.kind, payload, leafHash: new Uint8Array(hash), createdAt: at } });
  return next;
}
