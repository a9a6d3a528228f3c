/**
 * Badges: issue, suspend, reinstate, revoke and renew. Issuing and renewing require an active
 * member, the pledge in good standing, a proven account and a passing assessment. Each change
 * locks the badge row, so two officers acting at once end in one consistent state: the second
 * sees the first's result and is refused if its change no longer applies.
 */
import type { Badge, BadgeProgram, BadgeStatus, ReasonCategory } from '../generated/prisma/client.ts';
import { ConflictError, InvalidTransitionError, NotFoundError, PreconditionError, ValidationError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import { stampAfter } from '../kernel/stamps.ts';
import { BADGE_PROGRAMS, REASON_CATEGORIES, requireEnum, requireInt } from '../kernel/validation.ts';
import { addMonths } from './assessments.ts';
import { pledgeInGoodStanding } from '../rules/standing.ts';
import { attestBadge } from '../signing/attestations.ts';
import { touchStatusListsOfBadge } from '../signing/status-lists.ts';
import { DEFAULT_POLICY, MAX_VALIDITY_MONTHS, policyInForce, type CertificationPolicy } from '../policy/certification-policy.ts';

/** Validity of a badge under the default policy (version 1); the policy in force decides. */
export const DEFAULT_VALIDITY_MONTHS = DEFAULT_POLICY.validityMonths;

/** The months asked for, within the policy's validity (default: all of it). */
function validityMonths(asked: number | undefined, policy: CertificationPolicy): number {
  if (asked === undefined) return policy.validityMonths;
  const months = requireInt(asked, 'validityMonths', 1, MAX_VALIDITY_MONTHS);
  if (months > policy.validityMonths) {
    throw new ValidationError(
      `validityMonths ${months} is over the certification policy's ${policy.validityMonths} (version ${policy.version}) / Thời hạn vượt quá ${policy.validityMonths} tháng theo chính sách chứng nhận`,
      'validityMonths',
    );
  }
  return months;
}

export interface IssueBadgeInput {
  memberId: string;
  program: BadgeProgram;
  validityMonths?: number;
}

export interface BadgeChangeInput {
  badgeId: string;
  reasonCategory: ReasonCategory;
  /** Seen by officers only; sealed at rest. */
  reasonPrivate?: string;
}

/** Refuses with the first unmet precondition for holding a badge of `program`. */
async function checkEligibility(tx: Tx, memberId: string, program: BadgeProgram, at: Date, policy: CertificationPolicy): Promise<void> {
  const member = await tx.member.findUnique({ where: { id: memberId }, select: { status: true } });
  if (!member) throw new NotFoundError('Member', memberId, 'memberId');
  if (member.status !== 'ACTIVE') throw new PreconditionError('MEMBER_NOT_ACTIVE', `The member is ${member.status}, not ACTIVE`, 'memberId');
  const [versions, signatures] = await Promise.all([
    tx.pledgeVersion.findMany({ where: { status: { not: 'DRAFT' } }, select: { version: true, effectiveAt: true, graceEndsAt: true } }),
    tx.pledgeSignature.findMany({ where: { memberId }, select: { signedAt: true, withdrawnAt: true, pledgeVersion: { select: { version: true } } } }),
  ]);
  const facts = signatures.map((s) => ({ version: s.pledgeVersion.version, signedAt: s.signedAt, withdrawnAt: s.withdrawnAt }));
  if (!pledgeInGoodStanding(versions, facts, at)) throw new PreconditionError('PLEDGE_NOT_SIGNED', 'The member has not signed the current pledge version', 'memberId');
  const verified = await tx.accountAdmin.count({ where: { memberId, ownership: 'VERIFIED' } });
  if (verified === 0) throw new PreconditionError('ACCOUNT_NOT_VERIFIED', 'The member has no account with proven ownership', 'memberId');
  if (!policy.assessmentPrograms.includes(program)) return;
  const assessment = await tx.assessment.findFirst({ where: { memberId, program }, orderBy: { assessedAt: 'desc' } });
  if (!assessment || assessment.decision !== 'PASS' || assessment.validUntil <= at) {
    throw new PreconditionError('ASSESSMENT_FAILED', assessment ? `The latest ${program} assessment did not pass or has expired` : `The member has no ${program} assessment`, 'memberId');
  }
}

/** Issues a badge valid for the certification policy's validity (12 months by default), or less. */
export async function issueBadge(ctx: RegistryContext, input: IssueBadgeInput, actor: Actor): Promise<Badge> {
  const program = requireEnum(input.program, BADGE_PROGRAMS, 'program');
  if (input.validityMonths !== undefined) requireInt(input.validityMonths, 'validityMonths', 1, MAX_VALIDITY_MONTHS);
  return write(ctx, async (tx, at) => {
    const policy = await policyInForce(tx, at);
    const months = validityMonths(input.validityMonths, policy);
    // The member row lock serializes concurrent issuance of the same program to one member.
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    await checkEligibility(tx, input.memberId, program, at, policy);
    const open = await tx.badge.findFirst({ where: { memberId: input.memberId, program, status: { not: 'REVOKED' }, expiresAt: { gt: at } } });
    if (open) throw new ConflictError(`The member already holds a ${open.status} ${program} badge; renew or reinstate it`, 'program');
    const expiresAt = addMonths(at, months);
    const badge = await tx.badge.create({
      data: {
        memberId: input.memberId, program, status: 'ACTIVE', issuedAt: at, expiresAt, updatedAt: at,
        events: { create: { action: 'ISSUE', status: 'ACTIVE', expiresAt, at, reasonCategory: 'ISSUED', actorId: actor.id } },
      },
    });
    await attestBadge(ctx, tx, badge.id, at);
    return { result: badge, events: [{ kind: 'badge.issued', subject: badge.id, data: { memberId: badge.memberId, program, expiresAt: expiresAt.toISOString() } }] };
  });
}

type Action = 'SUSPEND' | 'REINSTATE' | 'REVOKE';
const TRANSITIONS: Record<Action, { from: readonly BadgeStatus[]; to: BadgeStatus }> = {
  SUSPEND: { from: ['ACTIVE'], to: 'SUSPENDED' },
  REINSTATE: { from: ['SUSPENDED'], to: 'ACTIVE' },
  REVOKE: { from: ['ACTIVE', 'SUSPENDED'], to: 'REVOKED' },
};

async function changeStatus(ctx: RegistryContext, action: Action, input: BadgeChangeInput, actor: Actor): Promise<Badge> {
  const reasonCategory = requireEnum(input.reasonCategory, REASON_CATEGORIES, 'reasonCategory');
  const { from, to } = TRANSITIONS[action];
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'Badge', input.badgeId))) throw new NotFoundError('Badge', input.badgeId, 'badgeId');
    const current = await tx.badge.findUniqueOrThrow({ where: { id: input.badgeId } });
    // Never at or before the badge's last change (kernel/stamps.ts).
    const at = stampAfter(clock, current.updatedAt);
    if (!from.includes(current.status)) throw new InvalidTransitionError('Badge', current.status, to);
    if (action === 'REINSTATE' && current.expiresAt <= at) throw new InvalidTransitionError('Badge', 'EXPIRED', to);
    const reasonPrivate = input.reasonPrivate ? ctx.personal.seal(input.reasonPrivate, `badge:${current.id}:reason`) : null;
    const badge = await tx.badge.update({
      where: { id: current.id },
      data: {
        status: to, version: { increment: 1 }, updatedAt: at,
        events: { create: { action, status: to, expiresAt: current.expiresAt, at, reasonCategory, reasonPrivate, actorId: actor.id } },
      },
    });
    // Flip the status entries; reinstating a badge with no current attestation signs one.
    await touchStatusListsOfBadge(tx, badge.id);
    if (action === 'REINSTATE' && (await tx.attestation.count({ where: { badgeId: badge.id, supersededAt: null } })) === 0) await attestBadge(ctx, tx, badge.id, at);
    return { result: badge, events: [{ kind: `badge.${action.toLowerCase()}`, subject: badge.id, data: { memberId: badge.memberId, from: current.status, to, reasonCategory } }] };
  });
}

/** ACTIVE → SUSPENDED. */
export const suspendBadge = (ctx: RegistryContext, input: BadgeChangeInput, actor: Actor) => changeStatus(ctx, 'SUSPEND', input, actor);
/** SUSPENDED → ACTIVE (not once expired). */
export const reinstateBadge = (ctx: RegistryContext, input: BadgeChangeInput, actor: Actor) => changeStatus(ctx, 'REINSTATE', input, actor);
/** ACTIVE or SUSPENDED → REVOKED, for good. */
export const revokeBadge = (ctx: RegistryContext, input: BadgeChangeInput, actor: Actor) => changeStatus(ctx, 'REVOKE', input, actor);

/**
 * Extends an ACTIVE badge (or one that expired by time) by the policy's validity (or less) from
 * the later of now and its expiry, after checking eligibility again. Suspended and revoked
 * badges cannot be renewed.
 */
export async function renewBadge(ctx: RegistryContext, input: { badgeId: string; validityMonths?: number }, actor: Actor): Promise<Badge> {
  if (input.validityMonths !== undefined) requireInt(input.validityMonths, 'validityMonths', 1, MAX_VALIDITY_MONTHS);
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'Badge', input.badgeId))) throw new NotFoundError('Badge', input.badgeId, 'badgeId');
    const current = await tx.badge.findUniqueOrThrow({ where: { id: input.badgeId } });
    // Never at or before the badge's last change (kernel/stamps.ts).
    const at = stampAfter(clock, current.updatedAt);
    if (current.status !== 'ACTIVE') throw new InvalidTransitionError('Badge', current.status, 'RENEWED');
    const policy = await policyInForce(tx, at);
    const months = validityMonths(input.validityMonths, policy);
    await checkEligibility(tx, current.memberId, current.program, at, policy);
    const expiresAt = addMonths(current.expiresAt > at ? current.expiresAt : at, months);
    const badge = await tx.badge.update({
      where: { id: current.id },
      data: {
        expiresAt, version: { increment: 1 }, updatedAt: at,
        events: { create: { action: 'RENEW', status: 'ACTIVE', expiresAt, at, reasonCategory: 'RENEWED', actorId: actor.id } },
      },
    });
    await attestBadge(ctx, tx, badge.id, at);
    return { result: badge, events: [{ kind: 'badge.renewed', subject: badge.id, data: { memberId: badge.memberId, expiresAt: expiresAt.toISOString() } }] };
  });
}

/** One badge, or null. */
export function getBadge(ctx: RegistryContext, badgeId: string): Promise<Badge | null> {
  return ctx.prisma.badge.findUnique({ where: { id: badgeId } });
}
