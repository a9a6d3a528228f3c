/**
 * Signed checkpoints of the transparency log: `{ origin, size, root_hash }` (the tree head, its
 * hash base64url-encoded) signed as a JWT with `typ: log-checkpoint+jwt`, and the checks that tie
 * a Merkle proof to a checkpoint (failing with `INVALID_PROOF`).
 *
 * @module
 */
import { base64url } from 'jose';
import { VerifierError, VerifierErrorCode, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import { CHECKPOINT_TYP, signTyped } from './formats.ts';
import type { SigningKey } from './formats.ts';
import { assertVerifyOptions, verifyTypedJwt } from './jwt.ts';
import { resolveKeySet } from './keys.ts';
import type { KeySourceOptions } from './keys.ts';
import { ShapeError, checkShape, numericDate, obj, str, uint } from './shape.ts';
import { HASH_SIZE, verifyConsistency, verifyInclusion } from './transparency-log.ts';

/**
 * A log checkpoint: which log (`origin`), how many leaves (`size`), and the RFC 9162 tree head
 * of those leaves (`root_hash`, base64url of 32 bytes).
 *
 * @example
 * ```ts
 * const cp: Checkpoint = { origin: 'registry.example.vn/log', size: 8, root_hash: 'XcnaeacGWamtVZy3Ad7Zoqudgjqt…' };
 * ```
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root_hash: string;
}

/**
 * The claims of a signed checkpoint.
 *
 * @example
 * ```ts
 * const claims: CheckpointClaims = { iss, iat: 1735689600, origin, size: 8, root_hash };
 * ```
 */
export interface CheckpointClaims extends Checkpoint {
  iss: string;
  iat: number;
}

function checkCheckpointClaims(value: unknown): CheckpointClaims {
  const c = obj(value, 'claims');
  str(c['iss'], 'iss');
  numericDate(c['iat'], 'iat');
  str(c['origin'], 'origin');
  uint(c['size'], 'size');
  const root = str(c['root_hash'], 'root_hash');
  if (!/^[A-Za-z0-9_-]{43}$/.test(root) || decodeRootHash(root) === undefined) {
    throw new ShapeError(`root_hash must be the base64url encoding of ${HASH_SIZE} bytes`);
  }
  return value as CheckpointClaims;
}

/**
 * Base64url-encodes a tree head for {@link Checkpoint.root_hash}.
 *
 * @example
 * ```ts
 * const checkpoint = { origin, size: leaves.length, root_hash: encodeRootHash(await merkleRoot(leaves)) };
 * ```
 */
export function encodeRootHash(root: Uint8Array): string {
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) throw new TypeError(`a root hash has ${HASH_SIZE} bytes`);
  return base64url.encode(root);
}

/**
 * Decodes {@link Checkpoint.root_hash}; `undefined` when it is not base64url of 32 bytes.
 *
 * @example
 * ```ts
 * const root = decodeRootHash(checkpoint.root_hash);
 * ```
 */
export function decodeRootHash(rootHash: string): Uint8Array | undefined {
  try {
    const bytes = base64url.decode(rootHash);
    return bytes.length === HASH_SIZE && base64url.encode(bytes) === rootHash ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signs a checkpoint (`typ: log-checkpoint+jwt`). Throws `TypeError` on a bad claim set or key.
 *
 * @example
 * ```ts
 * const jwt = await signCheckpoint({ iss, iat: now, origin, size, root_hash: encodeRootHash(root) }, key);
 * ```
 */
export async function signCheckpoint(claims: CheckpointClaims, key: SigningKey): Promise<string> {
  checkShape('sign', 'checkpoint', () => checkCheckpointClaims(claims));
  return signTyped(CHECKPOINT_TYP, claims, key);
}

/**
 * Options of {@link verifyCheckpoint}.
 *
 * @example
 * ```ts
 * const options: VerifyCheckpointOptions = { issuer, jwksUrl: jwksUrlFor(issuer), origin: 'registry.example.vn/log' };
 * ```
 */
export interface VerifyCheckpointOptions extends KeySourceOptions {
  /** The expected `iss`. */
  issuer: string;
  /** The expected log `origin`, when known; another log's checkpoint is then `WRONG_ISSUER`. */
  origin?: string;
  /** The time to check against (default: now). */
  now?: Date;
  /** Seconds of clock skew tolerated (default 0). */
  clockTolerance?: number;
}

/**
 * The result of {@link verifyCheckpoint}; `root` is the decoded tree head.
 *
 * @example
 * ```ts
 * const r: CheckpointVerification = await verifyCheckpoint(jwt, options);
 * ```
 */
export type CheckpointVerification = { valid: true; claims: CheckpointClaims; root: Uint8Array } | VerificationFailure;

/**
 * Verifies a signed checkpoint: signature, `alg`, `typ: log-checkpoint+jwt`, issuer, `iat`,
 * shape, and `origin` when given. Never throws for a bad token; throws `TypeError` on misuse.
 *
 * @example
 * ```ts
 * const r = await verifyCheckpoint(jwt, { issuer, jwks });
 * if (r.valid) console.log(r.claims.size, r.claims.root_hash);
 * ```
 */
export async function verifyCheckpoint(jwt: string, options: VerifyCheckpointOptions): Promise<CheckpointVerification> {
  assertVerifyOptions(options);
  const getKey = resolveKeySet(options);
  try {
    const { payload } = await verifyTypedJwt(jwt, {
      typ: CHECKPOINT_TYP,
      issuer: options.issuer,
      getKey,
      now: options.now,
      clockTolerance: options.clockTolerance,
      requiredClaims: ['iat'],
    });
    const claims = checkShape('verify', 'checkpoint', () => checkCheckpointClaims(payload));
    if (options.origin !== undefined && claims.origin !== options.origin) {
      throw new VerifierError(VerifierErrorCode.WRONG_ISSUER, `checkpoint of log ${claims.origin}, expected ${options.origin}`);
    }
    return { valid: true, claims, root: decodeRootHash(claims.root_hash) as Uint8Array };
  } catch (err) {
    if (err instanceof VerifierError) return failure(err);
    throw err;
  }
}

/**
 * A hash as bytes, or as the base64url string the registry's API returns it in.
 *
 * @example
 * ```ts
 * const h: HashInput = 'bjQLnP-zepicpUTmu3gKLHiQHT-zNzh2hRGjBhevoB0';
 * ```
 */
export type HashInput = Uint8Array | string;

/** Bytes of a hash given as bytes or base64url (an unpadded or padded string); undefined when not decodable. */
function hashBytes(h: HashInput): Uint8Array | undefined {
  if (h instanceof Uint8Array) return h;
  if (typeof h !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(h)) return undefined;
  try {
    return base64url.decode(h.replace(/=+$/, ''));
  } catch {
    return undefined;
  }
}

function proofBytes(proof: readonly HashInput[]): Uint8Array[] | undefined {
  if (!Array.isArray(proof)) return undefined;
  const out: Uint8Array[] = [];
  for (const p of proof) {
    const b = hashBytes(p);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return out;
}

/**
 * Checks that the leaf `leafHash` is entry `index` of the log at `checkpoint` (a checkpoint you
 * have already verified). Hashes may be bytes or the base64url strings the API returns (the
 * `leafHash` of a log entry, the `proof` of `inclusionProof`), passed as given. Fails with
 * `INVALID_PROOF`.
 *
 * @example
 * ```ts
 * const r = await verifyLogInclusion(await jsonLeafHash(event), 41, proof, checkpoint);
 * if (!r.valid) console.log(r.errors[0].code); // 'INVALID_PROOF'
 * ```
 */
export async function verifyLogInclusion(
  leafHash: HashInput,
  index: number,
  proof: readonly HashInput[],
  checkpoint: Checkpoint,
): Promise<{ valid: true } | VerificationFailure> {
  const root = decodeRootHash(checkpoint.root_hash);
  if (root === undefined) return failure(new VerifierError(VerifierErrorCode.MALFORMED, 'checkpoint root_hash is not a 32-byte base64url hash'));
  const leaf = hashBytes(leafHash);
  const path = proofBytes(proof);
  if (leaf === undefined || path === undefined) return failure(new VerifierError(VerifierErrorCode.INVALID_PROOF, 'the leaf hash or a proof hash is neither bytes nor base64url'));
  if (await verifyInclusion(leaf, index, checkpoint.size, path, root)) return { valid: true };
  return failure(new VerifierError(VerifierErrorCode.INVALID_PROOF, `the inclusion proof of entry ${index} does not lead to the root of size ${checkpoint.size}`));
}

/**
 * Checks that checkpoint `newer` extends checkpoint `older` of the same log (append-only); the
 * proof's hashes may be bytes or base64url strings, as the API returns them. From size 0 (the
 * empty tree) the proof is empty. Fails with `INVALID_PROOF` (or `WRONG_ISSUER` when the origins differ).
 *
 * @example
 * ```ts
 * const r = await verifyLogConsistency(lastSeen, latest, proof);
 * if (!r.valid) alarm('the log was rewritten');
 * ```
 */
export async function verifyLogConsistency(
  older: Checkpoint,
  newer: Checkpoint,
  proof: readonly HashInput[],
): Promise<{ valid: true } | VerificationFailure> {
  if (older.origin !== newer.origin) {
    return failure(new VerifierError(VerifierErrorCode.WRONG_ISSUER, `checkpoints of two logs: ${older.origin} and ${newer.origin}`));
  }
  const oldRoot = decodeRootHash(older.root_hash);
  const newRoot = decodeRootHash(newer.root_hash);
  if (oldRoot === undefined || newRoot === undefined) {
    return failure(new VerifierError(VerifierErrorCode.MALFORMED, 'checkpoint root_hash is not a 32-byte base64url hash'));
  }
  const path = proofBytes(proof);
  if (path === undefined) return failure(new VerifierError(VerifierErrorCode.INVALID_PROOF, 'a proof hash is neither bytes nor base64url'));
  if (await verifyConsistency(older.size, newer.size, oldRoot, newRoot, path)) return { valid: true };
  return failure(new VerifierError(VerifierErrorCode.INVALID_PROOF, `no valid consistency proof from size ${older.size} to ${newer.size}`));
}
