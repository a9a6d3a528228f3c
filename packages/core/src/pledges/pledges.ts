/**
 * The pledge (code of conduct): proposing, approving, signing and withdrawing. A new version
 * takes two ADMINs: one proposes it (a DRAFT), another approves it, which publishes it:
 * it supersedes the current one and opens a grace period during which a signature of the
 * previous version still counts; after it, members who did not re-sign lapse. The grace period
 * can be no shorter than the certification policy allows, so no one can lapse every member at
 * once. The system alone (first bootstrap, seeds, test fixtures) may publish in one call.
 */
import type { PledgeSignature, PledgeVersion, SignatureMethod } from '../generated/prisma/client.ts';
import { canonicalJson } from '@trust-alliance/verifier';
import { createHash } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionError, ValidationError, InvalidTransitionError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import { SIGNATURE_METHODS, requireEnum, requireInt, requireText } from '../kernel/validation.ts';
import { touchAllStatusLists, touchStatusListsOfMember } from '../signing/status-lists.ts';
import { policyInForce } from '../policy/certification-policy.ts';
import { actorPseudonym, requireAdmin, requireSecondAdmin } from '../policy/two-admins.ts';

/** Days to re-sign after a new version is published, unless the policy asks for more. */
export const DEFAULT_GRACE_DAYS = 30;
/** How far in the past a stated moment may be (clock skew). */
const PAST_TOLERANCE_MS = 60_000;

export interface PublishPledgeInput {
  titleVi: string;
  titleEn: string;
  textVi: string;
  textEn: string;
  /** When it takes effect (default: when it is approved). */
  effectiveAt?: Date;
  /** Days to re-sign; at least the certification policy's least grace period (default the larger of 30 and it). */
  graceDays?: number;
}

/** sha-256 (base64url) of the canonical JSON of a version's texts: what attestations cite. */
export function pledgeContentHash(texts: { titleVi: string; titleEn: string; textVi: string; textEn: string }): string {
  const { titleVi, titleEn, textVi, textEn } = texts;
  return createHash('sha256').update(canonicalJson({ titleEn, titleVi, textEn, textVi })).digest('base64url');
}

function checkTexts(input: PublishPledgeInput) {
  return {
    titleVi: requireText(input.titleVi, 'titleVi', 300),
    titleEn: requireText(input.titleEn, 'titleEn', 300),
    textVi: requireText(input.textVi, 'textVi', 50_000),
    textEn: requireText(input.textEn, 'textEn', 50_000),
  };
}

function checkEffectiveAt(effectiveAt: Date, at: Date): void {
  if (effectiveAt.getTime() < at.getTime() - PAST_TOLERANCE_MS) throw new ValidationError('effectiveAt cannot be in the past / Ngày hiệu lực không được ở quá khứ', 'effectiveAt');
}

/** The grace days asked for (or the default), held to the policy in force at `at`. */
async function checkGraceDays(tx: Tx, asked: number | null | undefined, at: Date): Promise<number> {
  const policy = await policyInForce(tx, at);
  if (asked === undefined || asked === null) return Math.max(DEFAULT_GRACE_DAYS, policy.minGraceDays);
  if (asked < policy.minGraceDays) {
    throw new ValidationError(
      `graceDays ${asked} is below the certification policy's least grace period of ${policy.minGraceDays} days (version ${policy.version}) / Thời gian ân hạn không được ngắn hơn ${policy.minGraceDays} ngày theo chính sách chứng nhận`,
      'graceDays',
    );
  }
  return asked;
}

/** Makes `draft` the version in force: supersedes the current one and opens the grace period. */
async function publish(tx: Tx, draft: PledgeVersion, graceDays: number, at: Date, approvedBy: string): Promise<PledgeVersion> {
  const effectiveAt = draft.effectiveAt ?? at;
  const current = await tx.pledgeVersion.findFirst({ where: { status: 'PUBLISHED' } });
  if (current) await tx.pledgeVersion.update({ where: { id: current.id }, data: { status: 'SUPERSEDED', supersededAt: effectiveAt } });
  const version = await tx.pledgeVersion.update({
    where: { id: draft.id },
    data: { status: 'PUBLISHED', effectiveAt, graceDays, graceEndsAt: current ? new Date(effectiveAt.getTime() + graceDays * 86_400_000) : null, publishedAt: at, approvedBy },
  });
  // Members who signed only the old version lapse when the grace period ends: their entries move then.
  await touchAllStatusLists(tx);
  return version;
}

/** Creates the next version as a DRAFT (the caller holds the table lock). */
/**
 * Checks the date and the grace period against the policy, then creates the one DRAFT that may
 * wait at a time. Proposers, approvers and the system's one-call path take the same table lock,
 * so version numbers never collide.
 */
async function openDraft(tx: Tx, texts: ReturnType<typeof checkTexts>, asked: number | undefined, effectiveAt: Date | undefined, at: Date, actorId: string): Promise<{ draft: PledgeVersion; graceDays: number }> {
  if (effectiveAt !== undefined) checkEffectiveAt(effectiveAt, at);
  const graceDays = await checkGraceDays(tx, asked, effectiveAt ?? at);
  await tx.$executeRawUnsafe('LOCK TABLE "PledgeVersion" IN SHARE ROW EXCLUSIVE MODE');
  const waiting = await tx.pledgeVersion.findFirst({ where: { status: 'DRAFT' }, select: { version: true } });
  if (waiting) throw new ConflictError(`Version ${waiting.version} is already waiting for approval / Phiên bản ${waiting.version} đang chờ phê duyệt`, 'version');
  return { draft: await createDraft(tx, texts, effectiveAt ?? null, graceDays, at, actorId), graceDays };
}

async function createDraft(tx: Tx, texts: ReturnType<typeof checkTexts>, effectiveAt: Date | null, graceDays: number, at: Date, proposedBy: string): Promise<PledgeVersion> {
  const latest = await tx.pledgeVersion.findFirst({ orderBy: { version: 'desc' } });
  return tx.pledgeVersion.create({
    data: { ...texts, version: (latest?.version ?? 0) + 1, contentHash: pledgeContentHash(texts), status: 'DRAFT', effectiveAt, graceDays, createdAt: at, proposedBy },
  });
}

/**
 * Proposes a new version (ADMIN only): a DRAFT that changes nothing until another ADMIN
 * approves it. One proposal waits at a time, so version numbers follow publication order.
 * @example const draft = await registry.proposePledgeVersion({ ...texts, graceDays: 45 }, admin1);
 */
export async function proposePledgeVersion(ctx: RegistryContext, input: PublishPledgeInput, actor: Actor): Promise<PledgeVersion> {
  requireAdmin(actor, 'propose a pledge version');
  const texts = checkTexts(input);
  const asked = input.graceDays === undefined ? undefined : requireInt(input.graceDays, 'graceDays', 0, 365);
  return write(ctx, async (tx, at) => {
    const { draft, graceDays } = await openDraft(tx, texts, asked, input.effectiveAt, at, actor.id);
    return {
      result: draft,
      events: [{ kind: 'pledge.proposed', subject: draft.id, data: { version: draft.version, contentHash: draft.contentHash, graceDays, effectiveAt: input.effectiveAt?.toISOString() ?? null, proposer: actorPseudonym(ctx, actor) } }],
    };
  });
}

/**
 * Approves the proposed version (an ADMIN other than the proposer), publishing it.
 * @example const v2 = await registry.approvePledgeVersion({ version: 2 }, admin2);
 */
export async function approvePledgeVersion(ctx: RegistryContext, input: { version: number }, actor: Actor): Promise<PledgeVersion> {
  requireAdmin(actor, 'approve a pledge version');
  const number = requireInt(input?.version, 'version', 1, 2 ** 31 - 1);
  return write(ctx, async (tx, at) => {
    await tx.$executeRawUnsafe('LOCK TABLE "PledgeVersion" IN SHARE ROW EXCLUSIVE MODE');
    const draft = await tx.pledgeVersion.findUnique({ where: { version: number } });
    if (!draft) throw new NotFoundError('PledgeVersion', String(number), 'version');
    if (draft.status !== 'DRAFT') throw new InvalidTransitionError('PledgeVersion', draft.status, 'PUBLISHED');
    requireSecondAdmin(draft.proposedBy, actor, 'approve this pledge version');
    if (draft.effectiveAt) checkEffectiveAt(draft.effectiveAt, at);
    // The policy may have changed since the proposal.
    const graceDays = await checkGraceDays(tx, draft.graceDays, draft.effectiveAt ?? at);
    const version = await publish(tx, draft, graceDays, at, actor.id);
    return {
      result: version,
      events: [{
        kind: 'pledge.published',
        subject: version.id,
        data: { version: version.version, contentHash: version.contentHash, graceDays, proposer: actorPseudonym(ctx, draft.proposedBy ?? ''), approver: actorPseudonym(ctx, actor) },
      }],
    };
  });
}

/**
 * Publishes a version in one call: for the SYSTEM actor only (the first bootstrap, seeds and
 * test fixtures). Every person goes through {@link proposePledgeVersion} and
 * {@link approvePledgeVersion}; the certification policy's least grace period still applies.
 * @example await registry.publishPledgeVersion(SAMPLE_PLEDGE); // the registry's default actor is SYSTEM
 */
export async function publishPledgeVersion(ctx: RegistryContext, input: PublishPledgeInput, actor: Actor): Promise<PledgeVersion> {
  if (actor.role !== 'SYSTEM') {
    throw new ForbiddenError('SYSTEM_ONLY', 'Publishing in one call is for the system alone: one ADMIN proposes, another approves / Cần hai ADMIN: một người đề xuất, một người phê duyệt');
  }
  const texts = checkTexts(input);
  const asked = input.graceDays === undefined ? undefined : requireInt(input.graceDays, 'graceDays', 0, 365);
  return write(ctx, async (tx, at) => {
    const { draft, graceDays } = await openDraft(tx, texts, asked, input.effectiveAt, at, actor.id);
    const version = await publish(tx, draft, graceDays, at, actor.id);
    return { result: version, events: [{ kind: 'pledge.published', subject: version.id, data: { version: version.version, contentHash: version.contentHash, graceDays, actorRole: actor.role } }] };
  });
}

/** The version in force now, or null before the first is published. */
export function currentPledgeVersion(ctx: RegistryContext): Promise<PledgeVersion | null> {
  return ctx.prisma.pledgeVersion.findFirst({ where: { status: 'PUBLISHED' } });
}

export interface SignPledgeInput {
  memberId: string;
  /** Which version is signed (default: the current one). Only the current version can be signed. */
  version?: number;
  method: SignatureMethod;
  /** Hash of the evidence (a scanned signed form, a ceremony photo), never the evidence itself. */
  evidenceHash?: string | null;
}

/** Records a member's signature of the current version. */
export async function signPledge(ctx: RegistryContext, input: SignPledgeInput, actor: Actor): Promise<PledgeSignature & { version: number }> {
  const method = requireEnum(input.method, SIGNATURE_METHODS, 'method');
  if (input.evidenceHash != null && !/^[A-Za-z0-9_=+/-]{16,128}$/.test(input.evidenceHash)) throw new ValidationError('evidenceHash must be a hash (hex or base64)', 'evidenceHash');
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const member = await tx.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { status: true } });
    if (member.status === 'EXPELLED' || member.status === 'WITHDRAWN') throw new InvalidTransitionError('Member', member.status, 'signing the pledge');
    const current = await tx.pledgeVersion.findFirst({ where: { status: 'PUBLISHED' } });
    if (!current) throw new NotFoundError('PledgeVersion', 'current', 'version');
    if (input.version !== undefined && input.version !== current.version) {
      throw new ValidationError(`Only the current version (${current.version}) can be signed`, 'version');
    }
    const existing = await tx.pledgeSignature.findFirst({ where: { memberId: input.memberId, pledgeVersionId: current.id, withdrawnAt: null } });
    if (existing) throw new ConflictError(`The member has already signed version ${current.version}`, 'memberId');
    const signature = await tx.pledgeSignature.create({
      data: { memberId: input.memberId, pledgeVersionId: current.id, signedAt: at, method, evidenceHash: input.evidenceHash ?? null },
    });
    // Pledge standing is part of each attestation's status-list value: re-signing restores VALID.
    await touchStatusListsOfMember(tx, input.memberId);
    return {
      result: { ...signature, version: current.version },
      events: [{ kind: 'pledge.signed', subject: input.memberId, data: { version: current.version, method, actorRole: actor.role } }],
    };
  });
}

/** Withdraws a member's signature of a version (default: the current one). */
export function withdrawPledge(ctx: RegistryContext, input: { memberId: string; version?: number; reason?: string }, actor: Actor): Promise<PledgeSignature> {
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const version = input.version === undefined
      ? await tx.pledgeVersion.findFirst({ where: { status: 'PUBLISHED' } })
      : await tx.pledgeVersion.findUnique({ where: { version: input.version } });
    if (!version) throw new NotFoundError('PledgeVersion', String(input.version ?? 'current'), 'version');
    const signature = await tx.pledgeSignature.findFirst({ where: { memberId: input.memberId, pledgeVersionId: version.id, withdrawnAt: null } });
    if (!signature) throw new PreconditionError('PLEDGE_NOT_SIGNED', `The member has no signature of version ${version.version} to withdraw`, 'memberId');
    const withdrawn = await tx.pledgeSignature.update({ where: { id: signature.id }, data: { withdrawnAt: at, withdrawReason: input.reason ?? null } });
    await touchStatusListsOfMember(tx, input.memberId);
    return { result: withdrawn, events: [{ kind: 'pledge.withdrawn', subject: input.memberId, data: { version: version.version, actorRole: actor.role } }] };
  });
}

/** Lists versions, newest first. */
export function listPledgeVersions(ctx: RegistryContext): Promise<PledgeVersion[]> {
  return ctx.prisma.pledgeVersion.findMany({ orderBy: { version: 'desc' } });
}

