/**
 * Personal data rights over GraphQL (issue 17): the API only maps core. Typed DataProtectionError
 * results, purposes on personal fields, restriction, the member's own view and export, requests,
 * consent withdrawal, erasure and the ADMIN's breach report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';
import { REGISTER, RESULT_ERROR, VERIFY } from './documents.ts';
import { createVerifiedMember } from '@trust-alliance/core/testing';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t?.close());

const BASES = [
  { purpose: 'CERTIFICATION', basis: 'CONTRACT' },
  { purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: 1, method: 'ONLINE' },
];
const PERSON = { legalName: 'Tạ Thị Quyền Riêng', phone: '0981 777 333', email: 'quyen.rieng@example.vn' };

async function register(displayName: string, bases: unknown = BASES) {
  const res = await t.gql(REGISTER, { input: { kind: 'KOL', displayName, personal: PERSON, ...(bases ? { bases } : {}) } }, 'OFFICER');
  return res.data!.registerMember as { __typename: string; member?: { id: string }; code?: string; field?: string };
}

const READ = `query($id: ID!, $reason: String, $basis: LegalBasis) { member(id: $id) { phone(purpose: CONTACT, reason: $reason, legalBasis: $basis) } }`;
const MY_DATA = `{ myData { memberId personal { legalName phone email } bases { purpose basis noticeVersion method noticeVi noticeEn withdrawnAt } accessLog { actorId role fields purpose reason } requests { kind status answer overdue } export } }`;
const mutation = (name: string, input: string, payload: string) => `mutation($input: ${input}!) { ${name}(input: $input) { __typename ... on ${payload} ${RESULT_ERROR} } }`;

describe('legal bases over GraphQL', () => {
  it('personal data without a basis is a typed DataProtectionError (NO_LEGAL_BASIS)', async () => {
    expect(await register('Không Căn Cứ', null)).toMatchObject({ __typename: 'DataProtectionError', code: 'NO_LEGAL_BASIS', field: 'personal.legalName' });
    expect(await register('Có Căn Cứ')).toMatchObject({ __typename: 'MemberPayload' });
  });

  it('a personal field is read for a purpose; a purpose no basis covers is refused with its code', async () => {
    const { member } = (await register('Đọc Theo Mục Đích')) as { member: { id: string } };
    const ok = await t.gql(READ, { id: member.id, reason: 'Hẹn thẩm định' }, 'OFFICER');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.member.phone).toBe(PERSON.phone);
    const refused = await t.gql(`query($id: ID!) { member(id: $id) { displayName idNumber(purpose: IDENTITY_CHECK) } }`, { id: member.id }, 'OFFICER');
    expect(refused.data!.member).toEqual({ displayName: 'Đọc Theo Mục Đích', idNumber: null });
    expect(codeOf(refused)).toBe('NO_LEGAL_BASIS');
  });
});

describe('restriction over GraphQL', () => {
  it('only an ADMIN stating a legal basis reads a restricted member', async () => {
    const { member } = (await register('Bị Hạn Chế')) as { member: { id: string } };
    const RESTRICT = mutation('restrictProcessing', 'RestrictProcessingInput', 'RestrictProcessingPayload { restrictedAt }');
    expect((await t.gql(RESTRICT, { input: { memberId: member.id, restricted: true } }, { role: 'MEMBER', subject: member.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(RESTRICT, { input: { memberId: member.id, restricted: true } }, 'OFFICER')).data!.restrictProcessing.__typename).toBe('RestrictProcessingPayload');
    expect(codeOf(await t.gql(READ, { id: member.id }, 'OFFICER'))).toBe('PROCESSING_RESTRICTED');
    expect(codeOf(await t.gql(READ, { id: member.id }, 'ADMIN'))).toBe('PROCESSING_RESTRICTED');
    const STATE = `query($id: ID!) { member(id: $id) { processingRestrictedAt personalDataErasedAt } }`;
    expect((await t.gql(STATE, { id: member.id }, 'OFFICER')).data!.member).toMatchObject({ personalDataErasedAt: null });
    expect((await t.gql(STATE, { id: member.id }, 'OFFICER')).data!.member.processingRestrictedAt).not.toBeNull();
    expect(codeOf(await t.gql(STATE, { id: member.id }))).toBe('FORBIDDEN');
    expect((await t.gql(READ, { id: member.id, basis: 'LEGAL_OBLIGATION', reason: 'Công văn 12/CV' }, 'ADMIN')).data!.member.phone).toBe(PERSON.phone);
    const lift = await t.gql(RESTRICT, { input: { memberId: member.id, restricted: false } }, 'OFFICER');
    expect(lift.data!.restrictProcessing).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
  });
});

describe("the member's own view", () => {
  it('shows their data, bases with the notice, every read with its reason, and exports it; to them alone', async () => {
    const { member } = (await register('Của Tôi')) as { member: { id: string } };
    await t.gql(READ, { id: member.id, reason: 'Gọi xác nhận lịch' }, 'OFFICER');
    const res = await t.gql(MY_DATA, {}, { role: 'MEMBER', subject: member.id });
    expect(res.errors).toBeUndefined();
    const mine = res.data!.myData;
    expect(mine.personal).toEqual(PERSON);
    expect(mine.bases.map((b: { purpose: string; basis: string }) => `${b.purpose}:${b.basis}`)).toEqual(['CERTIFICATION:CONTRACT', 'CONTACT:CONSENT']);
    expect(mine.bases[1]).toMatchObject({ noticeVersion: 1, method: 'ONLINE', withdrawnAt: null });
    expect(mine.bases[1].noticeVi).toContain('91/2025/QH15');
    expect(mine.accessLog[0]).toMatchObject({ role: 'OFFICER', fields: ['phone'], purpose: 'CONTACT', reason: 'Gọi xác nhận lịch' });
    expect(mine.export.personal).toEqual(PERSON);
    expect(mine.export.accessLog[0].reason).toBe('Gọi xác nhận lịch');
    for (const as of [undefined, 'OFFICER', 'ADMIN', 'PLATFORM'] as const) {
      const other = await t.gql(MY_DATA, {}, as as never);
      expect(other.data?.myData ?? null).toBeNull();
      expect(codeOf(other)).toBe('FORBIDDEN');
    }
  });

  it('files requests with a deadline that officers list and answer', async () => {
    const { member } = (await register('Yêu Cầu Sửa')) as { member: { id: string } };
    const self = { role: 'MEMBER' as const, subject: member.id };
    const FILE = mutation('fileDataRightsRequest', 'FileDataRightsRequestInput', 'DataRightsRequestPayload { request { id kind status dueAt overdue } }');
    const filed = await t.gql(FILE, { input: { memberId: member.id, kind: 'CORRECTION', detail: 'Email mới: moi.quyen@example.vn' } }, self);
    const request = filed.data!.fileDataRightsRequest.request;
    expect(request).toMatchObject({ kind: 'CORRECTION', status: 'OPEN', overdue: false });
    // Another member cannot file for them.
    expect(codeOf(await t.gql(FILE, { input: { memberId: member.id, kind: 'ERASURE' } }, { role: 'MEMBER', subject: 'someone-else' }))).toBe('FORBIDDEN');
    const queue = await t.gql(`{ dataRightsRequests { id kind detail } }`, {}, 'OFFICER');
    expect(queue.data!.dataRightsRequests).toContainEqual({ id: request.id, kind: 'CORRECTION', detail: 'Email mới: moi.quyen@example.vn' });
    expect(codeOf(await t.gql(`{ dataRightsRequests { id } }`, {}, self))).toBe('FORBIDDEN');
    const ANSWER = mutation('answerDataRightsRequest', 'AnswerDataRightsRequestInput', 'DataRightsRequestPayload { request { status answer } }');
    expect((await t.gql(ANSWER, { input: { requestId: request.id, outcome: 'DONE', answer: 'Đã sửa. / Corrected.' } }, 'OFFICER')).data!.answerDataRightsRequest.request).toEqual({ status: 'DONE', answer: 'Đã sửa. / Corrected.' });
    expect((await t.gql(ANSWER, { input: { requestId: request.id, outcome: 'REFUSED', answer: 'x' } }, 'OFFICER')).data!.answerDataRightsRequest).toMatchObject({ __typename: 'InvalidTransitionError' });
    expect((await t.gql(MY_DATA, {}, self)).data!.myData.requests).toEqual([{ kind: 'CORRECTION', status: 'DONE', answer: 'Đã sửa. / Corrected.', overdue: false }]);
  });

  it("an officer's read of a request's text is recorded (purpose DATA_RIGHTS_REQUEST) and the member sees it in myData", async () => {
    const { member } = (await register('Yêu Cầu Được Đọc')) as { member: { id: string } };
    const self = { role: 'MEMBER' as const, subject: member.id };
    const FILE = mutation('fileDataRightsRequest', 'FileDataRightsRequestInput', 'DataRightsRequestPayload { request { id detail } }');
    const filed = await t.gql(FILE, { input: { memberId: member.id, kind: 'OBJECTION', detail: 'Tôi phản đối việc dùng số điện thoại 0981 777 333' } }, self);
    const request = filed.data!.fileDataRightsRequest.request as { id: string; detail: string };
    // The member reading their own words (here and in myData) is not an officer's read.
    expect(request.detail).toContain('phản đối');
    const reads = async () => ((await t.gql(MY_DATA, {}, self)).data!.myData.accessLog as Array<{ fields: string[]; purpose: string | null; role: string }>).filter((r) => r.fields.includes('request.detail'));
    expect(await reads()).toEqual([]);
    // The queue without the text reads nothing.
    await t.gql(`{ dataRightsRequests { id kind } }`, {}, 'OFFICER');
    expect(await reads()).toEqual([]);
    // Asked twice in one query: one recorded read.
    const queue = await t.gql(`{ a: dataRightsRequests { id detail } b: dataRightsRequests { id detail } }`, {}, 'OFFICER');
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.a).toContainEqual({ id: request.id, detail: request.detail });
    expect(await reads()).toEqual([expect.objectContaining({ role: 'OFFICER', fields: ['request.detail'], purpose: 'DATA_RIGHTS_REQUEST' })]);
    // Another member never reads it.
    const other = await t.gql(MY_DATA, {}, { role: 'MEMBER', subject: 'someone-else' });
    expect(JSON.stringify(other)).not.toContain('phản đối');
  });

  it('withdraws a consent: the answer says what stopped and what continues on which basis', async () => {
    const { member } = (await register('Rút Đồng Ý')) as { member: { id: string } };
    const WITHDRAW = mutation('withdrawConsent', 'WithdrawConsentInput', 'WithdrawConsentPayload { stoppedFields publicProfileWithheld continues { purpose basis fields } }');
    const res = await t.gql(WITHDRAW, { input: { memberId: member.id, purpose: 'CONTACT' } }, { role: 'MEMBER', subject: member.id });
    expect(res.data!.withdrawConsent).toEqual({
      __typename: 'WithdrawConsentPayload', stoppedFields: ['phone', 'email'], publicProfileWithheld: false,
      continues: [{ purpose: 'CERTIFICATION', basis: 'CONTRACT', fields: ['legalName', 'idNumber'] }],
    });
    expect(codeOf(await t.gql(READ, { id: member.id }, 'OFFICER'))).toBe('NO_LEGAL_BASIS');
  });
});

describe('erasure and breach report over GraphQL', () => {
  it('erases for good: typed payload, REVOKED verify answer, nothing left to read', async () => {
    const url = `https://www.facebook.com/xoa.api.${Date.now().toString(36)}`;
    const zalo = 'https://zalo.me/0398 765 432'.replaceAll(' ', '');
    const { member } = await createVerifiedMember(t.registry, { accounts: [url, zalo], displayName: 'Kênh API Xóa' });
    const { registry } = t;
    await registry.updateMember({ memberId: member.id, personal: PERSON, bases: BASES as never }, { id: 'o', role: 'OFFICER' });
    const ERASE = mutation('eraseMemberPersonalData', 'EraseMemberPersonalDataInput', 'ErasurePayload { erasureId memberStatus kept }');
    expect(codeOf(await t.gql(ERASE, { input: { memberId: member.id, ground: 'DATA_SUBJECT_REQUEST' } }, { role: 'MEMBER', subject: member.id }))).toBe('FORBIDDEN');
    const erased = (await t.gql(ERASE, { input: { memberId: member.id, ground: 'DATA_SUBJECT_REQUEST' } }, 'OFFICER')).data!.eraseMemberPersonalData;
    expect(erased).toMatchObject({ __typename: 'ErasurePayload', memberStatus: 'WITHDRAWN' });
    expect((await t.gql(VERIFY, { input: { url } })).data!.verify.status).toBe('REVOKED');
    // The phone number of its Zalo account no longer resolves (docs/PRIVACY.md, "Erasure").
    expect((await t.gql(VERIFY, { input: { url: zalo } })).data!.verify.status).toBe('NOT_FOUND');
    const RETENTION = `mutation { runRetention(dryRun: true) { __typename ... on RunRetentionPayload { dryRun reportTextsErased flagReasonsErased erasureCounts { day count } earlierErasuresCompleted } } }`;
    expect((await t.gql(RETENTION, {}, 'ADMIN')).data!.runRetention).toMatchObject({ __typename: 'RunRetentionPayload', dryRun: true, erasureCounts: [], earlierErasuresCompleted: [] });
    expect(codeOf(await t.gql(READ, { id: member.id }, 'OFFICER'))).toBe('PERSONAL_DATA_ERASED');
    expect((await t.gql(ERASE, { input: { memberId: member.id, ground: 'DATA_SUBJECT_REQUEST' } }, 'OFFICER')).data!.eraseMemberPersonalData).toMatchObject({ __typename: 'DataProtectionError', code: 'PERSONAL_DATA_ERASED' });
  });

  it('the breach report is for ADMIN: whose data an actor read, which fields, and a Vietnamese notice', async () => {
    const { member } = (await register('Bị Đọc Lén')) as { member: { id: string } };
    const since = new Date(t.clock.now().getTime() - 1000).toISOString();
    const leakedToken = await t.token('OFFICER', 'officer-leaked');
    await t.gql(READ, { id: member.id }, { authorization: `Bearer ${leakedToken}` });
    const BREACH = `query($since: DateTime!) { breachReport(actorId: "officer-leaked", since: $since) { totalReads members { memberId fields reads } noticeVi noticeEn } }`;
    expect(codeOf(await t.gql(BREACH, { since }, 'OFFICER'))).toBe('FORBIDDEN');
    const report = (await t.gql(BREACH, { since }, 'ADMIN')).data!.breachReport;
    expect(report.totalReads).toBe(1);
    expect(report.members).toHaveLength(1);
    expect(report.members[0].fields).toEqual(['phone']);
    expect(report.noticeVi).toContain('VI PHẠM DỮ LIỆU CÁ NHÂN');
    expect(JSON.stringify(report)).not.toContain(PERSON.phone);
  });
});
