/**
 * One error hierarchy for the core registry, in the manner of jose's `util/errors.ts`:
 * every expected failure is a {@link RegistryError} whose `code` is a stable string from
 * {@link ErrorCode}. Callers branch on `code` (or `instanceof`), never on message text.
 * Misuse of the API by a programmer (wrong argument types) throws a plain `TypeError`.
 */

/** Every stable error code the core library emits. */
export const ErrorCode = {
  /** The input is not an account we can place on a platform (bad URL, handle, or not an account path). */
  INVALID_ACCOUNT: 'INVALID_ACCOUNT',
  /** Input failed validation (a field out of range, missing, malformed). `field` names it. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The record named does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The record's current state does not allow this change (e.g. reinstating a revoked badge). */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** The member has not signed the current pledge version (or withdrew the signature). */
  PLEDGE_NOT_SIGNED: 'PLEDGE_NOT_SIGNED',
  /** The member has no account whose ownership was proven. */
  ACCOUNT_NOT_VERIFIED: 'ACCOUNT_NOT_VERIFIED',
  /** The member has no passing assessment for this program. */
  ASSESSMENT_FAILED: 'ASSESSMENT_FAILED',
  /** The member is not ACTIVE. */
  MEMBER_NOT_ACTIVE: 'MEMBER_NOT_ACTIVE',
  /** A unique fact already exists (same account, same signature, idempotency key reused with other input). */
  CONFLICT: 'CONFLICT',
  /** The ownership challenge code did not match, or the challenge expired. */
  CHALLENGE_FAILED: 'CHALLENGE_FAILED',
  /** The database is not in a state we can use (changed migration, unreachable). */
  STORAGE_ERROR: 'STORAGE_ERROR',
  /** A migration already applied to the database has since been edited. */
  MIGRATION_CHANGED: 'MIGRATION_CHANGED',
  /** Signing keys or personal-data key are missing or unusable. */
  KEY_ERROR: 'KEY_ERROR',
  /** A bearer token is missing a valid signature, has expired, or is not an access token. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller's role may not do this. */
  FORBIDDEN: 'FORBIDDEN',
} as const;

/** The union of all stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Base class of every expected core failure.
 *
 * @example
 * try { await registry.issueBadge(input) }
 * catch (e) { if (e instanceof RegistryError && e.code === 'PLEDGE_NOT_SIGNED') … }
 */
export class RegistryError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, when there is one (dotted path). */
  readonly field: string | undefined;
  /** Structured, non-personal details for clients. */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.field = options.field;
    this.data = options.data;
  }
}

/** An input that cannot be placed as an account on a supported platform. */
export class InvalidAccountError extends RegistryError {
  constructor(message: string, options: { field?: string; data?: Record<string, unknown> } = {}) {
    super(ErrorCode.INVALID_ACCOUNT, message, options);
  }
}

/** Input that fails validation. */
export class ValidationError extends RegistryError {
  constructor(message: string, field?: string) {
    super(ErrorCode.INVALID_INPUT, message, field === undefined ? {} : { field });
  }
}

/** A named record does not exist. */
export class NotFoundError extends RegistryError {
  constructor(entity: string, id: string, field?: string) {
    super(ErrorCode.NOT_FOUND, `${entity} ${id} not found`, { data: { entity, id }, ...(field ? { field } : {}) });
  }
}

/** A state change that the record's current state does not allow. */
export class InvalidTransitionError extends RegistryError {
  constructor(entity: string, from: string, to: string) {
    super(ErrorCode.INVALID_TRANSITION, `${entity} cannot go from ${from} to ${to}`, { data: { entity, from, to } });
  }
}

/** A business precondition is not met (pledge, account, assessment, member status). */
export class PreconditionError extends RegistryError {
  constructor(code: 'PLEDGE_NOT_SIGNED' | 'ACCOUNT_NOT_VERIFIED' | 'ASSESSMENT_FAILED' | 'MEMBER_NOT_ACTIVE' | 'CHALLENGE_FAILED', message: string, field?: string) {
    super(code, message, field === undefined ? {} : { field });
  }
}

/** A uniqueness or idempotency conflict. */
export class ConflictError extends RegistryError {
  constructor(message: string, field?: string) {
    super(ErrorCode.CONFLICT, message, field === undefined ? {} : { field });
  }
}

/**
 * The actor may not do this: its role lacks the right (rule `ADMIN_ONLY`, `SYSTEM_ONLY`), or a
 * two-person rule forbids it (`TWO_ADMINS`: the ADMIN who proposed cannot also approve).
 * `data.rule` names the rule, so callers can branch on it.
 *
 * @example
 * catch (e) { if (e instanceof ForbiddenError && e.rule === 'TWO_ADMINS') … }
 */
export class ForbiddenError extends RegistryError {
  readonly rule: string;
  constructor(rule: string, message: string) {
    super(ErrorCode.FORBIDDEN, message, { data: { rule } });
    this.rule = rule;
  }
}

/** Storage is unusable (migration drift, connection failure). */
export class StorageError extends RegistryError {
  constructor(code: 'STORAGE_ERROR' | 'MIGRATION_CHANGED', message: string, cause?: unknown) {
    super(code, message, cause === undefined ? {} : { cause });
  }
}

/** Key material is missing or unusable. */
export class KeyError extends RegistryError {
  constructor(message: string, cause?: unknown) {
    super(ErrorCode.KEY_ERROR, message, cause === undefined ? {} : { cause });
  }
}
