/**
 * `@trust-alliance/verifier`: the signed formats of the Trust Alliance Registry (trust
 * attestations, status lists, signed answers, log checkpoints), the functions that sign them
 * (used by the registry's core) and the functions that verify them (used by everyone else),
 * plus RFC 9162 Merkle proofs and RFC 8785 canonical JSON for the transparency log.
 *
 * Depends on `jose` only and on Web APIs only (WebCrypto, CompressionStream, fetch): runs in
 * Node ≥ 20 and in browsers.
 *
 * @example
 * ```ts
 * import { verifyAttestation, jwksUrlFor } from '@trust-alliance/verifier';
 *
 * const issuer = 'https://registry.example.vn';
 * const result = await verifyAttestation(jws, { issuer, jwksUrl: jwksUrlFor(issuer) });
 * ```
 *
 * @module
 */
export { VerifierError, VerifierErrorCode, failure, fromJoseError } from './errors.ts';
export type { VerificationFailure, VerificationIssue } from './errors.ts';

export {
  ACCEPTED_ALGORITHMS,
  ACCESS_TOKEN_TYP,
  ALLOWED_ALGORITHMS,
  ATTESTATION_TYP,
  CHECKPOINT_TYP,
  SIGNED_ANSWER_TYP,
  STATUS_LIST_TYP,
  isAllowedAlgorithm,
} from './formats.ts';
export type { AllowedAlgorithm, SigningKey } from './formats.ts';

export {
  JWKS_MAX_AGE_SECONDS,
  KeyCache,
  UNKNOWN_KID_REFETCH_INTERVAL_SECONDS,
  compromisedKids,
  defaultKeyCache,
  jwksUrlFor,
  keyHistoryUrlFor,
} from './keys.ts';
export { DEFAULT_CLOCK_TOLERANCE_SECONDS } from './jwt.ts';
export type { KeyCacheOptions, KeySetInput, KeySourceOptions } from './keys.ts';

export { parseAttestationClaims, signAttestation } from './attestation-format.ts';
export type { AttestationClaims, AttestedAccount } from './attestation-format.ts';

export { VerificationStatus, parseSignedAnswerClaims, signSignedAnswer } from './signed-answer-format.ts';
export type { AnsweredBadgeStatus, AnsweredProgram, AnsweredReason, SignedAnswerClaims } from './signed-answer-format.ts';

export {
  STATUS_LIST_BITS,
  STATUS_LIST_BIT_SIZES,
  StatusValue,
  decodeStatusList,
  encodeStatusList,
  packStatuses,
  readStatus,
  signStatusList,
  unpackStatuses,
  verifyStatusListToken,
} from './status-list.ts';
export type { StatusListBits, StatusListClaims, StatusListInput, StatusListVerification, VerifyStatusListOptions } from './status-list.ts';

export { STATUS_LIST_GRACE_SECONDS, StatusListCache } from './status-list-cache.ts';
export type { CachedStatusList, StatusListCacheOptions } from './status-list-cache.ts';

export { defaultStatusListCache, statusListUriUnderIssuer, verifyAttestation } from './verify-attestation.ts';
export type { AttestationStatus, AttestationVerification, VerifyAttestationOptions } from './verify-attestation.ts';

export { verifySignedAnswer } from './verify-signed-answer.ts';
export type { SignedAnswerVerification, VerifySignedAnswerOptions } from './verify-signed-answer.ts';

export { canonicalJson, canonicalJsonBytes } from './canonical-json.ts';
export type { JsonValue } from './canonical-json.ts';

export {
  HASH_SIZE,
  consistencyProof,
  inclusionProof,
  jsonLeafHash,
  leafHash,
  merkleRoot,
  nodeHash,
  sha256,
  verifyConsistency,
  verifyInclusion,
} from './transparency-log.ts';

export {
  decodeRootHash,
  encodeRootHash,
  signCheckpoint,
  verifyCheckpoint,
  verifyLogConsistency,
  verifyLogInclusion,
} from './checkpoint.ts';
export type { Checkpoint, CheckpointClaims, HashInput, CheckpointVerification, VerifyCheckpointOptions } from './checkpoint.ts';

export { checkpointText, noteKeyHash, noteVerifierKey, parseNoteVerifierKey, signNote, verifyCheckpointNote } from './signed-note.ts';
export type { NoteCheckpoint, NoteSigner, NoteVerifierKey, VerifyCheckpointNoteOptions } from './signed-note.ts';

export {
  ENTITY_STATEMENT_TYP,
  TRUST_MARK_STATUS_TYP,
  TRUST_MARK_STATUS_VALUES,
  signEntityConfiguration,
  signTrustMarkStatus,
  verifyTrustMarkStatus,
} from './federation-format.ts';
export type { EntityConfigurationClaims, TrustMarkStatusClaims, TrustMarkStatusValue } from './federation-format.ts';
