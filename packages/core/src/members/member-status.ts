/**
 * The member lifecycle of packages/core/README.md: PENDING → ACTIVE ↔ SUSPENDED, then EXPELLED or
 * WITHDRAWN, which are terminal.
 */
import type { MemberStatus } from '../generated/prisma/enums.ts';

const ALLOWED: Record<MemberStatus, readonly MemberStatus[]> = {
  PENDING: ['ACTIVE', 'EXPELLED', 'WITHDRAWN'],
  ACTIVE: ['SUSPENDED', 'EXPELLED', 'WITHDRAWN'],
  SUSPENDED: ['ACTIVE', 'EXPELLED', 'WITHDRAWN'],
  EXPELLED: [],
  WITHDRAWN: [],
};

/** True when a member may go from `from` to `to`. */
export function canMemberTransition(from: MemberStatus, to: MemberStatus): boolean {
  return ALLOWED[from].includes(to);
}
