/**
 * Retention (issue 17): personal data of ended memberships is erased once its period has run, by a
 * job that reports what it did; a restricted member is kept and listed.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { RETENTION_DAYS } from '../../src/index.ts';
import { MEMBERSHIP_BASES, registryInternals, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, useFileRegistry } from '../helpers.ts';

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
});
