/**
 * THE decision: what the registry says about an account at a moment, overall and per program,
 * and why. `verify`, `verifyMany`, `GET /v1/verify`, signed answers, the status-list value of
 * every attestation and attestation re-signing all come from the two functions here, so no
 * channel can say something another does not. The rule table it implements is written once,
 * in packages/core/README.md ("The rule table").
 *
 * Pure: facts in (verification/account-facts.ts, pledge versions, a moment), decision out; no
 * database, no clock. That is what lets the property test replay thousands of histories.
 */
import { StatusValue, type VerificationStatus } from '@trust-alliance/verifier';
import type { AccountFacts, AdminFacts, TimedStatus } from './facts.ts';
import { badgeAt, pledgeStanding, type BadgeEventFacts, type EffectiveBadgeStatus, type PledgeStanding, type PledgeVersionFacts } from './standing.ts';
import { BadgeProgram } from '../generated/prisma/enums.ts';
import type { Reason } from './reasons.ts';

/** The programs, in the order answers list them. */
export const PROGRAMS: readonly string[] = Object.values(BadgeProgram);

/**
 * Stronger answers win when an account has several verified admins, or (without `program`)
 * several programs: one verified admin of one program makes the account VERIFIED.
 */
export const PRECEDENCE: readonly VerificationStatus[] = ['VERIFIED', 'SUSPENDED', 'EXPIRED', 'REVOKED', 'PENDING'];

const rank = (status: VerificationStatus): number => {
  const i = PRECEDENCE.indexOf(status);
  return i === -1 ? PRECEDENCE.length : i;
};

/** The facts about one badge of one member at a moment: all the per-badge rule reads. */
export interface BadgeDecisionFacts {
  /** The member's status at the moment (undefined: the member did not exist yet). */
  memberStatus: string | undefined;
  /** The badge as it stood at the moment. */
  badge: BadgeEventFacts;
  pledge: PledgeStanding;
  /** The public category of a flag standing on an account the attestation names, or null. */
  flagCategory: string | null;
}

/** What the rule table says for one badge of one member. */
export interface BadgeDecision {
  /** What `verify` answers for this badge's program, from this badge alone. */
  status: VerificationStatus;
  reason: Reason | null;
  /** How the badge is shown: member status and pledge folded in (FLAGGED leaves the badge as it is). */
  shown: EffectiveBadgeStatus;
}

const reason = (code: Reason['code'], category: string | null = null): Reason => ({ code, category });

/** Rows 3, 4, 7 and 8: the member's own state (null for an ACTIVE member). */
function memberRule(memberStatus: string | undefined): BadgeDecision | null {
  switch (memberStatus) {
    case 'EXPELLED': return { status: 'REVOKED', reason: reason('MEMBER_EXPELLED'), shown: 'REVOKED' };
    case 'WITHDRAWN': return { status: 'REVOKED', reason: reason('MEMBER_WITHDRAWN'), shown: 'REVOKED' };
    case 'SUSPENDED': return { status: 'SUSPENDED', reason: reason('MEMBER_SUSPENDED'), shown: 'SUSPENDED' };
    case 'ACTIVE': return null;
    // PENDING (a pending member never holds a badge; if one did, it is not valid).
    default: return { status: 'PENDING', reason: reason('MEMBER_PENDING'), shown: 'SUSPENDED' };
  }
}

/**
 * Rows 3 to 10 and 12, for one badge (first match wins). Terminal facts come first, the
 * member's (expelled, withdrawn) and then the badge's (revoked, expired): an attestation that
 * can never be valid again must not read SUSPENDED because the member is also suspended.
 */
function badgeRule(f: Omit<BadgeDecisionFacts, 'flagCategory'>, at: Date): BadgeDecision {
  const member = memberRule(f.memberStatus);
  if (member?.status === 'REVOKED') return member;
  if (f.badge.status === 'REVOKED') return { status: 'REVOKED', reason: reason('BADGE_REVOKED', f.badge.category ?? null), shown: 'REVOKED' };
  if (f.badge.expiresAt <= at) return { status: 'EXPIRED', reason: reason('BADGE_EXPIRED'), shown: 'EXPIRED' };
  if (member) return member;
  if (f.badge.status === 'SUSPENDED') return { status: 'SUSPENDED', reason: reason('BADGE_SUSPENDED', f.badge.category ?? null), shown: 'SUSPENDED' };
  if (f.pledge === 'LAPSED') return { status: 'SUSPENDED', reason: reason('PLEDGE_LAPSED'), shown: 'SUSPENDED' };
  if (f.pledge === 'WITHDRAWN') return { status: 'SUSPENDED', reason: reason('PLEDGE_WITHDRAWN'), shown: 'SUSPENDED' };
  return { status: 'VERIFIED', reason: null, shown: 'ACTIVE' };
}

/**
 * Decides one badge of one member at `at`: the per-badge half of the rule table. The
 * status-list value of an attestation is {@link listValueOf} of this.
 *
 * @example
 * decideBadge({ memberStatus: 'SUSPENDED', badge: { status: 'ACTIVE', expiresAt, at: issuedAt }, pledge: 'GOOD', flagCategory: null }, now)
 * // { status: 'SUSPENDED', reason: { code: 'MEMBER_SUSPENDED', category: null }, shown: 'SUSPENDED' }
 */
export function decideBadge(facts: BadgeDecisionFacts, at: Date): BadgeDecision {
  const rule = badgeRule(facts, at);
  if (facts.flagCategory !== null) return { status: 'FLAGGED', reason: reason('ACCOUNT_FLAGGED', facts.flagCategory), shown: rule.shown };
  return rule;
}

/**
 * The status-list value that goes with an answer: VERIFIED is VALID; SUSPENDED (and PENDING,
 * which a badge never has in practice) is SUSPENDED, which may turn VALID again; REVOKED,
 * EXPIRED and FLAGGED are INVALID (renewal or lifting signs a new attestation).
 *
 * @example listValueOf('EXPIRED') // StatusValue.INVALID
 */
export function listValueOf(status: VerificationStatus): StatusValue {
  if (status === 'VERIFIED') return StatusValue.VALID;
  if (status === 'SUSPENDED' || status === 'PENDING') return StatusValue.SUSPENDED;
  return StatusValue.INVALID;
}

/** One program's answer. */
export interface ProgramDecision {
  program: string;
  status: VerificationStatus;
  reason: Reason | null;
}

/** A badge as an answer shows it. */
export interface DecidedBadge {
  id: string;
  program: string;
  status: EffectiveBadgeStatus;
  issuedAt: Date;
  expiresAt: Date;
}

/** What the registry says about one account at one moment. */
export interface AccountDecision {
  status: VerificationStatus;
  /** Null when VERIFIED. */
  reason: Reason | null;
  programs: ProgramDecision[];
  member: AdminFacts['member'] | null;
  badges: DecidedBadge[];
  flags: Array<{ category: string; since: Date }>;
  /**
   * The badge whose current attestation may go with the answer: the first ACTIVE badge shown,
   * never for a FLAGGED answer (a flagged account must not come with a VALID attestation).
   */
  attestedBadgeId: string | null;
}

function lastAt(events: readonly TimedStatus[], at: Date): TimedStatus | null {
  let last: TimedStatus | null = null;
  for (const e of events) {
    if (e.at > at) break;
    last = e;
  }
  return last;
}

interface AdminDecision {
  admin: AdminFacts;
  memberStatus: string;
  badges: Array<DecidedBadge & { decision: BadgeDecision }>;
}

/** An admin's answer for a program (or, with null, for "any badge"): its best badge, else the member rule, else NO_BADGE. */
function adminProgram(a: AdminDecision, program: string | null): ProgramDecision & { admin: AdminDecision } {
  let best: BadgeDecision | null = null;
  for (const b of a.badges) {
    if (program !== null && b.program !== program) continue;
    if (best === null || rank(b.decision.status) < rank(best.status)) best = b.decision;
  }
  // No badge of the program (row 11): the member's own state still speaks first.
  best ??= memberRule(a.memberStatus) ?? { status: 'PENDING', reason: reason('NO_BADGE'), shown: 'ACTIVE' };
  return { program: program ?? '', status: best.status, reason: best.reason, admin: a };
}

function bestOf<T extends { status: VerificationStatus }>(items: readonly T[]): T | null {
  let best: T | null = null;
  for (const item of items) if (best === null || rank(item.status) < rank(best.status)) best = item;
  return best;
}

/**
 * Decides an account at `at`, overall and per program (`program` narrows the answer to one).
 * Without `program` the overall status is the best program status (VERIFIED means "certified
 * under at least one program"; `programs` says which); with it, that program's status alone.
 *
 * @example
 * const d = decideAccount(facts, versions, new Date(), 'KOL_TRUST');
 * d.status // 'REVOKED'
 * d.reason // { code: 'BADGE_REVOKED', category: 'CODE_OF_CONDUCT_VIOLATION' }
 */
export function decideAccount(facts: AccountFacts, versions: readonly PledgeVersionFacts[], at: Date, program?: string | null): AccountDecision {
  const standing = facts.flags.filter((f) => f.createdAt <= at && (f.liftedAt === null || f.liftedAt > at));
  const flags = standing.map((f) => ({ category: f.category, since: f.createdAt }));
  const flagged = standing.length > 0 ? reason('ACCOUNT_FLAGGED', standing[standing.length - 1]!.category) : null;
  const asked = program ?? null;
  const flaggedPrograms = (list: readonly string[]) => list.map((p) => ({ program: p, status: 'FLAGGED' as const, reason: flagged }));
  if (facts.accountId === null) {
    if (flagged) return { status: 'FLAGGED', reason: flagged, programs: flaggedPrograms(asked ? [asked] : []), member: null, badges: [], flags, attestedBadgeId: null };
    const unknown = reason('ACCOUNT_UNKNOWN');
    return { status: 'NOT_FOUND', reason: unknown, programs: asked ? [{ program: asked, status: 'NOT_FOUND', reason: unknown }] : [], member: null, badges: [], flags, attestedBadgeId: null };
  }
  const admins: AdminDecision[] = [];
  for (const admin of facts.admins) {
    if (lastAt(admin.ownership, at)?.status !== 'VERIFIED') continue;
    const memberStatus = lastAt(admin.memberEvents, at)?.status;
    if (memberStatus === undefined) continue;
    const pledge = pledgeStanding(versions, admin.signatures, at);
    const badges: AdminDecision['badges'] = [];
    for (const badge of admin.badges) {
      const state = badgeAt(badge.events, at);
      if (!state) continue;
      const decision = decideBadge({ memberStatus, badge: state, pledge, flagCategory: null }, at);
      badges.push({ id: badge.id, program: badge.program, status: decision.shown, issuedAt: badge.issuedAt, expiresAt: state.expiresAt, decision });
    }
    admins.push({ admin, memberStatus, badges });
  }
  if (admins.length === 0) {
    const unproven = flagged ?? reason('OWNERSHIP_UNPROVEN');
    const status = flagged ? 'FLAGGED' : 'PENDING';
    return { status, reason: unproven, programs: asked ? [{ program: asked, status, reason: unproven }] : [], member: null, badges: [], flags, attestedBadgeId: null };
  }
  const names = asked ? [asked] : PROGRAMS.filter((p) => admins.some((a) => a.badges.some((b) => b.program === p)));
  const perProgram = names.map((p) => bestOf(admins.map((a) => adminProgram(a, p)))!);
  const overall = asked ? perProgram[0]! : bestOf(perProgram) ?? bestOf(admins.map((a) => adminProgram(a, null)))!;
  const shown = overall.admin;
  const badges = shown.badges
    .filter((b) => asked === null || b.program === asked)
    .map((b) => ({ id: b.id, program: b.program, status: b.status, issuedAt: b.issuedAt, expiresAt: b.expiresAt }));
  // Objects written out, not spread: this runs once per answer (a batch of 1,000 in one call).
  const { id, displayName, kind, province } = shown.admin.member;
  const member = { id, displayName, kind, province };
  if (flagged) return { member, badges, flags, status: 'FLAGGED', reason: flagged, programs: flaggedPrograms(names), attestedBadgeId: null };
  return {
    member,
    badges,
    flags,
    status: overall.status,
    reason: overall.reason,
    programs: perProgram.map(({ program: p, status, reason: r }) => ({ program: p, status, reason: r })),
    attestedBadgeId: badges.find((b) => b.status === 'ACTIVE')?.id ?? null,
  };
}
