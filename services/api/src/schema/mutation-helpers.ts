/**
 * What every lifecycle mutation shares: the optional `idempotencyKey` argument and the scope
 * "officer, or the member itself".
 */
import type { AuthScopes } from './builder.ts';
import { rawIdOrNull } from './ids.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency.ts';

/** Options of the `idempotencyKey` argument. */
export const IDEMPOTENCY_KEY_ARG = {
  required: false,
  description: 'Retrying with the same key returns the first result and changes nothing; the same key with other input is a ConflictError.',
  validate: { minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
} as const;

/** OFFICER/ADMIN, or a MEMBER token for the member named by `memberId`. */
export function officerOrSelf(memberId: unknown): { $any: Partial<AuthScopes> } {
  return { $any: { officer: true, selfMember: rawIdOrNull(memberId, 'Member') ?? '' } };
}
