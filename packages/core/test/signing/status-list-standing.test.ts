/**
 * The status-list entry of an attestation follows the member's status and pledge standing, not
 * only the badge's, so offline verifiers agree with `verify`. Each case reads the served token
 * through the registry, as the API serves it, and checks it with @trust-alliance/verifier.
 */
import { describe, expect, it } from 'vitest';
import { readStatus, StatusListCache, StatusValue, verifyAttestation, verifyStatusListToken } from '@trust-alliance/verifier';
import type { Attestation } from '../../src/generated/prisma/client.ts';
import { statusListUri, type Registry } from '../../src/index.ts';
import { attestationStatusValue, type AttestationStandingFacts } from '../../src/signing/status-value.ts';
import { adoptCertificationPolicy, createVerifiedMember, SAMPLE_PLEDGE, type TestClock } from '../../src/testing/index.ts';
import { DAY_MS, statusListFetch, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

describe('attestationStatusValue', () => {
  const at = new Date('2025-06-01T00:00:00Z');
  const later = new Date('2026-06-01T00:00:00Z');
  const base: AttestationStandingFacts = { superseded: false, badgeStatus: 'ACTIVE', badgeExpiresAt: later, memberStatus: 'ACTIVE', pledge: 'GOOD', flagged: false };
  const { VALID, INVALID, SUSPENDED } = StatusValue;
  const cases: Array<[string, Partial<AttestationStandingFacts>, StatusValue]> = [
    ['all in order', {}, VALID],
    ['superseded', { superseded: true }, INVALID],
    ['superseded, even if all else is in order later', { superseded: true, memberStatus: 'SUSPENDED' }, INVALID],
    ['badge revoked', { badgeStatus: 'REVOKED' }, INVALID],
    ['badge revoked while the member is suspended (terminal facts come first)', { badgeStatus: 'REVOKED', memberStatus: 'SUSPENDED' }, INVALID],
    ['badge expired while the member is suspended', { badgeExpiresAt: at, memberStatus: 'SUSPENDED' }, INVALID],
    ['member expelled', { memberStatus: 'EXPELLED' }, INVALID],
    ['member withdrawn', { memberStatus: 'WITHDRAWN' }, INVALID],
    ['member expelled while the badge is suspended', { memberStatus: 'EXPELLED', badgeStatus: 'SUSPENDED' }, INVALID],
    ['member suspended', { memberStatus: 'SUSPENDED' }, SUSPENDED],
    ['member pending (never holds a badge)', { memberStatus: 'PENDING' }, SUSPENDED],
    ['badge suspended', { badgeStatus: 'SUSPENDED' }, SUSPENDED],
    ['badge and member suspended', { badgeStatus: 'SUSPENDED', memberStatus: 'SUSPENDED' }, SUSPENDED],
    ['pledge lapsed', { pledge: 'LAPSED' }, SUSPENDED],
    ['pledge withdrawn', { pledge: 'WITHDRAWN' }, SUSPENDED],
    ['pledge lapsed while the member is suspended', { pledge: 'LAPSED', memberStatus: 'SUSPENDED' }, SUSPENDED],
    ['pledge lapsed, member withdrawn', { pledge: 'LAPSED', memberStatus: 'WITHDRAWN' }, INVALID],
    ['badge past its expiry (renewal signs a new attestation)', { badgeExpiresAt: at }, INVALID],
    ['a named account flagged', { flagged: true }, INVALID],
    ['a named account flagged, member suspended', { flagged: true, memberStatus: 'SUSPENDED' }, INVALID],
  ];
  it.each(cases)('%s', (_name, facts, expected) => {
    expect(attestationStatusValue({ ...base, ...facts }, at)).toBe(expected);
  });
});

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t), { registry: { issuer: 'https://tinnhiem.example.vn' } });

/** Serves the registry's status lists at their URIs, as the API would. */
const serveStatusLists: typeof fetch = (input) => statusListFetch(registry)(input);

interface Entry {
  value: number | undefined;
  revision: number;
  /** What an offline verifier concludes from the attestation and the list. */
  offline: string;
}

/** The attestation's entry in the served list, its revision, and the offline verifier's answer. */
async function entry(attestation: Attestation): Promise<Entry> {
  const { jwt, revision } = await registry.getStatusListToken(attestation.statusListId);
  const jwks = await registry.keys.publicJwks();
  const list = await verifyStatusListToken(jwt, { issuer: registry.issuer, uri: statusListUri(registry.issuer, attestation.statusListId), jwks, now: clock.now() });
  expect(list.valid, JSON.stringify(list)).toBe(true);
  const result = await verifyAttestation(attestation.jws, { issuer: registry.issuer, jwks, fetch: serveStatusLists, statusList: new StatusListCache(), now: clock.now() });
  const offline = result.valid ? result.status : result.errors[0]?.code ?? 'UNKNOWN';
  return { value: list.valid ? readStatus(list.statuses, attestation.statusIdx) : undefined, revision, offline };
}

async function badged(tag: string) {
  const url = uniqueFacebookUrl(tag);
  const { badge, member } = await createVerifiedMember(registry, { accounts: [url], displayName: `Thành viên ${tag}` });
  const attestation = (await registry.currentAttestation(badge.id))!;
  const before = await entry(attestation);
  expect(before).toMatchObject({ value: StatusValue.VALID, offline: 'VALID' });
  return { url, badge, memberId: member.id, attestation, before };
}

/** Expects the entry to hold `value` in a list whose revision moved since `previous`. */
async function expectEntry(attestation: Attestation, previous: Entry, value: StatusValue, offline: string): Promise<Entry> {
  const now = await entry(attestation);
  expect(now.value).toBe(value);
  expect(now.offline).toBe(offline);
  expect(now.revision).toBeGreaterThan(previous.revision);
  return now;
}

describe('status-list entries follow the member and the pledge', () => {
  it('member suspended, then reactivated: SUSPENDED, then VALID again', async () => {
    const { url, memberId, attestation, before } = await badged('membersuspended');
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    const suspended = await expectEntry(attestation, before, StatusValue.SUSPENDED, 'SUSPENDED');
    expect((await registry.verify({ url })).status).toBe('SUSPENDED');

    await registry.changeMemberStatus({ memberId, status: 'ACTIVE', reasonCategory: 'REINSTATED' });
    await expectEntry(attestation, suspended, StatusValue.VALID, 'VALID');
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
  });

  it('member expelled: INVALID', async () => {
    const { url, memberId, attestation, before } = await badged('memberexpelled');
    await registry.changeMemberStatus({ memberId, status: 'EXPELLED', reasonCategory: 'LEGAL_VIOLATION' });
    await expectEntry(attestation, before, StatusValue.INVALID, 'REVOKED');
    expect((await registry.verify({ url })).status).toBe('REVOKED');
  });

  it('member withdrawn: INVALID', async () => {
    const { url, memberId, attestation, before } = await badged('memberwithdrawn');
    await registry.changeMemberStatus({ memberId, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' });
    await expectEntry(attestation, before, StatusValue.INVALID, 'REVOKED');
    expect((await registry.verify({ url })).status).not.toBe('VERIFIED');
  });

  it('pledge withdrawn, then signed again: SUSPENDED, then VALID again', async () => {
    const { url, memberId, attestation, before } = await badged('pledgewithdrawn');
    await registry.withdrawPledge({ memberId, reason: 'Không đồng ý điều 3' });
    const lapsed = await expectEntry(attestation, before, StatusValue.SUSPENDED, 'SUSPENDED');
    expect((await registry.verify({ url })).status).toBe('SUSPENDED');

    clock.advance(1000);
    await registry.signPledge({ memberId, method: 'ONLINE' });
    await expectEntry(attestation, lapsed, StatusValue.VALID, 'VALID');
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    // Re-signing flips the entry back; it signs no new attestation.
    expect((await registry.currentAttestation(attestation.badgeId))?.id).toBe(attestation.id);
  });

  it('badge suspended while the member is suspended: SUSPENDED until both are lifted', async () => {
    const { url, badge, memberId, attestation, before } = await badged('bothsuspended');
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    let last = await expectEntry(attestation, before, StatusValue.SUSPENDED, 'SUSPENDED');
    await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    last = await expectEntry(attestation, last, StatusValue.SUSPENDED, 'SUSPENDED');
    await registry.changeMemberStatus({ memberId, status: 'ACTIVE', reasonCategory: 'REINSTATED' });
    last = await expectEntry(attestation, last, StatusValue.SUSPENDED, 'SUSPENDED');
    expect((await registry.verify({ url })).status).toBe('SUSPENDED');
    await registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' });
    await expectEntry(attestation, last, StatusValue.VALID, 'VALID');
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
  });

  it("another member's suspension leaves an untouched attestation VALID", async () => {
    // Both attestations share list 1 here: only the suspended member's entry may move.
    const quiet = await badged('quietneighbour');
    const { memberId } = await badged('noisyneighbour');
    await registry.changeMemberStatus({ memberId, status: 'SUSPENDED', reasonCategory: 'UNDER_INVESTIGATION' });
    expect(await entry(quiet.attestation)).toMatchObject({ value: StatusValue.VALID, offline: 'VALID' });
  });

  it('a new pledge version with no grace period: SUSPENDED until the member signs it', async () => {
    const { url, memberId, attestation, before } = await badged('newversion');
    // The default policy asks for 30 days at least; two ADMINs lower it for these cases.
    await adoptCertificationPolicy(registry, { minGraceDays: 0 });
    clock.advance(1000);
    await registry.publishPledgeVersion({ ...SAMPLE_PLEDGE, textEn: `${SAMPLE_PLEDGE.textEn} v2`, graceDays: 0 });
    const lapsed = await expectEntry(attestation, before, StatusValue.SUSPENDED, 'SUSPENDED');
    expect((await registry.verify({ url })).status).toBe('SUSPENDED');

    clock.advance(1000);
    await registry.signPledge({ memberId, method: 'ONLINE' });
    await expectEntry(attestation, lapsed, StatusValue.VALID, 'VALID');
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
  });

  it('a new pledge version with a grace period keeps the entry VALID until the grace ends', async () => {
    const { attestation, before } = await badged('graceversion');
    clock.advance(1000);
    await registry.publishPledgeVersion({ ...SAMPLE_PLEDGE, textEn: `${SAMPLE_PLEDGE.textEn} v3`, graceDays: 30 });
    const during = await expectEntry(attestation, before, StatusValue.VALID, 'VALID');
    // No write flips it when the grace ends: the next rebuild of the list (here forced by the
    // token nearing its expiry) sees the lapse.
    clock.advance(31 * DAY_MS);
    const after = await entry(attestation);
    expect(after.revision).toBe(during.revision);
    expect(after.value).toBe(StatusValue.SUSPENDED);
  });
});
