/**
 * Lifting a flag: an officer takes an account off the flag list (a false positive, or the
 * account was recovered by its real owner). The flag row stays, with `liftedAt` set, so that
 * `verify(…, at:)` still answers FLAGGED for any moment while the flag stood; `verify` now
 * stops answering FLAGGED for that flag at once (the write clears the hot-lookup cache).
 *
 * Role checks are the caller's, as for `resolveReport`: the API allows OFFICER and ADMIN.
 */
import type { Flag } from '../generated/prisma/client.ts';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import { requireText } from '../kernel/validation.ts';
import { publicAccountKey } from '../privacy/public-account.ts';
import { commit, commitmentOpening } from '../privacy/commitments.ts';
import { reattestAccount } from '../signing/attestations.ts';

/** Longest reason accepted for lifting a flag (as for a report's resolution). */
export const MAX_LIFT_REASON_LENGTH = 5000;

export interface LiftFlagInput {
  flagId: string;
  /**
   * Why the flag is lifted (1 to {@link MAX_LIFT_REASON_LENGTH} characters). It may name
   * people, so it is kept sealed on the flag (`liftReason`, with `liftedBy`) and never enters
   * the transparency log: the log entry carries a keyed commitment to it only (an unkeyed
   * hash of a short text can be undone by guessing it).
   */
  reason: string;
}

/** What a lift reason is sealed to: it cannot be moved to another flag. */
export function liftReasonContext(flagId: string): string {
  return `flag:${flagId}:lift-reason`;
}

/** Locks the flag's row for the rest of the transaction, so two lifts of it queue. */
async function lockFlag(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>('SELECT id FROM "Flag" WHERE id = $1 FOR UPDATE', id);
  return rows.length === 1;
}

/**
 * Lifts a standing flag: `liftedAt` is set to now and a `flag.lifted` event is logged, in one
 * transaction (idempotent under an ambient key, see `withIdempotency`).
 * Unknown flag: NOT_FOUND (`field: flagId`); already lifted: INVALID_TRANSITION (from LIFTED);
 * empty or too long reason: INVALID_INPUT (`field: reason`).
 *
 * @example
 * const { flag } = await registry.resolveReport({ reportId, decision: 'CONFIRMED', resolution: '…', flagAccount: true });
 * await registry.liftFlag({ flagId: flag!.id, reason: 'Chủ tài khoản thật đã lấy lại trang' }, officer);
 */
export async function liftFlag(ctx: RegistryContext, input: LiftFlagInput, actor: Actor): Promise<Flag> {
  if (input === null || typeof input !== 'object') throw new TypeError('liftFlag takes { flagId, reason }');
  const reason = requireText(input.reason, 'reason', MAX_LIFT_REASON_LENGTH);
  const flagId = input.flagId;
  if (typeof flagId !== 'string') throw new ValidationError('flagId must be text', 'flagId');
  return write(ctx, async (tx, at) => {
    if (!(await lockFlag(tx, flagId))) throw new NotFoundError('Flag', flagId, 'flagId');
    const current = await tx.flag.findUniqueOrThrow({ where: { id: flagId } });
    if (current.liftedAt !== null) throw new InvalidTransitionError('Flag', 'LIFTED', 'LIFTED');
    const liftReason = ctx.personal.seal(reason, liftReasonContext(current.id));
    const flag = await tx.flag.update({ where: { id: current.id }, data: { liftedAt: at, liftReason, liftedBy: actor.id } });
    // The account comes back into its members' attestations (unless another flag still stands).
    await reattestAccount(ctx, tx, flag.accountKey, at);
    const reasonCommitment = commit(commitmentOpening(ctx.pseudonyms, 'flag-lift', flag.id), ['flag-lift', flag.id, reason]);
    return {
      result: flag,
      events: [{ kind: 'flag.lifted', subject: flag.id, data: { key: publicAccountKey(ctx.pseudonyms, flag.accountKey), reportId: flag.reportId, reasonCommitment, actorRole: actor.role } }],
    };
  });
}
