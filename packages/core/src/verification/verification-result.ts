/**
 * What `verify` answers for one input. Public by design: no personal data, no private reason.
 */
import type { Platform } from '../accounts/platform.ts';
import type { EffectiveBadgeStatus } from '../badges/standing.ts';

/** The overall answer for an account. */
export const VerificationStatus = {
  /** A member with proven ownership holds an active badge. */
  VERIFIED: 'VERIFIED',
  /** The registry does not know this account. */
  NOT_FOUND: 'NOT_FOUND',
  /** Known, but not (yet) verified: ownership unproven, or no badge. */
  PENDING: 'PENDING',
  /** The badge or the member is suspended. */
  SUSPENDED: 'SUSPENDED',
  /** The badge was revoked (or the member expelled). */
  REVOKED: 'REVOKED',
  /** The badge ran out (by time, or the pledge lapsed). */
  EXPIRED: 'EXPIRED',
  /** On the flag list: a confirmed scam or impersonator account. */
  FLAGGED: 'FLAGGED',
  /** The input could not be placed as an account; see `error`. */
  INVALID_INPUT: 'INVALID_INPUT',
} as const;
export type VerificationStatus = (typeof VerificationStatus)[keyof typeof VerificationStatus];

/** What the caller asked about: a URL, or a platform and handle. */
export type VerifyInput = { url: string } | { platform: Platform | string; handle: string };

export interface VerifiedBadge {
  id: string;
  program: string;
  status: EffectiveBadgeStatus;
  issuedAt: Date;
  expiresAt: Date;
}

export interface VerificationResult {
  status: VerificationStatus;
  input: VerifyInput;
  account: { platform: Platform; key: string; url: string } | null;
  member: { id: string; displayName: string; kind: string; province: string | null } | null;
  badges: VerifiedBadge[];
  flags: Array<{ category: string; since: Date }>;
  error: { code: string; message: string } | null;
  /** When the answer was computed. */
  checkedAt: Date;
  /** The moment the answer describes (= checkedAt unless `at` was given). */
  at: Date;
}
