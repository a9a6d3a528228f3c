import { describe, expect, it } from 'vitest';
import { StatusListCache, verifyAttestation, type AttestationVerification } from '@trust-alliance/verifier';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { facebookKey, statusListFetch, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t), { registry: { issuer: 'https://tinnhiem.example.vn' } });

/** Serves the registry's status lists at their URIs, as the API would. */
const serveStatusLists: typeof fetch = (input) => statusListFetch(registry)(input);

/** Checks a JWS the way a platform would, with a fresh status-list cache so each check sees the live list. */
async function check(jws: string): Promise<AttestationVerification> {
  return verifyAttestation(jws, { issuer: registry.issuer, jwks: await registry.keys.publicJwks(), fetch: serveStatusLists, statusList: new StatusListCache(), now: clock.now() });
}

function code(result: AttestationVerification): string | undefined {
  return result.valid ? undefined : result.errors[0]?.code;
}

async function badged(tag: string) {
  const url = uniqueFacebookUrl(tag);
  const { badge, member, accountIds } = await createVerifiedMember(registry, { accounts: [url], displayName: `Thành viên ${tag}` });
  const attestation = await registry.currentAttestation(badge.id);
  return { url, badge, member, accountId: accountIds[0]!, attestation: attestation! };
}

describe('attestations signed by the core', () => {
  it('issuing a badge creates an attestation that verifies, with the claims of the badge', async () => {
    const { url, badge, member, attestation } = await badged('attested');
    expect(attestation).not.toBeNull();
    expect(attestation).toMatchObject({ badgeId: badge.id, supersededAt: null, expiresAt: badge.expiresAt });
    expect(await registryInternals(registry).db.prisma.attestation.count({ where: { badgeId: badge.id } })).toBe(1);

    const result = await check(attestation.jws);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    if (!result.valid) return;
    expect(result.status).toBe('VALID');
    const pledge = (await registry.currentPledgeVersion())!;
    expect(result.claims).toMatchObject({
      iss: registry.issuer,
      // OpenID Federation: the trust mark's subject is the member's entity identifier (issue 14).
      sub: `${registry.issuer}/members/${member.id}`,
      member: { id: member.id },
      jti: attestation.id,
      exp: Math.floor(badge.expiresAt.getTime() / 1000),
      trust_mark_type: `${registry.issuer}/programs/KOL_TRUST`,
      pledge: { version: String(pledge.version), content_hash: pledge.contentHash },
      badge: { id: badge.id, program: 'KOL_TRUST' },
      status: { status_list: { idx: attestation.statusIdx, uri: `${registry.issuer}/status-lists/${attestation.statusListId}` } },
    });
    expect(result.claims.accounts).toMatchObject([{ platform: 'FACEBOOK', key: facebookKey(url), url }]);
  });

  it('suspension makes the same attestation report SUSPENDED; reinstatement makes it valid; revocation REVOKED', async () => {
    const { badge, attestation } = await badged('lifecycle');
    expect((await check(attestation.jws)).valid).toBe(true);

    await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    const suspended = await check(attestation.jws);
    expect(suspended.valid).toBe(false);
    expect(code(suspended)).toBe('SUSPENDED');

    await registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' });
    expect((await check(attestation.jws)).valid).toBe(true);
    expect((await registry.currentAttestation(badge.id))?.id).toBe(attestation.id);

    await registry.revokeBadge({ badgeId: badge.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });
    const revoked = await check(attestation.jws);
    expect(revoked.valid).toBe(false);
    expect(code(revoked)).toBe('REVOKED');
  });

  it('renewal signs a new attestation and retires the old one', async () => {
    const { badge, attestation: first } = await badged('renewed');
    clock.advance(1000);
    const renewed = await registry.renewBadge({ badgeId: badge.id });
    const second = (await registry.currentAttestation(badge.id))!;
    expect(second.id).not.toBe(first.id);
    expect(second.expiresAt).toEqual(renewed.expiresAt);
    expect((await registry.getAttestation(first.id))?.supersededAt).not.toBeNull();
    expect(code(await check(first.jws))).toBe('REVOKED');
    const fresh = await check(second.jws);
    expect(fresh.valid).toBe(true);
    if (fresh.valid) expect(fresh.claims.exp).toBe(Math.floor(renewed.expiresAt.getTime() / 1000));
  });

  it('a rename retires the attestation until ownership is proven again, then attests the new URL', async () => {
    const { badge, member, accountId, attestation } = await badged('beforename');
    const newUrl = uniqueFacebookUrl('aftername');
    await registry.renameAccount({ accountId, account: newUrl });
    expect(code(await check(attestation.jws))).toBe('REVOKED');
    expect(await registry.currentAttestation(badge.id)).toBeNull();
    const challenge = await registry.startOwnershipChallenge({ accountId, memberId: member.id });
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
    const again = (await registry.currentAttestation(badge.id))!;
    const result = await check(again.jws);
    expect(result.valid).toBe(true);
    if (result.valid) expect(result.claims.accounts.map((a) => a.key)).toEqual([facebookKey(newUrl)]);
  });

  it('two attestations never share a (statusListId, statusIdx)', async () => {
    for (let i = 0; i < 4; i++) await badged(`many${i}`);
    const all = await registryInternals(registry).db.prisma.attestation.findMany({ select: { statusListId: true, statusIdx: true } });
    expect(all.length).toBeGreaterThanOrEqual(10);
    const slots = new Set(all.map((a) => `${a.statusListId}#${a.statusIdx}`));
    expect(slots.size).toBe(all.length);
  });
});
