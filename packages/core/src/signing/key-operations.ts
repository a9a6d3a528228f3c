/**
 * Key rotation and compromise as registry operations: the KeyStore changes the keys in a
 * transaction of its own, then a logged write records the event, which also drops every
 * replica's cached key set through the change feed. A compromise re-signs at once every active
 * badge whose current attestation the key signed; otherwise those members would serve
 * attestations that no longer verify until their badge next changed.
 */
import { write, type Actor, type RegistryContext } from '../kernel/context.ts';
import type { KeyAlgorithm } from '../generated/prisma/client.ts';
import type { KeyHistoryEntry } from '../kernel/key-store.ts';
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

/** @example await rotateKey(ctx, 'ES256', 'yearly rotation', actor); */
export async function rotateKey(ctx: RegistryContext, algorithm: KeyAlgorithm | undefined, reason: string | undefined, actor: Actor): Promise<KeyHistoryEntry> {
  const key = await ctx.keys.rotate(algorithm, reason);
  await write(ctx, async () => ({ result: null, events: [{ kind: 'key.rotated', subject: key.kid, data: { algorithm: key.algorithm, actorRole: actor.role } }] }));
  return key;
}
