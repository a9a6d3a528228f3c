/**
 * The IETF OAuth Token Status List (draft-ietf-oauth-status-list), as used for badges: 2 bits per
 * entry (VALID 0, INVALID 1, SUSPENDED 2), entry `i` in byte `floor(i * bits / 8)` counting bits
 * from the least significant, the byte array compressed with DEFLATE in the ZLIB format
 * (RFC 1950/1951) and base64url-encoded as `lst` in the `status_list: { bits, lst }` claim of a
 * JWT with `typ: statuslist+jwt`, whose `sub` is the list's own URI.
 *
 * Everything here runs on Web APIs only (`CompressionStream`, `DecompressionStream`).
 *
 * @module
 */
import { base64url } from 'jose';
import { VerifierError, VerifierErrorCode, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import { STATUS_LIST_TYP, signTyped } from './formats.ts';
import type { SigningKey } from './formats.ts';
import { assertVerifyOptions, verifyTypedJwt } from './jwt.ts';
import { resolveKeySet, uriUnderIssuer } from './keys.ts';
import type { KeySourceOptions } from './keys.ts';
import { ShapeError, checkShape, numericDate, obj, str } from './shape.ts';

/**
 * The status values of the draft's registry used by the registry. `0x03` is
 * application-specific and unused: verifiers treat it as "status unavailable".
 *
 * @example
 * ```ts
 * readStatus(statuses, 42) === StatusValue.SUSPENDED;
 * ```
 */
export const StatusValue = {
  /** The attestation is valid. */
  VALID: 0,
  /** The attestation was revoked: superseded, badge REVOKED, or member expelled or withdrawn. */
  INVALID: 1,
  /** The attestation is suspended (badge or member SUSPENDED, or the pledge lapsed); can return to VALID. */
  SUSPENDED: 2,
} as const;

/**
 * The union of {@link StatusValue} values.
 *
 * @example
 * ```ts
 * const v: StatusValue = StatusValue.VALID;
 * ```
 */
export type StatusValue = (typeof StatusValue)[keyof typeof StatusValue];

/**
 * Bits per entry in the registry's lists.
 *
 * @example
 * ```ts
 * const lst = await encodeStatusList(statuses, STATUS_LIST_BITS);
 * ```
 */
export const STATUS_LIST_BITS = 2;

/**
 * Bit sizes the draft allows.
 *
 * @example
 * ```ts
 * STATUS_LIST_BIT_SIZES.includes(bits);
 * ```
 */
export const STATUS_LIST_BIT_SIZES = [1, 2, 4, 8] as const;

/**
 * A bit size the draft allows.
 *
 * @example
 * ```ts
 * const bits: StatusListBits = 2;
 * ```
 */
export type StatusListBits = (typeof STATUS_LIST_BIT_SIZES)[number];

/** Largest decompressed list accepted (16 MiB: 64 million 2-bit entries), against zip bombs. */
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function assertBits(bits: unknown): asserts bits is StatusListBits {
  if (!(STATUS_LIST_BIT_SIZES as readonly unknown[]).includes(bits)) {
    throw new TypeError(`bits must be one of 1, 2, 4, 8, got ${String(bits)}`);
  }
}

/**
 * Packs one status per entry into the draft's byte array (entry `i` at byte `floor(i*bits/8)`,
 * starting at bit `(i*bits) % 8` counted from the least significant bit). Throws `RangeError`
 * when a value does not fit in `bits`.
 *
 * @example
 * ```ts
 * packStatuses(Uint8Array.of(1, 0, 0, 1, 1, 1, 0, 1), 1); // Uint8Array [0xb9]
 * ```
 */
export function packStatuses(values: Uint8Array | readonly number[], bits: StatusListBits = STATUS_LIST_BITS): Uint8Array {
  assertBits(bits);
  const perByte = 8 / bits;
  const max = (1 << bits) - 1;
  const bytes = new Uint8Array(Math.ceil(values.length / perByte));
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`status ${i} is ${String(v)}, which does not fit in ${bits} bits`);
    const byte = Math.floor(i / perByte);
    bytes[byte] = (bytes[byte] as number) | (v << ((i % perByte) * bits));
  }
  return bytes;
}

/**
 * Unpacks the draft's byte array into one status per entry (`bytes.length * 8 / bits` entries;
 * the padding entries of the last byte read as 0).
 *
 * @example
 * ```ts
 * unpackStatuses(Uint8Array.of(0xb9), 1); // Uint8Array [1, 0, 0, 1, 1, 1, 0, 1]
 * ```
 */
export function unpackStatuses(bytes: Uint8Array, bits: StatusListBits = STATUS_LIST_BITS): Uint8Array {
  assertBits(bits);
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const values = new Uint8Array(bytes.length * perByte);
  for (let i = 0; i < values.length; i++) {
    values[i] = ((bytes[Math.floor(i / perByte)] as number) >> ((i % perByte) * bits)) & mask;
  }
  return values;
}

async function pipe(data: Uint8Array, transform: CompressionStream | DecompressionStream, maxBytes: number): Promise<Uint8Array> {
  const copy = new Uint8Array(data.length);
  copy.set(data);
  const reader = new Blob([copy]).stream().pipeThrough(transform).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Encodes statuses (one per entry) as the `lst` string: packed, ZLIB/DEFLATE-compressed,
 * base64url. Throws `RangeError` when a value does not fit in `bits`.
 *
 * @example
 * ```ts
 * const lst = await encodeStatusList(Uint8Array.of(0, 2, 1)); // 2 bits per entry
 * ```
 */
export async function encodeStatusList(values: Uint8Array | readonly number[], bits: StatusListBits = STATUS_LIST_BITS): Promise<string> {
  const packed = packStatuses(values, bits);
  const compressed = await pipe(packed, new CompressionStream('deflate'), Number.POSITIVE_INFINITY);
  return base64url.encode(compressed);
}

/**
 * Decodes an `lst` string into one status per entry. Throws a `MALFORMED` `VerifierError` when
 * the string is not base64url, not ZLIB data, or decompresses past `maxBytes` (16 MiB default).
 *
 * @example
 * ```ts
 * await decodeStatusList('eNrbuRgAAhcBXQ', 1); // Uint8Array [1,0,0,1,1,1,0,1, 1,1,0,0,0,1,0,1]
 * ```
 */
export async function decodeStatusList(lst: string, bits: StatusListBits = STATUS_LIST_BITS, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
  assertBits(bits);
  if (typeof lst !== 'string' || !/^[A-Za-z0-9_-]+$/.test(lst)) {
    throw new VerifierError(VerifierErrorCode.MALFORMED, 'status list "lst" is not a base64url string');
  }
  let packed: Uint8Array;
  try {
    packed = await pipe(base64url.decode(lst), new DecompressionStream('deflate'), options.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (err) {
    throw new VerifierError(VerifierErrorCode.MALFORMED, `status list "lst" does not decode: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return unpackStatuses(packed, bits);
}

/**
 * The status of entry `idx` of a decoded list, or `undefined` when the list does not reach it.
 *
 * @example
 * ```ts
 * const statuses = await decodeStatusList(claims.status_list.lst, claims.status_list.bits);
 * readStatus(statuses, 42); // 0 (VALID), 1 (INVALID), 2 (SUSPENDED), or undefined
 * ```
 */
export function readStatus(decoded: Uint8Array, idx: number): number | undefined {
  if (!Number.isSafeInteger(idx) || idx < 0 || idx >= decoded.length) return undefined;
  return decoded[idx];
}

/**
 * The claims of a Status List Token.
 *
 * @example
 * ```ts
 * const claims: StatusListClaims = {
 *   iss: 'https://registry.example.vn',
 *   sub: 'https://registry.example.vn/status/1',
 *   iat: 1735689600,
 *   exp: 1735776000,
 *   ttl: 300,
 *   status_list: { bits: 2, lst: 'eNo76fITAAPfAgc' },
 * };
 * ```
 */
export interface StatusListClaims {
  /**
   * The issuer: the same as the attestations that point here. The registry always sets it; the
   * current Token Status List draft no longer requires it, so a list without it is accepted when
   * its URI lies under the expected issuer and it verifies with the issuer's keys.
   */
  iss?: string;
  /** The list's own URI, equal to `status.status_list.uri` of the attestations. */
  sub: string;
  /** Issued at (NumericDate). */
  iat: number;
  /** Expires at (NumericDate). */
  exp?: number;
  /** Seconds a verifier may cache this token before fetching a fresh one. */
  ttl?: number;
  /** The list. */
  status_list: { bits: StatusListBits; lst: string };
}

/**
 * What {@link signStatusList} needs: the claims, with the statuses themselves instead of `lst`.
 *
 * @example
 * ```ts
 * const input: StatusListInput = { iss, sub: listUri, iat: now, exp: now + 86400, ttl: 300, statuses };
 * ```
 */
export interface StatusListInput {
  iss: string;
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
  /** One status per entry. */
  statuses: Uint8Array | readonly number[];
  /** Bits per entry (default 2). */
  bits?: StatusListBits;
}

function checkStatusListClaims(value: unknown): StatusListClaims {
  const c = obj(value, 'claims');
  if (c['iss'] !== undefined) str(c['iss'], 'iss');
  str(c['sub'], 'sub');
  numericDate(c['iat'], 'iat');
  if (c['exp'] !== undefined) numericDate(c['exp'], 'exp');
  if (c['ttl'] !== undefined) {
    const ttl = c['ttl'];
    if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) throw new ShapeError('ttl must be a positive number');
  }
  const list = obj(c['status_list'], 'status_list');
  if (!(STATUS_LIST_BIT_SIZES as readonly unknown[]).includes(list['bits'])) throw new ShapeError('status_list.bits must be one of 1, 2, 4, 8');
  str(list['lst'], 'status_list.lst');
  return value as StatusListClaims;
}

/**
 * Encodes `input.statuses` and signs the Status List Token (`typ: statuslist+jwt`). Throws
 * `TypeError`/`RangeError` on bad input.
 *
 * @example
 * ```ts
 * const jwt = await signStatusList(
 *   { iss, sub: 'https://registry.example.vn/status/1', iat: now, ttl: 300, statuses },
 *   { privateKey, kid: 'k1', alg: 'EdDSA' },
 * );
 * ```
 */
export async function signStatusList(input: StatusListInput, key: SigningKey): Promise<string> {
  if (input === null || typeof input !== 'object') throw new TypeError('status list input is required');
  const bits = input.bits ?? STATUS_LIST_BITS;
  assertBits(bits);
  const claims: StatusListClaims = {
    iss: input.iss,
    sub: input.sub,
    iat: input.iat,
    ...(input.exp === undefined ? {} : { exp: input.exp }),
    ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
    status_list: { bits, lst: await encodeStatusList(input.statuses, bits) },
  };
  checkShape('sign', 'status list', () => checkStatusListClaims(claims));
  return signTyped(STATUS_LIST_TYP, claims, key);
}

/**
 * Options of {@link verifyStatusListToken}.
 *
 * @example
 * ```ts
 * const options: VerifyStatusListOptions = { issuer, jwksUrl: jwksUrlFor(issuer), uri };
 * ```
 */
export interface VerifyStatusListOptions extends KeySourceOptions {
  /** The expected `iss`. */
  issuer: string;
  /** The URI the list was fetched from; must equal the token's `sub`. */
  uri: string;
  /** The time to check `iat`/`exp` against (default: now). */
  now?: Date;
  /** Seconds of clock skew tolerated (default 0). */
  clockTolerance?: number;
  /** Largest decompressed list accepted, in bytes (default 16 MiB). */
  maxBytes?: number;
}

/**
 * The result of {@link verifyStatusListToken}: the claims and the decoded statuses, or the errors.
 *
 * @example
 * ```ts
 * const r: StatusListVerification = await verifyStatusListToken(jwt, options);
 * if (r.valid) readStatus(r.statuses, 42);
 * ```
 */
export type StatusListVerification = { valid: true; claims: StatusListClaims; statuses: Uint8Array } | VerificationFailure;

/**
 * Verifies a Status List Token: signature with the issuer's keys, `alg` in
 * {@link ACCEPTED_ALGORITHMS}, `typ: statuslist+jwt`, `iss` (when present; without it, `uri`
 * must lie under the issuer), `iat`/`exp`, `sub` equal to `uri`, and a decodable list. Never throws for a bad token; throws `TypeError` on misuse.
 *
 * @example
 * ```ts
 * const r = await verifyStatusListToken(jwt, { issuer, jwks, uri: 'https://registry.example.vn/status/1' });
 * if (!r.valid) console.log(r.errors[0].code);
 * ```
 */
export async function verifyStatusListToken(jwt: string, options: VerifyStatusListOptions): Promise<StatusListVerification> {
  assertVerifyOptions(options);
  if (typeof options.uri !== 'string' || options.uri === '') throw new TypeError('options.uri must be a non-empty string');
  const getKey = resolveKeySet(options);
  try {
    const { payload } = await verifyTypedJwt(jwt, {
      typ: STATUS_LIST_TYP,
      issuer: options.issuer,
      issuerOptional: true,
      getKey,
      now: options.now,
      clockTolerance: options.clockTolerance,
      requiredClaims: ['sub', 'iat', 'status_list'],
    });
    const claims = checkShape('verify', 'status list', () => checkStatusListClaims(payload));
    // Without `iss`, the list is the issuer's only by where it lives (and whose keys signed it).
    if (claims.iss === undefined && !uriUnderIssuer(options.uri, options.issuer)) {
      throw new VerifierError(VerifierErrorCode.WRONG_ISSUER, `a status list without "iss" must be served under the issuer ${options.issuer}, not at ${options.uri}`);
    }
    if (claims.sub !== options.uri) {
      throw new VerifierError(VerifierErrorCode.MALFORMED, `status list "sub" is ${claims.sub}, expected ${options.uri}`);
    }
    const statuses = await decodeStatusList(claims.status_list.lst, claims.status_list.bits, {
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
    return { valid: true, claims, statuses };
  } catch (err) {
    if (err instanceof VerifierError) return failure(err);
    throw err;
  }
}
