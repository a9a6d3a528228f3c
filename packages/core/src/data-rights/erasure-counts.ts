/**
 * How the transparency log learns of erasures without naming anyone (issue 17). An erasure ends a
 * membership with a `member.status` leaf naming the member (as every withdrawal does); a leaf
 * `personal-data.erased` written in the same transaction would sit right beside it, and its time
 * and order would tell a log reader whose data was erased. So an erasure writes no leaf: it waits
 * in the private PendingErasure table, and once its UTC day is over, one leaf
 * `personal-data.erasures` publishes the day's count and the count per ground, and the pending
 * rows go. The retention job publishes (`pnpm cli privacy retention`, run daily), and so does
 * `publishErasureCounts` on its own.
 *
 * What remains: a day with a single withdrawal and a count of one still lets a reader guess. The
 * aggregate removes the moment-and-order link, not the arithmetic of a quiet day.
 */
import { write, type RegistryContext, type Tx } from '../kernel/context.ts';
import type { LogEvent } from '../kernel/log-append.ts';
import { ERASURE_GROUNDS, type ErasureGround } from './erasure-grounds.ts';

/** The log kind of a day's erasure count. */
export const ERASURE_COUNT_KIND = 'personal-data.erasures';

const DAY_MS = 86_400_000;

/** Records an erasure for the next count, inside the erasure's transaction. */
export async function recordPendingErasure(tx: Tx, erasure: { id: string; ground: ErasureGround; at: Date }): Promise<void> {
  await tx.pendingErasure.create({ data: { id: erasure.id, ground: erasure.ground, erasedAt: erasure.at } });
}

/** One published day: its date (UTC, `YYYY-MM-DD`), the count, and the count per ground. */
export interface ErasureCount {
  day: string;
  count: number;
  grounds: Record<ErasureGround, number>;
}

/** The start of `at`'s UTC day. */
function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * Publishes one log leaf per whole UTC day before today that has erasures not yet counted, and
 * deletes what it counted; today's erasures wait for tomorrow. Safe to run on several replicas at
 * once: the pending rows are taken by one DELETE … RETURNING, so a row is counted once.
 *
 * @example const { days } = await publishErasureCounts(ctx); // [{ day: '2026-12-26', count: 2, grounds: { DATA_SUBJECT_REQUEST: 2, … } }]
 */
export async function publishErasureCounts(ctx: RegistryContext): Promise<{ days: ErasureCount[] }> {
  const days = await write(ctx, async (tx, at) => {
    const taken = await tx.$queryRawUnsafe<Array<{ ground: string; erasedAt: Date }>>(
      `DELETE FROM "PendingErasure" WHERE "erasedAt" < $1 RETURNING ground, "erasedAt"`,
      dayStart(at),
    );
    const byDay = new Map<string, ErasureCount>();
    for (const row of taken) {
      const day = dayStart(new Date(row.erasedAt)).toISOString().slice(0, 10);
      const entry = byDay.get(day) ?? { day, count: 0, grounds: Object.fromEntries(ERASURE_GROUNDS.map((g) => [g, 0])) as Record<ErasureGround, number> };
      entry.count += 1;
      if ((ERASURE_GROUNDS as readonly string[]).includes(row.ground)) entry.grounds[row.ground as ErasureGround] += 1;
      byDay.set(day, entry);
    }
    const result = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
    // The subject is the day: nothing in the leaf points at a member, an account or an officer.
    const events: LogEvent[] = result.map((d) => ({ kind: ERASURE_COUNT_KIND, subject: `day:${d.day}`, data: { day: d.day, count: d.count, ...d.grounds } }));
    return { result, events };
  }, { changesAnswers: false });
  return { days };
}
