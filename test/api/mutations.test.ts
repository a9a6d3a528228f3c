/**
 * Every query and the mutations the story does not cover, their typed errors, and
 * idempotency keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';
import { createVerifiedMember, registryInternals } from '@trust-alliance/core/testing';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { ADD_ACCOUNT, ADMIN_1, ADMIN_2, APPROVE_PLEDGE, APPROVE_POLICY, badgeChange, ISSUE, PLEDGE_TEXTS, PROPOSE_PLEDGE, PROPOSE_POLICY, REGISTER, RENEW, REPORT, RESOLVE, SIGN, UPDATE, VERIFY, WITHDRAW } from './documents.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await seedDemo(t.registry);
});
afterAll(() => t?.close());

describe('queries', () => {
  const MEMBERS = `query($filter: MemberFilter, $first: Int, $after: String) { members(filter: $filter, first: $first, after: $after) { edges { cursor node { id displayName province status } } pageInfo { hasNextPage endCursor } } }`;
  const names = (res: { data: Record<string, any> | null | undefined }) => res.data!.members.edges.map((e: { node: { displayName: string } }) => e.node.displayName);

  it('members: text without diacritics, province, platform, program, status', async () => {
    expect(names(await t.gql(MEMBERS, { filter: { text: 'nguyen thi thu' } }))).toEqual(['Nguyễn Thị Thu Hà']);
    expect(names(await t.gql(MEMBERS, { filter: { text: 'DANG QUOC' } }))).toEqual(['Đặng Quốc Bảo']);
    expect(names(await t.gql(MEMBERS, { filter: { province: 'Vĩnh Long' } })).sort()).toEqual(['Bùi Thanh Tâm', 'Trần Minh Khôi']);
    expect(names(await t.gql(MEMBERS, { filter: { platform: 'YOUTUBE' } })).sort()).toEqual(['Huỳnh Văn Tài', 'Trần Minh Khôi']);
    expect(names(await t.gql(MEMBERS, { filter: { program: 'OFFICIAL_CHANNEL' } }))).toEqual(['Liên minh Tín nhiệm số Cần Thơ']);
    expect(names(await t.gql(MEMBERS, { filter: { status: 'EXPELLED' } }))).toEqual(['Huỳnh Văn Tài']);
    for (const status of ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPELLED', 'WITHDRAWN']) expect(names(await t.gql(MEMBERS, { filter: { status } })).length, status).toBeGreaterThan(0);
  });

  it('members: relay pages, at most 100', async () => {
    const first = await t.gql(MEMBERS, { first: 4 });
    expect(first.data!.members.edges).toHaveLength(4);
    expect(first.data!.members.pageInfo.hasNextPage).toBe(true);
    const next = await t.gql(MEMBERS, { first: 100, after: first.data!.members.pageInfo.endCursor });
    const all = [...names(first), ...names(next)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await registryInternals(t.registry).context.prisma.member.count());
    for (let i = 0; i < 110; i++) await t.registry.registerMember({ kind: 'KOL', displayName: `Thành viên thử ${i}` });
    const capped = await t.gql(MEMBERS, { first: 101 });
    expect(capped.data!.members.edges).toHaveLength(100);
    expect(capped.data!.members.pageInfo.hasNextPage).toBe(true);
  });

  it('member, node, badge, pledge and pledgeVersions', async () => {
    const v = await t.gql(VERIFY, { input: { url: 'fb.com/tinnhiemso.cantho' } });
    const { member, badges } = v.data!.verify;
    const m = await t.gql(`query($id: ID!) { member(id: $id) { id displayName kind accounts { ownership account { key platform } } badges { id program status } pledgeSignatures { pledgeVersion { version } } } }`, { id: member.id });
    expect(m.data!.member).toMatchObject({ id: member.id, kind: 'AGENCY', badges: [{ id: badges[0].id, program: 'OFFICIAL_CHANNEL', status: 'ACTIVE' }], pledgeSignatures: [{ pledgeVersion: { version: 1 } }] });
    expect(m.data!.member.accounts.map((a: { account: { key: string } }) => a.account.key).sort()).toEqual(['facebook:tinnhiemsocantho', 'zalo:g:tinnhiemsocantho']);
    const node = await t.gql(`query($id: ID!) { node(id: $id) { __typename ... on Member { displayName } } }`, { id: member.id });
    expect(node.data!.node).toEqual({ __typename: 'Member', displayName: 'Liên minh Tín nhiệm số Cần Thơ' });
    const badge = await t.gql(`query($id: ID!) { badge(id: $id) { id program member { displayName } history { action reasonCategory } } }`, { id: badges[0].id });
    expect(badge.data!.badge).toMatchObject({ program: 'OFFICIAL_CHANNEL', member: { displayName: 'Liên minh Tín nhiệm số Cần Thơ' }, history: [{ action: 'ISSUE', reasonCategory: 'ISSUED' }] });
    expect((await t.gql(`{ badge(id: "00000000-0000-4000-8000-000000000000") { id } }`)).data!.badge).toBeNull();
    const badId = await t.gql(`{ member(id: "not-an-id") { id } }`);
    expect(codeOf(badId)).toBe('INVALID_INPUT');
    const pledge = await t.gql(`{ pledge { version status titleVi titleEn textVi textEn contentHash } pledgeVersions { version status } }`);
    expect(pledge.data!.pledge).toMatchObject({ version: 1, status: 'PUBLISHED', titleVi: expect.stringContaining('Tín nhiệm số'), titleEn: expect.stringContaining('Digital Trust Alliance') });
    expect(pledge.data!.pledgeVersions).toEqual([{ version: 1, status: 'PUBLISHED' }]);
  });
});

describe('mutations and typed errors', () => {
  it('updateMember, with a ValidationError naming the field and a NotFoundError', async () => {
    const id = (await t.gql(REGISTER, { input: { kind: 'PAGE_ADMIN', displayName: 'Trang Tin Cái Răng' } }, 'OFFICER')).data!.registerMember.member.id;
    const updated = await t.gql(UPDATE, { input: { memberId: id, displayName: 'Trang Tin Cái Răng 24h', province: 'Cần Thơ' } }, 'OFFICER');
    expect(updated.data!.updateMember.member).toMatchObject({ id, displayName: 'Trang Tin Cái Răng 24h', province: 'Cần Thơ' });
    const badEmail = await t.gql(UPDATE, { input: { memberId: id, personal: { email: 'not-an-email' } } }, 'OFFICER');
    expect(badEmail.data!.updateMember).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'personal.email' });
    const empty = await t.gql(REGISTER, { input: { kind: 'KOL', displayName: '   ' } }, 'OFFICER');
    expect(empty.data!.registerMember).toMatchObject({ __typename: 'ValidationError', field: 'displayName' });
    const missing = await t.gql(UPDATE, { input: { memberId: '00000000-0000-4000-8000-000000000000', displayName: 'X' } }, 'OFFICER');
    expect(missing.data!.updateMember).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'memberId' });
    const badId = await t.gql(UPDATE, { input: { memberId: 'nope', displayName: 'X' } }, 'OFFICER');
    expect(badId.data!.updateMember).toMatchObject({ __typename: 'ValidationError', field: 'memberId' });
  });

  it('addAccount: InvalidAccountError and ConflictError', async () => {
    const id = (await t.gql(REGISTER, { input: { kind: 'KOL', displayName: 'Lâm Chí Thanh' } }, 'OFFICER')).data!.registerMember.member.id;
    const invalid = await t.gql(ADD_ACCOUNT, { input: { memberId: id, url: 'https://example.com/%%%' } }, 'OFFICER');
    expect(['InvalidAccountError']).toContain(invalid.data!.addAccount.__typename);
    expect(invalid.data!.addAccount.code).toBe('INVALID_ACCOUNT');
    expect((await t.gql(ADD_ACCOUNT, { input: { memberId: id, url: 'https://www.tiktok.com/@chithanh' } }, 'OFFICER')).data!.addAccount.__typename).toBe('AddAccountPayload');
    const dup = await t.gql(ADD_ACCOUNT, { input: { memberId: id, url: 'tiktok.com/@ChiThanh?lang=vi' } }, 'OFFICER');
    expect(dup.data!.addAccount).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'account' });
    // Both forms, or neither: the input type's rule (schema/verification.ts ONE_ACCOUNT_FORM), before core is called.
    for (const account of [{ url: 'https://www.tiktok.com/@chithanh', platform: 'TIKTOK', handle: '@chithanh' }, { platform: 'TIKTOK' }]) {
      const both = await t.gql(ADD_ACCOUNT, { input: { memberId: id, ...account } }, 'OFFICER');
      expect(both.errors?.[0], JSON.stringify(account)).toMatchObject({ message: 'Invalid input at input: Give url, or platform and handle', extensions: { code: 'BAD_USER_INPUT', field: 'input' } });
    }
    const report = await t.gql(REPORT, { input: { category: 'SCAM', description: 'Không rõ tài khoản' } });
    expect(report.errors?.[0]).toMatchObject({ message: 'Invalid input at input: Give url, or platform and handle', extensions: { code: 'BAD_USER_INPUT', field: 'input' } });
  });

  it('proposePledgeVersion and approvePledgeVersion (two ADMINs), signPledge, withdrawPledge and renewBadge', async () => {
    const v = await t.gql(VERIFY, { input: { url: 'https://www.tiktok.com/@thuha.cantho' } });
    const memberId = v.data!.verify.member.id;
    const badgeId = v.data!.verify.badges[0].id;
    const renewed = await t.gql(RENEW, { input: { badgeId, validityMonths: 12 } }, 'OFFICER');
    expect(Date.parse(renewed.data!.renewBadge.badge.expiresAt)).toBeGreaterThan(Date.parse(v.data!.verify.badges[0].expiresAt));
    // The policy asks for 30 days at least: no one can lapse every member at once.
    const zero = await t.gql(PROPOSE_PLEDGE, { input: { ...PLEDGE_TEXTS, graceDays: 0 } }, ADMIN_1);
    expect(zero.data!.proposePledgeVersion).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'graceDays' });
    expect(codeOf(await t.gql(PROPOSE_PLEDGE, { input: PLEDGE_TEXTS }, 'OFFICER'))).toBe('FORBIDDEN');
    // Unless two ADMINs change the policy first.
    const policy = await t.gql(PROPOSE_POLICY, { input: { effectiveFrom: t.clock.now().toISOString(), minGraceDays: 0 } }, ADMIN_1);
    const policyVersion = policy.data!.proposeCertificationPolicy.policy.version;
    expect((await t.gql(APPROVE_POLICY, { input: { version: policyVersion } }, ADMIN_2)).data!.approveCertificationPolicy.policy).toMatchObject({ status: 'APPROVED', minGraceDays: 0 });
    const draft = await t.gql(PROPOSE_PLEDGE, { input: { ...PLEDGE_TEXTS, graceDays: 0 } }, ADMIN_1);
    expect(draft.data!.proposePledgeVersion.pledgeVersion).toMatchObject({ version: 2, status: 'DRAFT', graceDays: 0 });
    const self = await t.gql(APPROVE_PLEDGE, { input: { version: 2 } }, ADMIN_1);
    expect(self.data!.approvePledgeVersion).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', rule: 'TWO_ADMINS' });
    const published = await t.gql(APPROVE_PLEDGE, { input: { version: 2 } }, ADMIN_2);
    expect(published.data!.approvePledgeVersion.pledgeVersion).toMatchObject({ version: 2, status: 'PUBLISHED' });
    // Grace 0: the old signature no longer counts, the badge lapses (SUSPENDED until re-signed).
    expect((await t.gql(VERIFY, { input: { url: 'https://www.tiktok.com/@thuha.cantho' } })).data!.verify.status).toBe('SUSPENDED');
    expect((await t.gql(SIGN, { input: { memberId, method: 'IN_PERSON', version: 2 } }, 'OFFICER')).data!.signPledge.signature.pledgeVersion.version).toBe(2);
    expect((await t.gql(VERIFY, { input: { url: 'https://www.tiktok.com/@thuha.cantho' } })).data!.verify.status).toBe('VERIFIED');
    const twice = await t.gql(SIGN, { input: { memberId, method: 'IN_PERSON' } }, 'OFFICER');
    expect(twice.data!.signPledge).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const withdrawn = await t.gql(WITHDRAW, { input: { memberId, reason: 'thử' } }, 'OFFICER');
    expect(withdrawn.data!.withdrawPledge.signature.withdrawnAt).toBeTruthy();
    expect((await t.gql(VERIFY, { input: { url: 'https://www.tiktok.com/@thuha.cantho' } })).data!.verify.status).toBe('SUSPENDED');
    const none = await t.gql(WITHDRAW, { input: { memberId } }, 'OFFICER');
    expect(none.data!.withdrawPledge).toMatchObject({ __typename: 'PreconditionError', code: 'PLEDGE_NOT_SIGNED' });
  });

  it('reportAccount (anyone) and resolveReport (officers) put a lookalike on the flag list', async () => {
    const filed = await t.gql(REPORT, { input: { url: 'https://www.facebook.com/minhkhoi.mientay.official', category: 'IMPERSONATION', description: 'Giả mạo kênh Minh Khôi', reporterContact: '0901 234 567' } });
    expect(filed.data!.reportAccount.report).toMatchObject({ status: 'OPEN', accountKey: 'facebook:minhkhoimientayofficial' });
    expect(filed.body).not.toContain('0901 234 567');
    const refused = await t.gql(RESOLVE, { input: { reportId: filed.data!.reportAccount.report.id, decision: 'CONFIRMED', resolution: 'x' } }, 'PLATFORM');
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const resolved = await t.gql(RESOLVE, { input: { reportId: filed.data!.reportAccount.report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh giả mạo', flagAccount: true } }, 'OFFICER');
    expect(resolved.data!.resolveReport).toMatchObject({ report: { status: 'CONFIRMED' }, flag: { accountKey: 'facebook:minhkhoimientayofficial', category: 'IMPERSONATION' } });
    expect((await t.gql(VERIFY, { input: { url: 'fb.com/minhkhoi.mientay.official' } })).data!.verify.status).toBe('FLAGGED');
    const again = await t.gql(RESOLVE, { input: { reportId: filed.data!.reportAccount.report.id, decision: 'DISMISSED', resolution: 'x' } }, 'OFFICER');
    expect(again.data!.resolveReport).toMatchObject({ __typename: 'InvalidTransitionError', code: 'INVALID_TRANSITION' });
  });
});

describe('idempotency keys', () => {
  it('a retry with the same key returns the first result and changes nothing; other input is a ConflictError', async () => {
    const input = { kind: 'KOL', displayName: 'Châu Ngọc Mai', province: 'An Giang' };
    const before = await registryInternals(t.registry).context.prisma.member.count();
    const first = await t.gql(REGISTER, { input, key: 'reg-chau-ngoc-mai-1' }, { role: 'OFFICER', subject: 'officer-7' });
    const retry = await t.gql(REGISTER, { input, key: 'reg-chau-ngoc-mai-1' }, { role: 'OFFICER', subject: 'officer-7' });
    expect(first.data!.registerMember.__typename).toBe('MemberPayload');
    expect(retry.data).toEqual(first.data);
    expect(await registryInternals(t.registry).context.prisma.member.count()).toBe(before + 1);
    const other = await t.gql(REGISTER, { input: { ...input, displayName: 'Khác' }, key: 'reg-chau-ngoc-mai-1' }, { role: 'OFFICER', subject: 'officer-7' });
    expect(other.data!.registerMember).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await registryInternals(t.registry).context.prisma.member.count()).toBe(before + 1);
    // The same key from another actor is another scope.
    const otherActor = await t.gql(REGISTER, { input, key: 'reg-chau-ngoc-mai-1' }, { role: 'OFFICER', subject: 'officer-8' });
    expect(otherActor.data!.registerMember.member.id).not.toBe(first.data!.registerMember.member.id);
  });

  it('replays a badge change with its first result even after the badge moved on', async () => {
    // A member who signed the pledge in force now (an earlier test published version 2).
    const { badge } = await createVerifiedMember(t.registry, { accounts: ['https://www.facebook.com/tintuc.haugiang24h'] });
    const badgeId = badge.id;
    const officer = { role: 'OFFICER' as const, subject: 'officer-9' };
    const suspend = await t.gql(badgeChange('suspendBadge'), { input: { badgeId, reasonCategory: 'UNDER_INVESTIGATION' }, key: 'suspend-1' }, officer);
    expect(suspend.data!.suspendBadge.badge.status).toBe('SUSPENDED');
    await t.gql(badgeChange('reinstateBadge'), { input: { badgeId, reasonCategory: 'REINSTATED' } }, officer);
    const replay = await t.gql(badgeChange('suspendBadge'), { input: { badgeId, reasonCategory: 'UNDER_INVESTIGATION' }, key: 'suspend-1' }, officer);
    expect(replay.data!.suspendBadge.badge.id).toBe(suspend.data!.suspendBadge.badge.id);
    expect(replay.data!.suspendBadge.badge.status).toBe('SUSPENDED'); // the stored first result
    expect((await t.gql(VERIFY, { input: { url: 'https://www.facebook.com/tintuc.haugiang24h' } })).data!.verify.status).toBe('VERIFIED'); // nothing changed
  });

  it('a failed call does not consume its key', async () => {
    const officer = { role: 'OFFICER' as const, subject: 'officer-10' };
    const member = (await t.gql(REGISTER, { input: { kind: 'KOL', displayName: 'Tô Hoài An' } }, officer)).data!.registerMember.member;
    const fail = await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' }, key: 'issue-an' }, officer);
    expect(fail.data!.issueBadge.__typename).toBe('PreconditionError');
    const again = await t.gql(ISSUE, { input: { memberId: member.id, program: 'KOL_TRUST' }, key: 'issue-an' }, officer);
    expect(again.data!.issueBadge.__typename).toBe('PreconditionError');
    expect(await registryInternals(t.registry).context.prisma.idempotencyRecord.count({ where: { key: 'issue-an' } })).toBe(0);
  });

  it('works for reportAccount by anonymous callers', async () => {
    const input = { url: 'https://zalo.me/g/luadaovayvon', category: 'SCAM', description: 'Cho vay lãi cao' };
    const a = await t.gql(REPORT, { input, key: 'anon-report-1' });
    const b = await t.gql(REPORT, { input, key: 'anon-report-1' });
    expect(b.data!.reportAccount.report.id).toBe(a.data!.reportAccount.report.id);
    expect(await registryInternals(t.registry).context.prisma.report.count({ where: { accountKey: a.data!.reportAccount.report.accountKey } })).toBe(1);
  });
});
