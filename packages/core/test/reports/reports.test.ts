import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { expectRefused, facebookKey, logCount, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const flagCount = () => registryInternals(registry).db.prisma.flag.count();

describe('reportAccount', () => {
  it('files an OPEN report under the canonical key, with the reporter contact sealed', async () => {
    const url = uniqueFacebookUrl('scam.shop');
    const before = await logCount(registry);
    const report = await registry.reportAccount({
      account: url.replace('www.', 'm.') + '/?mibextid=abc',
      category: 'SCAM',
      description: 'Trang bán hàng giả mạo, nhận tiền rồi chặn',
      reporterContact: 'nguoibao@example.vn',
    });
    expect(report).toMatchObject({ accountKey: facebookKey(url), platform: 'FACEBOOK', category: 'SCAM', status: 'OPEN' });
    expect(report.reporterContact).not.toBeNull();
    expect(Buffer.from(report.reporterContact!).toString('utf8')).not.toContain('nguoibao@example.vn');
    expect(await logCount(registry)).toBe(before + 1);
    const entry = await registryInternals(registry).db.prisma.logEntry.findFirstOrThrow({ orderBy: { idx: 'desc' } });
    expect(entry.kind).toBe('report.filed');
    expect(entry.payload).not.toContain('nguoibao');
  });

  it.each([
    [{ account: 'https://www.facebook.com/login', category: 'SCAM', description: 'x' }, { code: 'INVALID_ACCOUNT' }],
    [{ account: uniqueFacebookUrl('r'), category: 'RUDENESS', description: 'x' }, { code: 'INVALID_INPUT', field: 'category' }],
    [{ account: uniqueFacebookUrl('r'), category: 'SCAM', description: '  ' }, { code: 'INVALID_INPUT', field: 'description' }],
    [{ account: uniqueFacebookUrl('r'), category: 'SCAM', description: 'x', reporterContact: 'y'.repeat(301) }, { code: 'INVALID_INPUT', field: 'reporterContact' }],
  ])('refuses a bad report (#%#), filing nothing', async (input, match) => {
    const reports = await registryInternals(registry).db.prisma.report.count();
    await expectRefused(registry, () => registry.reportAccount(input as never), match);
    expect(await registryInternals(registry).db.prisma.report.count()).toBe(reports);
  });
});

describe('resolveReport', () => {
  it('CONFIRMED with flagAccount flags an account the registry never registered: verify says FLAGGED', async () => {
    const url = uniqueFacebookUrl('impostor');
    expect((await registry.verify({ url })).status).toBe('NOT_FOUND');
    const report = await registry.reportAccount({ account: url, category: 'IMPERSONATION', description: 'Giả mạo trang của Công an tỉnh' });
    const beforeFlag = clock.now();
    clock.advance(1000);
    const logs = await logCount(registry);
    const { report: resolved, flag } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh giả mạo', flagAccount: true });
    expect(resolved).toMatchObject({ status: 'CONFIRMED', resolution: 'Đã xác minh giả mạo' });
    expect(flag).toMatchObject({ accountKey: facebookKey(url), category: 'IMPERSONATION', reportId: report.id });
    expect(await logCount(registry)).toBe(logs + 1);

    // Any spelling of the account is flagged.
    for (const spelling of [url, url.replace('https://www.facebook.com', 'fb.com').toUpperCase(), `${url}/about?ref=1`]) {
      const answer = await registry.verify({ url: spelling });
      expect(answer.status).toBe('FLAGGED');
      expect(answer.flags).toMatchObject([{ category: 'IMPERSONATION' }]);
      expect(answer.member).toBeNull();
    }
    // Before the flag it was simply unknown.
    expect((await registry.verify({ url }, { at: beforeFlag })).status).toBe('NOT_FOUND');
  });

  it("flagging a registered member's account makes it FLAGGED rather than VERIFIED", async () => {
    const url = uniqueFacebookUrl('compromised');
    await createVerifiedMember(registry, { accounts: [url] });
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    const report = await registry.reportAccount({ account: url, category: 'SCAM', description: 'Tài khoản bị chiếm, đang lừa đảo' });
    await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true });
    expect((await registry.verify({ url })).status).toBe('FLAGGED');
  });

  it('DISMISSED never flags, even when asked to; CONFIRMED without flagAccount does not flag', async () => {
    const dismissedUrl = uniqueFacebookUrl('innocent');
    const flags = await flagCount();
    const dismissed = await registry.reportAccount({ account: dismissedUrl, category: 'MISINFORMATION', description: 'Nghi tin giả' });
    const result = await registry.resolveReport({ reportId: dismissed.id, decision: 'DISMISSED', resolution: 'Không có căn cứ', flagAccount: true });
    expect(result).toMatchObject({ report: { status: 'DISMISSED' }, flag: null });
    expect((await registry.verify({ url: dismissedUrl })).status).toBe('NOT_FOUND');

    const confirmedUrl = uniqueFacebookUrl('ads');
    const confirmed = await registry.reportAccount({ account: confirmedUrl, category: 'UNDISCLOSED_ADVERTISING', description: 'Quảng cáo không ghi rõ' });
    expect((await registry.resolveReport({ reportId: confirmed.id, decision: 'CONFIRMED', resolution: 'Nhắc nhở' })).flag).toBeNull();
    expect((await registry.verify({ url: confirmedUrl })).status).toBe('NOT_FOUND');
    expect(await flagCount()).toBe(flags);
  });

  it('resolving a report twice is INVALID_TRANSITION, changing nothing', async () => {
    const report = await registry.reportAccount({ account: uniqueFacebookUrl('twice'), category: 'SCAM', description: 'Lừa đảo' });
    await registry.resolveReport({ reportId: report.id, decision: 'DISMISSED', resolution: 'Không đủ chứng cứ' });
    const flags = await flagCount();
    await expectRefused(registry, () => registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đổi ý', flagAccount: true }), {
      code: 'INVALID_TRANSITION',
      data: { entity: 'Report', from: 'DISMISSED', to: 'CONFIRMED' },
    });
    const stored = await registryInternals(registry).db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(stored).toMatchObject({ status: 'DISMISSED', resolution: 'Không đủ chứng cứ' });
    expect(await flagCount()).toBe(flags);
  });

  it('refuses an unknown report (NOT_FOUND), an unknown decision and an empty resolution (INVALID_INPUT)', async () => {
    await expectRefused(registry, () => registry.resolveReport({ reportId: crypto.randomUUID(), decision: 'CONFIRMED', resolution: 'x' }), { code: 'NOT_FOUND', field: 'reportId' });
    const report = await registry.reportAccount({ account: uniqueFacebookUrl('pending'), category: 'OTHER', description: 'Khác' });
    await expectRefused(registry, () => registry.resolveReport({ reportId: report.id, decision: 'MAYBE' as never, resolution: 'x' }), { code: 'INVALID_INPUT', field: 'decision' });
    await expectRefused(registry, () => registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: '' }), { code: 'INVALID_INPUT', field: 'resolution' });
    expect((await registryInternals(registry).db.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).status).toBe('OPEN');
  });

  it('lists reports by status, newest first', async () => {
    const a = await registry.reportAccount({ account: uniqueFacebookUrl('list.a'), category: 'SCAM', description: 'a' });
    clock.advance(10);
    const b = await registry.reportAccount({ account: uniqueFacebookUrl('list.b'), category: 'SCAM', description: 'b' });
    const open = await registry.listReports({ status: 'OPEN' });
    expect(open.every((r) => r.status === 'OPEN')).toBe(true);
    expect(open.slice(0, 2).map((r) => r.id)).toEqual([b.id, a.id]);
  });
});
