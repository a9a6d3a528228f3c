/**
 * What `verify` answers for one input. Public by design: no personal data, no private reason.
 */
import type { Platform } from '../accounts/platform.ts';
import type { EffectiveBadgeStatus } from '../badges/standing.ts';

/**
 * The overall answer for an account: VERIFIED, NOT_FOUND, PENDING, SUSPENDED, REVOKED, EXPIRED,
 * FLAGGED or INVALID_INPUT. Defined once in the verifier package, since signed answers carry it.
 */
export { VerificationStatus } from '@trust-alliance/verifier';
import type { VerificationStatus } from '@trust-alliance/verifier';

/** What the caller asked about: a URL, or a platform and handle. */
export type VerifyInput = { url: string } | { platform: Platform | string; handle: string };

export interface VerifiedBadge {
  id: string;
  program: string;
  status: EffectiveBadgeStatus;
  issuedAt: Date;
  expiresAt: Date;
}

/** A verified account that the asked-about account looks like (homoglyphs, one-edit typos, diacritics). */
export interface Lookalike {
  platform: string;
  /** Its key in public form (a key holding a phone number is a keyed pseudonym: privacy/public-account.ts). */
  key: string;
  /** Null when the key is shown as a pseudonym. */
  url: string | null;
  displayName: string;
}

export interface VerificationResult {
  status: VerificationStatus;
  input: VerifyInput;
  account: { platform: Platform; key: string; url: string } | null;
  member: { id: string; displayName: string; kind: string; province: string | null } | null;
  badges: VerifiedBadge[];
  flags: Array<{ category: string; since: Date }>;
  /** For NOT_FOUND and PENDING answers: verified accounts this one looks like; beware impersonation. */
  lookalikeOf: Lookalike[];
  error: { code: string; message: string } | null;
  /** When the answer was computed. */
  checkedAt: Date;
  /** The moment the answer describes (= checkedAt unless `at` was given). */
  at: Date;
}
