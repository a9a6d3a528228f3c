/**
 * The `liftFlag` and `renameAccount` mutations: OFFICER and ADMIN only (everyone else is
 * refused and nothing changes), core's typed errors, idempotency keys, and the verify answer
 * flipping once the change is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedMember, ensurePledge, registryInternals } from '@trust-alliance/core/testing';
import { MAX_LIFT_REASON_LENGTH } from '@trust-alliance/core';
import { globalId } from '../../services/api/src/schema/ids.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';
import { RESULT_ERROR, VERIFY } from './documents.ts';

const LIFT = `mutation Lift($input: LiftFlagInput!, $key: String) {
  liftFlag(input: $input, idempotencyKey: $key) { __typename ... on LiftFlagPayload { flag { id accountKey platform category createdAt liftedAt } } ${RESULT_ERROR} ... on InvalidTransitionError { from to } ... on NotFoundError { entity } }
}`;

const RENAME = `mutation Rename($input: RenameAccountInput!, $key: String) {
  renameAccount(input: $input, idempotencyKey: $key) { __typename ... on RenameAccountPayload { account { id key url handle platform admins { ownership } } } ${RESULT_ERROR} ... on NotFoundError { entity } }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await ensurePledge(t.registry);
});
afterAll(() => t?.close());

let serial = 0;
const run = Math.random().toString(36).slice(2, 8);
/** A Facebook page name no other test uses; its key is `facebook:<name>`. */
const uniquePage = (tag: string) => `${tag}${run}${++serial}`;

/** An account flagged through core (report, then confirmed with flagAccount). */
async function flagged(page: string, category: 'SCAM' | 'IMPERSONATION' = 'IMPERSONATION') {
  const report = await t.registry.reportAccount({ account: `https://www.facebook.com/${page}`, category, description: 'Trang giả mạo' });
  const { flag } = await t.registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh', flagAccount: true });
  return flag!;
}

const verifyStatus = async (url: string, at?: Date) => (await t.gql(VERIFY, { input: { url }, ...(at ? { at: at.toISOString() } : {}) })).data!.verify.status as string;
const logSize = () => registryInternals(t.registry).context.prisma.logEntry.count();
const REFUSED = [undefined, 'PLATFORM', 'BUSINESS', 'MEMBER'] as const;

describe('liftFlag', () => {
  it('OFFICER lifts a flag: verify flips from FLAGGED to NOT_FOUND now, and stays FLAGGED as of before the lift', async () => {
    const page = uniquePage('gia.mao.');
    const url = `https://www.facebook.com/${page}`;
    const flag = await flagged(page);
    t.clock.advance(1000);
    const whileFlagged = t.clock.now();
    t.clock.advance(1000);
    expect(await verifyStatus(`fb.com/${page}`)).toBe('FLAGGED');

    const res = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Báo cáo nhầm, trang hợp pháp' } }, 'OFFICER');
    expect(res.errors).toBeUndefined();
    expect(res.data!.liftFlag).toMatchObject({ __typename: 'LiftFlagPayload', flag: { id: flag.id, accountKey: `facebook:${page.replace(/\./g, '')}`, platform: 'FACEBOOK', category: 'IMPERSONATION' } });
    expect(Date.parse(res.data!.liftFlag.flag.liftedAt)).toBeGreaterThan(whileFlagged.getTime());

    expect(await verifyStatus(url)).toBe('NOT_FOUND');
    expect(await verifyStatus(url, whileFlagged)).toBe('FLAGGED');
  });

  it('ADMIN may lift a flag too', async () => {
    const page = uniquePage('admin.lift.');
    const flag = await flagged(page, 'SCAM');
    const res = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Chủ tài khoản đã lấy lại' } }, 'ADMIN');
    expect(res.data!.liftFlag.__typename).toBe('LiftFlagPayload');
    expect(await verifyStatus(`fb.com/${page}`)).toBe('NOT_FOUND');
  });

  it('PUBLIC, PLATFORM, BUSINESS and MEMBER are refused with FORBIDDEN, a bad token with UNAUTHENTICATED; nothing changes', async () => {
    const page = uniquePage('refused.');
    const flag = await flagged(page);
    const logs = await logSize();
    for (const as of REFUSED) {
      const res = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Thử' } }, as as never);
      expect(codeOf(res), String(as)).toBe('FORBIDDEN');
      expect(res.data?.liftFlag ?? null).toBeNull();
    }
    const bad = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Thử' } }, { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(codeOf(bad)).toBe('UNAUTHENTICATED');
    expect(await logSize()).toBe(logs);
    expect((await registryInternals(t.registry).context.prisma.flag.findUniqueOrThrow({ where: { id: flag.id } })).liftedAt).toBeNull();
    expect(await verifyStatus(`fb.com/${page}`)).toBe('FLAGGED');
  });

  it('typed errors: unknown flag, malformed id, lifting twice, empty reason; an over-long reason is BAD_USER_INPUT', async () => {
    const unknown = await t.gql(LIFT, { input: { flagId: '00000000-0000-4000-8000-000000000000', reason: 'x' } }, 'OFFICER');
    expect(unknown.data!.liftFlag).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'flagId', entity: 'Flag' });
    const malformed = await t.gql(LIFT, { input: { flagId: 'nope', reason: 'x' } }, 'OFFICER');
    expect(malformed.data!.liftFlag).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'flagId' });

    const flag = await flagged(uniquePage('twice.'));
    const empty = await t.gql(LIFT, { input: { flagId: flag.id, reason: '   ' } }, 'OFFICER');
    expect(empty.data!.liftFlag).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'reason' });
    const long = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'x'.repeat(MAX_LIFT_REASON_LENGTH + 1) } }, 'OFFICER');
    expect(codeOf(long)).toBe('BAD_USER_INPUT');

    expect((await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Lần đầu' } }, 'OFFICER')).data!.liftFlag.__typename).toBe('LiftFlagPayload');
    const logs = await logSize();
    const again = await t.gql(LIFT, { input: { flagId: flag.id, reason: 'Lần hai' } }, 'OFFICER');
    expect(again.data!.liftFlag).toMatchObject({ __typename: 'InvalidTransitionError', code: 'INVALID_TRANSITION', from: 'LIFTED', to: 'LIFTED' });
    expect(await logSize()).toBe(logs);
  });

  it('idempotency: the same key twice gives the same result and one log entry; other input with it is a ConflictError', async () => {
    const flag = await flagged(uniquePage('idem.'));
    const officer = { role: 'OFFICER' as const, subject: 'officer-lift-1' };
    const input = { flagId: flag.id, reason: 'Gỡ theo quyết định số 7' };
    const logs = await logSize();
    const first = await t.gql(LIFT, { input, key: 'lift-idem-1' }, officer);
    t.clock.advance(1000);
    const retry = await t.gql(LIFT, { input, key: 'lift-idem-1' }, officer);
    expect(first.data!.liftFlag.__typename).toBe('LiftFlagPayload');
    expect(retry.data).toEqual(first.data);
    expect(await logSize()).toBe(logs + 1);
    const other = await t.gql(LIFT, { input: { ...input, reason: 'Khác' }, key: 'lift-idem-1' }, officer);
    expect(other.data!.liftFlag).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await logSize()).toBe(logs + 1);
  });
});

describe('renameAccount', () => {
  /** A verified member's Facebook page; returns its raw account id and page name. */
  async function verifiedPage(tag: string) {
    const page = uniquePage(tag);
    const { member, accountIds } = await createVerifiedMember(t.registry, { accounts: [`https://www.facebook.com/${page}`] });
    return { page, accountId: accountIds[0]!, memberId: member.id };
  }

  it('OFFICER renames (global id): verify flips, the old URL is NOT_FOUND now but VERIFIED as of before, the new one PENDING', async () => {
    const { page, accountId } = await verifiedPage('doi.ten.');
    const newPage = uniquePage('ten.moi.');
    t.clock.advance(1000);
    const before = t.clock.now();
    t.clock.advance(1000);
    expect(await verifyStatus(`fb.com/${page}`)).toBe('VERIFIED');

    const logs = await logSize();
    const res = await t.gql(RENAME, { input: { accountId: globalId('Account', accountId), newUrl: `https://m.facebook.com/${newPage}/?mibextid=x` } }, 'OFFICER');
    expect(res.errors).toBeUndefined();
    expect(res.data!.renameAccount).toMatchObject({
      __typename: 'RenameAccountPayload',
      account: { id: globalId('Account', accountId), key: `facebook:${newPage.replace(/\./g, '')}`, platform: 'FACEBOOK', admins: [{ ownership: 'UNVERIFIED' }] },
    });
    expect(await logSize()).toBe(logs + 1);

    expect(await verifyStatus(`fb.com/${page}`)).toBe('NOT_FOUND');
    expect(await verifyStatus(`fb.com/${page}`, before)).toBe('VERIFIED');
    expect(await verifyStatus(`fb.com/${newPage}`)).toBe('PENDING');
  });

  it('ADMIN may rename (raw id)', async () => {
    const { accountId } = await verifiedPage('admin.rename.');
    const res = await t.gql(RENAME, { input: { accountId, newUrl: `fb.com/${uniquePage('admin.renamed.')}` } }, 'ADMIN');
    expect(res.data!.renameAccount.__typename).toBe('RenameAccountPayload');
  });

  it('PUBLIC, PLATFORM, BUSINESS and MEMBER (even an admin of the account) are refused with FORBIDDEN, a bad token with UNAUTHENTICATED; nothing changes', async () => {
    const { page, accountId, memberId } = await verifiedPage('khong.duoc.');
    const logs = await logSize();
    const input = { accountId, newUrl: `fb.com/${uniquePage('trom.')}` };
    for (const as of [...REFUSED, { role: 'MEMBER' as const, subject: memberId }]) {
      const res = await t.gql(RENAME, { input }, as as never);
      expect(codeOf(res), JSON.stringify(as)).toBe('FORBIDDEN');
      expect(res.data?.renameAccount ?? null).toBeNull();
    }
    const bad = await t.gql(RENAME, { input }, { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(codeOf(bad)).toBe('UNAUTHENTICATED');
    expect(await logSize()).toBe(logs);
    expect(await verifyStatus(`fb.com/${page}`)).toBe('VERIFIED');
  });

  it('typed errors: unknown and malformed ids, another platform, the same key, a key taken, a URL that is no account', async () => {
    const { page, accountId } = await verifiedPage('loi.');
    const { page: taken } = await verifiedPage('da.co.');
    const logs = await logSize();
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ accountId: '00000000-0000-4000-8000-000000000000', newUrl: `fb.com/${uniquePage('x.')}` }, { __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'accountId', entity: 'Account' }],
      [{ accountId: 'nope', newUrl: `fb.com/${uniquePage('x.')}` }, { __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'accountId' }],
      [{ accountId, newUrl: 'https://www.tiktok.com/@khac.nen.tang' }, { __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'account' }],
      [{ accountId, newUrl: `https://m.facebook.com/${page.toUpperCase()}/` }, { __typename: 'ConflictError', code: 'CONFLICT', field: 'account' }],
      [{ accountId, newUrl: `fb.com/${taken}` }, { __typename: 'ConflictError', code: 'CONFLICT', field: 'account' }],
      [{ accountId, newUrl: 'https://www.facebook.com/login' }, { __typename: 'InvalidAccountError', code: 'INVALID_ACCOUNT' }],
    ];
    for (const [input, match] of cases) {
      const res = await t.gql(RENAME, { input }, 'OFFICER');
      expect(res.data!.renameAccount, JSON.stringify(input)).toMatchObject(match);
    }
    expect(await logSize()).toBe(logs);
    expect(await verifyStatus(`fb.com/${page}`)).toBe('VERIFIED');
  });

  it('idempotency: the same key twice gives the same result and one log entry; other input with it is a ConflictError', async () => {
    const { accountId } = await verifiedPage('idem.rename.');
    const officer = { role: 'OFFICER' as const, subject: 'officer-rename-1' };
    const input = { accountId, newUrl: `fb.com/${uniquePage('idem.renamed.')}` };
    const logs = await logSize();
    const first = await t.gql(RENAME, { input, key: 'rename-idem-1' }, officer);
    const retry = await t.gql(RENAME, { input, key: 'rename-idem-1' }, officer);
    expect(first.data!.renameAccount.__typename).toBe('RenameAccountPayload');
    expect(retry.data).toEqual(first.data);
    expect(await logSize()).toBe(logs + 1);
    expect(await registryInternals(t.registry).context.prisma.accountIdentifier.count({ where: { accountId } })).toBe(2);
    const other = await t.gql(RENAME, { input: { ...input, newUrl: `fb.com/${uniquePage('other.')}` }, key: 'rename-idem-1' }, officer);
    expect(other.data!.renameAccount).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await logSize()).toBe(logs + 1);
  });
});
