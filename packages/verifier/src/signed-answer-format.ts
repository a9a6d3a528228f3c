/**
 * The signed answer format (docs/ARCHITECTURE.md, "Signed formats"): the result of one verification (`verify(input, at?)`)
 * as a JWT with `typ: trust-verification+jwt`, so that a business can keep proof that "this page
 * was (or was not) verified at time T".
 *
 * Core signs with {@link signSignedAnswer}; anyone checks with `verifySignedAnswer`.
 *
 * @module
 */
import { SIGNED_ANSWER_TYP, signTyped } from './formats.ts';
import type { SigningKey } from './formats.ts';
import { arr, checkShape, numericDate, obj, oneOf, optStr, str, text } from './shape.ts';

/**
 * The verdicts a verification can give about an account.
 *
 * @example
 * ```ts
 * if (claims.status === VerificationStatus.FLAGGED) warn(claims.key);
 * ```
 */
export const VerificationStatus = {
  /** The account is a verified account of a member with at least one active badge. */
  VERIFIED: 'VERIFIED',
  /** The account is known to the registry but not (yet) verified: ownership unproven, or no badge. */
  PENDING: 'PENDING',
  /** The registry does not know the account. */
  NOT_FOUND: 'NOT_FOUND',
  /** The account's badges are suspended. */
  SUSPENDED: 'SUSPENDED',
  /** The account's badges were revoked. */
  REVOKED: 'REVOKED',
  /** The account's badges expired. */
  EXPIRED: 'EXPIRED',
  /** The input could not be placed as an account on a supported platform. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A confirmed scam or impersonator account on the flag list. */
  FLAGGED: 'FLAGGED',
} as const;

/**
 * The union of {@link VerificationStatus} values.
 *
 * @example
 * ```ts
 * const s: VerificationStatus = 'VERIFIED';
 * ```
 */
export type VerificationStatus = (typeof VerificationStatus)[keyof typeof VerificationStatus];

/**
 * Status of one badge in a signed answer (at the time asked).
 *
 * @example
 * ```ts
 * const s: AnsweredBadgeStatus = 'ACTIVE';
 * ```
 */
export type AnsweredBadgeStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

const BADGE_STATUSES: readonly AnsweredBadgeStatus[] = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'];

/**
 * Why an answered status is not VERIFIED: a stable reason code (e.g. `MEMBER_SUSPENDED`,
 * `PLEDGE_LAPSED`, `BADGE_REVOKED`, `ACCOUNT_FLAGGED`) and, for flags and badge changes, the
 * public category. Messages are not signed: any reader can render the code in their language.
 *
 * @example
 * ```ts
 * const r: AnsweredReason = { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' };
 * ```
 */
export interface AnsweredReason {
  code: string;
  category?: string;
}

/**
 * One program's verdict in a signed answer.
 *
 * @example
 * ```ts
 * const p: AnsweredProgram = { program: 'KOL_TRUST', status: 'REVOKED', reason: { code: 'BADGE_REVOKED' } };
 * ```
 */
export interface AnsweredProgram {
  program: string;
  status: VerificationStatus;
  /** Null when VERIFIED. */
  reason: AnsweredReason | null;
}

/**
 * The claims of a signed answer.
 *
 * @example
 * ```ts
 * const claims: SignedAnswerClaims = {
 *   iss: 'https://registry.example.vn',
 *   iat: 1735689600,
 *   jti: 'ans_01J0',
 *   input: 'https://m.facebook.com/congan.example/?ref=share',
 *   key: 'facebook:id:100064',
 *   status: 'VERIFIED',
 *   reason: null,
 *   programs: [{ program: 'KOL_TRUST', status: 'VERIFIED', reason: null }],
 *   checked_at: 1735689600,
 *   badges: [{ id: 'bdg_1', program: 'KOL_TRUST', status: 'ACTIVE', expires_at: 1767225600 }],
 * };
 * ```
 */
export interface SignedAnswerClaims {
  /** The alliance's issuer URL. */
  iss: string;
  /** Signed at (NumericDate). */
  iat: number;
  /** Unique id of this answer. */
  jti: string;
  /** What was asked, as given: a URL, or a platform and handle. */
  input: string | { platform: string; handle: string };
  /** The canonical account key the input resolved to, or `null` when it could not be resolved. */
  key: string | null;
  /**
   * The verdict: without `program`, the best program status (VERIFIED = certified under at
   * least one program); with `program`, that program's status alone.
   */
  status: VerificationStatus;
  /** Why the verdict is not VERIFIED (null when it is). Absent in answers signed before reasons existed. */
  reason?: AnsweredReason | null;
  /** The program asked about, when one was. */
  program?: string;
  /** Each program's verdict. Absent in answers signed before programs existed. */
  programs?: AnsweredProgram[];
  /** When the registry's records were consulted (NumericDate). */
  checked_at: number;
  /** The point in time the question was about (`verify(…, at:)`), when not "now" (NumericDate). */
  at?: number;
  /** The badges of the account's member at that time. */
  badges: { id: string; program: string; status: AnsweredBadgeStatus; expires_at: number }[];
  /** The member holding the account, when found. */
  member?: { id: string; display_name: string; kind: string };
}

function checkReason(value: unknown, path: string): void {
  const r = obj(value, path);
  str(r['code'], `${path}.code`);
  optStr(r['category'], `${path}.category`);
}

function checkSignedAnswerClaims(value: unknown): SignedAnswerClaims {
  const c = obj(value, 'claims');
  str(c['iss'], 'iss');
  numericDate(c['iat'], 'iat');
  str(c['jti'], 'jti');
  const input = c['input'];
  if (typeof input !== 'string') {
    const i = obj(input, 'input');
    // An INVALID_INPUT answer records the input as given, which may lack its platform or handle.
    const part = c['status'] === 'INVALID_INPUT' ? text : str;
    part(i['platform'], 'input.platform');
    part(i['handle'], 'input.handle');
  }
  if (c['key'] !== null) str(c['key'], 'key');
  oneOf(c['status'], Object.values(VerificationStatus), 'status');
  if (c['reason'] !== undefined && c['reason'] !== null) checkReason(c['reason'], 'reason');
  if (c['program'] !== undefined) str(c['program'], 'program');
  if (c['programs'] !== undefined) {
    arr(c['programs'], 'programs', (item, path) => {
      const p = obj(item, path);
      str(p['program'], `${path}.program`);
      oneOf(p['status'], Object.values(VerificationStatus), `${path}.status`);
      if (p['reason'] !== null) checkReason(p['reason'], `${path}.reason`);
    });
  }
  numericDate(c['checked_at'], 'checked_at');
  if (c['at'] !== undefined) numericDate(c['at'], 'at');
  arr(c['badges'], 'badges', (item, path) => {
    const b = obj(item, path);
    str(b['id'], `${path}.id`);
    str(b['program'], `${path}.program`);
    oneOf(b['status'], BADGE_STATUSES, `${path}.status`);
    numericDate(b['expires_at'], `${path}.expires_at`);
  });
  if (c['member'] !== undefined) {
    const m = obj(c['member'], 'member');
    str(m['id'], 'member.id');
    str(m['display_name'], 'member.display_name');
    str(m['kind'], 'member.kind');
  }
  return value as SignedAnswerClaims;
}

/**
 * Checks that a verified payload has the signed-answer shape; throws a `MALFORMED`
 * `VerifierError` naming the first bad claim.
 *
 * @example
 * ```ts
 * const claims = parseSignedAnswerClaims(payload);
 * ```
 */
export function parseSignedAnswerClaims(payload: unknown): SignedAnswerClaims {
  return checkShape('verify', 'signed answer', () => checkSignedAnswerClaims(payload));
}

/**
 * Signs a verification answer with `typ: trust-verification+jwt`. Throws `TypeError` on a bad
 * claim set or key.
 *
 * @example
 * ```ts
 * const jws = await signSignedAnswer(claims, { privateKey, kid: 'k1', alg: 'EdDSA' });
 * ```
 */
export async function signSignedAnswer(claims: SignedAnswerClaims, key: SigningKey): Promise<string> {
  checkShape('sign', 'signed answer', () => checkSignedAnswerClaims(claims));
  return signTyped(SIGNED_ANSWER_TYP, claims, key);
}
