/**
 * The pledge (code of conduct): publishing versions, signing and withdrawing. Publishing a
 * new version supersedes the old one and opens a grace period during which a signature of
 * the previous version still counts; after it, members who did not re-sign lapse.
 */
import type { PledgeSignature, PledgeVersion, SignatureMethod } from '../generated/prisma/client.ts';
import { canonicalJson } from '@trust-alliance/verifier';
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, PreconditionError, ValidationError, InvalidTransitionError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../registry/context.ts';
import { SIGNATURE_METHODS, requireEnum, requireInt, requireText } from '../registry/validation.ts';
import { touchAllStatusLists, touchStatusListsOfMember } from '../signing/status-lists.ts';

/** Default days to re-sign after a new version is published. */
export const DEFAULT_GRACE_DAYS = 30;

export interface PublishPledgeInput {
  titleVi: string;
  titleEn: string;
  textVi: string;
  textEn: string;
  /** When it takes effect (default: now). */
  effectiveAt?: Date;
  graceDays?: number;
}

/** sha-256 (base64url) of the canonical JSON of a version's texts: what attestations cite. */
export function pledgeContentHash(texts: { titleVi: string; titleEn: string; textVi: string; textEn: string }): string {
  const { titleVi, titleEn, textVi, textEn } = texts;
  return createHash('sha256').update(canonicalJson({ titleEn, titleVi, textEn, textVi })).digest('base64url');
}

/** Publishes a new version, superseding the current one. */
export async function publishPledgeVersion(ctx: RegistryContext, input: PublishPledgeInput, actor: Actor): Promise<PledgeVersion> {
  const texts = {
    titleVi: requireText(input.titleVi, 'titleVi', 300),
    titleEn: requireText(input.titleEn, 'titleEn', 300),
    textVi: requireText(input.textVi, 'textVi', 50_000),
    textEn: requireText(input.textEn, 'textEn', 50_000),
  };
  const graceDays = requireInt(input.graceDays ?? DEFAULT_GRACE_DAYS, 'graceDays', 0, 365);
  return write(ctx, async (tx, at) => {
    // Serialize publishers: version numbers must not collide.
    await tx.$executeRawUnsafe('LOCK TABLE "PledgeVersion" IN SHARE ROW EXCLUSIVE MODE');
    const effectiveAt = input.effectiveAt ?? at;
    if (effectiveAt.getTime() < at.getTime() - 60_000) throw new ValidationError('effectiveAt cannot be in the past', 'effectiveAt');
    const latest = await tx.pledgeVersion.findFirst({ orderBy: { version: 'desc' } });
    const current = await tx.pledgeVersion.findFirst({ where: { status: 'PUBLISHED' } });
    if (current) await tx.pledgeVersion.update({ where: { id: current.id }, data: { status: 'SUPERSEDED', supersededAt: effectiveAt } });
    const version = await tx.pledgeVersion.create({
      data: {
        ...texts,
        version: (latest?.version ?? 0) + 1,
        contentHash: pledgeContentHash(texts),
        status: 'PUBLISHED',
        effectiveAt,
        graceEndsAt: current ? new Date(effectiveAt.getTime() + graceDays * 86_400_000) : null,
        publishedAt: at,
        createdAt: at,
      },
    });
    // A version in force at once with no grace period lapses, at once, members who signed only the old one.
    await touchAllStatusLists(tx);
    return { result: version, events: [{ kind: 'pledge.published', subject: version.id, data: { version: version.version, contentHash: version.contentHash, actorRole: actor.role } }] };
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

