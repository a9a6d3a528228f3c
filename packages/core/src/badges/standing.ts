/**
 * Pure rules that decide, for any moment, whether a member's pledge is in good standing and
 * what a badge's effective status is. `verify` (now or "as of") and badge issuance share them,
 * so the library and the API can never disagree.
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

/** A badge's effective status at a moment: stored status, plus expiry by time and pledge lapse. */
export type EffectiveBadgeStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

export interface BadgeEventFacts {
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  expiresAt: Date;
  at: Date;
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

/** Combines the stored status with time and the pledge. */
export function effectiveBadgeStatus(state: BadgeEventFacts, at: Date, pledgeGood: boolean): EffectiveBadgeStatus {
  if (state.status === 'REVOKED') return 'REVOKED';
  if (state.expiresAt <= at) return 'EXPIRED';
  if (state.status === 'SUSPENDED') return 'SUSPENDED';
  return pledgeGood ? 'ACTIVE' : 'EXPIRED';
}
