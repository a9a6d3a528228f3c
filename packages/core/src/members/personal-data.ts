/**
 * A member's personal data: shown only to officers (and to the member itself), stored sealed under
 * the member's own data key (privacy/member-keys.ts), never in public answers, the transparency
 * log or application logs.
 */
import type { MemberKeys } from '../privacy/member-keys.ts';
import { DataProtectionError, ValidationError } from '../errors.ts';

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

/** The columns of a Member row that hold its personal data. */
export interface PersonalColumns {
  id: string;
  privateData: Uint8Array | null;
  /** The member's own key, wrapped; null before per-member keys (then `privateData` is sealed under the personal-data key) or after erasure. */
  dataKey: Uint8Array | null;
  erasedAt?: Date | null;
}

/**
 * Opens a member's personal data: under its own key, or under the personal-data key for a member
 * sealed before per-member keys (moved to its own key on open, members/member-data-keys.ts).
 */
export function openPersonalData(keys: MemberKeys, row: PersonalColumns): PersonalData {
  if (!row.privateData) return {};
  const box = row.dataKey ? keys.box(row.id, row.dataKey) : keys.legacy;
  return JSON.parse(box.open(row.privateData, context(row.id))) as PersonalData;
}

/**
 * Seals `data` under the member's own key, creating one when the member has none yet: returns both
 * columns to store. An erased member gets nothing sealed again (PERSONAL_DATA_ERASED).
 */
export function sealPersonalData(keys: MemberKeys, row: Omit<PersonalColumns, 'privateData'>, data: PersonalData): { privateData: Uint8Array<ArrayBuffer> | null; dataKey: Uint8Array<ArrayBuffer>; dataKeyMasterKeyId?: string } {
  if (row.erasedAt) throw erased();
  // A new key records the master key wrapping it; an existing one keeps its row's.
  const created = row.dataKey ? null : keys.create(row.id);
  const dataKey = created?.dataKey ?? (row.dataKey as Uint8Array<ArrayBuffer>);
  const empty = PERSONAL_FIELDS.every((f) => data[f] === undefined || data[f] === null);
  return { ...created, dataKey, privateData: empty ? null : keys.box(row.id, dataKey).seal(JSON.stringify(data), context(row.id)) };
}

/** Seals any other text about the member (a reader's reason, a request) under the member's own key, so erasure destroys it too. */
export function sealForMember(keys: MemberKeys, memberId: string, dataKey: Uint8Array, text: string, purpose: string): Uint8Array<ArrayBuffer> {
  return keys.box(memberId, dataKey).seal(text, `member:${memberId}:${purpose}`);
}

/** Opens what {@link sealForMember} sealed; null once the member's key is gone (erased). */
export function openForMember(keys: MemberKeys, memberId: string, dataKey: Uint8Array | null, sealed: Uint8Array | null, purpose: string): string | null {
  if (!sealed || !dataKey) return null;
  return keys.box(memberId, dataKey).open(sealed, `member:${memberId}:${purpose}`);
}

/** The refusal for an erased member. */
export function erased(): DataProtectionError {
  return new DataProtectionError('PERSONAL_DATA_ERASED', 'Dữ liệu cá nhân của thành viên này đã bị xóa. / This member\'s personal data was erased.', 'memberId');
}
