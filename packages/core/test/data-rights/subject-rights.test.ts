/**
 * The member's own view and requests (issue 17): their data, bases with the notice text, every read
 * of it (who, which fields, when, why), requests with deadlines that officers answer.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { RESPONSE_HOURS } from '../../src/index.ts';
import { MEMBERSHIP_BASES, type TestClock } from '../../src/testing/index.ts';
import { expectRefused, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const OFFICER = { id: 'officer-s', role: 'OFFICER' } as const;

describe("the member's own view", () => {
  it('shows their data, bases with notice text, and who read what, when and why; only to them', async () => {
    const m = await registry.registerMember({ kind: 'KOL', displayName: 'Chủ Thể', personal: { legalName: 'Mai Chủ Thể', email: 'chu.the@example.vn' }, bases: [...MEMBERSHIP_BASES] }, OFFICER);
    const self = { id: m.id, role: 'MEMBER' } as const;
    await registry.readPersonalData(m.id, ['email'], OFFICER, { purpose: 'CONTACT', reason: 'Gửi thư mời gia hạn' });
    await expect(registry.subjectView(m.id, { id: 'another-member', role: 'MEMBER' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(registry.subjectView(m.id, OFFICER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const mine = await registry.subjectView(m.id, self);
    expect(mine.personal).toEqual({ legalName: 'Mai Chủ Thể', email: 'chu.the@example.vn' });
    expect(mine.bases.map((b) => `${b.purpose}:${b.basis}`)).toEqual(['CERTIFICATION:CONTRACT', 'IDENTITY_CHECK:CONTRACT', 'CONTACT:CONSENT', 'PUBLIC_PROFILE:CONSENT']);
    const contact = mine.bases.find((b) => b.purpose === 'CONTACT')!;
    expect(contact).toMatchObject({ noticeVersion: 1, method: 'ONLINE', recordedBy: OFFICER.id, withdrawnAt: null });
    expect(contact.noticeVi).toContain('Luật Bảo vệ dữ liệu cá nhân');
    expect(contact.noticeEn).toContain('91/2025/QH15');
    expect(mine.accessLog).toEqual([expect.objectContaining({ actorId: OFFICER.id, role: 'OFFICER', fields: ['email'], purpose: 'CONTACT', reason: 'Gửi thư mời gia hạn' })]);
    // The export is the same document as JSON; their own look is recorded too.
    expect(JSON.parse(JSON.stringify(mine)).personal.email).toBe('chu.the@example.vn');
    expect((await registry.subjectView(m.id, self)).accessLog.map((a) => a.purpose)).toEqual(['CONTACT', 'SUBJECT_ACCESS']);
  });
});

describe('requests', () => {
  it('are filed with a deadline, listed for officers, answered once with an outcome', async () => {
    const m = await registry.registerMember({ kind: 'KOL', displayName: 'Yêu Cầu', personal: { phone: '0955111222' }, bases: [...MEMBERSHIP_BASES] }, OFFICER);
    const self = { id: m.id, role: 'MEMBER' } as const;
    await expectRefused(registry, () => registry.fileDataRightsRequest({ memberId: m.id, kind: 'CORRECTION' }, { id: 'x', role: 'MEMBER' }), { code: 'FORBIDDEN' });
    const filed = await registry.fileDataRightsRequest({ memberId: m.id, kind: 'CORRECTION', detail: 'Số mới của tôi là 0955111333' }, self);
    expect(filed).toMatchObject({ kind: 'CORRECTION', status: 'OPEN', detail: 'Số mới của tôi là 0955111333', overdue: false });
    expect(filed.dueAt.getTime() - filed.createdAt.getTime()).toBe(RESPONSE_HOURS.CORRECTION * 3_600_000);
    clock.advance((RESPONSE_HOURS.CORRECTION + 1) * 3_600_000);
    const queue = await registry.listDataRightsRequests({ status: 'OPEN' });
    expect(queue.find((r) => r.id === filed.id)).toMatchObject({ overdue: true });
    await expectRefused(registry, () => registry.answerDataRightsRequest({ requestId: filed.id, outcome: 'DONE', answer: 'x' }, self), { code: 'FORBIDDEN' });
    await registry.updateMember({ memberId: m.id, personal: { phone: '0955111333' } }, OFFICER);
    const answered = await registry.answerDataRightsRequest({ requestId: filed.id, outcome: 'DONE', answer: 'Đã sửa số điện thoại. / Phone number corrected.' }, OFFICER);
    expect(answered).toMatchObject({ status: 'DONE', answeredBy: OFFICER.id, answer: 'Đã sửa số điện thoại. / Phone number corrected.', overdue: false });
    await expectRefused(registry, () => registry.answerDataRightsRequest({ requestId: filed.id, outcome: 'REFUSED', answer: 'x' }, OFFICER), { code: 'INVALID_TRANSITION' });
    expect((await registry.subjectView(m.id, self)).requests.map((r) => [r.kind, r.status])).toEqual([['CORRECTION', 'DONE']]);
  });
});
