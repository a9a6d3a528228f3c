/**
 * Fixtures for tests: a member taken the whole way to a badge (through the one onboarding
 * sequence, onboarding/onboard-member.ts), and two ADMINs for the changes that take two (a
 * certification policy version, a pledge version).
 */
import type { Registry } from '../registry.ts';
import type { Actor } from '../kernel/context.ts';
import type { PublishPledgeInput } from '../pledges/pledges.ts';
import type { ProposePolicyInput } from '../policy/policy-proposals.ts';
import type { Badge, BadgeProgram, MemberKind } from '../generated/prisma/client.ts';
import { ensurePledge, onboardMember } from '../onboarding/onboard-member.ts';
import type { PublicMember } from '../members/members.ts';

/** Two different ADMINs: one proposes, the other approves. */
export const TEST_ADMINS: readonly [Actor, Actor] = [
  { id: 'admin-proposer', role: 'ADMIN' },
  { id: 'admin-approver', role: 'ADMIN' },
];

/**
 * A pledge version proposed by one ADMIN and approved by the other.
 * @example const v2 = await publishPledgeByAdmins(registry, { ...SAMPLE_PLEDGE, textEn: 'v2', graceDays: 30 });
 */
export async function publishPledgeByAdmins(registry: Registry, input: PublishPledgeInput) {
  const draft = await registry.proposePledgeVersion(input, TEST_ADMINS[0]);
  return registry.approvePledgeVersion({ version: draft.version }, TEST_ADMINS[1]);
}

/**
 * A certification policy version, in force from now (default), proposed and approved by the two ADMINs.
 * @example await adoptCertificationPolicy(registry, { minGraceDays: 0, effectiveFrom: clock.now() });
 */
export async function adoptCertificationPolicy(registry: Registry, input: Partial<ProposePolicyInput>) {
  const proposal = await registry.proposeCertificationPolicy({ effectiveFrom: registry.now(), ...input }, TEST_ADMINS[0]);
  return registry.approveCertificationPolicy({ version: proposal.version }, TEST_ADMINS[1]);
}

export interface VerifiedMemberOptions {
  displayName?: string;
  kind?: MemberKind;
  province?: string;
  accounts: string[];
  program?: BadgeProgram;
}

/**
 * A member taken the whole way to a badge (onboarding/onboard-member.ts), publishing the sample
 * pledge first if none is in force.
 * @example const { member, badge } = await createVerifiedMember(registry, { accounts: ['https://facebook.com/demo.page'] });
 */
export async function createVerifiedMember(registry: Registry, options: VerifiedMemberOptions): Promise<{ member: PublicMember; badge: Badge; accountIds: string[] }> {
  await ensurePledge(registry);
  const { member, badge, accountIds } = await onboardMember(registry, {
    member: { kind: options.kind ?? 'KOL', displayName: options.displayName ?? 'Nguyễn Văn Thử', province: options.province ?? 'Cần Thơ' },
    accounts: options.accounts,
    program: options.program ?? 'KOL_TRUST',
  });
  return { member, badge: badge!, accountIds };
}
