/**
 * Retention (issue 17): personal data of ended memberships is erased once its period has run, by a
 * job that reports what it did; a restricted member is kept and listed.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { ERASED_REPORT_TEXT, RETENTION_DAYS } from '../../src/index.ts';
import { MEMBERSHIP_BASES, openTestRegistry, registryInternals, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const OFFICER = { id: 'officer-t', role: 'OFFICER' } as const;
const register = (name: string) => registry.registerMember({ kind: 'KOL', displayName: name, personal: { email: `${name.toLowerCase()}@example.vn` }, bases: [...MEMBERSHIP_BASES] }, OFFICER);

describe('the retention job', () => {
  it('erases each ended membership past its period, keeps the rest, and reports', async () => {
    const refused = await register('refused');
    const withdrawn = await register('withdrawn');
    const restricted = await register('restricted');
    const active = await register('active');
    await registry.changeMemberStatus({ memberId: refused.id, status: 'WITHDRAWN', reasonCategory: 'ADMINISTRATIVE' }, OFFICER);
    for (const m of [withdrawn, restricted, active]) await registry.changeMemberStatus({ memberId: m.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }, OFFICER);
    for (const m of [withdrawn, restricted]) await registry.changeMemberStatus({ memberId: m.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' }, OFFICER);
    await registry.restrictProcessing({ memberId: restricted.id, restricted: true }, OFFICER);

    clock.advance((RETENTION_DAYS.REFUSED + 1) * DAY_MS);
    const dry = await registry.runRetention({ dryRun: true });
    expect(dry.erased.map((e) => [e.memberId, e.rule, e.erasureId])).toEqual([[refused.id, 'REFUSED', null]]);
    expect((await registry.getMember(refused.id))?.displayName).toBe('refused');
    const first = await registry.runRetention();
    expect(first.erased.map((e) => [e.memberId, e.rule])).toEqual([[refused.id, 'REFUSED']]);
    expect(first.erased[0]!.erasureId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(registry.readPersonalData(refused.id, ['email'], OFFICER, { purpose: 'CONTACT' })).rejects.toMatchObject({ code: 'PERSONAL_DATA_ERASED' });
    expect(await registry.readPersonalData(withdrawn.id, ['email'], OFFICER, { purpose: 'CONTACT' })).toEqual({ email: 'withdrawn@example.vn' });

    clock.advance((RETENTION_DAYS.WITHDRAWN - RETENTION_DAYS.REFUSED) * DAY_MS);
    const second = await registry.runRetention();
    expect(second.erased.map((e) => [e.memberId, e.rule])).toEqual([[withdrawn.id, 'WITHDRAWN']]);
    expect(second.kept).toEqual([{ memberId: restricted.id, rule: 'WITHDRAWN', reason: 'RESTRICTED' }]);
    // The first run's erasure, on a day now over, is published as a count (the second's waits for its day to end).
    expect(second.erasureCounts.reduce((n, d) => n + d.grounds.RETENTION_EXPIRED, 0)).toBe(1);
    expect(dry.erasureCounts).toEqual([]);
    expect(await registry.readPersonalData(active.id, ['email'], OFFICER, { purpose: 'CONTACT' })).toEqual({ email: 'active@example.vn' });
    expect((await registry.runRetention()).erased).toEqual([]);
  });

  it("erases a reporter's contact once the report has been resolved for the period; open reports keep it", async () => {
    const contact = () => ({ account: `https://www.facebook.com/bao.cao.${Math.random().toString(36).slice(2, 10)}`, category: 'SCAM' as const, description: 'Lừa đảo', reporterContact: 'nguoi.bao@example.vn' });
    const resolved = await registry.reportAccount(contact());
    const open = await registry.reportAccount(contact());
    await registry.resolveReport({ reportId: resolved.id, decision: 'DISMISSED', resolution: 'Không đủ căn cứ' }, OFFICER);
    const { prisma } = registryInternals(registry).context;
    const held = async (id: string) => (await prisma.report.findUniqueOrThrow({ where: { id } })).reporterContact !== null;
    expect((await registry.runRetention()).reportContacts.reportIds).not.toContain(resolved.id);
    clock.advance((RETENTION_DAYS.REPORT_CONTACT + 1) * DAY_MS);
    expect((await registry.runRetention({ dryRun: true })).reportContacts.reportIds).toContain(resolved.id);
    expect(await held(resolved.id)).toBe(true);
    const done = await registry.runRetention();
    expect(done.reportContacts.reportIds).toContain(resolved.id);
    expect(done.reportContacts.reportIds).not.toContain(open.id);
    expect(await held(resolved.id)).toBe(false);
    expect(await held(open.id)).toBe(true);
  });

  it('erases report texts (description, resolution) after REPORT_TEXT; a standing flag keeps them', async () => {
    const file = (description: string) => registry.reportAccount({ account: `https://www.facebook.com/van.ban.${Math.random().toString(36).slice(2, 10)}`, category: 'SCAM', description });
    const dismissed = await file('Anh Trần Văn Bị Tố lừa tôi 2 triệu');
    const flagged = await file('Chị Lê Thị Bị Tố giả mạo');
    await registry.resolveReport({ reportId: dismissed.id, decision: 'DISMISSED', resolution: 'Đã gọi cho anh Tố, không đủ căn cứ' }, OFFICER);
    await registry.resolveReport({ reportId: flagged.id, decision: 'CONFIRMED', resolution: 'Xác nhận giả mạo', flagAccount: true }, OFFICER);
    const { prisma } = registryInternals(registry).context;
    const texts = async (id: string) => prisma.report.findUniqueOrThrow({ where: { id }, select: { description: true, resolution: true } });
    clock.advance((RETENTION_DAYS.REPORT_TEXT - 1) * DAY_MS);
    expect((await registry.runRetention()).reportTexts.reportIds).not.toContain(dismissed.id);
    clock.advance(2 * DAY_MS);
    expect((await registry.runRetention({ dryRun: true })).reportTexts.reportIds).toContain(dismissed.id);
    expect((await texts(dismissed.id)).description).toContain('Bị Tố');
    const done = await registry.runRetention();
    expect(done.reportTexts.reportIds).toContain(dismissed.id);
    expect(done.reportTexts.reportIds).not.toContain(flagged.id);
    expect(await texts(dismissed.id)).toEqual({ description: ERASED_REPORT_TEXT, resolution: null });
    // The evidence behind a public warning stays while the flag stands.
    expect((await texts(flagged.id)).description).toContain('Bị Tố');
    expect((await registry.runRetention()).reportTexts.reportIds).toEqual([]);
  });

  it('a phone number reported about, registered by no member, becomes its pseudonym with the report texts', async () => {
    const number = `0977${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const zalo = `https://zalo.me/${number}`;
    const dismissed = await registry.reportAccount({ account: zalo, category: 'SCAM', description: 'Số này gọi lừa' });
    await registry.resolveReport({ reportId: dismissed.id, decision: 'DISMISSED', resolution: 'Không đủ căn cứ' }, OFFICER);
    const { prisma } = registryInternals(registry).context;
    const keyOf = async () => (await prisma.report.findUniqueOrThrow({ where: { id: dismissed.id } })).accountKey;
    expect(await keyOf()).toContain(number.slice(1));
    clock.advance((RETENTION_DAYS.REPORT_TEXT + 1) * DAY_MS);
    expect((await registry.runRetention({ dryRun: true })).reportTexts.phoneKeysForgotten).toContain(dismissed.id);
    expect(await keyOf()).toContain(number.slice(1));
    expect((await registry.runRetention()).reportTexts.phoneKeysForgotten).toContain(dismissed.id);
    const key = await keyOf();
    expect(key).not.toContain(number.slice(1));
    expect(key).toMatch(/^zalo:phone:~/);
  });

  it('deletes idempotency records 30 days after the call; a younger one still replays', async () => {
    const input = { account: uniqueFacebookUrl('retry.me'), category: 'SCAM' as const, description: 'Gửi lại' };
    const first = await registry.withIdempotency({ scope: 'reportAccount:PUBLIC', key: 'retry-old', input }, () => registry.reportAccount(input));
    const { prisma } = registryInternals(registry).context;
    const stored = () => prisma.idempotencyRecord.count({ where: { key: 'retry-old' } });
    clock.advance((RETENTION_DAYS.IDEMPOTENCY - 1) * DAY_MS);
    await registry.runRetention();
    expect(await stored()).toBe(1);
    const replay = await registry.withIdempotency({ scope: 'reportAccount:PUBLIC', key: 'retry-old', input }, () => registry.reportAccount(input));
    expect(replay.id).toBe(first.id);
    clock.advance(2 * DAY_MS);
    expect((await registry.runRetention({ dryRun: true })).idempotencyRecords).toBeGreaterThanOrEqual(1);
    expect(await stored()).toBe(1);
    expect((await registry.runRetention()).idempotencyRecords).toBeGreaterThanOrEqual(1);
    expect(await stored()).toBe(0);
  });

  it('webhook owner ids go with their subscription: nothing of the owner stays after a delete', async () => {
    const own = await openTestRegistry({ webhooks: { allowLoopback: true } });
    try {
      const owner = { id: 'owner-ho-kinh-doanh-an', role: 'BUSINESS' as const };
      const { subscription } = await own.registry.createWebhookSubscription({ url: 'http://127.0.0.1:9/hook', eventTypes: ['badge.revoked'], allAccounts: true }, owner);
      const { prisma } = registryInternals(own.registry).context;
      expect(await prisma.webhookSubscription.count({ where: { ownerId: owner.id } })).toBe(1);
      await own.registry.deleteWebhookSubscription(subscription.id, owner);
      expect(await prisma.webhookSubscription.count({ where: { ownerId: owner.id } })).toBe(0);
      const log = await own.registry.log.entries({ from: 0, count: 100 });
      expect(log.filter((e) => e.payload.includes(owner.id))).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
