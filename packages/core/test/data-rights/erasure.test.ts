/**
 * Erasure really erases (issue 17): after it, the member's legal name, phone, national ID and
 * e-mail are nowhere readable in the raw database, what was sealed for the member cannot be opened
 * with anything the database still holds, the membership ends through the one decision (WITHDRAWN:
 * REVOKED everywhere), and the transparency log says an erasure happened without naming anyone.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { ERASED_DISPLAY_NAME, generateDataKey } from '../../src/index.ts';
import { createVerifiedMember, MEMBERSHIP_BASES, registryInternals, type TestClock } from '../../src/testing/index.ts';
import { openPersonalData } from '../../src/members/personal-data.ts';
import { expectRefused, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';
import { scanDatabase } from './raw-scan.ts';

let registry: Registry;
let clock: TestClock;
const DATA_KEY = generateDataKey();
useFileRegistry((t) => ({ registry, clock } = t), { registry: { dataKey: DATA_KEY } });

const OFFICER = { id: 'officer-erase', role: 'OFFICER' } as const;
const PERSON = { legalName: 'Đoàn Thị Cần Xóa', phone: '0976 123 987', idNumber: '079288123456', email: 'can.xoa.han@example.vn', address: '7 Hẻm Biến Mất, Quận Xóa' };
const SECRETS = [PERSON.legalName, PERSON.phone, '0976123987', PERSON.idNumber, PERSON.email, 'can.xoa.han', PERSON.address];

async function erasable() {
  const url = uniqueFacebookUrl('erase.me');
  const { member, badge } = await createVerifiedMember(registry, { accounts: [url], displayName: 'Kênh Sắp Xóa' });
  await registry.updateMember({ memberId: member.id, personal: PERSON, bases: [...MEMBERSHIP_BASES] }, OFFICER);
  return { memberId: member.id, badgeId: badge.id, url };
}

describe('erasing a member', () => {
  it('leaves none of the personal data readable anywhere in the raw database', async () => {
    const { memberId, badgeId } = await erasable();
    // Everything a member's data can be copied into: reads with reasons, a request, private reasons.
    await registry.readPersonalData(memberId, ['legalName', 'phone'], OFFICER, { purpose: 'CONTACT', reason: `Gọi cho ${PERSON.legalName} theo số ${PERSON.phone}` });
    // With an idempotency key, as the API files it: the stored result must not hold the text either.
    const filing = { memberId, kind: 'ERASURE' as const, detail: `Tôi là ${PERSON.legalName}, CCCD ${PERSON.idNumber}, xin xóa dữ liệu` };
    await registry.withIdempotency({ scope: `fileDataRightsRequest:MEMBER:${memberId}`, key: 'erase-1', input: filing }, () => registry.fileDataRightsRequest(filing, { id: memberId, role: 'MEMBER' }));
    await registry.suspendBadge({ badgeId, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: `Khiếu nại về ${PERSON.email}` }, OFFICER);
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: `${PERSON.legalName} bị khiếu nại` }, OFFICER);
    const { context } = registryInternals(registry);
    const before = await context.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    // Before: a copy of the database plus the master key reads every copy of the data (so the scan can fail).
    expect(openPersonalData(context.memberKeys, before)).toEqual(PERSON);
    const found = new Set((await scanDatabase(registry, SECRETS, DATA_KEY)).map((h) => `${h.table}.${h.column}`));
    expect(found).toEqual(new Set(['Member.privateData', 'PersonalDataAccess.reason', 'DataRightsRequest.detail', 'BadgeEvent.reasonPrivate', 'MemberStatusEvent.reasonPrivate']));

    const result = await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    expect(result).toMatchObject({ memberId, memberStatus: 'WITHDRAWN' });

    expect(await scanDatabase(registry, SECRETS, DATA_KEY)).toEqual([]);
    const after = await context.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(after).toMatchObject({ privateData: null, dataKey: null, idNumberIndex: null, displayName: ERASED_DISPLAY_NAME, province: null, categories: [] });
    expect(after.erasedAt).not.toBeNull();
    // A copy of the sealed data taken before (a stale replica, an export) opens with nothing the database still holds.
    expect(() => openPersonalData(context.memberKeys, { ...after, privateData: before.privateData })).toThrow();
    const reads = await context.prisma.personalDataAccess.findMany({ where: { memberId } });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.reason === null)).toBe(true);
    expect(await context.prisma.memberStatusEvent.count({ where: { memberId, reasonPrivate: { not: null } } })).toBe(0);
  });

  it('ends the membership through the one decision: REVOKED (MEMBER_WITHDRAWN) in verify, badge REVOKED', async () => {
    const { memberId, url } = await erasable();
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    const answer = await registry.verify({ url });
    expect(answer.status).toBe('REVOKED');
    expect(answer.reason?.code).toBe('MEMBER_WITHDRAWN');
    expect(answer.badges.map((b) => b.status)).toEqual(['REVOKED']);
    expect(answer.member?.displayName).toBe(ERASED_DISPLAY_NAME);
    expect((await registry.getMember(memberId))?.status).toBe('WITHDRAWN');
  });

  it('an EXPELLED member stays EXPELLED', async () => {
    const { memberId } = await erasable();
    await registry.changeMemberStatus({ memberId, status: 'EXPELLED', reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' }, OFFICER);
    expect((await registry.eraseMemberPersonalData({ memberId, ground: 'RETENTION_EXPIRED' }, OFFICER)).memberStatus).toBe('EXPELLED');
  });

  it('the transparency log says an erasure happened, on which ground, and names no one', async () => {
    const { memberId, url } = await erasable();
    const accountKey = (await registry.verify({ url })).account!.key;
    const size = await registry.log.size();
    const { erasureId } = await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    const entries = (await registry.log.entries({ from: size, count: 10 })).filter((e) => e.kind === 'personal-data.erased');
    expect(entries).toHaveLength(1);
    const payload = JSON.stringify(entries[0]);
    expect(payload).toContain(erasureId);
    expect(payload).toContain('DATA_SUBJECT_REQUEST');
    expect(payload).not.toContain(memberId);
    expect(payload).not.toContain(accountKey);
    expect(payload).not.toContain(OFFICER.id);
  });

  it("carries out the member's ERASURE request and answers it DONE", async () => {
    const { memberId } = await erasable();
    const self = { id: memberId, role: 'MEMBER' } as const;
    const other = await registry.fileDataRightsRequest({ memberId, kind: 'CORRECTION' }, self);
    await expectRefused(registry, () => registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST', requestId: other.id }, OFFICER), { code: 'NOT_FOUND', field: 'requestId' });
    const request = await registry.fileDataRightsRequest({ memberId, kind: 'ERASURE', detail: 'Xin xóa toàn bộ dữ liệu của tôi' }, self);
    await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST', requestId: request.id }, OFFICER);
    const requests = await registry.listDataRightsRequests({ memberId });
    expect(requests.find((r) => r.id === request.id)).toMatchObject({ status: 'DONE', answeredBy: OFFICER.id, detail: null, answer: null });
    expect(requests.find((r) => r.id === other.id)).toMatchObject({ status: 'OPEN', detail: null });
  });

  it('afterwards every path refuses with PERSONAL_DATA_ERASED; only officers erase', async () => {
    const { memberId } = await erasable();
    await expectRefused(registry, () => registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, { id: memberId, role: 'MEMBER' }), { code: 'FORBIDDEN' });
    await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    await expect(registry.readPersonalData(memberId, ['phone'], OFFICER, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'PERSONAL_DATA_ERASED' });
    await expectRefused(registry, () => registry.updateMember({ memberId, personal: { phone: '0911111111' } }, OFFICER), { code: 'PERSONAL_DATA_ERASED' });
    await expectRefused(registry, () => registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER), { code: 'PERSONAL_DATA_ERASED' });
    clock.advance(0);
  });
});

describe('members sealed before per-member keys', () => {
  it('are read under the old key and moved to a key of their own, nothing lost', async () => {
    const { memberId } = await erasable();
    const { context } = registryInternals(registry);
    // As a member sealed before this change: under the registry-wide personal-data key, no key of its own.
    const legacy = context.personal.seal(JSON.stringify(PERSON), `member:${memberId}:personal`);
    await context.prisma.member.update({ where: { id: memberId }, data: { privateData: legacy, dataKey: null } });
    expect(await registry.readPersonalData(memberId, ['email'], OFFICER, { purpose: 'CONTACT' })).toEqual({ email: PERSON.email });
    const { moveToMemberKeys } = await import('../../src/members/member-data-keys.ts');
    expect((await moveToMemberKeys(context)).moved).toBeGreaterThanOrEqual(1);
    const moved = await context.prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(moved.dataKey).not.toBeNull();
    expect(() => context.personal.open(moved.privateData!, `member:${memberId}:personal`)).toThrow();
    expect(await registry.readPersonalData(memberId, ['legalName', 'phone', 'email', 'address'], OFFICER, { purpose: 'CONTACT' })).toEqual({ legalName: PERSON.legalName, phone: PERSON.phone, email: PERSON.email, address: PERSON.address });
    // And erasing it now really erases.
    await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    expect(() => openPersonalData(context.memberKeys, { id: memberId, dataKey: null, privateData: moved.privateData })).toThrow();
  });
});
