/**
 * The value of an attestation's status-list entry. It is the per-badge decision of
 * rules/decision.ts (`decideBadge`, mapped by `listValueOf`), the same rules `verify` answers
 * with, so an offline verifier that checks the list agrees with the online answer. The table
 * of what each combination of facts gives in every channel is "The rule table" in
 * packages/core/README.md; the one rule added here is that a superseded attestation is INVALID
 * (a newer one of the badge counts).
 *
 * Time-based lapses (a new pledge version's grace period ending, badge expiry) are not flipped
 * by any write: they show at the next rebuild of the list (its revision moves, or the token
 * nears expiry, at most 12 h), and the attestation's own `exp`, equal to the badge's expiry,
 * already rejects an expired badge.
 */
import { StatusValue } from '@trust-alliance/verifier';
import type { MemberStatus } from '../generated/prisma/enums.ts';
import type { BadgeEventFacts, PledgeStanding } from '../rules/standing.ts';
import { decideBadge, listValueOf } from '../rules/decision.ts';

export interface AttestationStandingFacts {
  /** A newer attestation of the badge exists. */
  superseded: boolean;
  badgeStatus: BadgeEventFacts['status'];
  badgeExpiresAt: Date;
  memberStatus: MemberStatus;
  /** `pledgeStanding` of the member at `at`. */
  pledge: PledgeStanding;
  /** A flag stands on an account the attestation names. */
  flagged: boolean;
}

/**
 * The status-list value of an attestation at `at`.
 *
 * @example attestationStatusValue({ superseded: false, badgeStatus: 'ACTIVE', badgeExpiresAt, memberStatus: 'SUSPENDED', pledge: 'GOOD', flagged: false }, now) // StatusValue.SUSPENDED
 */
export function attestationStatusValue(facts: AttestationStandingFacts, at: Date): StatusValue {
  if (facts.superseded) return StatusValue.INVALID;
  const decision = decideBadge({
    memberStatus: facts.memberStatus,
    badge: { status: facts.badgeStatus, expiresAt: facts.badgeExpiresAt, at },
    pledge: facts.pledge,
    flagCategory: facts.flagged ? 'FLAGGED' : null,
  }, at);
  return listValueOf(decision.status);
}
