/**
 * The one rule for the value of an attestation's status-list entry. It reads the same facts as
 * `verify` (badge, member, pledge standing) through the same pure rules of badges/standing.ts,
 * so an offline verifier that checks the list agrees with the online answer:
 *
 * | facts (first match wins)                              | entry     | `verify` says         |
 * |-------------------------------------------------------|-----------|-----------------------|
 * | attestation superseded                                | INVALID   | (a newer one counts)  |
 * | member EXPELLED or WITHDRAWN                          | INVALID   | REVOKED / not verified|
 * | badge REVOKED                                         | INVALID   | REVOKED               |
 * | member SUSPENDED (or PENDING)                         | SUSPENDED | SUSPENDED             |
 * | badge SUSPENDED                                       | SUSPENDED | SUSPENDED             |
 * | pledge not in good standing (or badge past expiry)    | SUSPENDED | EXPIRED               |
 * | otherwise                                             | VALID     | VERIFIED              |
 *
 * Why: EXPELLED and WITHDRAWN are terminal (members/member-status.ts), so nothing can make the
 * attestation valid again: INVALID. A suspended member or badge can come back, and so can a
 * lapsed pledge by re-signing: SUSPENDED, which the list format allows to return to VALID (it
 * has no EXPIRED value). A PENDING member never holds a badge; if one did, it is not VALID.
 *
 * Time-based lapses (a new pledge version's grace period ending, badge expiry) are not flipped
 * by any write: they show at the next rebuild of the list (its revision moves, or the token
 * nears expiry, at most 12 h), and the attestation's own `exp`, equal to the badge's expiry,
 * already rejects an expired badge.
 */
import { StatusValue } from '@trust-alliance/verifier';
import type { MemberStatus } from '../generated/prisma/enums.ts';
import { effectiveBadgeStatus, type BadgeEventFacts } from '../badges/standing.ts';

export interface AttestationStandingFacts {
  /** A newer attestation of the badge exists. */
  superseded: boolean;
  badgeStatus: BadgeEventFacts['status'];
  badgeExpiresAt: Date;
  memberStatus: MemberStatus;
  /** `pledgeInGoodStanding` of the member at `at`. */
  pledgeGood: boolean;
}

/**
 * The status-list value of an attestation at `at`.
 *
 * @example attestationStatusValue({ superseded: false, badgeStatus: 'ACTIVE', badgeExpiresAt, memberStatus: 'SUSPENDED', pledgeGood: true }, now) // StatusValue.SUSPENDED
 */
export function attestationStatusValue(facts: AttestationStandingFacts, at: Date): StatusValue {
  if (facts.superseded) return StatusValue.INVALID;
  if (facts.memberStatus === 'EXPELLED' || facts.memberStatus === 'WITHDRAWN') return StatusValue.INVALID;
  const badge = effectiveBadgeStatus({ status: facts.badgeStatus, expiresAt: facts.badgeExpiresAt, at }, at, facts.pledgeGood);
  if (badge === 'REVOKED') return StatusValue.INVALID;
  if (facts.memberStatus !== 'ACTIVE') return StatusValue.SUSPENDED;
  return badge === 'ACTIVE' ? StatusValue.VALID : StatusValue.SUSPENDED;
}
