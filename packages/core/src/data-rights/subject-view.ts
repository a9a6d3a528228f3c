/**
 * What the registry holds about a member, for the member itself (Law 91/2025/QH15, Art. 4: to be
 * informed, to see, to receive a copy): their personal data, the legal bases and consents with the
 * notice text each was given on, every read of their data (who, which fields, when, why), and their
 * requests. Only for the member (a MEMBER token whose subject is the member id); the export is the
 * same document as JSON. The member's own look is recorded too (purpose SUBJECT_ACCESS).
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor, RegistryContext } from '../kernel/context.ts';
import { openForMember, openPersonalData, type PersonalData } from '../members/personal-data.ts';
import { PURPOSE_FIELDS, PURPOSE_TEXT, type Purpose } from '../members/legal-basis.ts';
import { privacyNotice } from '../members/privacy-notices.ts';
import { listDataRightsRequests, type DataRightsRequestView } from './requests.ts';

/** The purpose recorded for a member's look at their own data. */
export const SUBJECT_ACCESS = 'SUBJECT_ACCESS';

export interface SubjectBasis {
  purpose: string;
  purposeVi: string;
  purposeEn: string;
  basis: string;
  fields: string[];
  givenAt: Date;
  recordedBy: string;
  withdrawnAt: Date | null;
  noticeVersion: number | null;
  method: string | null;
  noticeVi: string | null;
  noticeEn: string | null;
}

export interface SubjectAccess {
  at: Date;
  /** The reader's actor id and role (officers act under their token subject). */
  actorId: string;
  role: string;
  fields: string[];
  purpose: string | null;
  legalBasis: string | null;
  reason: string | null;
}

export interface SubjectView {
  memberId: string;
  exportedAt: Date;
  profile: { kind: string; status: string; displayName: string; province: string | null; categories: string[]; createdAt: Date };
  personal: PersonalData;
  erasedAt: Date | null;
  restrictedAt: Date | null;
  bases: SubjectBasis[];
  accessLog: SubjectAccess[];
  requests: DataRightsRequestView[];
}

/**
 * @example const mine = await subjectView(ctx, memberId, { id: memberId, role: 'MEMBER' });
 */
export async function subjectView(ctx: RegistryContext, memberId: string, actor: Actor): Promise<SubjectView> {
  if (!(actor.role === 'MEMBER' && actor.id === memberId)) throw new ForbiddenError('SELF_ONLY', 'Only the member itself may see this / Chỉ chính thành viên được xem');
  const member = await ctx.prisma.member.findUnique({ where: { id: memberId } });
  if (!member) throw new NotFoundError('Member', memberId, 'memberId');
  const at = ctx.now();
  const [bases, reads] = await Promise.all([
    ctx.prisma.processingBasis.findMany({ where: { memberId }, orderBy: { givenAt: 'asc' } }),
    ctx.prisma.personalDataAccess.findMany({ where: { memberId }, orderBy: { at: 'asc' } }),
  ]);
  const personal = member.erasedAt ? {} : openPersonalData(ctx.memberKeys, member);
  if (!member.erasedAt) await ctx.prisma.personalDataAccess.create({ data: { actorId: actor.id, role: actor.role, memberId, fields: Object.keys(personal), at, purpose: SUBJECT_ACCESS } });
  return {
    memberId,
    exportedAt: at,
    profile: { kind: member.kind, status: member.status, displayName: member.displayName, province: member.province, categories: member.categories, createdAt: member.createdAt },
    personal,
    erasedAt: member.erasedAt,
    restrictedAt: member.restrictedAt,
    bases: bases.map((b) => {
      const notice = b.noticeVersion === null ? undefined : privacyNotice(b.noticeVersion);
      const text = PURPOSE_TEXT[b.purpose as Purpose];
      return {
        purpose: b.purpose, purposeVi: text?.vi ?? b.purpose, purposeEn: text?.en ?? b.purpose, basis: b.basis, fields: [...(PURPOSE_FIELDS[b.purpose as Purpose] ?? [])],
        givenAt: b.givenAt, recordedBy: b.recordedBy, withdrawnAt: b.withdrawnAt, noticeVersion: b.noticeVersion, method: b.method,
        noticeVi: notice?.textVi ?? null, noticeEn: notice?.textEn ?? null,
      };
    }),
    accessLog: reads.map((r) => ({
      at: r.at, actorId: r.actorId, role: r.role, fields: r.fields, purpose: r.purpose, legalBasis: r.legalBasis,
      reason: openForMember(ctx.memberKeys, memberId, member.dataKey, r.reason, 'read-reason'),
    })),
    requests: await listDataRightsRequests(ctx, { memberId }),
  };
}
