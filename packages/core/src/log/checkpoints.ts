/**
 * Stored checkpoints of the transparency log. A checkpoint is signed when the log has grown
 * since the last one, at most once a second, and stored; every reader in between gets the
 * stored one, so reads never sign. Each stored checkpoint has two forms of the same tree head:
 *
 * - the C2SP signed note (`tlog-checkpoint`, signed with the log key, log-key.ts), which
 *   witnesses, Go's `sumdb/note` and Sigstore's parsers read, served at `/log/checkpoint`;
 * - the JWT (`typ: log-checkpoint+jwt`, signed with the registry's signing key), kept for the
 *   GraphQL `auditLog.checkpoint` and `verifyCheckpoint` users.
 */
import { checkpointText, encodeRootHash, merkleRoot, signCheckpoint, signNote } from '@trust-alliance/verifier';
import type { LogCheckpoint } from '../generated/prisma/client.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { currentLogKey } from './log-key.ts';
import { leafHashes, logOrigin, logSize } from './transparency-log.ts';

/** Least time between two checkpoints, in milliseconds. */
export const CHECKPOINT_MIN_INTERVAL_MS = 1000;

/** A stored checkpoint as served. */
export interface StoredCheckpoint {
  origin: string;
  size: number;
  /** base64url of the RFC 9162 root hash. */
  rootHash: string;
  /** The C2SP signed note. */
  note: string;
  /** The log key that signed `note`: its verifier key string. */
  verifierKey: string;
  /** The same tree head as a JWT (`typ: log-checkpoint+jwt`). */
  jwt: string;
  createdAt: Date;
}

function kidOf(jws: string): string | undefined {
  try {
    return (JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string }).kid;
  } catch {
    return undefined;
  }
}

function view(ctx: RegistryContext, row: LogCheckpoint & { note: string; logKeyId: string }): StoredCheckpoint {
  return { origin: logOrigin(ctx.issuer), size: row.size, rootHash: Buffer.from(row.rootHash).toString('base64url'), note: row.note, verifierKey: row.logKeyId, jwt: row.jws, createdAt: row.createdAt };
}

/**
 * The latest checkpoint: the stored one, unless the log has grown since and it is at least
 * {@link CHECKPOINT_MIN_INTERVAL_MS} old (or a key it was signed with has been rotated), in
 * which case a new one is signed and stored first.
 * @example const { note, size } = await latestCheckpoint(ctx);
 */
export async function latestCheckpoint(ctx: RegistryContext): Promise<StoredCheckpoint> {
  const [last, size, logKey, signingKey] = await Promise.all([
    ctx.prisma.logCheckpoint.findFirst({ where: { note: { not: null } }, orderBy: { size: 'desc' } }),
    logSize(ctx),
    currentLogKey(ctx),
    ctx.keys.current(),
  ]);
  const now = ctx.now();
  if (last && last.note !== null && last.logKeyId === logKey.id && kidOf(last.jws) === signingKey.kid) {
    const stored = last as LogCheckpoint & { note: string; logKeyId: string };
    if (last.size >= size || now.getTime() - last.createdAt.getTime() < CHECKPOINT_MIN_INTERVAL_MS) return view(ctx, stored);
  }
  const root = await merkleRoot(await leafHashes(ctx, size));
  const origin = logOrigin(ctx.issuer);
  const note = await signNote(checkpointText({ origin, size, rootHash: root }), logKey);
  const jws = await signCheckpoint({ iss: ctx.issuer, iat: Math.floor(now.getTime() / 1000), origin, size, root_hash: encodeRootHash(root) }, signingKey);
  const data = { rootHash: new Uint8Array(root), jws, note, logKeyId: logKey.id, createdAt: now };
  const row = await ctx.prisma.logCheckpoint.upsert({ where: { size }, create: { size, ...data }, update: data });
  return view(ctx, row as LogCheckpoint & { note: string; logKeyId: string });
}
