/**
 * Erasing a member's personal data (Law 91/2025/QH15, right to erasure): in one transaction the
 * member's own data key and sealed data are destroyed, so every value sealed under that key
 * (personal fields, officers' reasons for reading them, the member's requests and answers) is
 * unreadable wherever a copy of it sits in the database; the private reasons of the member's
 * status and badge changes, the national-ID blind index and the public profile go too.
 *
 * A member still in the alliance is WITHDRAWN through the same status change as every other
 * channel, so the one decision (rules/decision.ts, row 4) answers REVOKED / MEMBER_WITHDRAWN for its
 * accounts and every badge shows REVOKED (status lists INVALID). Its `member.status` leaf is exactly
 * an ordinary withdrawal's (reason MEMBER_REQUEST whatever the ground, nothing marks an erasure), and
 * the erasure itself writes no leaf: it is counted per UTC day later (erasure-counts.ts), so the log
 * cannot link it to the member by time and order.
 *
 * Phone numbers in the keys of the member's accounts are replaced by their pseudonyms
 * (phone-accounts.ts), and the stored copies of the member's signed attestations are blanked: they
 * name the member, its display name and its accounts in clear. Copies the holder handed out cannot
 * be recalled; their status-list entries say INVALID.
 */
import type { ReasonCategory } from '../generated/prisma/client.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import type { LogEvent } from '../kernel/log-append.ts';
import { requireEnum } from '../kernel/validation.ts';
import { foldForSearch } from '../text/search-text.ts';
import { applyMemberStatus } from '../members/members.ts';
import { canMemberTransition } from '../members/member-status.ts';
import { erased } from '../members/personal-data.ts';
import { touchStatusListsOfMember } from '../signing/status-lists.ts';
import { recordPendingErasure } from './erasure-counts.ts';
import { ERASURE_GROUNDS, type ErasureGround } from './erasure-grounds.ts';
import { forgetPhoneAccounts } from './phone-accounts.ts';

/** Why data is erased (erasure-grounds.ts, shared with the daily counts). */
export { ERASURE_GROUNDS, type ErasureGround } from './erasure-grounds.ts';

/** The public profile of an erased member: the name it had is personal data too. */
export const ERASED_DISPLAY_NAME = 'Dữ liệu đã xóa / Data erased';

/** The stored JWS of an erased member's attestation (the row stays: its status-list index must keep reading INVALID). */
export const ERASED_ATTESTATION = '';

export interface EraseInput {
  memberId: string;
  ground: ErasureGround;
  /** The member's ERASURE request this carries out, if any: it is answered DONE in the same transaction. */
  requestId?: string;
}

export interface ErasureResult {
  /** The erasure's own id: the operator's record (never in the log, which publishes daily counts only). */
  erasureId: string;
  memberId: string;
  erasedAt: Date;
  /** The member's status after the erasure (WITHDRAWN, or EXPELLED when it already was). */
  memberStatus: string;
  /** What is kept, and why (no personal data). */
  kept: string[];
}

/**
 * Erases a member's personal data. OFFICER, ADMIN or SYSTEM (the retention job); an erased member
 * is refused (PERSONAL_DATA_ERASED).
 *
 * @example const { erasureId } = await eraseMemberPersonalData(ctx, { memberId, ground: 'DATA_SUBJECT_REQUEST' }, officer);
 */
export async function eraseMemberPersonalData(ctx: RegistryContext, input: EraseInput, actor: Actor): Promise<ErasureResult> {
  if (!['OFFICER', 'ADMIN', 'SYSTEM'].includes(actor.role)) throw new ForbiddenError('OFFICER_ONLY', 'Only an OFFICER or ADMIN may erase personal data / Chỉ cán bộ hoặc ADMIN được xóa dữ liệu cá nhân');
  const ground = requireEnum(input.ground, ERASURE_GROUNDS, 'ground');
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const current = await tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
    if (current.erasedAt) throw erased();
    if (input.requestId !== undefined) {
      const request = await tx.dataRightsRequest.findUnique({ where: { id: input.requestId } });
      if (!request || request.memberId !== current.id || request.kind !== 'ERASURE') throw new NotFoundError('DataRightsRequest', input.requestId, 'requestId');
      if (request.status !== 'OPEN') throw new InvalidTransitionError('DataRightsRequest', request.status, 'DONE');
      // No answer text: nothing can be sealed for the member any more; the outcome and time say it.
      await tx.dataRightsRequest.update({ where: { id: request.id }, data: { status: 'DONE', answeredAt: clock, answeredBy: actor.id } });
    }
    const events: LogEvent[] = [];
    let status = current.status;
    if (canMemberTransition(current.status, 'WITHDRAWN')) {
      // As any withdrawal the member asked for: a different category would mark the leaf as an erasure.
      const reasonCategory: ReasonCategory = 'MEMBER_REQUEST';
      const { event } = await applyMemberStatus(tx, current, 'WITHDRAWN', { reasonCategory, reasonPrivate: null, actor, clock });
      events.push(event);
      status = 'WITHDRAWN';
    }
    await destroy(tx, current.id, clock);
    const phones = await forgetPhoneAccounts(tx, ctx.pseudonyms, current.id);
    const erasureId = crypto.randomUUID();
    // No leaf now: the day's count is published once the day is over (erasure-counts.ts).
    await recordPendingErasure(tx, { id: erasureId, ground, at: clock });
    return {
      result: {
        erasureId, memberId: current.id, erasedAt: clock, memberStatus: status,
        kept: [
          'member id, kind, status history and reason categories (the registry\'s public record of certification)',
          'accounts the member administered and their ownership history (public pages; a key holding a phone number is kept only as its keyed pseudonym)',
          ...(phones.shared > 0 ? [`${phones.shared} phone account(s) another member still administers, in clear (that member's certification uses them)`] : []),
          ...(phones.flagged > 0 ? [`${phones.flagged} phone account(s) under a flag that stands, in clear (the public is still warned about the number; forgotten once the flag is lifted and retention runs)`] : []),
          'badges and the rows of signed attestations (REVOKED/INVALID; the stored signed copies are blanked, copies already handed out cannot be recalled)',
          'the record of legal bases and of officers\' reads (who, which fields, when, purpose; their sealed reasons are unreadable)',
        ],
      },
      events,
    };
  });
}

/** Destroys what the erasure destroys, inside the caller's transaction. */
async function destroy(tx: Tx, memberId: string, at: Date): Promise<void> {
  await tx.member.update({
    where: { id: memberId },
    data: {
      privateData: null, dataKey: null, dataKeyMasterKeyId: null, idNumberIndex: null, erasedAt: at, restrictedAt: null,
      displayName: ERASED_DISPLAY_NAME, searchText: foldForSearch(ERASED_DISPLAY_NAME), province: null, categories: [],
    },
  });
  // Private reasons may name the person; they were sealed under the registry-wide key.
  await tx.memberStatusEvent.updateMany({ where: { memberId, reasonPrivate: { not: null } }, data: { reasonPrivate: null } });
  await tx.badgeEvent.updateMany({ where: { badge: { memberId }, reasonPrivate: { not: null } }, data: { reasonPrivate: null } });
  // The member's own words when withdrawing a pledge signature.
  await tx.pledgeSignature.updateMany({ where: { memberId, withdrawReason: { not: null } }, data: { withdrawReason: null } });
  // Sealed under the member's key (already unreadable): the bytes go too.
  await tx.personalDataAccess.updateMany({ where: { memberId, reason: { not: null } }, data: { reason: null } });
  await tx.dataRightsRequest.updateMany({ where: { memberId }, data: { detail: null, answer: null } });
  await tx.processingBasis.updateMany({ where: { memberId, withdrawnAt: null }, data: { withdrawnAt: at, withdrawnBy: 'erasure' } });
  await blankAttestations(tx, memberId, at);
}

/**
 * Blanks the stored signed copies of a member's attestations: they name the member, its display
 * name and accounts in clear (phone keys too). The rows stay, superseded, so their status-list
 * entries keep reading INVALID (a deleted row would read 0, VALID). Returns how many were blanked.
 */
export async function blankAttestations(tx: Tx, memberId: string, at: Date): Promise<number> {
  await touchStatusListsOfMember(tx, memberId);
  const { count } = await tx.attestation.updateMany({ where: { badge: { memberId }, jws: { not: ERASED_ATTESTATION } }, data: { jws: ERASED_ATTESTATION } });
  await tx.attestation.updateMany({ where: { badge: { memberId }, supersededAt: null }, data: { supersededAt: at } });
  return count;
}
