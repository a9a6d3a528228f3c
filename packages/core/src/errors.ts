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
  /** No legal basis in force covers this processing of personal data (Law 91/2025/QH15): storing a field, or reading it for the purpose named. */
  NO_LEGAL_BASIS: 'NO_LEGAL_BASIS',
  /** The member's personal data is restricted: only an ADMIN stating a legal basis may read it. */
  PROCESSING_RESTRICTED: 'PROCESSING_RESTRICTED',
  /** The member's personal data was erased: nothing is left to read, correct or restrict. */
  PERSONAL_DATA_ERASED: 'PERSONAL_DATA_ERASED',
} as const;

/** The union of all stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** How every transport treats one error code (a row of {@link ERROR_TABLE}). */
export interface ErrorRule {
  /** The client may see the code, message and field; otherwise the error is masked and logged with an incident id. */
  readonly exposed: boolean;
  /** HTTP status on plain routes and admin routes (and of a masked error). */
  readonly httpStatus: number;
  /** The GraphQL type of the failure in a mutation's result union, or null when it is never a typed result. */
  readonly graphqlType: 'ValidationError' | 'InvalidAccountError' | 'NotFoundError' | 'InvalidTransitionError' | 'PreconditionError' | 'ConflictError' | 'ForbiddenError' | 'DataProtectionError' | null;
  /** Exit code of the CLI: 3 the request was refused (fix the input), 4 the registry cannot run as set up (storage, keys). */
  readonly exitCode: 3 | 4;
}

/**
 * The one table from error code to how clients see it: GraphQL masking and result unions, the
 * plain HTTP and admin routes and the CLI all read it. A new code without a row does not compile.
 */
export const ERROR_TABLE = {
  INVALID_ACCOUNT: { exposed: true, httpStatus: 400, graphqlType: 'InvalidAccountError', exitCode: 3 },
  INVALID_INPUT: { exposed: true, httpStatus: 400, graphqlType: 'ValidationError', exitCode: 3 },
  NOT_FOUND: { exposed: true, httpStatus: 404, graphqlType: 'NotFoundError', exitCode: 3 },
  INVALID_TRANSITION: { exposed: true, httpStatus: 409, graphqlType: 'InvalidTransitionError', exitCode: 3 },
  PLEDGE_NOT_SIGNED: { exposed: true, httpStatus: 422, graphqlType: 'PreconditionError', exitCode: 3 },
  ACCOUNT_NOT_VERIFIED: { exposed: true, httpStatus: 422, graphqlType: 'PreconditionError', exitCode: 3 },
  ASSESSMENT_FAILED: { exposed: true, httpStatus: 422, graphqlType: 'PreconditionError', exitCode: 3 },
  MEMBER_NOT_ACTIVE: { exposed: true, httpStatus: 422, graphqlType: 'PreconditionError', exitCode: 3 },
  CONFLICT: { exposed: true, httpStatus: 409, graphqlType: 'ConflictError', exitCode: 3 },
  CHALLENGE_FAILED: { exposed: true, httpStatus: 422, graphqlType: 'PreconditionError', exitCode: 3 },
  // Storage and keys: the operator's to fix, never the client's; details stay in the server log.
  STORAGE_ERROR: { exposed: false, httpStatus: 503, graphqlType: null, exitCode: 4 },
  MIGRATION_CHANGED: { exposed: false, httpStatus: 500, graphqlType: null, exitCode: 4 },
  KEY_ERROR: { exposed: false, httpStatus: 500, graphqlType: null, exitCode: 4 },
  // Refused before any resolver runs (the API answers 401 with WWW-Authenticate).
  UNAUTHENTICATED: { exposed: true, httpStatus: 401, graphqlType: null, exitCode: 3 },
  FORBIDDEN: { exposed: true, httpStatus: 403, graphqlType: 'ForbiddenError', exitCode: 3 },
  // Personal data rules (data-rights/, members/legal-basis.ts): the caller's to fix or to accept.
  NO_LEGAL_BASIS: { exposed: true, httpStatus: 422, graphqlType: 'DataProtectionError', exitCode: 3 },
  PROCESSING_RESTRICTED: { exposed: true, httpStatus: 403, graphqlType: 'DataProtectionError', exitCode: 3 },
  PERSONAL_DATA_ERASED: { exposed: true, httpStatus: 410, graphqlType: 'DataProtectionError', exitCode: 3 },
} as const satisfies Record<ErrorCode, ErrorRule>;

/** The GraphQL type names of {@link ERROR_TABLE}'s typed results. */
export type ErrorGraphqlType = NonNullable<(typeof ERROR_TABLE)[ErrorCode]['graphqlType']>;

/** The rule of `error` when it is one of ours, else null (an unexpected failure). */
export function errorRule(error: unknown): ErrorRule | null {
  return error instanceof RegistryError ? ERROR_TABLE[error.code] : null;
}

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

  /**
   * What a client may see of an exposed error, `{ code, field? }`, or undefined for a masked one.
   * GraphQL copies an error's `extensions` onto the error it reports, so an exposed error
   * reaches the client with its code unchanged, and the masking has nothing to rewrite (or log).
   */
  get extensions(): { code: ErrorCode; field?: string } | undefined {
    if (!ERROR_TABLE[this.code].exposed) return undefined;
    return this.field === undefined ? { code: this.code } : { code: this.code, field: this.field };
  }
}

/** A bearer token that is not a valid access token of this registry (expired, forged, wrong kind). */
export class UnauthenticatedError extends RegistryError {
  constructor(message: string) {
    super(ErrorCode.UNAUTHENTICATED, message);
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

/**
 * A rule protecting personal data refused the call: no legal basis covers it (NO_LEGAL_BASIS),
 * the member's data is restricted (PROCESSING_RESTRICTED), or it was erased (PERSONAL_DATA_ERASED).
 * Messages never repeat personal data.
 */
export class DataProtectionError extends RegistryError {
  constructor(code: 'NO_LEGAL_BASIS' | 'PROCESSING_RESTRICTED' | 'PERSONAL_DATA_ERASED', message: string, field?: string) {
    super(code, message, field === undefined ? {} : { field });
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
