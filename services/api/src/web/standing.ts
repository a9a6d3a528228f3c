/**
 * What the pages ask core about members and badges. Every status comes from `registry.verify`
 * / `verifyMany` (core's one decision, the same as GraphQL's `verify` and `GET /v1/verify`):
 * nothing here decides a status. A member's standing, as a page or live badge shows it, is the
 * answer for one of the member's verified accounts: the first that is not FLAGGED, taken in
 * core's PRECEDENCE order (one verified account makes the member VERIFIED, as in `verify`);
 * FLAGGED when every account is flagged; none when the member has no verified account.
 */
import { PRECEDENCE, type Lang, type Registry, type VerificationResult } from '@trust-alliance/core';

/** Ids are UUIDs; anything else is not a member or badge (and never reaches the database). */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccountStanding {
  platform: string;
  /** The account's public form (a key holding a phone number is a pseudonym, without URL). */
  key: string;
  url: string | null;
  handle: string;
  result: VerificationResult;
}

export interface MemberStanding {
  accounts: AccountStanding[];
  /** The member's standing (see the file's comment), or null without verified accounts. */
  answer: VerificationResult | null;
}

/** At most this many accounts are checked for one member (a page, not a batch job). */
const MAX_ACCOUNTS = 20;

const rank = (status: string): number => {
  const i = (PRECEDENCE as readonly string[]).indexOf(status);
  return i === -1 ? PRECEDENCE.length : i;
};

/**
 * @example const { answer } = await memberStanding(registry, memberId, 'vi', 'KOL_TRUST'); answer?.status // 'VERIFIED'
 */
export async function memberStanding(registry: Registry, memberId: string, lang: Lang, program?: string): Promise<MemberStanding> {
  const links = await registry.reads.accountAdmin.findMany({
    where: { memberId, ownership: 'VERIFIED' },
    include: { account: { select: { platform: true, key: true, url: true, handle: true } } },
    orderBy: { createdAt: 'asc' },
    take: MAX_ACCOUNTS,
  });
  if (links.length === 0) return { accounts: [], answer: null };
  const results = await registry.verifyMany(
    links.map((l) => ({ url: l.account.url })),
    { lang, ...(program ? { program } : {}) },
  );
  const accounts = links.map((l, i) => {
    const shown = registry.publicAccount(l.account);
    return { platform: l.account.platform, key: shown.key, url: shown.url, handle: shown.handle, result: results[i]! };
  });
  const unflagged = accounts.filter((a) => a.result.status !== 'FLAGGED').sort((a, b) => rank(a.result.status) - rank(b.result.status));
  return { accounts, answer: (unflagged[0] ?? accounts[0])!.result };
}
