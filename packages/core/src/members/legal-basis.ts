/**
 * The legal basis of processing a member's personal data, per purpose (Law 91/2025/QH15): no
 * personal field is stored unless a basis in force covers a purpose that uses it, an officer's read
 * names the purpose it serves and is refused when no basis covers that purpose, and withdrawing
 * consent stops the processing it covered from that moment (data-rights/consent.ts).
 */
import type { ProcessingBasis } from '../generated/prisma/client.ts';
import { DataProtectionError, ValidationError } from '../errors.ts';
import type { Actor, Tx } from '../kernel/context.ts';
import { requireEnum } from '../kernel/validation.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PERSONAL_FIELDS, type PersonalData, type PersonalField } from './personal-data.ts';
import { privacyNotice } from './privacy-notices.ts';

/** Every purpose the registry processes members' personal data for. */
export const PURPOSES = ['CERTIFICATION', 'IDENTITY_CHECK', 'CONTACT', 'PUBLIC_PROFILE'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The lawful bases the registry relies on. */
export const LEGAL_BASES = ['CONSENT', 'CONTRACT', 'LEGAL_OBLIGATION'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** How a consent was given. */
export const CONSENT_METHODS = ['IN_PERSON', 'ONLINE', 'PAPER'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/**
 * The sealed personal fields each purpose uses. PUBLIC_PROFILE uses the public profile
 * (displayName, province, categories), which is not sealed.
 */
export const PURPOSE_FIELDS: Readonly<Record<Purpose, readonly PersonalField[]>> = {
  CERTIFICATION: ['legalName', 'idNumber'],
  IDENTITY_CHECK: ['idNumber'],
  CONTACT: ['legalName', 'phone', 'email', 'address'],
  PUBLIC_PROFILE: [],
};

/** What each purpose is, for people (Vietnamese, English). */
export const PURPOSE_TEXT: Readonly<Record<Purpose, { vi: string; en: string }>> = {
  CERTIFICATION: { vi: 'Xét cấp, duy trì và thu hồi chứng nhận', en: 'Deciding, keeping and revoking certification' },
  IDENTITY_CHECK: { vi: 'Kiểm tra mỗi người chỉ có một hồ sơ (chỉ mục mù của số CCCD)', en: 'Checking each person has one record (blind index of the ID number)' },
  CONTACT: { vi: 'Liên hệ với thành viên', en: 'Contacting the member' },
  PUBLIC_PROFILE: { vi: 'Công khai hồ sơ thành viên (tên hiển thị, tỉnh/thành, lĩnh vực)', en: 'Publishing the member profile (display name, province, categories)' },
};

/** A basis as given with a registration, an update or on its own. */
export interface BasisInput {
  purpose: Purpose;
  basis: LegalBasis;
  /** For CONSENT: the notice version shown (members/privacy-notices.ts). */
  noticeVersion?: number;
  /** For CONSENT: how it was given. */
  method?: ConsentMethod;
}

/** Checks bases given as input (a CONSENT needs the notice version shown and how it was given). */
export function validateBases(input: readonly BasisInput[] | undefined): BasisInput[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > 20) throw new ValidationError('bases must be a list of at most 20', 'bases');
  return input.map((b, i) => {
    const purpose = requireEnum(b?.purpose, PURPOSES, `bases.${i}.purpose`);
    const basis = requireEnum(b?.basis, LEGAL_BASES, `bases.${i}.basis`);
    if (basis !== 'CONSENT') return { purpose, basis };
    if (typeof b.noticeVersion !== 'number' || !privacyNotice(b.noticeVersion)) throw new ValidationError('a consent names the privacy notice version shown', `bases.${i}.noticeVersion`);
    const method = requireEnum(b.method, CONSENT_METHODS, `bases.${i}.method`);
    return { purpose, basis, noticeVersion: b.noticeVersion, method };
  });
}

/** Records bases for a member inside the caller's transaction (an equal basis in force is not recorded twice). */
export async function recordBases(tx: Tx, memberId: string, bases: readonly BasisInput[], at: Date, actor: Actor): Promise<void> {
  const active = await basesInForce(tx, memberId);
  for (const b of bases) {
    if (active.some((a) => a.purpose === b.purpose && a.basis === b.basis && a.noticeVersion === (b.noticeVersion ?? null))) continue;
    await tx.processingBasis.create({
      data: { memberId, purpose: b.purpose, basis: b.basis, noticeVersion: b.noticeVersion ?? null, method: b.method ?? null, givenAt: at, recordedBy: actor.id },
    });
  }
}

/** The bases in force for a member (not withdrawn). */
export function basesInForce(db: Tx | PrismaClient, memberId: string): Promise<ProcessingBasis[]> {
  return db.processingBasis.findMany({ where: { memberId, withdrawnAt: null }, orderBy: { givenAt: 'asc' } });
}

/** The sealed fields some basis in force covers. */
export function coveredFields(bases: ReadonlyArray<Pick<ProcessingBasis, 'purpose'>>): Set<PersonalField> {
  return new Set(bases.flatMap((b) => PURPOSE_FIELDS[b.purpose as Purpose] ?? []));
}

/** Refuses to store a personal field no basis in force covers (NO_LEGAL_BASIS, field `personal.<name>`). */
export function assertStorable(data: PersonalData, bases: ReadonlyArray<Pick<ProcessingBasis, 'purpose'>>): void {
  const covered = coveredFields(bases);
  for (const field of PERSONAL_FIELDS) {
    if (data[field] === undefined || data[field] === null || covered.has(field)) continue;
    const purposes = PURPOSES.filter((p) => PURPOSE_FIELDS[p].includes(field));
    throw new DataProtectionError(
      'NO_LEGAL_BASIS',
      `Không có căn cứ pháp lý nào để lưu ${field} (cần một căn cứ cho mục đích ${purposes.join(' hoặc ')}). / No legal basis covers storing ${field} (give a basis for ${purposes.join(' or ')}).`,
      `personal.${field}`,
    );
  }
}

/** Refuses a read for `purpose` when no basis in force covers it, or a field the purpose does not use (NO_LEGAL_BASIS). */
export function assertReadable(purpose: Purpose, fields: readonly PersonalField[], bases: ReadonlyArray<Pick<ProcessingBasis, 'purpose'>>): void {
  if (!bases.some((b) => b.purpose === purpose)) {
    throw new DataProtectionError('NO_LEGAL_BASIS', `Không có căn cứ pháp lý cho mục đích ${purpose} với thành viên này. / No legal basis in force for purpose ${purpose} for this member.`, 'purpose');
  }
  const outside = fields.filter((f) => !PURPOSE_FIELDS[purpose].includes(f));
  if (outside.length > 0) {
    throw new DataProtectionError('NO_LEGAL_BASIS', `Mục đích ${purpose} không dùng ${outside.join(', ')}. / Purpose ${purpose} does not use ${outside.join(', ')}.`, 'fields');
  }
}
