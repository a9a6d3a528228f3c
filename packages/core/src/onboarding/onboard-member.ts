/**
 * The onboarding sequence, written once: register a member, add and prove their accounts,
 * activate them, sign the pledge in force, record an assessment and issue a badge, each through
 * the registry's public methods and under one actor, exactly as an officer does it step by step.
 * Demo data, fixtures and tests take members through it; each step can be left out to build the
 * states in between (an unproven account, an unsigned pledge, a failed assessment).
 *
 * Ownership is confirmed with the challenge's own code, as if the officer had read it off the
 * account's page: use this for demo data and tests, not in place of that look.
 */
import type { Registry } from '../registry.ts';
import type { Actor } from '../kernel/context.ts';
import { SYSTEM_ACTOR } from '../kernel/context.ts';
import type { AccountInput } from '../accounts/platform.ts';
import type { RegisterMemberInput, PublicMember } from '../members/members.ts';
import type { Badge, BadgeProgram, SignatureMethod } from '../generated/prisma/client.ts';
import { CERTIFICATION_STEPS, type CriteriaGroup } from '../badges/assessments.ts';
import type { BasisInput } from '../members/legal-basis.ts';
import { currentPrivacyNotice } from '../members/privacy-notices.ts';

/**
 * The legal bases a registration under the membership agreement records (Law 91/2025/QH15): the
 * agreement (CONTRACT) for certification and the one-record check, and the member's consent,
 * given online on the notice in force, for being contacted and for the public profile. The demo
 * data and the tests register members with personal data under these.
 */
export const MEMBERSHIP_BASES: readonly BasisInput[] = [
  { purpose: 'CERTIFICATION', basis: 'CONTRACT' },
  { purpose: 'IDENTITY_CHECK', basis: 'CONTRACT' },
  { purpose: 'CONTACT', basis: 'CONSENT', noticeVersion: currentPrivacyNotice().version, method: 'ONLINE' },
  { purpose: 'PUBLIC_PROFILE', basis: 'CONSENT', noticeVersion: currentPrivacyNotice().version, method: 'ONLINE' },
];

/** The pledge text of the demo data and the tests, in Vietnamese and English. */
export const SAMPLE_PLEDGE = {
  titleVi: 'Bộ quy tắc ứng xử của thành viên Liên minh Tín nhiệm số',
  titleEn: 'Code of conduct of Digital Trust Alliance members',
  textVi: 'Tôi cam kết tuân thủ pháp luật, cung cấp thông tin trung thực, công khai quảng cáo và không đăng tải tin giả.',
  textEn: 'I pledge to obey the law, share truthful information, disclose advertising and not post false news.',
};

/** Scores that pass under the default policy (total 85, every group above its minimum). */
export const PASSING_SCORES: Readonly<Record<CriteriaGroup, number>> = { LEGAL_COMPLIANCE: 27, CONTENT_QUALITY: 17, TRANSPARENCY: 17, COMMUNITY_IMPACT: 12, CONDUCT_HISTORY: 12 };
/** Scores that fail (total 50). */
export const FAILING_SCORES: Readonly<Record<CriteriaGroup, number>> = { LEGAL_COMPLIANCE: 10, CONTENT_QUALITY: 10, TRANSPARENCY: 10, COMMUNITY_IMPACT: 10, CONDUCT_HISTORY: 10 };

/** Publishes the sample pledge when none is in force (the SYSTEM actor's one-call bootstrap). */
export async function ensurePledge(registry: Registry): Promise<void> {
  if (!(await registry.currentPledgeVersion())) await registry.publishPledgeVersion(SAMPLE_PLEDGE);
}

export interface OnboardingPlan {
  member: RegisterMemberInput;
  /** The member's accounts, each a URL, handle or `{ platform, handle }`. */
  accounts?: readonly AccountInput[];
  /** Prove ownership of every account (default true). */
  prove?: boolean;
  /** Make the member ACTIVE (default true). */
  activate?: boolean;
  /** Sign the pledge in force, in this way (default IN_PERSON); false leaves it unsigned. */
  sign?: SignatureMethod | false;
  /** The program assessed and badged (default KOL_TRUST). */
  program?: BadgeProgram;
  /** Record an assessment with these scores (default {@link PASSING_SCORES}); false records none. */
  scores?: Readonly<Record<CriteriaGroup, number>> | false;
  /** Issue the badge (default true; it needs every step before it). */
  badge?: boolean;
}

export interface Onboarded {
  member: PublicMember;
  /** The accounts' ids, in the order given. */
  accountIds: string[];
  badge: Badge | null;
}

/**
 * Takes a member through the steps of `plan`, in order, as `actor` (default SYSTEM).
 * @example const { member, badge } = await onboardMember(registry, { member: { kind: 'KOL', displayName: 'Thu Hà' }, accounts: ['https://facebook.com/thuha.review'] });
 */
export async function onboardMember(registry: Registry, plan: OnboardingPlan, actor: Actor = SYSTEM_ACTOR): Promise<Onboarded> {
  // Personal data is stored only under a legal basis: the plan's own, else the membership bases.
  const bases = plan.member.bases ?? (plan.member.personal ? [...MEMBERSHIP_BASES] : undefined);
  let member = await registry.registerMember({ ...plan.member, ...(bases ? { bases } : {}) }, actor);
  const accountIds: string[] = [];
  for (const input of plan.accounts ?? []) {
    const { account } = await registry.addAccount({ memberId: member.id, account: input }, actor);
    if (plan.prove !== false) {
      const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId: member.id }, actor);
      await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code }, actor);
    }
    accountIds.push(account.id);
  }
  if (plan.activate !== false) {
    await registry.changeMemberStatus({ memberId: member.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }, actor);
    member = { ...member, status: 'ACTIVE' };
  }
  if (plan.sign !== false) await registry.signPledge({ memberId: member.id, method: plan.sign ?? 'IN_PERSON' }, actor);
  const program = plan.program ?? 'KOL_TRUST';
  if (plan.scores !== false) await registry.recordAssessment({ memberId: member.id, program, steps: [...CERTIFICATION_STEPS], scores: { ...(plan.scores ?? PASSING_SCORES) } }, actor);
  const badge = plan.badge === false ? null : await registry.issueBadge({ memberId: member.id, program }, actor);
  return { member, accountIds, badge };
}
