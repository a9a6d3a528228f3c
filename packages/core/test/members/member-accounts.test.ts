import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { DAY_MS, expectRefused, facebookKey, logCount, prepareMember, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

async function newMember(name = 'Chủ trang thử'): Promise<string> {
  return (await registry.registerMember({ kind: 'PAGE_ADMIN', displayName: name })).id;
}

async function ownership(accountId: string, memberId: string): Promise<string> {
  const admin = await registryInternals(registry).db.prisma.accountAdmin.findUniqueOrThrow({ where: { accountId_memberId: { accountId, memberId } } });
  return admin.ownership;
}

describe('addAccount', () => {
  it('creates the account under its canonical key, linked unverified, with one log entry', async () => {
    const memberId = await newMember();
    const url = uniqueFacebookUrl('Add.Page');
    const before = await logCount(registry);
    const { account, admin } = await registry.addAccount({ memberId, account: url.replace('www.', 'm.').toUpperCase() + '/?ref=share', displayName: 'Trang thử' });
    expect(account).toMatchObject({ platform: 'FACEBOOK', key: facebookKey(url), url });
    expect(admin).toMatchObject({ memberId, accountId: account.id, ownership: 'UNVERIFIED' });
    expect(await logCount(registry)).toBe(before + 1);
    const ids = await registryInternals(registry).db.prisma.accountIdentifier.findMany({ where: { accountId: account.id } });
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({ key: account.key, activeKey: account.key, validTo: null });
  });

  it('refuses linking the same account twice to a member (whatever the spelling) with CONFLICT', async () => {
    const memberId = await newMember();
    const url = uniqueFacebookUrl('twice');
    await registry.addAccount({ memberId, account: url });
    const links = await registryInternals(registry).db.prisma.accountAdmin.count({ where: { memberId } });
    await expectRefused(registry, () => registry.addAccount({ memberId, account: url.replace('https://www.facebook.com', 'fb.com') + '/' }), { code: 'CONFLICT', field: 'account' });
    expect(await registryInternals(registry).db.prisma.accountAdmin.count({ where: { memberId } })).toBe(links);
  });

  it.each([
    ['https://www.facebook.com/login', /feature page/],
    ['not a url at all', /not a valid web address/],
    ['https://bit.ly/abc123', /.+/],
    ['', /.+/],
  ])('refuses %j with INVALID_ACCOUNT and a message saying why', async (input, message) => {
    const memberId = await newMember();
    const accounts = await registryInternals(registry).db.prisma.account.count();
    const before = await logCount(registry);
    const error = await registry.addAccount({ memberId, account: input }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INVALID_ACCOUNT', field: 'account' });
    expect((error as Error).message).toMatch(message);
    expect(await registryInternals(registry).db.prisma.account.count()).toBe(accounts);
    expect(await logCount(registry)).toBe(before);
  });

  it('refuses an unknown member with NOT_FOUND and an over-long platform id with INVALID_INPUT', async () => {
    await expectRefused(registry, () => registry.addAccount({ memberId: crypto.randomUUID(), account: uniqueFacebookUrl('nomember') }), { code: 'NOT_FOUND', field: 'memberId' });
    const memberId = await newMember();
    await expectRefused(registry, () => registry.addAccount({ memberId, account: uniqueFacebookUrl('longid'), platformId: '9'.repeat(101) }), { code: 'INVALID_INPUT', field: 'platformId' });
  });

  it('refuses a platform id that already belongs to another account with CONFLICT', async () => {
    const memberId = await newMember();
    const platformId = `1000${Date.now()}`;
    await registry.addAccount({ memberId, account: uniqueFacebookUrl('withid'), platformId });
    await expectRefused(registry, () => registry.addAccount({ memberId, account: uniqueFacebookUrl('otherid'), platformId }), { code: 'CONFLICT', field: 'platformId' });
  });

  it('lets several admin members share one account; one proven admin with a badge makes it VERIFIED', async () => {
    const url = uniqueFacebookUrl('shared');
    const { member: owner, accountIds } = await createVerifiedMember(registry, { accounts: [url], displayName: 'Quản trị chính' });
    const second = await newMember('Quản trị phụ');
    const { account } = await registry.addAccount({ memberId: second, account: url });
    expect(account.id).toBe(accountIds[0]);
    const admins = await registryInternals(registry).db.prisma.accountAdmin.findMany({ where: { accountId: account.id }, orderBy: { createdAt: 'asc' } });
    expect(admins.map((a) => [a.memberId, a.ownership])).toEqual([
      [owner.id, 'VERIFIED'],
      [second, 'UNVERIFIED'],
    ]);
    const answer = await registry.verify({ url });
    expect(answer.status).toBe('VERIFIED');
    expect(answer.member?.id).toBe(owner.id);
  });
});

describe('ownership challenge', () => {
  it('a confirmed challenge makes ownership VERIFIED (code compared case- and space-insensitively)', async () => {
    const memberId = await newMember();
    const { account } = await registry.addAccount({ memberId, account: uniqueFacebookUrl('challenge') });
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    expect(challenge.code).toMatch(/^TINNHIEM-[A-HJ-NP-Z2-9]{8}$/);
    expect(challenge.expiresAt.getTime() - challenge.createdAt.getTime()).toBe(7 * DAY_MS);
    const before = await logCount(registry);
    const admin = await registry.confirmOwnership({ challengeId: challenge.id, observedCode: `  ${challenge.code.toLowerCase()} ` });
    expect(admin.ownership).toBe('VERIFIED');
    expect(await logCount(registry)).toBe(before + 1);
    const stored = await registryInternals(registry).db.prisma.ownershipChallenge.findUniqueOrThrow({ where: { id: challenge.id } });
    expect(stored.status).toBe('CONFIRMED');
    // Confirming twice is refused; proving again needs no new challenge.
    await expectRefused(registry, () => registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code }), { code: 'CHALLENGE_FAILED' });
    await expectRefused(registry, () => registry.startOwnershipChallenge({ accountId: account.id, memberId }), { code: 'CONFLICT' });
  });

  it('a wrong code fails with CHALLENGE_FAILED and leaves ownership unproven', async () => {
    const memberId = await newMember();
    const { account } = await registry.addAccount({ memberId, account: uniqueFacebookUrl('wrongcode') });
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    const wrong = challenge.code.slice(0, -1) + (challenge.code.endsWith('A') ? 'B' : 'A');
    await expectRefused(registry, () => registry.confirmOwnership({ challengeId: challenge.id, observedCode: wrong }), { code: 'CHALLENGE_FAILED', field: 'observedCode' });
    expect(await ownership(account.id, memberId)).toBe('UNVERIFIED');
    expect(await registryInternals(registry).db.prisma.ownershipEvent.count({ where: { accountAdmin: { accountId: account.id, memberId } } })).toBe(1);
  });

  it('a new challenge replaces the open one', async () => {
    const memberId = await newMember();
    const { account } = await registry.addAccount({ memberId, account: uniqueFacebookUrl('replaced') });
    const first = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    const second = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    await expectRefused(registry, () => registry.confirmOwnership({ challengeId: first.id, observedCode: first.code }), { code: 'CHALLENGE_FAILED' });
    expect((await registry.confirmOwnership({ challengeId: second.id, observedCode: second.code })).ownership).toBe('VERIFIED');
  });

  it('refuses a challenge for an account the member is not linked to, and an unknown challenge, with NOT_FOUND', async () => {
    const memberId = await newMember();
    const other = await newMember();
    const { account } = await registry.addAccount({ memberId, account: uniqueFacebookUrl('notlinked') });
    await expectRefused(registry, () => registry.startOwnershipChallenge({ accountId: account.id, memberId: other }), { code: 'NOT_FOUND' });
    await expectRefused(registry, () => registry.confirmOwnership({ challengeId: crypto.randomUUID(), observedCode: 'TINNHIEM-AAAAAAAA' }), { code: 'NOT_FOUND', field: 'challengeId' });
  });
});

describe('renameAccount', () => {
  it('keeps the old key in history and sends every admin back to re-verification', async () => {
    const oldUrl = uniqueFacebookUrl('before.rename');
    const { member, accountIds } = await createVerifiedMember(registry, { accounts: [oldUrl], displayName: 'Trang đổi tên' });
    const accountId = accountIds[0]!;
    expect((await registry.verify({ url: oldUrl })).status).toBe('VERIFIED');
    const beforeRename = clock.now();
    clock.advance(60_000);

    const newUrl = uniqueFacebookUrl('after.rename');
    const logs = await logCount(registry);
    const renamed = await registry.renameAccount({ accountId, account: newUrl });
    expect(renamed).toMatchObject({ id: accountId, key: facebookKey(newUrl), url: newUrl });
    expect(await logCount(registry)).toBe(logs + 1);

    const history = await registryInternals(registry).db.prisma.accountIdentifier.findMany({ where: { accountId }, orderBy: { validFrom: 'asc' } });
    expect(history.map((h) => [h.key, h.activeKey, h.validTo === null])).toEqual([
      [facebookKey(oldUrl), null, false],
      [facebookKey(newUrl), facebookKey(newUrl), true],
    ]);
    expect(await ownership(accountId, member.id)).toBe('UNVERIFIED');

    // New URL: known, but pending until ownership is proven again.
    const pending = await registry.verify({ url: newUrl });
    expect(pending.status).toBe('PENDING');
    expect(pending.account?.key).toBe(facebookKey(newUrl));
    // Old URL now: no account answers to it any more.
    expect((await registry.verify({ url: oldUrl })).status).toBe('NOT_FOUND');
    // Old URL as of before the rename: the answer of then.
    const then = await registry.verify({ url: oldUrl }, { at: beforeRename });
    expect(then.status).toBe('VERIFIED');
    expect(then.member?.id).toBe(member.id);
    expect(then.account).toMatchObject({ key: facebookKey(oldUrl), url: oldUrl });

    const challenge = await registry.startOwnershipChallenge({ accountId, memberId: member.id });
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
    expect((await registry.verify({ url: newUrl })).status).toBe('VERIFIED');
  });

  it('refuses renames that cannot apply, changing nothing', async () => {
    const { accountId, url } = await prepareMember(registry, { prove: false });
    const taken = uniqueFacebookUrl('taken');
    const other = await newMember();
    await registry.addAccount({ memberId: other, account: taken });
    const cases: Array<[unknown, Record<string, unknown>]> = [
      [url, { code: 'CONFLICT', field: 'account' }],
      [taken, { code: 'CONFLICT', field: 'account' }],
      ['https://www.tiktok.com/@someone.else', { code: 'INVALID_INPUT', field: 'account' }],
      ['https://www.facebook.com/marketplace', { code: 'INVALID_ACCOUNT', field: 'account' }],
    ];
    for (const [account, match] of cases) {
      await expectRefused(registry, () => registry.renameAccount({ accountId: accountId!, account: account as string }), match);
    }
    await expectRefused(registry, () => registry.renameAccount({ accountId: crypto.randomUUID(), account: uniqueFacebookUrl('ghost') }), { code: 'NOT_FOUND', field: 'accountId' });
    expect(await registryInternals(registry).db.prisma.accountIdentifier.count({ where: { accountId: accountId! } })).toBe(1);
    expect((await registryInternals(registry).db.prisma.account.findUniqueOrThrow({ where: { id: accountId! } })).url).toBe(url);
  });
});

describe('challenge expiry (moves the clock: last)', () => {
  it('a challenge confirmed after 7 days fails with CHALLENGE_FAILED', async () => {
    const memberId = await newMember();
    const { account } = await registry.addAccount({ memberId, account: uniqueFacebookUrl('expired') });
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    clock.advance(8 * DAY_MS);
    await expectRefused(registry, () => registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code }), { code: 'CHALLENGE_FAILED', field: 'challengeId' });
    expect(await ownership(account.id, memberId)).toBe('UNVERIFIED');
    // A fresh challenge works.
    const fresh = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
    expect((await registry.confirmOwnership({ challengeId: fresh.id, observedCode: fresh.code })).ownership).toBe('VERIFIED');
  });
});
