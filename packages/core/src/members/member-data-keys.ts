/**
 * Moves members sealed before per-member keys (their personal data under the registry-wide
 * personal-data key) to a key of their own, so that erasing them destroys their data for good.
 * Runs when a registry opens; each member moves in one statement guarded by `dataKey IS NULL`, so
 * replicas opening at once move each member once and lose nothing. Reads of a member not moved yet
 * still work (members/personal-data.ts opens either form).
 */
import type { RegistryContext } from '../kernel/context.ts';
import { openPersonalData, sealPersonalData } from './personal-data.ts';

/**
 * @example const { moved } = await moveToMemberKeys(ctx);
 */
export async function moveToMemberKeys(ctx: RegistryContext): Promise<{ moved: number }> {
  const rows = await ctx.prisma.member.findMany({ where: { dataKey: null, erasedAt: null, privateData: { not: null } }, select: { id: true, privateData: true, dataKey: true } });
  let moved = 0;
  for (const row of rows) {
    const sealed = sealPersonalData(ctx.memberKeys, row, openPersonalData(ctx.memberKeys, row));
    moved += (await ctx.prisma.member.updateMany({ where: { id: row.id, dataKey: null, privateData: { equals: row.privateData! } }, data: sealed })).count;
  }
  return { moved };
}
