/** Auth scopes shared by several fields beyond the plain ones of builder.ts. */
import type { AuthScopes } from './builder.ts';
import { rawIdOrNull } from './ids.ts';

/** OFFICER/ADMIN, or a MEMBER token for the member named by `memberId`. */
export function officerOrSelf(memberId: unknown): { $any: Partial<AuthScopes> } {
  return { $any: { officer: true, selfMember: rawIdOrNull(memberId, 'Member') ?? '' } };
}
