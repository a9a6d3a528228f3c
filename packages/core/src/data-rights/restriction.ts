/**
 * Restricting the processing of a member's personal data (Law 91/2025/QH15, right to restrict):
 * while restricted, only an ADMIN stating a legal basis may read it (members/members.ts
 * readPersonalData); every other read, and any change of it by a non-ADMIN, is refused with
 * PROCESSING_RESTRICTED. Officers and ADMINs restrict; only an ADMIN lifts.
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { erased } from '../members/personal-data.ts';
import { requireAdmin } from '../policy/two-admins.ts';

/**
 * @example await restrictProcessing(ctx, { memberId, restricted: true }, officer);
 */
export async function restrictProcessing(ctx: RegistryContext, input: { memberId: string; restricted: boolean }, actor: Actor): Promise<{ memberId: string; restrictedAt: Date | null }> {
  if (input.restricted) {
    if (!['OFFICER', 'ADMIN', 'SYSTEM'].includes(actor.role)) throw new ForbiddenError('OFFICER_ONLY', 'Only an OFFICER or ADMIN may restrict processing / Chỉ cán bộ hoặc ADMIN được hạn chế xử lý');
  } else {
    requireAdmin(actor, 'lift a restriction of processing');
  }
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const member = await tx.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { erasedAt: true, restrictedAt: true } });
    if (member.erasedAt) throw erased();
    const restrictedAt = input.restricted ? (member.restrictedAt ?? at) : null;
    await tx.member.update({ where: { id: input.memberId }, data: { restrictedAt } });
    return { result: { memberId: input.memberId, restrictedAt }, events: [] };
  });
}
