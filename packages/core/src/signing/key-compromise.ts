/**
 * Marking a signing key compromised, as a registry operation: the key leaves the published set
 * at once (KeyStore), then every active badge whose current attestation it signed is attested
 * again with the replacement key, and the event enters the transparency log. Without the
 * re-signing, those members would serve attestations that no longer verify until their badge
 * next changed.
 */
import { write, type Actor, type RegistryContext } from '../registry/context.ts';
import type { KeyHistoryEntry } from './key-store.ts';
import { attestBadge } from './attestations.ts';

/** @example await markKeyCompromised(ctx, kid, 'key file found on a stolen laptop', actor); */
export async function markKeyCompromised(ctx: RegistryContext, kid: string, reason: string, actor: Actor): Promise<{ key: KeyHistoryEntry; reattested: number }> {
  const key = await ctx.keys.markCompromised(kid, reason);
  const reattested = await write(ctx, async (tx, at) => {
    const affected = await tx.attestation.findMany({ where: { kid, supersededAt: null, badge: { status: 'ACTIVE', expiresAt: { gt: at } } }, select: { badgeId: true } });
    for (const { badgeId } of affected) await attestBadge(ctx, tx, badgeId, at);
    return { result: affected.length, events: [{ kind: 'key.compromised', subject: kid, data: { reattested: affected.length, actorRole: actor.role } }] };
  });
  return { key, reattested };
}
