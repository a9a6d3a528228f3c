import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash } from '@trust-alliance/verifier';
import { CERTIFICATION_STEPS, type Registry } from '../../src/index.ts';
import { openTestRegistry, PASSING_SCORES, SAMPLE_PLEDGE, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl } from '../helpers.ts';

let t: TestRegistry;
let registry: Registry;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
});
afterAll(async () => {
  await t?.close();
});

const entries = () => registryInternals(registry).db.prisma.logEntry.findMany({ orderBy: { idx: 'asc' } });

describe('transparency log', () => {
  it('every successful operation appends exactly one entry; refused ones none; indices stay dense', async () => {
    const kinds: string[] = [];
    /** Runs one operation and checks it added exactly one entry of `kind` at the next index. */
    const step = async <T>(kind: string, op: () => Promise<T>): Promise<T> => {
      const before = await entries();
      const result = await op();
      const after = await entries();
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({ idx: before.length, kind });
      kinds.push(kind);
      return result;
    };
    const refused = async (op: () => Promise<unknown>) => {
      const before = (await entries()).length;
      await expect(op()).rejects.toHaveProperty('code');
      expect((await entries()).length).toBe(before);
    };

    const url = uniqueFacebookUrl('logged');
    await step('pledge.published', () => registry.publishPledgeVersion(SAMPLE_PLEDGE));
    const member = await step('member.registered', () => registry.registerMember({ kind: 'KOL', displayName: 'Ghi sổ' }));
    await step('member.updated', () => registry.updateMember({ memberId: member.id, province: 'Huế' }));
    const { account } = await step('account.linked', () => registry.addAccount({ memberId: member.id, account: url }));
    await refused(() => registry.addAccount({ memberId: member.id, account: url }));
    const challenge = await step('ownership.challenge', () => registry.startOwnershipChallenge({ accountId: account.id, memberId: member.id }));
    await refused(() => registry.confirmOwnership({ challengeId: challenge.id, observedCode: 'TINNHIEM-WRONG000' }));
    await step('ownership.verified', () => registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code }));
    await refused(() => registry.issueBadge({ memberId: member.id, program: 'KOL_TRUST' }));
    await step('member.status', () => registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }));
    await step('pledge.signed', () => registry.signPledge({ memberId: member.id, method: 'ONLINE' }));
    await step('assessment.recorded', () => registry.recordAssessment({ memberId: member.id, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } }));
    const badge = await step('badge.issued', () => registry.issueBadge({ memberId: member.id, program: 'KOL_TRUST' }));
    await step('badge.suspend', () => registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' }));
    await refused(() => registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' }));
    await step('badge.reinstate', () => registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' }));
    await step('badge.renewed', () => registry.renewBadge({ badgeId: badge.id }));
    await step('account.renamed', () => registry.renameAccount({ accountId: account.id, account: uniqueFacebookUrl('renamed') }));
    await step('badge.revoke', () => registry.revokeBadge({ badgeId: badge.id, reasonCategory: 'LEGAL_VIOLATION' }));
    await step('pledge.withdrawn', () => registry.withdrawPledge({ memberId: member.id }));
    const report = await step('report.filed', () => registry.reportAccount({ account: uniqueFacebookUrl('fraud'), category: 'SCAM', description: 'Lừa đảo' }));
    await step('report.resolved', () => registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Xác nhận', flagAccount: true }));
    await refused(() => registry.resolveReport({ reportId: report.id, decision: 'DISMISSED', resolution: 'Lần hai' }));

    // Reads add nothing.
    const before = (await entries()).length;
    await registry.verify({ url });
    await registry.getMember(member.id);
    await registry.listReports();
    expect((await entries()).length).toBe(before);

    const all = await entries();
    expect(all.map((e) => e.idx)).toEqual(all.map((_, i) => i));
    expect(all.map((e) => e.kind)).toEqual(kinds);
  });

  it("each entry's leafHash is the verifier's leafHash of its payload, and the payload names its index", async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(0);
    for (const entry of all) {
      const expected = await leafHash(new TextEncoder().encode(entry.payload));
      expect(Buffer.from(entry.leafHash).equals(Buffer.from(expected))).toBe(true);
      const payload = JSON.parse(entry.payload) as { idx: number; kind: string; at: string };
      expect(payload.idx).toBe(entry.idx);
      expect(payload.kind).toBe(entry.kind);
      expect(new Date(payload.at).getTime()).toBe(entry.createdAt.getTime());
    }
  });
});
