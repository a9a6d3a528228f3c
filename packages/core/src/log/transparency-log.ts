/**
 * Reading the transparency log: entries (checkpoints: checkpoints.ts), and
 * inclusion and consistency proofs, all computed with the verifier's RFC 9162 functions so the
 * proofs we serve are checked by the same code that platforms run.
 *
 * Proofs are computed from all leaf hashes up to the tree size: O(n) hashing, fine for the
 * registry's event volume (about 20 µs a hash); a store of subtree hashes is the next step
 * when the log reaches millions of entries.
 */
import { consistencyProof, inclusionProof } from '@trust-alliance/verifier';
import { ValidationError } from '../errors.ts';
import type { RegistryContext } from '../kernel/context.ts';

export interface LogEntryView {
  idx: number;
  kind: string;
  /** The canonical JSON that was hashed. */
  payload: string;
  leafHash: string;
  createdAt: Date;
}

/** The log's name in checkpoints. */
export function logOrigin(issuer: string): string {
  return `${issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/log`;
}

/** The leaf hashes of the first `size` entries. */
export async function leafHashes(ctx: RegistryContext, size: number): Promise<Uint8Array[]> {
  const rows = await ctx.prisma.logEntry.findMany({ where: { idx: { lt: size } }, orderBy: { idx: 'asc' }, select: { leafHash: true } });
  if (rows.length !== size) throw new ValidationError(`the log has only ${rows.length} entries`, 'size');
  return rows.map((r) => new Uint8Array(r.leafHash));
}

/** Number of entries. */
export async function logSize(ctx: RegistryContext): Promise<number> {
  return ctx.prisma.logEntry.count();
}

/**
 * A page of entries in index order.
 * @example const entries = await listLogEntries(ctx, { from: 0, count: 50 });
 */
export async function listLogEntries(ctx: RegistryContext, page: { from?: number; count?: number } = {}): Promise<LogEntryView[]> {
  const rows = await ctx.prisma.logEntry.findMany({ where: { idx: { gte: page.from ?? 0 } }, orderBy: { idx: 'asc' }, take: Math.min(Math.max(page.count ?? 50, 1), 100) });
  return rows.map((r) => ({ idx: r.idx, kind: r.kind, payload: r.payload, leafHash: Buffer.from(r.leafHash).toString('base64url'), createdAt: r.createdAt }));
}

/** Inclusion proof of entry `idx` in the tree of the first `treeSize` entries. */
export async function logInclusionProof(ctx: RegistryContext, idx: number, treeSize: number): Promise<string[]> {
  if (!Number.isInteger(idx) || idx < 0 || idx >= treeSize) throw new ValidationError('idx must be within the tree', 'idx');
  const proof = await inclusionProof(idx, await leafHashes(ctx, treeSize), treeSize);
  return proof.map((h) => Buffer.from(h).toString('base64url'));
}

/**
 * Consistency proof between the trees of sizes `oldSize` and `newSize`; from size 0 (the empty
 * tree, which every tree extends) it is empty.
 */
export async function logConsistencyProof(ctx: RegistryContext, oldSize: number, newSize: number): Promise<string[]> {
  if (!Number.isInteger(newSize) || newSize < 0) throw new ValidationError('newSize must be a whole number', 'newSize');
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new ValidationError('oldSize must be from 0 to newSize', 'oldSize');
  const proof = await consistencyProof(oldSize, await leafHashes(ctx, newSize), newSize);
  return proof.map((h) => Buffer.from(h).toString('base64url'));
}
