/**
 * Listing members for directories and officers: filters by platform, province, badge program,
 * status and diacritic-free text, with keyset pagination on id (stable under inserts).
 */
import type { BadgeProgram, MemberStatus, Platform, Prisma } from '../generated/prisma/client.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { foldForSearch } from '../text/search-text.ts';
import { toPublicMember, type PublicMember } from './members.ts';

export interface MemberFilter {
  platform?: Platform;
  province?: string;
  program?: BadgeProgram;
  status?: MemberStatus;
  /** Matches the display name without diacritics or case: "nguyen" finds "Nguyễn". */
  text?: string;
}

/** The Prisma `where` for a filter; shared by the library and the API's connections. */
export function memberWhere(filter: MemberFilter = {}): Prisma.MemberWhereInput {
  const where: Prisma.MemberWhereInput = {};
  if (filter.status) where.status = filter.status;
  if (filter.province) where.province = filter.province;
  if (filter.text) where.searchText = { contains: foldForSearch(filter.text) };
  if (filter.platform) where.accounts = { some: { account: { platform: filter.platform } } };
  if (filter.program) where.badges = { some: { program: filter.program, status: 'ACTIVE' } };
  return where;
}

/**
 * One page of members, ordered by id.
 * @example const { members, hasMore } = await listMembers(ctx, { text: 'nguyen' }, { first: 20 });
 */
export async function listMembers(ctx: RegistryContext, filter: MemberFilter = {}, page: { first?: number; after?: string } = {}): Promise<{ members: PublicMember[]; hasMore: boolean }> {
  const first = Math.max(1, Math.min(page.first ?? 20, 100));
  const rows = await ctx.prisma.member.findMany({
    where: { ...memberWhere(filter), ...(page.after ? { id: { gt: page.after } } : {}) },
    orderBy: { id: 'asc' },
    take: first + 1,
  });
  return { members: rows.slice(0, first).map(toPublicMember), hasMore: rows.length > first };
}
