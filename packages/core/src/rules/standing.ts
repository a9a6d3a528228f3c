/**
 * Pure facts of standing, for any moment: whether a member's pledge is in good standing (and
 * why not), and what state a badge was in. Badge issuance and the one decision of
 * rules/decision.ts (verify, status lists, signed answers) share them, so they cannot disagree.
 */

export interface PledgeVersionFacts {
  version: number;
  effectiveAt: Date | null;
  graceEndsAt: Date | null;
}

export interface SignatureFacts {
  version: number;
  signedAt: Date;
  withdrawnAt: Date | null;
}

/**
 * True when, at `at`, the member holds a signature of the version then in force, or of the
 * previous version while the new version's grace period runs.
 *
 * @example pledgeInGoodStanding(versions, signatures, new Date())
 */
export function pledgeInGoodStanding(versions: readonly PledgeVersionFacts[], signatures: readonly SignatureFacts[], at: Date): boolean {
  const inForce = versions
    .filter((v) => v.effectiveAt !== null && v.effectiveAt <= at)
    .sort((a, b) => b.version - a.version);
  const current = inForce[0];
  if (!current) return false;
  const signedAt = (version: number) =>
    signatures.some((s) => s.version === version && s.signedAt <= at && (s.withdrawnAt === null || s.withdrawnAt > at));
  if (signedAt(current.version)) return true;
  const previous = inForce[1];
  return previous !== undefined && current.graceEndsAt !== null && at < current.graceEndsAt && signedAt(previous.version);
}

/**
 * Why a member's pledge is, or is not, in good standing at a moment: GOOD, WITHDRAWN (their
 * last signature by then was withdrawn) or LAPSED (no signature of the version in force, nor
 * of the previous one while its grace runs).
 */
export type PledgeStanding = 'GOOD' | 'LAPSED' | 'WITHDRAWN';

/**
 * {@link pledgeInGoodStanding}, telling a withdrawal from a lapse.
 * @example pledgeStanding(versions, signatures, new Date()) // 'LAPSED'
 */
export function pledgeStanding(versions: readonly PledgeVersionFacts[], signatures: readonly SignatureFacts[], at: Date): PledgeStanding {
  if (pledgeInGoodStanding(versions, signatures, at)) return 'GOOD';
  let last: SignatureFacts | null = null;
  for (const s of signatures) if (s.signedAt <= at && (last === null || s.signedAt >= last.signedAt)) last = s;
  return last !== null && last.withdrawnAt !== null && last.withdrawnAt <= at ? 'WITHDRAWN' : 'LAPSED';
}

/** A badge's shown status at a moment: the decision of rules/decision.ts folds in the member and the pledge. */
export type EffectiveBadgeStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

export interface BadgeEventFacts {
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  expiresAt: Date;
  at: Date;
  /** The public reason category of the event (e.g. CODE_OF_CONDUCT_VIOLATION); absent when not fetched. */
  category?: string | null;
}

/** The badge as it stood at `at` (null if it did not exist yet). Events must be in time order. */
export function badgeAt(events: readonly BadgeEventFacts[], at: Date): BadgeEventFacts | null {
  let last: BadgeEventFacts | null = null;
  for (const event of events) {
    if (event.at > at) break;
    last = event;
  }
  return last;
}
