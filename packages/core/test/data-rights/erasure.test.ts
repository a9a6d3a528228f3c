/**
 * Erasure really erases (issue 17): after it, the member's legal name, phone, national ID and
 * e-mail are nowhere readable in the raw database, what was sealed for the member cannot be opened
 * with anything the database still holds, a phone number in the key of an account the member
 * administered is gone from every table (verify of it: NOT_FOUND), the membership ends through the
 * one decision (WITHDRAWN: REVOKED everywhere), and the transparency log cannot link the erasure to
 * the member: nothing at that moment, one count for the whole day once it is over.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { ERASED_ATTESTATION, ERASED_DISPLAY_NAME, ERASURE_COUNT_KIND, generateDataKey } from '../../src/index.ts';
import { createVerifiedMember, MEMBERSHIP_BASES, registryInternals, type TestClock } from '../../src/testing/index.ts';
import { openPersonalData } from '../../src/members/personal-data.ts';
import { DAY_MS, expectRefused, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';
import { scanDatabase } from './raw-scan.ts';

let registry: Registry;
let clock: TestClock;
const DATA_KEY = generateDataKey();
useFileRegistry((t) => ({ registry, clock } = t), { registry: { dataKey: DATA_KEY, webhooks: { allowLoopback: true } } });

const OFFICER = { id: 'officer-erase', role: 'OFFICER' } as const;
const PERSON = { legalName: 'Đoàn Thị Cần Xóa', phone: '0976 123 987', idNumber: '079288123456', email: 'can.xoa.han@example.vn', address: '7 Hẻm Biến Mất, Quận Xóa' };
const SECRETS = [PERSON.legalName, PERSON.phone, '0976123987', PERSON.idNumber, PERSON.email, 'can.xoa.han', PERSON.address];
/** The member's Zalo account is its phone number: every written form of it, and the 9 digits they share. */
const ZALO_PHONE = '0976 555 123';
const PHONE_FORMS = ['0976555123', '84976555123', '+84976555123', '976555123'];

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

  it('leaves no phone number of a phone-keyed account anywhere, in any form; the number no longer resolves', async () => {
    const zalo = `https://zalo.me/${ZALO_PHONE.replaceAll(' ', '')}`;
    const url = uniqueFacebookUrl('erase.phone');
    const { member } = await createVerifiedMember(registry, { accounts: [url, zalo], displayName: 'Kênh Có Số Zalo' });
    const memberId = member.id;
    // Everywhere a key is copied: a platform's watch list, a report and a flag, the outbox, a signed attestation, a stored result.
    const owner = { id: 'platform-erase', role: 'PLATFORM' } as const;
    await registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/hook', eventTypes: ['member.status_changed'], accounts: [zalo] }, owner);
    // Under an idempotency key, as the API files it: the stored result names the account key.
    const filing = { account: zalo, category: 'OTHER' as const, description: 'Tài khoản này nhắn tin nhiều' };
    const report = await registry.withIdempotency({ scope: 'reportAccount:PUBLIC', key: 'phone-1', input: filing }, () => registry.reportAccount(filing));
    await registry.resolveReport({ reportId: report.id, decision: 'DISMISSED', resolution: 'Không vi phạm' }, OFFICER);
    expect((await registry.verify({ url: zalo })).status).toBe('VERIFIED');
    const before = new Set((await scanDatabase(registry, PHONE_FORMS, DATA_KEY)).map((h) => `${h.table}.${h.column}`));
    // Proves the scan reads every copy (decoded JWS included), so an empty scan afterwards means something.
    for (const column of ['Account.key', 'Account.handle', 'Account.url', 'AccountIdentifier.key', 'AccountIdentifier.activeKey', 'AccountIdentifier.url', 'WebhookWatch.key', 'Report.accountKey', 'Attestation.jws', 'IdempotencyRecord.response']) {
      expect(before).toContain(column);
    }

    const result = await registry.eraseMemberPersonalData({ memberId, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    expect(result.memberStatus).toBe('WITHDRAWN');

    expect(await scanDatabase(registry, PHONE_FORMS, DATA_KEY)).toEqual([]);
    expect((await registry.verify({ url: zalo })).status).toBe('NOT_FOUND');
    expect((await registry.verify({ url: zalo }, { at: new Date(clock.now().getTime() - 1000) })).status).toBe('NOT_FOUND');
    // The other account keeps its key and answers through the one decision.
    expect((await registry.verify({ url })).reason?.code).toBe('MEMBER_WITHDRAWN');
    const { context } = registryInternals(registry);
    const attestations = await context.prisma.attestation.findMany({ where: { badge: { memberId } } });
    expect(attestations.length).toBeGreaterThan(0);
    expect(attestations.every((a) => a.jws === ERASED_ATTESTATION && a.supersededAt !== null)).toBe(true);
  });

  it('never makes a flagged number answer NOT_FOUND: a standing flag keeps it until lifted, then retention forgets it', async () => {
    const zalo = `https://zalo.me/0976${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const { member } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('erase.flagged'), zalo], displayName: 'Kênh Bị Gắn Cờ' });
    const report = await registry.reportAccount({ account: zalo, category: 'SCAM', description: 'Lừa đảo chuyển khoản' });
    const { flag } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác minh lừa đảo', flagAccount: true }, OFFICER);
    expect((await registry.verify({ url: zalo })).status).toBe('FLAGGED');

    const result = await registry.eraseMemberPersonalData({ memberId: member.id, ground: 'DATA_SUBJECT_REQUEST' }, OFFICER);
    expect(result.kept.some((k) => k.includes('under a flag that stands'))).toBe(true);
    expect((await registry.verify({ url: zalo })).status).toBe('FLAGGED');

    await registry.liftFlag({ flagId: flag!.id, reason: 'Đã xử lý xong' }, OFFICER);
    const run = await registry.runRetention();
    expect(run.earlierErasuresCompleted).toContain(member.id);
    expect((await registry.verify({ url: zalo })).status).toBe('NOT_FOUND');
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

  it('the log cannot link an erasure to the member: an ordinary withdrawal now, one count for the day later', async () => {
    // Leave erasures of earlier tests to their own day: this test counts a day of its own.
    clock.advance(DAY_MS);
    expect((await registry.publishErasureCounts()).days.length).toBeGreaterThan(0);
    const { memberId, url } = await erasable();
    // An ordinary withdrawal to compare with (no personal data: the national ID stays with the member erased).
    const ordinary = { memberId: (await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('withdraw.me')], displayName: 'Kênh Rút Lui' })).member.id };
    const accountKey = (await registry.verify({ url })).account!.key;
    const size = await registry.log.size();
    const { erasureId } = await registry.eraseMemberPersonalData({ memberId, ground: 'UNLAWFUL_PROCESSING' }, OFFICER);
    await registry.changeMemberStatus({ memberId: ordinary.memberId, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' }, OFFICER);
    const written = await registry.log.entries({ from: size, count: 20 });
    // Nothing at the moment of the erasure mentions it; its status leaf is an ordinary withdrawal's.
    expect(written.filter((e) => /eras/i.test(e.kind) || /eras/i.test(e.payload))).toEqual([]);
    const shape = (e: { kind: string; payload: string }) => {
      const { kind, data } = JSON.parse(e.payload) as { kind: string; data: unknown };
      return { kind, data };
    };
    const statusOf = (id: string) => written.filter((e) => e.kind === 'member.status' && e.payload.includes(id)).map(shape);
    expect(statusOf(memberId)).toEqual(statusOf(ordinary.memberId));
    expect(statusOf(memberId)).toEqual([{ kind: 'member.status', data: { from: 'ACTIVE', to: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' } }]);
    // Not before the day is over.
    expect((await registry.publishErasureCounts()).days).toEqual([]);

    const day = clock.now().toISOString().slice(0, 10);
    clock.advance(DAY_MS);
    const published = await registry.publishErasureCounts();
    expect(published.days).toEqual([{ day, count: 1, grounds: { DATA_SUBJECT_REQUEST: 0, CONSENT_WITHDRAWN: 0, OBJECTION: 0, RETENTION_EXPIRED: 0, UNLAWFUL_PROCESSING: 1 } }]);
    const counts = (await registry.log.entries({ from: size, count: 50 })).filter((e) => e.kind === ERASURE_COUNT_KIND);
    expect(counts).toHaveLength(1);
    expect(JSON.parse(counts[0]!.payload)).toMatchObject({ kind: ERASURE_COUNT_KIND, subject: `day:${day}`, data: { day, count: 1, UNLAWFUL_PROCESSING: 1 } });
    for (const named of [memberId, accountKey, OFFICER.id, erasureId]) expect(counts[0]!.payload).not.toContain(named);
    // Counted once: the day's pending erasures are gone.
    expect((await registry.publishErasureCounts()).days).toEqual([]);
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
