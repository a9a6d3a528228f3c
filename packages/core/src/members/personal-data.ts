/**
 * A member's personal data: shown only to officers, stored sealed, never in public answers,
 * the transparency log or application logs.
 */
import type { SealedBox } from '../privacy/sealed-box.ts';
import { ValidationError } from '../errors.ts';

/** Personal fields of a member. All optional; absent means unknown. */
export interface PersonalData {
  legalName?: string | null;
  idNumber?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
}

export const PERSONAL_FIELDS = ['legalName', 'idNumber', 'phone', 'email', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const context = (memberId: string) => `member:${memberId}:personal`;

/** An ID number as people write it (`079 123 456 789`, `079.123.456.789`): separators dropped; other characters left for validation to refuse. */
const normalizeIdNumberText = (value: string) => value.replace(/[\s.\-]/g, '');

/** Checks the shape of personal fields and returns a clean copy. */
export function validatePersonalData(input: PersonalData): PersonalData {
  const out: PersonalData = {};
  for (const field of PERSONAL_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length > 500) throw new ValidationError(`${field} must be a string of at most 500 characters`, `personal.${field}`);
    out[field] = field === 'idNumber' ? normalizeIdNumberText(value) : value.trim();
  }
  if (out.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(out.email)) throw new ValidationError('email is not an e-mail address', 'personal.email');
  if (out.idNumber && !/^[0-9]{9}$|^[0-9]{12}$/.test(out.idNumber)) throw new ValidationError('idNumber must be a 9-digit CMND or 12-digit CCCD number', 'personal.idNumber');
  if (out.phone && !/^\+?[0-9 .-]{9,15}$/.test(out.phone)) throw new ValidationError('phone is not a phone number', 'personal.phone');
  return out;
}

export function sealPersonalData(box: SealedBox, memberId: string, data: PersonalData): Uint8Array<ArrayBuffer> {
  return box.seal(JSON.stringify(data), context(memberId));
}

export function openPersonalData(box: SealedBox, memberId: string, sealed: Uint8Array | null): PersonalData {
  return sealed ? (JSON.parse(box.open(sealed, context(memberId))) as PersonalData) : {};
}
