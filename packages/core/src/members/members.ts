/**
 * Registering and updating members, their status changes, and officers' reads of personal data.
 */
import type { Member, MemberKind, MemberStatus, ReasonCategory } from '../generated/prisma/client.ts';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../errors.ts';
import { foldForSearch } from '../text/search-text.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { stampAfter } from '../kernel/stamps.ts';
import { canMemberTransition } from './member-status.ts';
import { touchStatusListsOfMember } from '../signing/status-lists.ts';
import { openPersonalData, sealPersonalData, validatePersonalData, type PersonalData, type PersonalField } from './personal-data.ts';
import { MEMBER_KINDS, REASON_CATEGORIES, requireEnum, requireText } from '../kernel/validation.ts';
import { assertIdNumberFree, idNumberIndex, rethrowIdNumberRace } from './national-id.ts';

export interface RegisterMemberInput {
  kind: MemberKind;
  displayName: string;
  province?: string | null;
  categories?: string[];
  personal?: PersonalData;
}

export interface UpdateMemberInput {
  memberId: string;
  displayName?: string;
  province?: string | null;
  categories?: string[];
  personal?: PersonalData;
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
  const index = idNumberIndex(ctx.pseudonyms, personal.idNumber);
  return write(ctx, async (tx, at) => {
    const id = crypto.randomUUID();
    await assertIdNumberFree(tx, index, id);
    const member = await tx.member.create({
      data: {
        id,
        kind,
        displayName: fields.displayName!,
        searchText: fields.searchText!,
        province: fields.province ?? null,
        categories: fields.categories ?? [],
        privateData: sealPersonalData(ctx.personal, id, personal),
        idNumberIndex: index,
        createdAt: at,
        statusEvents: { create: { status: 'PENDING', at, reasonCategory: 'ADMINISTRATIVE', actorId: actor.id } },
      },
    }).catch(rethrowIdNumberRace);
    return { result: toPublicMember(member), events: [{ kind: 'member.registered', subject: id, data: { memberKind: kind } }] };
  });
}

/**
 * Updates a member's public profile and/or personal data (personal fields merge). A personal
 * update also (re)computes the national-ID index, so members registered before it get theirs.
 */
export async function updateMember(ctx: RegistryContext, input: UpdateMemberInput, _actor: Actor): Promise<PublicMember> {
  const fields = publicFields(input);
  const personalPatch = input.personal ? validatePersonalData(input.personal) : undefined;
  return write(ctx, async (tx) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const current = await tx.member.findUniqueOrThrow({ where: { id: input.memberId } });
    const data: Record<string, unknown> = { ...fields };
    if (personalPatch) {
      const merged = { ...openPersonalData(ctx.personal, current.id, current.privateData), ...personalPatch };
      data.privateData = sealPersonalData(ctx.personal, current.id, merged);
      data.idNumberIndex = idNumberIndex(ctx.pseudonyms, merged.idNumber);
      await assertIdNumberFree(tx, data.idNumberIndex as string | null, current.id);
    }
    const member = await tx.member.update({ where: { id: input.memberId }, data }).catch(rethrowIdNumberRace);
    const changed = Object.keys(fields).filter((f) => f !== 'searchText');
    if (personalPatch) changed.push('personal');
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
    // After the member's last status event (Member.updatedAt is Prisma's own clock, not ours).
    const latest = await tx.memberStatusEvent.aggregate({ where: { memberId: current.id }, _max: { at: true } });
    const at = stampAfter(clock, latest._max.at);
    const reasonPrivate = input.reasonPrivate ? ctx.personal.seal(input.reasonPrivate, `member:${current.id}:reason`) : null;
    const member = await tx.member.update({
      where: { id: current.id },
      data: { status: input.status, statusEvents: { create: { status: input.status, at, reasonCategory, reasonPrivate, actorId: actor.id } } },
    });
    // The member's status is part of each attestation's status-list value (signing/status-value.ts).
    await touchStatusListsOfMember(tx, member.id);
    return { result: toPublicMember(member), events: [{ kind: 'member.status', subject: member.id, data: { from: current.status, to: input.status, reasonCategory } }] };
  });
}

/** A member's public profile, or null. */
export async function getMember(ctx: RegistryContext, memberId: string): Promise<PublicMember | null> {
  const member = await ctx.prisma.member.findUnique({ where: { id: memberId } });
  return member ? toPublicMember(member) : null;
}

/**
 * Personal fields of a member for an officer. Each read is recorded (who, which fields, when)
 * before the data is returned. Role checks are the caller's (the API's scopes); this records.
 */
export async function readPersonalData(ctx: RegistryContext, memberId: string, fields: readonly PersonalField[], actor: Actor): Promise<PersonalData> {
  const member = await ctx.prisma.member.findUnique({ where: { id: memberId }, select: { id: true, privateData: true } });
  if (!member) throw new NotFoundError('Member', memberId, 'memberId');
  await ctx.prisma.personalDataAccess.create({ data: { actorId: actor.id, role: actor.role, memberId, fields: [...fields], at: ctx.now() } });
  const all = openPersonalData(ctx.personal, member.id, member.privateData);
  return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
}
