/**
 * A change appended to a subject's history is stamped after the subject's latest change, even
 * when the writer's clock reads earlier (a replica whose clock lags, or a long wait for the row
 * lock): otherwise the history replayed "as of" a moment ends in another state than the
 * current-state columns that "now" reads. The clock here can be set back between operations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry, VerificationResult } from '../../src/index.ts';
import { stampAfter } from '../../src/kernel/stamps.ts';
import { createVerifiedMember, ensurePledge, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl } from '../helpers.ts';

const ON_POSTGRES = Boolean(process.env.DATABASE_URL);

/** The clock reads the real time shifted by `skewMs`, which a test may move either way. */
let skewMs = 0;
const now = () => new Date(Date.now() + skewMs);

let test: TestRegistry;
let registry: Registry;

beforeAll(async () => {
  test = await openTestRegistry({ now, lookupCache: false });
  registry = test.registry;
  await ensurePledge(registry);
});
afterAll(async () => {
  await test?.close();
});

const essence = (r: VerificationResult) => ({ status: r.status, account: r.account, member: r.member, badges: r.badges, flags: r.flags.map((f) => f.category) });

/** Answers "now" and "as of" 1 ms after `latest`; both must be the same, and are returned. */
async function expectAgreement(urls: string[], latest: Date): Promise<string[]> {
  const current = await registry.verifyMany(urls.map((url) => ({ url })));
  const replayed = await registry.verifyMany(urls.map((url) => ({ url })), { at: new Date(latest.getTime() + 1) });
  expect(current.map(essence)).toEqual(replayed.map(essence));
  return current.map((r) => r.status);
}

function memberEvents(memberId: string) {
  return registryInternals(registry).db.prisma.memberStatusEvent.findMany({ where: { memberId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

function ownershipEvents(accountId: string, memberId: string) {
  return registryInternals(registry).db.prisma.ownershipEvent.findMany({ where: { accountAdmin: { accountId, memberId } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

/** A second account linked to `memberId`, with an open challenge (both at the current clock). */
async function linkSecondAccount(memberId: string, tag: string) {
  const url = uniqueFacebookUrl(tag);
  const { account } = await registry.addAccount({ memberId, account: url });
  const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId });
  return { url, account, challenge };
}

describe('stampAfter', () => {
  const t = new Date('2026-03-01T10:00:00.000Z');

  it('is the clock when the subject has no history or the clock is after its latest change', () => {
    expect(stampAfter(t, null)).toBe(t);
    expect(stampAfter(t, new Date(t.getTime() - 1))).toBe(t);
    expect(stampAfter(t, new Date(t.getTime() - 86_400_000))).toBe(t);
  });

  it('is 1 ms after the latest change when the clock is at or before it, without touching either', () => {
    const latest = new Date(t.getTime() + 5000);
    expect(stampAfter(t, latest).toISOString()).toBe('2026-03-01T10:00:05.001Z');
    expect(stampAfter(t, t).toISOString()).toBe('2026-03-01T10:00:00.001Z');
    expect(stampAfter(t, t)).not.toBe(t);
    expect(latest.toISOString()).toBe('2026-03-01T10:00:05.000Z');
    expect(t.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });
});

describe('member status events', () => {
  it('a change on a clock 5 s behind the last one is stamped after it; now agrees with history', async () => {
    skewMs = 0;
    const url = uniqueFacebookUrl('stamp.member');
    const { member } = await createVerifiedMember(registry, { accounts: [url] });

    skewMs = 10_000; // t
    await registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    skewMs = 5_000; // t - 5 s
    await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'REINSTATED' });

    const events = await memberEvents(member.id);
    const [suspended, reinstated] = events.slice(-2);
    expect([suspended!.status, reinstated!.status]).toEqual(['SUSPENDED', 'ACTIVE']);
    expect(reinstated!.at.getTime()).toBe(suspended!.at.getTime() + 1);
    expect(await expectAgreement([url], reinstated!.at)).toEqual(['VERIFIED']);
  });

  it('a suspension on a lagging clock after a reinstatement is not undone by the replay', async () => {
    skewMs = 0;
    const url = uniqueFacebookUrl('stamp.member.two');
    const { member } = await createVerifiedMember(registry, { accounts: [url] });

    skewMs = 10_000;
    await registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'REINSTATED' });
    skewMs = 5_000;
    await registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });

    const events = await memberEvents(member.id);
    expect(events.map((e) => e.status)).toEqual(['PENDING', 'ACTIVE', 'SUSPENDED', 'ACTIVE', 'SUSPENDED']);
    for (let i = 1; i < events.length; i++) expect(events[i]!.at.getTime()).toBeGreaterThan(events[i - 1]!.at.getTime());
    expect(await expectAgreement([url], events.at(-1)!.at)).toEqual(['SUSPENDED']);
  });
});

describe('ownership events', () => {
  it('a rename on a clock 5 s behind the verification is stamped after it; now agrees with history', async () => {
    skewMs = 0;
    const first = uniqueFacebookUrl('stamp.owner');
    const { member } = await createVerifiedMember(registry, { accounts: [first] });
    const { url, account, challenge } = await linkSecondAccount(member.id, 'stamp.owner.second');

    skewMs = 10_000; // t: the verification ran on a clock ahead
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
    skewMs = 5_000; // t - 5 s
    const renamed = uniqueFacebookUrl('stamp.owner.renamed');
    await registry.renameAccount({ accountId: account.id, account: renamed });

    const events = await ownershipEvents(account.id, member.id);
    expect(events.map((e) => e.ownership)).toEqual(['UNVERIFIED', 'VERIFIED', 'UNVERIFIED']);
    const [, verified, unverified] = events;
    expect(unverified!.at.getTime()).toBe(verified!.at.getTime() + 1);
    // The new identifier starts with the rename's stamp, so "as of" finds the new key too.
    const identifiers = await registryInternals(registry).db.prisma.accountIdentifier.findMany({ where: { accountId: account.id }, orderBy: { validFrom: 'asc' } });
    expect(identifiers).toHaveLength(2);
    expect(identifiers[0]!.validTo).toEqual(unverified!.at);
    expect(identifiers[1]!.validFrom).toEqual(unverified!.at);
    expect(await expectAgreement([first, url, renamed], unverified!.at)).toEqual(['VERIFIED', 'NOT_FOUND', 'PENDING']);
  });

  it('a verification on a clock 5 s behind a rename is stamped after it; now agrees with history', async () => {
    skewMs = 0;
    const first = uniqueFacebookUrl('stamp.proof');
    const { member, accountIds } = await createVerifiedMember(registry, { accounts: [first] });

    skewMs = 10_000; // t: the rename ran on a clock ahead and sent the admin back to UNVERIFIED
    const renamed = uniqueFacebookUrl('stamp.proof.renamed');
    await registry.renameAccount({ accountId: accountIds[0]!, account: renamed });
    skewMs = 5_000; // t - 5 s
    const challenge = await registry.startOwnershipChallenge({ accountId: accountIds[0]!, memberId: member.id });
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });

    const events = await ownershipEvents(accountIds[0]!, member.id);
    expect(events.map((e) => e.ownership)).toEqual(['UNVERIFIED', 'VERIFIED', 'UNVERIFIED', 'VERIFIED']);
    const [, , unverified, verified] = events;
    expect(verified!.at.getTime()).toBe(unverified!.at.getTime() + 1);
    expect(await expectAgreement([first, renamed], verified!.at)).toEqual(['NOT_FOUND', 'VERIFIED']);
  });

  it(`a verification and a rename racing, the verification on a clock ahead, agree afterwards (${ON_POSTGRES ? 'PostgreSQL' : 'PGlite, serialized'})`, async () => {
    skewMs = 0;
    const first = uniqueFacebookUrl('stamp.race');
    const { member } = await createVerifiedMember(registry, { accounts: [first] });
    for (let round = 0; round < 5; round++) {
      skewMs = 0;
      const { url, account, challenge } = await linkSecondAccount(member.id, `stamp.race.${round}`);
      const renamed = uniqueFacebookUrl(`stamp.race.renamed.${round}`);
      skewMs = 10_000;
      const confirming = registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
      skewMs = 5_000;
      const renaming = registry.renameAccount({ accountId: account.id, account: renamed });
      await Promise.all([confirming, renaming]);

      const admin = await registryInternals(registry).db.prisma.accountAdmin.findUniqueOrThrow({ where: { accountId_memberId: { accountId: account.id, memberId: member.id } } });
      const events = await ownershipEvents(account.id, member.id);
      expect(events.at(-1)!.ownership).toBe(admin.ownership);
      // Whichever ran first, a rename recorded after the proof sent the admin back to UNVERIFIED.
      const renamedAt = (await registryInternals(registry).db.prisma.accountIdentifier.findFirstOrThrow({ where: { accountId: account.id, validTo: null } })).validFrom;
      if (admin.ownership === 'VERIFIED') expect(events.at(-1)!.at.getTime()).toBeGreaterThan(renamedAt.getTime());
      const latest = new Date(Math.max(...events.map((e) => e.at.getTime())));
      await expectAgreement([url, renamed], latest);
    }
  });
});
