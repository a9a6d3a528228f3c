/**
 * The property test's database-backed half: a few generated histories (fast-check, fixed seed)
 * run through the real registry. After every step, `verify` for the badge's program and the
 * status-list value of the attestations naming the account, read from the served (signed) list
 * token, must agree as the rule table says (VERIFIED ↔ VALID, SUSPENDED ↔ SUSPENDED, REVOKED,
 * EXPIRED, FLAGGED ↔ INVALID), and a superseded attestation is INVALID.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readStatus, StatusValue, verifyStatusListToken } from '@trust-alliance/verifier';
import { listValueOf, RegistryError, statusListUri, type Registry } from '../../src/index.ts';
import { createVerifiedMember, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { facebookKey, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const STEPS = ['suspendBadge', 'reinstateBadge', 'revokeBadge', 'suspendMember', 'activateMember', 'withdrawMember', 'expelMember', 'withdrawPledge', 'signPledge', 'flag', 'lift'] as const;
type Step = (typeof STEPS)[number];
const HISTORIES = fc.sample(fc.array(fc.constantFrom(...STEPS), { minLength: 5, maxLength: 8 }), { seed: 20261202, numRuns: 4 });

async function listValue(listId: string, idx: number): Promise<number | undefined> {
  const { jwt } = await registry.getStatusListToken(listId);
  const list = await verifyStatusListToken(jwt, { issuer: registry.issuer, uri: statusListUri(registry.issuer, listId), jwks: await registry.keys.publicJwks(), now: clock.now() });
  if (!list.valid) throw new Error(`the served list does not verify: ${JSON.stringify(list.errors)}`);
  return readStatus(list.statuses, idx);
}

const names = (jws: string, key: string) => (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { accounts: Array<{ key: string }> }).accounts.some((a) => a.key === key);

describe('generated histories through the real registry', () => {
  it.each(HISTORIES.map((h, i) => [i, h] as const))('history %i: verify and the served list agree after every step', async (_i, history) => {
    const url = uniqueFacebookUrl('history.main');
    const other = uniqueFacebookUrl('history.other');
    const key = facebookKey(url);
    const { member, badge } = await createVerifiedMember(registry, { accounts: [url, other] });
    const flags: string[] = [];
    const apply = async (step: Step) => {
      const reason = { reasonCategory: 'ADMINISTRATIVE' as const };
      switch (step) {
        case 'suspendBadge': return registry.suspendBadge({ badgeId: badge.id, ...reason });
        case 'reinstateBadge': return registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' });
        case 'revokeBadge': return registry.revokeBadge({ badgeId: badge.id, ...reason });
        case 'suspendMember': return registry.changeMemberStatus({ memberId: member.id, status: 'SUSPENDED', ...reason });
        case 'activateMember': return registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'REINSTATED' });
        case 'withdrawMember': return registry.changeMemberStatus({ memberId: member.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' });
        case 'expelMember': return registry.changeMemberStatus({ memberId: member.id, status: 'EXPELLED', ...reason });
        case 'withdrawPledge': return registry.withdrawPledge({ memberId: member.id });
        case 'signPledge': return registry.signPledge({ memberId: member.id, method: 'ONLINE' });
        case 'flag': {
          const report = await registry.reportAccount({ account: url, category: 'IMPERSONATION', description: 'Giả mạo trang thật' });
          const { flag } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true });
          return flags.push(flag!.id);
        }
        case 'lift': {
          const id = flags.pop();
          return id ? registry.liftFlag({ flagId: id, reason: 'Đã xác minh lại' }) : undefined;
        }
      }
    };
    for (const step of history) {
      clock.advance(1000);
      try {
        await apply(step);
      } catch (error) {
        // A step the lifecycle does not allow now (reinstate an active badge, …) changes nothing.
        if (!(error instanceof RegistryError)) throw error;
      }
      const answer = await registry.verify({ url }, { program: badge.program });
      const attestations = await registryInternals(registry).db.prisma.attestation.findMany({ where: { badgeId: badge.id }, orderBy: { issuedAt: 'asc' } });
      for (const a of attestations) {
        const value = await listValue(a.statusListId, a.statusIdx);
        if (a.supersededAt !== null) expect(value, `${step}: superseded`).toBe(StatusValue.INVALID);
        else if (names(a.jws, key)) expect(value, `${step}: ${answer.status}`).toBe(listValueOf(answer.status));
        // A current attestation leaves the account out only while a flag stands on it.
        else expect(answer.status, step).toBe('FLAGGED');
      }
      if (answer.status === 'VERIFIED') expect(attestations.some((a) => a.supersededAt === null && names(a.jws, key))).toBe(true);
    }
  }, 600_000);
});
