/**
 * Erasing the phone numbers held in account keys (issue 17). A Zalo personal account is a phone
 * number (`zalo:phone:84…`) and a handle may carry one (`tiktok:@shop0901234567`): when the member
 * who administered such an account is erased, the number must stop being stored in clear. In the
 * erasure's transaction, every key of the account holding a number is replaced by its keyed
 * pseudonym (privacy/public-account.ts, the form the log and public answers already show), in every
 * table that stores it: Account, AccountIdentifier, WebhookWatch, OutboxEvent, Report, Flag; the
 * URL, handle, platform display name and lookalike skeletons of the account go, and idempotency
 * records whose stored result names the number are deleted.
 *
 * Afterwards the number no longer resolves: `verify` of it answers NOT_FOUND (`ACCOUNT_UNKNOWN`),
 * now and as of any past date, and a watch list or flag on it follows the pseudonym. The log
 * keeps matching, since the pseudonym is the key the log always showed.
 *
 * An account another member (not erased) still administers is kept: its number serves that
 * member's certification, and that member's erasure forgets it. So is an account under a flag
 * that stands (not lifted): the public must go on being warned about that number, a processing
 * the law allows without consent (protecting others from fraud, and the evidence of a possible
 * offence), and an erasure must never be the way to make a scam number answer NOT_FOUND. Its
 * number is forgotten when the flag is lifted and the retention job runs.
 */
import type { Tx } from '../kernel/context.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import { isPseudonymKey, phoneNumbersIn, publicAccountKey } from '../privacy/public-account.ts';

/** The stored URL of an account whose number was erased (the column is required; every URL named the number). */
export const ERASED_ACCOUNT_URL = '';

export interface ForgottenPhoneAccounts {
  /** Accounts whose keys were replaced by their pseudonyms. */
  forgotten: number;
  /** Phone accounts kept because another member still administers them. */
  shared: number;
  /** Phone accounts kept because a flag on one of their keys stands. */
  flagged: number;
}

/**
 * Replaces, inside the caller's transaction, the phone keys of every account `memberId`
 * administered (and administers alone among members not erased) by their pseudonyms.
 *
 * @example const { forgotten } = await forgetPhoneAccounts(tx, ctx.pseudonyms, memberId);
 */
export async function forgetPhoneAccounts(tx: Tx, pseudonyms: Pseudonyms, memberId: string): Promise<ForgottenPhoneAccounts> {
  const accounts = await tx.account.findMany({
    where: { admins: { some: { memberId } } },
    include: { identifiers: true, admins: { select: { memberId: true, member: { select: { erasedAt: true } } } } },
    orderBy: { id: 'asc' },
  });
  const out: ForgottenPhoneAccounts = { forgotten: 0, shared: 0, flagged: 0 };
  for (const account of accounts) {
    // A pseudonym's hex may hold a digit run that reads as a number: it was forgotten already.
    const keys = [...new Set([account.key, ...account.identifiers.map((i) => i.key)])].filter((k) => !isPseudonymKey(k) && phoneNumbersIn(k).length > 0);
    if (keys.length === 0) continue;
    if (account.admins.some((a) => a.memberId !== memberId && a.member.erasedAt === null)) {
      out.shared += 1;
      continue;
    }
    if ((await tx.flag.count({ where: { accountKey: { in: keys }, liftedAt: null } })) > 0) {
      out.flagged += 1;
      continue;
    }
    const renamed = new Map(keys.map((k) => [k, publicAccountKey(pseudonyms, k)]));
    const hiddenHandle = (key: string) => key.slice(key.lastIndexOf('~'));
    const newKey = renamed.get(account.key) ?? account.key;
    await tx.account.update({
      where: { id: account.id },
      data: {
        key: newKey, handle: hiddenHandle(newKey), url: ERASED_ACCOUNT_URL, displayName: null, skeleton: null, skeletonVariants: [],
        ...(account.platformId !== null && phoneNumbersIn(account.platformId).length > 0 ? { platformId: null } : {}),
      },
    });
    for (const identifier of account.identifiers) {
      const key = renamed.get(identifier.key);
      if (key === undefined) continue;
      await tx.accountIdentifier.update({
        where: { id: identifier.id },
        data: { key, activeKey: identifier.activeKey === null ? null : key, handle: hiddenHandle(key), url: ERASED_ACCOUNT_URL },
      });
    }
    for (const [old, key] of renamed) {
      await tx.webhookWatch.updateMany({ where: { key: old }, data: { key } });
      await tx.report.updateMany({ where: { accountKey: old }, data: { accountKey: key } });
      await tx.flag.updateMany({ where: { accountKey: old }, data: { accountKey: key } });
      await tx.$executeRawUnsafe(`UPDATE "OutboxEvent" SET keys = array_replace(keys, $1, $2) WHERE $1 = ANY(keys)`, old, key);
      // A stored mutation result (replayed for a retry) may name the number in any written form.
      for (const national of phoneNumbersIn(old)) {
        await tx.$executeRawUnsafe(`DELETE FROM "IdempotencyRecord" WHERE response::text LIKE $1`, `%${national}%`);
      }
    }
    out.forgotten += 1;
  }
  return out;
}
