/**
 * The transparency log's own key: Ed25519, for C2SP signed-note checkpoints, named after the
 * log's origin and rotated apart from the signing keys (a rotation of the attestation key no
 * longer changes what witnesses pin). The private key is sealed with the key-wrapping key, like
 * the signing keys. Its public form is the note verifier key string `<name>+<hash>+<key>`.
 */
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { noteVerifierKey, type NoteSigner } from '@trust-alliance/verifier';
import type { LogKey, Prisma } from '../generated/prisma/client.ts';
import { KeyError, ValidationError } from '../errors.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { logOrigin } from './transparency-log.ts';

/** A log key's public record. */
export interface LogKeyView {
  /** The note verifier key string, `<name>+<hash>+<key>`. */
  verifierKey: string;
  name: string;
  status: LogKey['status'];
  createdAt: Date;
  retiredAt: Date | null;
  reason: string | null;
}

/** The current log key and its signer. */
export interface CurrentLogKey extends NoteSigner {
  id: string;
}

const sealContext = (id: string) => `log-key:${id}`;

async function createLogKey(ctx: RegistryContext, tx: Prisma.TransactionClient): Promise<LogKey> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
  const name = logOrigin(ctx.issuer);
  const id = await noteVerifierKey(name, raw);
  const jwk = await exportJWK(privateKey);
  return tx.logKey.create({ data: { id, name, status: 'CURRENT', publicKey: raw, privateKey: ctx.keys.sealPrivate(JSON.stringify(jwk), sealContext(id)), createdAt: ctx.now() } });
}

async function activate(ctx: RegistryContext, row: LogKey): Promise<CurrentLogKey> {
  const jwk = JSON.parse(ctx.keys.openPrivate(row.privateKey, sealContext(row.id))) as JWK;
  const privateKey = await importJWK(jwk, 'EdDSA');
  if (!(privateKey instanceof CryptoKey)) throw new KeyError(`Log key ${row.id} did not import as an Ed25519 key`);
  return { id: row.id, name: row.name, publicKey: new Uint8Array(row.publicKey), privateKey };
}

/**
 * The current log key, created on first use (under a table lock, so two processes never make
 * two). A key named after another origin (the issuer changed) is retired and replaced.
 */
export async function currentLogKey(ctx: RegistryContext): Promise<CurrentLogKey> {
  const name = logOrigin(ctx.issuer);
  const found = await ctx.prisma.logKey.findFirst({ where: { status: 'CURRENT', name } });
  if (found) return activate(ctx, found);
  const row = await ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('LOCK TABLE "LogKey" IN SHARE ROW EXCLUSIVE MODE');
    const again = await tx.logKey.findFirst({ where: { status: 'CURRENT', name } });
    if (again) return again;
    await tx.logKey.updateMany({ where: { status: 'CURRENT' }, data: { status: 'RETIRED', retiredAt: ctx.now(), reason: `the log is now named ${name}` } });
    return createLogKey(ctx, tx);
  });
  return activate(ctx, row);
}

/**
 * Makes a new log key current; the old one is retired (checkpoints it signed still verify with
 * its verifier key, which stays listed). Witnesses must be told the new verifier key.
 * @example const { verifierKey } = await registry.log.rotateKey('scheduled rotation');
 */
export async function rotateLogKey(ctx: RegistryContext, reason = 'scheduled rotation'): Promise<LogKeyView> {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500) throw new ValidationError('reason must be 1 to 500 characters', 'reason');
  const row = await ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('LOCK TABLE "LogKey" IN SHARE ROW EXCLUSIVE MODE');
    await tx.logKey.updateMany({ where: { status: 'CURRENT' }, data: { status: 'RETIRED', retiredAt: ctx.now(), reason: reason.trim() } });
    return createLogKey(ctx, tx);
  });
  return toView(row);
}

/** Every log key, newest first: the current one first, then the retired ones. */
export async function logKeys(ctx: RegistryContext): Promise<LogKeyView[]> {
  await currentLogKey(ctx);
  const rows = await ctx.prisma.logKey.findMany({ orderBy: { createdAt: 'desc' } });
  return rows.map(toView);
}

function toView(row: LogKey): LogKeyView {
  return { verifierKey: row.id, name: row.name, status: row.status, createdAt: row.createdAt, retiredAt: row.retiredAt, reason: row.reason };
}
