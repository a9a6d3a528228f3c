/**
 * Registering and updating members, their status changes, and officers' reads of personal data.
 */
import type { Member, MemberKind, MemberStatus, ReasonCategory } from '../generated/prisma/client.ts';
import { DataProtectionError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { foldForSearch } from '../text/search-text.ts';
import { lockRow, write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import type { LogEvent } from '../kernel/log-append.ts';
import { stampAfter } from '../kernel/stamps.ts';
import { canMemberTransition } from './member-status.ts';
import { touchStatusListsOfMember } from '../signing/status-lists.ts';
import { erased, openPersonalData, sealForMember, sealPersonalData, validatePersonalData, type PersonalData, type PersonalField } from './personal-data.ts';
import { assertReadable, assertStorable, basesInForce, LEGAL_BASES, PURPOSES, recordBases, validateBases, type BasisInput, type LegalBasis, type Purpose } from './legal-basis.ts';
import { MEMBER_KINDS, REASON_CATEGORIES, requireEnum, requireText } from '../kernel/validation.ts';
import { assertIdNumberFree, idNumberIndex, rethrowIdNumberRace } from './national-id.ts';

export interface RegisterMemberInput {
  kind: MemberKind;
  displayName: string;
  province?: string | null;
  categories?: string[];
  personal?: PersonalData;
  /** The legal basis of each purpose the personal data is given for: every personal field needs one (NO_LEGAL_BASIS). */
  bases?: BasisInput[];
}

export interface UpdateMemberInput {
  memberId: string;
  displayName?: string;
  province?: string | null;
  categories?: string[];
  personal?: PersonalData;
  /** Bases to record with the update (added to those in force). */
  bases?: BasisInput[];
}

export interface ChangeMemberStatusInput {
  memberId: string;
  status: MemberStatus;
  reasonCategory: ReasonCategory;
  /** Seen by officers only. */
  reasonPrivate?: string;
}

/** A member's public profile: what anyone may see. */
export type PublicMember = Pick<Member, 'id' | 'kind' | 'status' | 'displayName' | 'province' | 'categories' | 'createdAt'>;

export function toPublicMember(member: Member): PublicMember {
  const { id, kind, status, displayName, province, categories, createdAt } = member;
  return { id, kind, status, displayName, province, categories, createdAt };
}

function publicFields(input: { displayName?: string; province?: string | null; categories?: string[] }) {
  const out: { displayName?: string; searchText?: string; province?: string | null; categories?: string[] } = {};
  if (input.displayName !== undefined) {
    out.displayName = requireText(input.displayName, 'displayName', 200);
    out.searchText = foldForSearch(out.displayName);
  }
  if (input.province !== undefined) out.province = input.province === null ? null : requireText(input.province, 'province', 100);
  if (input.categories !== undefined) {
    if (!Array.isArray(input.categories) || input.categories.length > 20) throw new ValidationError('categories must be a list of at most 20', 'categories');
    out.categories = input.categories.map((c, i) => requireText(c, `categories.${i}`, 50));
  }
  return out;
}

/**
 * Registers a member as PENDING. A national ID number another member holds is a ConflictError
 * (field `personal.idNumber`), compared through its blind index (members/national-id.ts).
 */
export async function registerMember(ctx: RegistryContext, input: RegisterMemberInput, actor: Actor): Promise<PublicMember> {
  const kind = requireEnum(input.kind, MEMBER_KINDS, 'kind');
  const fields = publicFields({ displayName: input.displayName, province: input.province ?? null, categories: input.categories ?? [] });
  const personal = validatePersonalData(input.personal ?? {});
  const bases = validateBases(input.bases);
  assertStorable(personal, bases);
  const index = idNumberIndex(ctx.pseudonyms, personal.idNumber);
  return write(ctx, async (tx, at) => {
    const id = crypto.randomUUID();
    await assertIdNumberFree(tx, index, id);
    const sealed = Object.keys(personal).length > 0 ? sealPersonalData(ctx.memberKeys, { id, dataKey: null }, personal) : { privateData: null, dataKey: null, dataKeyMasterKeyId: null };
    const member = await tx.member.create({
      data: {
        id,
        kind,
        displayName: fields.displayName!,
        searchText: fields.searchText!,
        province: fields.province ?? null,
        categories: fields.categories ?? [],
        privateData: sealed.privateData,
        dataKey: sealed.dataKey,
        dataKeyMasterKeyId: sealed.dataKeyMasterKeyId ?? null,
        idNumberIndex: index,
        createdAt: at,
        statusEvents: { create: { status: 'PENDING', at, reasonCategory: 'ADMINISTRATIVE', actorId: actor.id } },
      },
    }).catch(rethrowIdNumberRace);
    await recordBases(tx, id, bases, at, actor);
    return { result: toPublicMember(member), events: [{ kind: 'member.registered', subject: id, data: { memberKind: kind } }] };
  });
}

/**
 * Updates a member's public profile and/or personal data (personal fields merge). A personal
 * update also (re)computes the national-ID index, so members registered before it get theirs.
 */
export async function updateMember(ctx: RegistryContext, input: UpdateMemberInput, actor: Actor): Promise<PublicMember> {
  const fields = publicFields(input);
  const personalPatch = input.personal ? validatePersonalData(input.personal) : undefined;
  const bases = validateBases(input.bases);
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const current = await tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
    if (current.erasedAt && (personalPatch || bases.length > 0)) throw erased();
    if (current.restrictedAt && personalPatch && actor.role !== 'ADMIN') throw restricted();
    await recordBases(tx, current.id, bases, at, actor);
    const data: Record<string, unknown> = { ...fields };
    if (personalPatch) {
      const merged = { ...openPersonalData(ctx.memberKeys, current), ...personalPatch };
      assertStorable(merged, await basesInForce(tx, current.id));
      Object.assign(data, sealPersonalData(ctx.memberKeys, current, merged));
      data.idNumberIndex = idNumberIndex(ctx.pseudonyms, merged.idNumber);
      await assertIdNumberFree(tx, data.idNumberIndex as string | null, current.id);
    }
    const member = await tx.member.update({ where: { id: input.memberId }, data }).catch(rethrowIdNumberRace);
    const changed = Object.keys(fields).filter((f) => f !== 'searchText');
    if (personalPatch) changed.push('personal');
    if (bases.length > 0) changed.push('bases');
    return { result: toPublicMember(member), events: [{ kind: 'member.updated', subject: member.id, data: { fields: changed } }] };
  });
}

/** Moves a member along its lifecycle, refusing transitions the lifecycle does not allow. */
export async function changeMemberStatus(ctx: RegistryContext, input: ChangeMemberStatusInput, actor: Actor): Promise<PublicMember> {
  const reasonCategory = requireEnum(input.reasonCategory, REASON_CATEGORIES, 'reasonCategory');
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const current = await tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
    if (!canMemberTransition(current.status, input.status)) throw new InvalidTransitionError('Member', current.status, input.status);
    const reasonPrivate = input.reasonPrivate ? ctx.personal.seal(input.reasonPrivate, `member:${current.id}:reason`) : null;
    const { member, event } = await applyMemberStatus(tx, current, input.status, { reasonCategory, reasonPrivate, actor, clock });
    return { result: toPublicMember(member), events: [event] };
  });
}

/**
 * The status change itself, inside the caller's transaction (the member row locked, the
 * transition allowed): the status event after the member's last one, the status lists touched,
 * and the log event to append. Erasure (data-rights/erasure.ts) ends a membership through it.
 */
export async function applyMemberStatus(
  tx: Tx,
  current: Pick<Member, 'id' | 'status'>,
  status: MemberStatus,
  change: { reasonCategory: ReasonCategory; reasonPrivate: Uint8Array<ArrayBuffer> | null; actor: Actor; clock: Date },
): Promise<{ member: Member; event: LogEvent }> {
  // After the member's last status event (Member.updatedAt is Prisma's own clock, not ours).
  const latest = await tx.memberStatusEvent.aggregate({ where: { memberId: current.id }, _max: { at: true } });
  const at = stampAfter(change.clock, latest._max.at);
  const member = await tx.member.update({
    where: { id: current.id },
    data: { status, statusEvents: { create: { status, at, reasonCategory: change.reasonCategory, reasonPrivate: change.reasonPrivate, actorId: change.actor.id } } },
  });
  // The member's status is part of each attestation's status-list value (signing/status-value.ts).
  await touchStatusListsOfMember(tx, member.id);
  return { member, event: { kind: 'member.status', subject: member.id, data: { from: current.status, to: status, reasonCategory: change.reasonCategory } } };
}

/** A member's public profile, or null. */
export async function getMember(ctx: RegistryContext, memberId: string): Promise<PublicMember | null> {
  const member = await ctx.prisma.member.findUnique({ where: { id: memberId } });
  return member ? toPublicMember(member) : null;
}

/** Why an officer reads personal fields (Law 91/2025/QH15: processing only for a stated purpose). */
export interface ReadPurpose {
  /** The purpose the read serves: a basis in force must cover it, and it must use every field asked. */
  purpose: Purpose;
  /** Free text, sealed under the member's own key (erased with it). */
  reason?: string;
  /** For a restricted member: the legal basis the ADMIN reads under. */
  legalBasis?: LegalBasis;
}

/** The refusal for a restricted member. */
export function restricted(): DataProtectionError {
  return new DataProtectionError(
    'PROCESSING_RESTRICTED',
    'Việc xử lý dữ liệu cá nhân của thành viên này đang bị hạn chế: chỉ ADMIN nêu căn cứ pháp lý mới được đọc. / Processing of this member\'s personal data is restricted: only an ADMIN stating a legal basis may read it.',
    'memberId',
  );
}

/**
 * Personal fields of a member for an officer, for a stated purpose. The read is recorded (who,
 * which fields, when, the purpose and the sealed reason) before the data is returned. Refused:
 * an erased member (PERSONAL_DATA_ERASED); a restricted one unless an ADMIN states a legal basis
 * (PROCESSING_RESTRICTED); a purpose no basis in force covers, or a field it does not use
 * (NO_LEGAL_BASIS). Role checks beyond these are the caller's (the API's scopes).
 */
export async function readPersonalData(ctx: RegistryContext, memberId: string, fields: readonly PersonalField[], actor: Actor, why: ReadPurpose): Promise<PersonalData> {
  const purpose = requireEnum(why?.purpose, PURPOSES, 'purpose');
  const legalBasis = why.legalBasis === undefined ? null : requireEnum(why.legalBasis, LEGAL_BASES, 'legalBasis');
  const reason = why.reason === undefined ? null : requireText(why.reason, 'reason', 1000);
  return ctx.prisma.$transaction(async (tx) => {
    if (!(await lockRow(tx, 'Member', memberId))) throw new NotFoundError('Member', memberId, 'memberId');
    let member = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { id: true, privateData: true, dataKey: true, erasedAt: true, restrictedAt: true } });
    if (member.erasedAt) throw erased();
    if (member.restrictedAt) {
      if (actor.role !== 'ADMIN' || legalBasis === null) throw restricted();
    } else {
      assertReadable(purpose, fields, await basesInForce(tx, memberId));
    }
    if (reason !== null && !member.dataKey) member = await tx.member.update({ where: { id: memberId }, data: ctx.memberKeys.create(memberId), select: { id: true, privateData: true, dataKey: true, erasedAt: true, restrictedAt: true } });
    await tx.personalDataAccess.create({
      data: {
        actorId: actor.id, role: actor.role, memberId, fields: [...fields], at: ctx.now(), purpose, legalBasis,
        reason: reason === null ? null : sealForMember(ctx.memberKeys, memberId, member.dataKey!, reason, 'read-reason'),
      },
    });
    const all = openPersonalData(ctx.memberKeys, member);
    return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
  });
}
