/**
 * A member taken the whole way to a badge, for tests and demos: registered, account added and
 * proven, activated, pledge signed, assessed and badged. Also two ADMINs, for the changes that
 * take two (a certification policy version, a pledge version).
 */
import type { Registry } from '../registry.ts';
import type { Actor } from '../kernel/context.ts';
import type { PublishPledgeInput } from '../pledges/pledges.ts';
import type { ProposePolicyInput } from '../policy/policy-proposals.ts';
import type { Badge, BadgeProgram, MemberKind } from '../generated/prisma/client.ts';
import { CERTIFICATION_STEPS } from '../badges/assessments.ts';
import type { PublicMember } from '../members/members.ts';

/** The pledge text used by tests and the demo data. */
export const SAMPLE_PLEDGE = {
  titleVi: 'Bộ quy tắc ứng xử của thành viên Liên minh Tín nhiệm số',
  titleEn: 'Code of conduct of Digital Trust Alliance members',
  textVi: 'Tôi cam kết tuân thủ pháp luật, cung cấp thông tin trung thực, công khai quảng cáo và không đăng tải tin giả.',
  textEn: 'I pledge to obey the law, share truthful information, disclose advertising and not post false news.',
};

/** Scores that pass (total 85). */
export const PASSING_SCORES = { LEGAL_COMPLIANCE: 27, CONTENT_QUALITY: 17, TRANSPARENCY: 17, COMMUNITY_IMPACT: 12, CONDUCT_HISTORY: 12 } as const;

/** Two different ADMINs: one proposes, the other approves. */
export const TEST_ADMINS: readonly [Actor, Actor] = [
  { id: 'admin-proposer', role: 'ADMIN' },
  { id: 'admin-approver', role: 'ADMIN' },
];

/** Publishes the sample pledge if none is in force (the SYSTEM actor's one-call bootstrap). */
export async function ensurePledge(registry: Registry): Promise<void> {
  if (!(await registry.currentPledgeVersion())) await registry.publishPledgeVersion(SAMPLE_PLEDGE);
}

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
  const proposal = await registry.proposeCertificationPolicy({ effectiveFrom: registry.context.now(), ...input }, TEST_ADMINS[0]);
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
 * @example const { member, badge } = await createVerifiedMember(registry, { accounts: ['https://facebook.com/demo.page'] });
 */
export async function createVerifiedMember(registry: Registry, options: VerifiedMemberOptions): Promise<{ member: PublicMember; badge: Badge; accountIds: string[] }> {
  await ensurePledge(registry);
  const member = await registry.registerMember({ kind: options.kind ?? 'KOL', displayName: options.displayName ?? 'Nguyễn Văn Thử', province: options.province ?? 'Cần Thơ' });
  const accountIds: string[] = [];
  for (const url of options.accounts) {
    const { account } = await registry.addAccount({ memberId: member.id, account: url });
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId: member.id });
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code });
    accountIds.push(account.id);
  }
  await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' });
  await registry.signPledge({ memberId: member.id, method: 'IN_PERSON' });
  const program = options.program ?? 'KOL_TRUST';
  await registry.recordAssessment({ memberId: member.id, program, steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } });
  const badge = await registry.issueBadge({ memberId: member.id, program });
  return { member: { ...member, status: 'ACTIVE' }, badge, accountIds };
}
