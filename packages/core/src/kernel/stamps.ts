/**
 * The time of a change to a subject's history (a badge, a member's status, an account admin's
 * ownership). `write` reads the clock before its transaction starts; a request that then waits
 * for the subject's row lock behind a later-stamped change (or runs on a replica whose clock is
 * behind) would otherwise append an event stamped before the one it waited for, and the history
 * that `verify` replays "as of" a moment (ordered by time) would end in another state than the
 * current-state columns that "now" reads.
 */

/**
 * The clock, unless the subject's latest recorded change is at or after it: then 1 ms after that
 * change (the columns keep milliseconds). `latest` is null when the subject has no history yet.
 * Call it after locking the subject's row, so no other writer can record a later change meanwhile.
 * The transparency-log entry keeps the write's clock time: the log is ordered by its own index.
 */
export function stampAfter(clock: Date, latest: Date | null): Date {
  return latest === null || clock > latest ? clock : new Date(latest.getTime() + 1);
}
