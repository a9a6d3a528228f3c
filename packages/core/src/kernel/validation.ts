/**
 * Small input checks shared by all operations, each failing with a ValidationError that
 * names the field.
 */
import { ValidationError } from '../errors.ts';
import { BadgeProgram, MemberKind, ReasonCategory, ReportCategory, SignatureMethod, MemberStatus } from '../generated/prisma/enums.ts';

export const MEMBER_KINDS = Object.values(MemberKind);
export const MEMBER_STATUSES = Object.values(MemberStatus);
export const REASON_CATEGORIES = Object.values(ReasonCategory);
export const BADGE_PROGRAMS = Object.values(BadgeProgram);
export const REPORT_CATEGORIES = Object.values(ReportCategory);
export const SIGNATURE_METHODS = Object.values(SignatureMethod);

/** Returns `value` if it is one of `allowed`. */
export function requireEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${field} must be one of ${allowed.join(', ')}`, field);
  }
  return value as T;
}

/** Returns trimmed, NFC-normalized text of 1..max characters. */
export function requireText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new ValidationError(`${field} must be text`, field);
  const text = value.normalize('NFC').trim();
  if (text.length === 0) throw new ValidationError(`${field} must not be empty`, field);
  if (text.length > max) throw new ValidationError(`${field} must be at most ${max} characters`, field);
  return text;
}

/** Returns an integer in [min, max]. */
export function requireInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}
