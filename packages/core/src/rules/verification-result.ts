/**
 * What `verify` answers for one input. Public by design: no personal data, no private reason.
 */
import type { Platform } from '../accounts/platform.ts';
import type { EffectiveBadgeStatus } from './standing.ts';
import type { Lang, ReasonView } from './reasons.ts';

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

/** Options of `verify` and `verifyMany`. */
export interface VerifyOptions {
  /** The moment asked about (default now): from 1970 to at most 5 minutes ahead, else a ValidationError (field `at`). */
  at?: Date;
  /** Answer for this program alone (a BadgeProgram), else a ValidationError (field `program`). */
  program?: string;
  /** Language of reason messages (default `vi`). */
  lang?: Lang;
}

/** One program's answer: its status and, unless VERIFIED, why. */
export interface ProgramAnswer {
  program: string;
  status: VerificationStatus;
  reason: ReasonView | null;
}

/**
 * How an account resembles a verified one: SPELLING (homoglyphs, digits for letters, diacritics,
 * separators, one-edit typos) or NAME_REUSED (the verified name with words such as `hotro`,
 * `cskh`, `official`, a year or digits added before or after it, or its words reordered).
 */
export const LOOKALIKE_MATCHES = ['SPELLING', 'NAME_REUSED'] as const;
/** One of {@link LOOKALIKE_MATCHES}. */
export type LookalikeMatch = (typeof LOOKALIKE_MATCHES)[number];

/** A verified account that the asked-about account looks like: beware impersonation. */
export interface Lookalike {
  platform: string;
  /** Its key in public form (a key holding a phone number is a keyed pseudonym: privacy/public-account.ts). */
  key: string;
  /** Null when the key is shown as a pseudonym. */
  url: string | null;
  displayName: string;
  match: LookalikeMatch;
}

export interface VerificationResult {
  /**
   * Without `program`: the best program status (VERIFIED = certified under at least one
   * program; `programs` says which). With `program`: that program's status alone. FLAGGED
   * overrides everything. The rule table is in packages/core/README.md.
   */
  status: VerificationStatus;
  /** Why the status is not VERIFIED (null when VERIFIED), message in the asked language. */
  reason: ReasonView | null;
  /** The program asked about (`verify(…, { program })`), or null. */
  program: string | null;
  /** Each program the account's member holds a badge of (or the one asked about). */
  programs: ProgramAnswer[];
  /** The badge whose current attestation may be shown with this answer (never for FLAGGED). */
  attestedBadgeId: string | null;
  input: VerifyInput;
  account: { platform: Platform; key: string; url: string } | null;
  member: { id: string; displayName: string; kind: string; province: string | null } | null;
  badges: VerifiedBadge[];
  flags: Array<{ category: string; since: Date }>;
  /** For NOT_FOUND, PENDING and FLAGGED answers: verified accounts this one looks like; beware impersonation. */
  lookalikeOf: Lookalike[];
  error: { code: string; message: string } | null;
  /** When the answer was computed. */
  checkedAt: Date;
  /** The moment the answer describes (= checkedAt unless `at` was given). */
  at: Date;
}
