/**
 * The hot path answers "now" from the current-state columns; answers "as of" replay the event
 * histories. Both must agree about the present in every state a badge, member, account or flag
 * can be in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry, VerificationResult } from '../../src/index.ts';
import { createVerifiedMember, openTestRegistry, type TestRegistry } from '../../src/testing/index.ts';

const essence = (r: VerificationResult) => ({ status: r.status, account: r.account, member: r.member, badges: r.badges, flags: r.flags.map((f) => f.category) });

describe('current-state lookup agrees with the history replay', () => {
  let test: TestRegistry;
  let registry: Registry;
  beforeAll(async () => {
    test = await openTestRegistry({ lookupCache: false });
    registry = test.registry;
  });
  afterAll(() => test.close());

  async function expectAgreement(urls: string[]) {
    const now = await registry.verifyMany(urls.map((url) => ({ url })));
    const replayed = await registry.verifyMany(urls.map((url) => ({ url })), { at: now[0]!.checkedAt });
    expect(now.map(essence)).toEqual(replayed.map(essence));
    return now.map((r) => r.status);
  }

  it('through issue, suspension, member suspension, revocation, rename, flag and expiry', async () => {
    const a = await createVerifiedMember(registry, { accounts: ['https://www.facebook.com/agree.one'] });
    const b = await createVerifiedMember(registry, { accounts: ['https://www.tiktok.com/@agree.two'] });
    const c = await createVerifiedMember(registry, { accounts: ['https://zalo.me/g/agreethree'] });
    const urls = ['https://www.facebook.com/agree.one', 'https://www.tiktok.com/@agree.two', 'https://zalo.me/g/agreethree', 'https://www.youtube.com/@agree.unknown', 'https://www.tiktok.com/@agree.renamed'];
    expect(await expectAgreement(urls)).toEqual(['VERIFIED', 'VERIFIED', 'VERIFIED', 'NOT_FOUND', 'NOT_FOUND']);

    await registry.suspendBadge({ badgeId: a.badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    await registry.changeMemberStatus({ memberId: b.member.id, status: 'SUSPENDED', reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });
    await registry.revokeBadge({ badgeId: c.badge.id, reasonCategory: 'LEGAL_VIOLATION' });
    expect(await expectAgreement(urls)).toEqual(['SUSPENDED', 'SUSPENDED', 'REVOKED', 'NOT_FOUND', 'NOT_FOUND']);

    await registry.renameAccount({ accountId: b.accountIds[0]!, account: 'https://www.tiktok.com/@agree.renamed' });
    const report = await registry.reportAccount({ account: 'https://www.youtube.com/@agree.unknown', category: 'SCAM', description: 'Giả mạo' });
    await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh lừa đảo', flagAccount: true });
    await registry.reinstateBadge({ badgeId: a.badge.id, reasonCategory: 'REINSTATED' });
    expect(await expectAgreement(urls)).toEqual(['VERIFIED', 'NOT_FOUND', 'REVOKED', 'FLAGGED', 'PENDING']);

    test.clock.advance(400 * 24 * 3600 * 1000);
    expect(await expectAgreement(urls)).toEqual(['EXPIRED', 'NOT_FOUND', 'REVOKED', 'FLAGGED', 'PENDING']);
  });
});
