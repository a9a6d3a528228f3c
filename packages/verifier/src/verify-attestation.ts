/**
 * Verifies a trust attestation the way a platform does, offline except for the issuer's key set
 * and status list (both cached): signature with the issuer's keys, `alg` in
 * `['EdDSA', 'ES256']`, `typ: trust-mark+jwt`, issuer, `iat`/`nbf`/`exp`, claim shape, then the
 * attestation's entry in its status list (itself a verified `statuslist+jwt` from the same
 * issuer, whose `sub` is the URI it was fetched from).
 *
 * The status-list URI must lie under the issuer (same origin, inside the issuer's path):
 * otherwise the attestation is refused with FOREIGN_STATUS_LIST and nothing is fetched, so a
 * token cannot send a verifier to a server of someone else's choosing, nor have its status
 * answered by one.
 *
 * @module
 */
import { parseAttestationClaims } from './attestation-format.ts';
import type { AttestationClaims } from './attestation-format.ts';
import { VerifierError, VerifierErrorCode, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import { ATTESTATION_TYP, STATUS_LIST_TYP } from './formats.ts';
import { assertVerifyOptions, verifyTypedJwt } from './jwt.ts';
import { resolveKeySet, uriUnderIssuer } from './keys.ts';
import type { KeySourceOptions } from './keys.ts';
import { StatusValue, readStatus, verifyStatusListToken } from './status-list.ts';
import { StatusListCache } from './status-list-cache.ts';

/**
 * The live status of an attestation as read from its status list; `UNKNOWN` when the check was
 * skipped.
 *
 * @example
 * ```ts
 * const s: AttestationStatus = 'VALID';
 * ```
 */
export type AttestationStatus = 'VALID' | 'SUSPENDED' | 'INVALID' | 'UNKNOWN';

/**
 * Options of {@link verifyAttestation}.
 *
 * @example
 * ```ts
 * const options: VerifyAttestationOptions = {
 *   issuer: 'https://registry.example.vn',
 *   jwksUrl: 'https://registry.example.vn/.well-known/jwks.json',
 *   statusList: new StatusListCache(),
 * };
 * ```
 */
export interface VerifyAttestationOptions extends KeySourceOptions {
  /** The expected `iss`: the alliance's issuer URL. Required. */
  issuer: string;
  /** The time to check against (default: now). */
  now?: Date;
  /** Seconds of clock skew tolerated on `iat`, `nbf`, `exp` (default 0). */
  clockTolerance?: number;
  /**
   * How to learn the live status: `'fetch'` (default) fetches the status list, caching it in a
   * process-wide {@link defaultStatusListCache}; a {@link StatusListCache} of your own does the same
   * with yours; `'skip'` does not look (the result's status is `UNKNOWN`).
   */
  statusList?: 'fetch' | 'skip' | StatusListCache;
}

/**
 * The result of {@link verifyAttestation}. When the statement itself verified but its status did
 * not allow it (SUSPENDED, REVOKED, STATUS_UNAVAILABLE), the failure also carries the verified
 * `claims`, so a platform can say whose badge it was.
 *
 * @example
 * ```ts
 * const r: AttestationVerification = await verifyAttestation(jws, options);
 * if (r.valid) console.log(r.claims.sub, r.status);
 * else console.log(r.errors[0].code);
 * ```
 */
export type AttestationVerification =
  | { valid: true; claims: AttestationClaims; status: 'VALID' | 'UNKNOWN' }
  | (VerificationFailure & { claims?: AttestationClaims; status?: AttestationStatus });

/**
 * The cache `statusList: 'fetch'` uses: one per process (or page), keyed by issuer and list URI.
 *
 * @example
 * ```ts
 * defaultStatusListCache.clear(); // forget every list, e.g. after a known revocation
 * ```
 */
export const defaultStatusListCache = new StatusListCache();

async function fetchStatusListToken(uri: string, fetchImpl: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(uri, {
      method: 'GET',
      headers: { accept: `application/${STATUS_LIST_TYP}` },
      ...(typeof AbortSignal.timeout === 'function' ? { signal: AbortSignal.timeout(10_000) } : {}),
    });
  } catch (err) {
    throw new VerifierError(VerifierErrorCode.STATUS_UNAVAILABLE, `status list ${uri} could not be fetched: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (response.status !== 200) {
    throw new VerifierError(VerifierErrorCode.STATUS_UNAVAILABLE, `status list ${uri} answered HTTP ${response.status}`);
  }
  return (await response.text()).trim();
}

/**
 * Whether `uri` lies under `issuer`: an http(s) URL of the same origin, without credentials,
 * whose (normalised) path is the issuer's path or below it.
 *
 * @example
 * ```ts
 * statusListUriUnderIssuer('https://registry.example.vn/status-lists/1', 'https://registry.example.vn'); // true
 * statusListUriUnderIssuer('https://evil.example/status-lists/1', 'https://registry.example.vn'); // false
 * ```
 */
export const statusListUriUnderIssuer = uriUnderIssuer;

const STATUS_NAMES: Record<number, AttestationStatus> = {
  [StatusValue.VALID]: 'VALID',
  [StatusValue.INVALID]: 'INVALID',
  [StatusValue.SUSPENDED]: 'SUSPENDED',
};

/**
 * Verifies a trust attestation (`typ: trust-mark+jwt`) and its live status. Never throws for a bad
 * token: returns `{ valid: false, errors }` with a {@link VerifierErrorCode} (`errors[0]` is the
 * decisive one). Throws `TypeError` only on misuse (no issuer; neither `jwks` nor `jwksUrl`).
 *
 * Status: VALID → `valid: true`; SUSPENDED → `SUSPENDED`; INVALID → `REVOKED`; a list that cannot
 * be fetched or trusted, or that does not cover the index → `STATUS_UNAVAILABLE` (followed by the
 * underlying reason).
 *
 * @example
 * ```ts
 * const issuer = 'https://registry.example.vn';
 * const r = await verifyAttestation(jws, { issuer, jwksUrl: jwksUrlFor(issuer) });
 * if (r.valid) showBadge(r.claims);
 * else if (r.errors[0].code === 'SUSPENDED') showSuspended(r.claims);
 * else rejectBadge(r.errors);
 * ```
 */
export async function verifyAttestation(jws: string, options: VerifyAttestationOptions): Promise<AttestationVerification> {
  assertVerifyOptions(options);
  const mode = options.statusList ?? 'fetch';
  if (mode !== 'fetch' && mode !== 'skip' && !(mode instanceof StatusListCache)) {
    throw new TypeError("options.statusList must be 'fetch', 'skip' or a StatusListCache");
  }
  const getKey = resolveKeySet(options);
  const { issuer, now, clockTolerance } = options;

  let claims: AttestationClaims;
  try {
    const { payload } = await verifyTypedJwt(jws, {
      typ: ATTESTATION_TYP,
      issuer,
      getKey,
      now,
      clockTolerance,
      requiredClaims: ['sub', 'iat', 'exp', 'jti'],
    });
    claims = parseAttestationClaims(payload);
  } catch (err) {
    if (err instanceof VerifierError) return failure(err);
    throw err;
  }

  if (mode === 'skip') return { valid: true, claims, status: 'UNKNOWN' };

  const cache = mode === 'fetch' ? defaultStatusListCache : mode;
  const { idx, uri } = claims.status.status_list;
  if (!statusListUriUnderIssuer(uri, issuer)) {
    return { ...failure(new VerifierError(VerifierErrorCode.FOREIGN_STATUS_LIST, `the status list ${uri} is not under the issuer ${issuer}; it was not fetched`)), claims };
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const load = async () => {
    const token = await fetchStatusListToken(uri, fetchImpl);
    const list = await verifyStatusListToken(token, {
      issuer,
      jwks: getKey,
      uri,
      ...(now === undefined ? {} : { now }),
      ...(clockTolerance === undefined ? {} : { clockTolerance }),
    });
    if (!list.valid) {
      const [first] = list.errors;
      throw new VerifierError(first?.code ?? VerifierErrorCode.MALFORMED, `status list ${uri}: ${first?.message ?? 'invalid'}`);
    }
    return list;
  };

  let statuses: Uint8Array;
  try {
    // The time asked about: the caller's, else the cache's clock.
    const asked = now?.getTime();
    let entry = await cache.load(issuer, uri, load, asked);
    // A cached list whose token has expired by the time asked about is not used.
    const at = asked ?? Date.now();
    if (entry.claims.exp !== undefined && entry.claims.exp * 1000 <= at - (clockTolerance ?? 0) * 1000) {
      cache.delete(issuer, uri);
      entry = await cache.load(issuer, uri, load, asked);
    }
    statuses = entry.statuses;
  } catch (err) {
    if (!(err instanceof VerifierError)) throw err;
    const unavailable = new VerifierError(VerifierErrorCode.STATUS_UNAVAILABLE, `the status of this attestation could not be established (${uri})`);
    const issues = err.code === VerifierErrorCode.STATUS_UNAVAILABLE ? [err] : [unavailable, err];
    return { ...failure(...issues), claims };
  }

  const value = readStatus(statuses, idx);
  const status = value === undefined ? undefined : STATUS_NAMES[value];
  if (status === 'VALID') return { valid: true, claims, status };
  if (status === 'SUSPENDED') {
    return { ...failure(new VerifierError(VerifierErrorCode.SUSPENDED, `the badge is suspended (status list ${uri}, index ${idx})`)), claims, status };
  }
  if (status === 'INVALID') {
    return { ...failure(new VerifierError(VerifierErrorCode.REVOKED, `the badge is revoked (status list ${uri}, index ${idx})`)), claims, status };
  }
  const why = value === undefined ? `index ${idx} is outside the list` : `index ${idx} holds unrecognised status ${value}`;
  return { ...failure(new VerifierError(VerifierErrorCode.STATUS_UNAVAILABLE, `status list ${uri}: ${why}`)), claims };
}
