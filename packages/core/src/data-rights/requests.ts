/**
 * Data subjects' requests (Law 91/2025/QH15, Art. 4: to see, correct, erase, restrict, object,
 * receive a copy): a member files one (or an officer records one made on paper), it gets a deadline,
 * and an officer answers it DONE or REFUSED with a sealed answer. The member's words and the answer
 * are sealed under the member's own key, so erasure destroys them too. Carrying a request out
 * (updateMember, eraseMemberPersonalData, restrictProcessing, withdrawConsent) is the officer's
 * separate, logged step. An officer's read of a request's text is recorded as a read of the
 * member's personal data (`readDataRightsRequestDetail`, purpose DATA_RIGHTS_REQUEST).
 */
import type { DataRightsRequest } from '../generated/prisma/client.ts';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { requireEnum, requireText } from '../kernel/validation.ts';
import { erased, openForMember, sealForMember } from '../members/personal-data.ts';

export const REQUEST_KINDS = ['ACCESS', 'COPY', 'CORRECTION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'CONSENT_WITHDRAWAL'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_OUTCOMES = ['DONE', 'REFUSED'] as const;

/** The purpose recorded when an officer reads a request's text: answering it (a legal obligation). */
export const ANSWERING_REQUEST = 'DATA_RIGHTS_REQUEST';
/** The field name such a read records. */
export const REQUEST_DETAIL_FIELD = 'request.detail';

/**
 * Days the registry gives itself to answer, per kind (the policy of docs/PRIVACY.md: 72 hours for
 * every kind, the shortest period the implementing rules have used; change it here only).
 */
export const RESPONSE_HOURS: Readonly<Record<RequestKind, number>> = {
  ACCESS: 72, COPY: 72, CORRECTION: 72, ERASURE: 72, RESTRICTION: 72, OBJECTION: 72, CONSENT_WITHDRAWAL: 72,
};

/** A request as its member or an officer sees it (sealed texts opened). */
export interface DataRightsRequestView {
  id: string;
  memberId: string;
  kind: RequestKind;
  status: string;
  detail: string | null;
  createdAt: Date;
  dueAt: Date;
  overdue: boolean;
  answeredAt: Date | null;
  answeredBy: string | null;
  answer: string | null;
}

function view(ctx: RegistryContext, row: DataRightsRequest, dataKey: Uint8Array | null): DataRightsRequestView {
  return {
    id: row.id, memberId: row.memberId, kind: row.kind as RequestKind, status: row.status, createdAt: row.createdAt, dueAt: row.dueAt,
    overdue: row.status === 'OPEN' && row.dueAt < ctx.now(), answeredAt: row.answeredAt, answeredBy: row.answeredBy,
    detail: openForMember(ctx.memberKeys, row.memberId, dataKey, row.detail, `request:${row.id}`),
    answer: openForMember(ctx.memberKeys, row.memberId, dataKey, row.answer, `answer:${row.id}`),
  };
}

/**
 * Files a request: the member itself (MEMBER token) or an officer recording one.
 * @example const r = await fileDataRightsRequest(ctx, { memberId, kind: 'CORRECTION', detail: 'Số điện thoại mới: …' }, member);
 */
export async function fileDataRightsRequest(ctx: RegistryContext, input: { memberId: string; kind: RequestKind; detail?: string }, actor: Actor): Promise<DataRightsRequestView> {
  const self = actor.role === 'MEMBER' && actor.id === input.memberId;
  if (!self && !['OFFICER', 'ADMIN'].includes(actor.role)) throw new ForbiddenError('OFFICER_OR_SELF', 'Only the member itself or an officer may file this request / Chỉ chính thành viên hoặc cán bộ được gửi yêu cầu này');
  const kind = requireEnum(input.kind, REQUEST_KINDS, 'kind');
  const detail = input.detail === undefined ? null : requireText(input.detail, 'detail', 2000);
  const { id } = await write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    let member = await tx.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { erasedAt: true, dataKey: true } });
    if (member.erasedAt) throw erased();
    if (!member.dataKey) member = await tx.member.update({ where: { id: input.memberId }, data: ctx.memberKeys.create(input.memberId), select: { erasedAt: true, dataKey: true } });
    const id = crypto.randomUUID();
    await tx.dataRightsRequest.create({
      data: {
        id, memberId: input.memberId, kind, createdAt: at, dueAt: new Date(at.getTime() + RESPONSE_HOURS[kind] * 3_600_000),
        detail: detail === null ? null : sealForMember(ctx.memberKeys, input.memberId, member.dataKey!, detail, `request:${id}`),
      },
    });
    // The result (what an idempotency key stores in clear) is the id alone; the texts are opened below.
    return { result: { id }, events: [] };
  }, { changesAnswers: false });
  return viewOf(ctx, id);
}

/** A request read back after its write, its texts opened. */
async function viewOf(ctx: RegistryContext, id: string): Promise<DataRightsRequestView> {
  const row = await ctx.prisma.dataRightsRequest.findUniqueOrThrow({ where: { id } });
  const member = await ctx.prisma.member.findUniqueOrThrow({ where: { id: row.memberId }, select: { dataKey: true } });
  return view(ctx, row, member.dataKey);
}

/**
 * An officer's answer: DONE or REFUSED, with a text the member reads. An answered request is final.
 * @example await answerDataRightsRequest(ctx, { requestId, outcome: 'DONE', answer: 'Đã sửa. / Corrected.' }, officer);
 */
export async function answerDataRightsRequest(ctx: RegistryContext, input: { requestId: string; outcome: 'DONE' | 'REFUSED'; answer: string }, actor: Actor): Promise<DataRightsRequestView> {
  if (!['OFFICER', 'ADMIN'].includes(actor.role)) throw new ForbiddenError('OFFICER_ONLY', 'Only an officer may answer a request / Chỉ cán bộ được trả lời yêu cầu');
  const outcome = requireEnum(input.outcome, REQUEST_OUTCOMES, 'outcome');
  const answer = requireText(input.answer, 'answer', 2000);
  const { id } = await write(ctx, async (tx, at) => {
    const row = await tx.dataRightsRequest.findUnique({ where: { id: input.requestId } });
    if (!row) throw new NotFoundError('DataRightsRequest', input.requestId, 'requestId');
    await lockRow(tx, 'Member', row.memberId);
    if (row.status !== 'OPEN') throw new InvalidTransitionError('DataRightsRequest', row.status, outcome);
    const member = await tx.member.findUniqueOrThrow({ where: { id: row.memberId }, select: { dataKey: true } });
    // An erased member's request is answered without a text: nothing can be sealed for it any more.
    const sealed = member.dataKey ? sealForMember(ctx.memberKeys, row.memberId, member.dataKey, answer, `answer:${row.id}`) : null;
    await tx.dataRightsRequest.update({ where: { id: row.id }, data: { status: outcome, answeredAt: at, answeredBy: actor.id, answer: sealed } });
    return { result: { id: row.id }, events: [] };
  }, { changesAnswers: false });
  return viewOf(ctx, id);
}

/**
 * Requests, oldest first: of one member, or all OPEN ones (officers' queue, overdue first by deadline).
 * @example const queue = await listDataRightsRequests(ctx, { status: 'OPEN' });
 */
export async function listDataRightsRequests(ctx: RegistryContext, filter: { memberId?: string; status?: string } = {}): Promise<DataRightsRequestView[]> {
  const rows = await ctx.prisma.dataRightsRequest.findMany({
    where: { ...(filter.memberId ? { memberId: filter.memberId } : {}), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: filter.memberId ? { createdAt: 'asc' } : { dueAt: 'asc' },
    take: 500,
  });
  const keys = new Map((await ctx.prisma.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } }, select: { id: true, dataKey: true } })).map((m) => [m.id, m.dataKey]));
  return rows.map((r) => view(ctx, r, keys.get(r.memberId) ?? null));
}

/**
 * The member's own words in a request, for the member itself or an officer. The member's look is
 * not recorded (it is their own text); an officer's is, like any read of personal data: who, when,
 * field `request.detail`, purpose DATA_RIGHTS_REQUEST, so the member sees it in `myData`. Nothing
 * to read (no text, or erased): null, and nothing recorded.
 *
 * @example const text = await readDataRightsRequestDetail(ctx, requestId, officer);
 */
export async function readDataRightsRequestDetail(ctx: RegistryContext, requestId: string, actor: Actor): Promise<string | null> {
  const self = actor.role === 'MEMBER';
  if (!self && !['OFFICER', 'ADMIN'].includes(actor.role)) throw new ForbiddenError('OFFICER_OR_SELF', 'Only the member itself or an officer may read this request / Chỉ chính thành viên hoặc cán bộ được đọc yêu cầu này');
  const row = await ctx.prisma.dataRightsRequest.findUnique({ where: { id: requestId } });
  // Another member's request is not found, never "forbidden": ids reveal nothing.
  if (!row || (self && row.memberId !== actor.id)) throw new NotFoundError('DataRightsRequest', requestId, 'requestId');
  const member = await ctx.prisma.member.findUniqueOrThrow({ where: { id: row.memberId }, select: { dataKey: true } });
  const detail = openForMember(ctx.memberKeys, row.memberId, member.dataKey, row.detail, `request:${row.id}`);
  if (detail === null || self) return detail;
  await ctx.prisma.personalDataAccess.create({ data: { actorId: actor.id, role: actor.role, memberId: row.memberId, fields: [REQUEST_DETAIL_FIELD], at: ctx.now(), purpose: ANSWERING_REQUEST } });
  return detail;
}
