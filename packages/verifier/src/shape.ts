/**
 * Tiny structural checks for claim sets, shared by signing (where a bad shape is the caller's bug:
 * `TypeError`) and verifying (where it is bad input: `MALFORMED`). Internal, not exported from
 * the package.
 *
 * @module
 */
import { VerifierError, VerifierErrorCode } from './errors.ts';

/** Thrown by the checks below; translated by {@link checkShape}. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** Asserts `value` is a plain (non-array, non-null) object. */
export function obj(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(`${path} must be an object`);
  return value as Record<string, unknown>;
}

/** Asserts `value` is a non-empty string. */
export function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new ShapeError(`${path} must be a non-empty string`);
  return value;
}

/** Asserts `value` is absent (`undefined`) or a non-empty string. */
/** A string, possibly empty (e.g. the half of an input that was not given). */
export function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${path} must be a string`);
  return value;
}

export function optStr(value: unknown, path: string): void {
  if (value !== undefined) str(value, path);
}

/** Asserts `value` is a non-negative safe integer. */
export function uint(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ShapeError(`${path} must be a non-negative integer`);
  }
  return value;
}

/** Asserts `value` is a finite number (a JWT NumericDate may carry fractions). */
export function numericDate(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ShapeError(`${path} must be a NumericDate`);
  return value;
}

/** Asserts `value` is an array and checks each element. */
export function arr(value: unknown, path: string, each: (item: unknown, path: string) => void): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${path} must be an array`);
  value.forEach((item, i) => each(item, `${path}[${i}]`));
  return value;
}

/** Asserts `value` is one of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw new ShapeError(`${path} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Runs `check`; a {@link ShapeError} becomes a `TypeError` when `mode` is `'sign'` (our caller
 * built a bad statement) or a `MALFORMED` {@link VerifierError} when `mode` is `'verify'`.
 */
export function checkShape<T>(mode: 'sign' | 'verify', what: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    if (mode === 'sign') throw new TypeError(`${what}: ${err.message}`);
    throw new VerifierError(VerifierErrorCode.MALFORMED, `${what}: ${err.message}`);
  }
}
