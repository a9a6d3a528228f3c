/**
 * Giving and withdrawing a legal basis after registration (Law 91/2025/QH15, Art. 9 consent and
 * its withdrawal). Withdrawing a consent stops the processing it covered from that moment: sealed
 * fields no other basis in force covers are deleted at once, and a public profile no basis covers
 * is withheld. The answer says what stopped and what continues, on which basis.
 */
import { DataProtectionError, ForbiddenError, NotFoundError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { requireEnum } from '../kernel/validation.ts';
import { foldForSearch } from '../text/search-text.ts';
import { basesInForce, coveredFields, PURPOSE_FIELDS, PURPOSES, recordBases, validateBases, type BasisInput, type Purpose } from '../members/legal-basis.ts';
import { erased, openPersonalData, PERSONAL_FIELDS, sealPersonalData, type PersonalData, type PersonalField } from '../members/personal-data.ts';
import { idNumberIndex } from '../members/national-id.ts';

/** The public profile shown while no basis covers PUBLIC_PROFILE. */
export const WITHHELD_DISPLAY_NAME = 'Hồ sơ không công khai / Profile withheld';

/** OFFICER or ADMIN, or the member itself (MEMBER token with sub = member id). */
function requireOfficerOrSelf(actor: Actor, memberId: string): void {
  const self = actor.role === 'MEMBER' && actor.id === memberId;
  if (!self && !['OFFICER', 'ADMIN', 'SYSTEM'].includes(actor.role)) throw new ForbiddenError('OFFICER_OR_SELF', 'Only an officer or the member itself may do this / Chỉ cán bộ hoặc chính thành viên được làm việc này');
}

/**
 * Records legal bases (a consent with its notice version and method). The member itself or an officer.
 * @example await giveBases(ctx, { memberId, bases: [{ purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: 1, method: 'ONLINE' }] }, member);
 */
export async function giveBases(ctx: RegistryContext, input: { memberId: string; bases: BasisInput[] }, actor: Actor): Promise<{ memberId: string; purposes: Purpose[] }> {
  requireOfficerOrSelf(actor, input.memberId);
  const bases = validateBases(input.bases);
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const current = await tx.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { erasedAt: true } });
    if (current.erasedAt) throw erased();
    await recordBases(tx, input.memberId, bases, at, actor);
    return { result: { memberId: input.memberId, purposes: [...new Set(bases.map((b) => b.purpose))] }, events: [] };
  });
}

export interface ConsentWithdrawal {
  purpose: Purpose;
  withdrawnAt: Date;
  /** What stopped from that moment. */
  stopped: { fields: PersonalField[]; publicProfileWithheld: boolean };
  /** What continues, and on which basis. */
  continues: Array<{ purpose: Purpose; basis: string; fields: PersonalField[] }>;
}

/**
 * Withdraws the member's consent for `purpose` (NO_LEGAL_BASIS when none is in force). The member
 * itself or an officer.
 * @example const { stopped, continues } = await withdrawConsent(ctx, { memberId, purpose: 'CONTACT' }, member);
 */
export async function withdrawConsent(ctx: RegistryContext, input: { memberId: string; purpose: Purpose }, actor: Actor): Promise<ConsentWithdrawal> {
  requireOfficerOrSelf(actor, input.memberId);
  const purpose = requireEnum(input.purpose, PURPOSES, 'purpose');
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const member = await tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
    if (member.erasedAt) throw erased();
    const withdrawn = await tx.processingBasis.updateMany({ where: { memberId: member.id, purpose, basis: 'CONSENT', withdrawnAt: null }, data: { withdrawnAt: at, withdrawnBy: actor.id } });
    if (withdrawn.count === 0) throw new DataProtectionError('NO_LEGAL_BASIS', `Không có sự đồng ý nào đang có hiệu lực cho mục đích ${purpose}. / No consent in force for ${purpose}.`, 'purpose');
    const remaining = await basesInForce(tx, member.id);
    const covered = coveredFields(remaining);
    const data = openPersonalData(ctx.memberKeys, member);
    const dropped = PERSONAL_FIELDS.filter((f) => data[f] != null && !covered.has(f));
    const update: Record<string, unknown> = {};
    if (dropped.length > 0) {
      const kept: PersonalData = Object.fromEntries(PERSONAL_FIELDS.filter((f) => data[f] != null && covered.has(f)).map((f) => [f, data[f]]));
      Object.assign(update, sealPersonalData(ctx.memberKeys, member, kept), { idNumberIndex: idNumberIndex(ctx.pseudonyms, kept.idNumber) });
    }
    const withheld = purpose === 'PUBLIC_PROFILE' && !remaining.some((b) => b.purpose === 'PUBLIC_PROFILE');
    if (withheld) Object.assign(update, { displayName: WITHHELD_DISPLAY_NAME, searchText: foldForSearch(WITHHELD_DISPLAY_NAME), province: null, categories: [] });
    if (Object.keys(update).length > 0) await tx.member.update({ where: { id: member.id }, data: update });
    const result: ConsentWithdrawal = {
      purpose,
      withdrawnAt: at,
      stopped: { fields: dropped, publicProfileWithheld: withheld },
      continues: remaining.map((b) => ({ purpose: b.purpose as Purpose, basis: b.basis, fields: [...PURPOSE_FIELDS[b.purpose as Purpose]] })),
    };
    // Not in the public transparency log: a person's choices about their data are not public facts.
    return { result, events: [] };
  });
}
