/**
 * Accounts and their admins: adding an account to a member, renames (which keep history and
 * send the account back to re-verification), and ownership challenges.
 */
import { randomInt } from 'node:crypto';
import type { Account, AccountAdmin, OwnershipChallenge } from '../generated/prisma/client.ts';
import { ConflictError, NotFoundError, PreconditionError, ValidationError, InvalidTransitionError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext, type Tx } from '../kernel/context.ts';
import { stampAfter } from '../kernel/stamps.ts';
import { normalizeAccount } from '../accounts/normalize.ts';
import type { AccountInput, NormalizedAccount } from '../accounts/platform.ts';
import { reattestMember } from '../signing/attestations.ts';
import { accountSkeleton } from '../accounts/skeleton.ts';
import { publicAccountKey } from '../privacy/public-account.ts';


/** How long a member has to put the challenge code in place. */
export const CHALLENGE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface AddAccountInput {
  memberId: string;
  /** A URL or handle string, or `{ platform, handle }`. */
  account: AccountInput;
  /** The platform's stable id when known. */
  platformId?: string | null;
  displayName?: string | null;
}

export interface AccountWithLink {
  account: Account;
  admin: AccountAdmin;
}

function place(input: AccountInput, field = 'account'): NormalizedAccount {
  try {
    return normalizeAccount(input);
  } catch (error) {
    if (error instanceof Error && 'code' in error) Object.defineProperty(error, 'field', { value: field });
    throw error;
  }
}

function skeletonColumns(normalized: NormalizedAccount): { skeleton: string | null; skeletonVariants: string[] } {
  const skeleton = accountSkeleton(normalized);
  return { skeleton: skeleton?.skeleton ?? null, skeletonVariants: skeleton?.variants ?? [] };
}

async function createAccount(tx: Tx, normalized: NormalizedAccount, platformId: string | null, displayName: string | null, at: Date): Promise<Account> {
  const id = crypto.randomUUID();
  return tx.account.create({
    data: {
      id,
      platform: normalized.platform,
      key: normalized.key,
      platformId,
      handle: normalized.handle,
      url: normalized.url,
      displayName,
      ...skeletonColumns(normalized),
      createdAt: at,
      identifiers: { create: { key: normalized.key, activeKey: normalized.key, handle: normalized.handle, url: normalized.url, validFrom: at } },
    },
  });
}

/**
 * Links an account (created if the registry does not know it yet) to a member, unverified.
 */
export async function addAccount(ctx: RegistryContext, input: AddAccountInput, actor: Actor): Promise<AccountWithLink> {
  const normalized = place(input.account);
  const platformId = input.platformId?.trim() || null;
  if (platformId !== null && platformId.length > 100) throw new ValidationError('platformId must be at most 100 characters', 'platformId');
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Member', input.memberId))) throw new NotFoundError('Member', input.memberId, 'memberId');
    const member = await tx.member.findUniqueOrThrow({ where: { id: input.memberId }, select: { status: true } });
    if (member.status === 'EXPELLED' || member.status === 'WITHDRAWN') throw new InvalidTransitionError('Member', member.status, 'adding an account');
    let account = await tx.account.findUnique({ where: { key: normalized.key } });
    if (!account && platformId) {
      const byId = await tx.account.findUnique({ where: { platform_platformId: { platform: normalized.platform, platformId } } });
      if (byId) throw new ConflictError(`This ${normalized.platform} id belongs to the account ${byId.url}; record a rename instead`, 'platformId');
    }
    account ??= await createAccount(tx, normalized, platformId, input.displayName ?? null, at);
    const existing = await tx.accountAdmin.findUnique({ where: { accountId_memberId: { accountId: account.id, memberId: input.memberId } } });
    if (existing) throw new ConflictError('This account is already linked to this member', 'account');
    const admin = await tx.accountAdmin.create({
      data: { accountId: account.id, memberId: input.memberId, createdAt: at, events: { create: { ownership: 'UNVERIFIED', at, reason: `added by ${actor.role}` } } },
    });
    return { result: { account, admin }, events: [{ kind: 'account.linked', subject: account.id, data: { memberId: input.memberId, key: publicAccountKey(ctx.pseudonyms, account.key), platform: account.platform } }] };
  });
}

/**
 * The latest moment an account's histories record: its admins' ownership events and the start of
 * its current identifier. Read with the Account row locked (renames and confirmations lock it).
 */
async function latestOfAccount(tx: Tx, accountId: string): Promise<Date | null> {
  const [ownership, identifier] = await Promise.all([
    tx.ownershipEvent.aggregate({ where: { accountAdmin: { accountId } }, _max: { at: true } }),
    tx.accountIdentifier.aggregate({ where: { accountId }, _max: { validFrom: true } }),
  ]);
  const stamps = [ownership._max.at, identifier._max.validFrom].filter((d): d is Date => d !== null);
  return stamps.length === 0 ? null : new Date(Math.max(...stamps.map((d) => d.getTime())));
}

/**
 * Records that an account now answers to another handle/URL. The old key stays in its
 * history (answers "as of" a past time still find it) and every admin must prove ownership again.
 */
export async function renameAccount(ctx: RegistryContext, input: { accountId: string; account: AccountInput }, actor: Actor): Promise<Account> {
  const normalized = place(input.account);
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'Account', input.accountId))) throw new NotFoundError('Account', input.accountId, 'accountId');
    const current = await tx.account.findUniqueOrThrow({ where: { id: input.accountId } });
    if (current.platform !== normalized.platform) throw new ValidationError('A rename stays on the same platform', 'account');
    if (current.key === normalized.key) throw new ConflictError('The account already has this key', 'account');
    if (await tx.account.findUnique({ where: { key: normalized.key } })) throw new ConflictError('Another registered account has this key', 'account');
    // The UNVERIFIED events and the new identifier come after everything the account has recorded.
    const at = stampAfter(clock, await latestOfAccount(tx, current.id));
    await tx.accountIdentifier.updateMany({ where: { accountId: current.id, validTo: null }, data: { validTo: at, activeKey: null } });
    await tx.accountIdentifier.create({ data: { accountId: current.id, key: normalized.key, activeKey: normalized.key, handle: normalized.handle, url: normalized.url, validFrom: at } });
    const account = await tx.account.update({ where: { id: current.id }, data: { key: normalized.key, handle: normalized.handle, url: normalized.url, ...skeletonColumns(normalized) } });
    const verified = await tx.accountAdmin.findMany({ where: { accountId: current.id, ownership: 'VERIFIED' } });
    for (const admin of verified) {
      await tx.accountAdmin.update({ where: { id: admin.id }, data: { ownership: 'UNVERIFIED', events: { create: { ownership: 'UNVERIFIED', at, reason: 'account renamed' } } } });
    }
    for (const admin of verified) await reattestMember(ctx, tx, admin.memberId, at);
    return { result: account, events: [{ kind: 'account.renamed', subject: account.id, data: { from: publicAccountKey(ctx.pseudonyms, current.key), to: publicAccountKey(ctx.pseudonyms, account.key), actorRole: actor.role } }] };
  });
}

/** A short code that is easy to type into a bio: TINNHIEM-7 characters of an unambiguous alphabet. */
function challengeCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 8; i++) code += alphabet[randomInt(alphabet.length)];
  return `TINNHIEM-${code}`;
}

/** Opens an ownership challenge: the member shows `code` in the account's bio or a pinned post. */
export function startOwnershipChallenge(ctx: RegistryContext, input: { accountId: string; memberId: string }, _actor: Actor): Promise<OwnershipChallenge> {
  return write(ctx, async (tx, at) => {
    const admin = await tx.accountAdmin.findUnique({ where: { accountId_memberId: { accountId: input.accountId, memberId: input.memberId } } });
    if (!admin) throw new NotFoundError('Account link', `${input.accountId}/${input.memberId}`, 'accountId');
    if (admin.ownership === 'VERIFIED') throw new ConflictError('Ownership of this account is already proven', 'accountId');
    await tx.ownershipChallenge.updateMany({ where: { accountId: input.accountId, memberId: input.memberId, status: 'OPEN' }, data: { status: 'EXPIRED' } });
    const challenge = await tx.ownershipChallenge.create({
      data: { accountId: input.accountId, memberId: input.memberId, code: challengeCode(), createdAt: at, expiresAt: new Date(at.getTime() + CHALLENGE_TTL_MS) },
    });
    return { result: challenge, events: [{ kind: 'ownership.challenge', subject: input.accountId, data: { memberId: input.memberId, challengeId: challenge.id } }] };
  });
}

/**
 * Confirms a challenge: an officer (or a platform callback) saw `observedCode` on the account.
 * A wrong code fails the challenge; an expired one cannot be confirmed.
 */
export function confirmOwnership(ctx: RegistryContext, input: { challengeId: string; observedCode: string }, actor: Actor): Promise<AccountAdmin> {
  return write(ctx, async (tx, clock) => {
    if (!(await lockRow(tx, 'OwnershipChallenge', input.challengeId))) throw new NotFoundError('Challenge', input.challengeId, 'challengeId');
    const challenge = await tx.ownershipChallenge.findUniqueOrThrow({ where: { id: input.challengeId } });
    if (challenge.status !== 'OPEN') throw new PreconditionError('CHALLENGE_FAILED', `This challenge is ${challenge.status.toLowerCase()}; start a new one`, 'challengeId');
    // Queues behind a rename of the account (which sends its admins back to UNVERIFIED), so the
    // VERIFIED event comes after it, and a rename that follows sees this admin as VERIFIED.
    if (!(await lockRow(tx, 'Account', challenge.accountId))) throw new NotFoundError('Account', challenge.accountId, 'accountId');
    const at = stampAfter(clock, await latestOfAccount(tx, challenge.accountId));
    if (challenge.expiresAt <= at) {
      throw new PreconditionError('CHALLENGE_FAILED', 'This challenge has expired; start a new one', 'challengeId');
    }
    if (input.observedCode.trim().toUpperCase() !== challenge.code) {
      throw new PreconditionError('CHALLENGE_FAILED', 'The code seen on the account does not match the challenge', 'observedCode');
    }
    await tx.ownershipChallenge.update({ where: { id: challenge.id }, data: { status: 'CONFIRMED', confirmedAt: at, confirmedBy: actor.id } });
    const admin = await tx.accountAdmin.update({
      where: { accountId_memberId: { accountId: challenge.accountId, memberId: challenge.memberId } },
      data: { ownership: 'VERIFIED', verifiedAt: at, events: { create: { ownership: 'VERIFIED', at, reason: `challenge ${challenge.id}` } } },
    });
    await reattestMember(ctx, tx, challenge.memberId, at);
    return { result: admin, events: [{ kind: 'ownership.verified', subject: challenge.accountId, data: { memberId: challenge.memberId, challengeId: challenge.id } }] };
  });
}
