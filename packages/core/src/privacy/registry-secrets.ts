/**
 * The registry's working secrets: the personal-data key (sealed values that are not a member's
 * own: webhook secrets, reporters' contacts, officers' reasons, members from before per-member
 * keys), the signing-key wrapping key (signing and log keys) and the pseudonym key (phone-number
 * pseudonyms, the national-ID blind index, report commitments in the append-only log, idempotency
 * request hashes, rate-limit keys). They are stored in `RegistrySecret`, each sealed under a
 * master data key whose id is kept beside it, so rotating the master key re-wraps them and never
 * changes them: nothing sealed or pseudonymised under them has to change.
 *
 * A database without them (every database from before this table, and a new one) is given, once,
 * the values derived from the master key its data was written with (privacy/data-key.ts): exactly
 * the keys used until then, so every sealed value, pseudonym, blind index and log commitment stays
 * valid. (Random values would do for a new database; derived ones keep one path for both.)
 */
import type { PrismaClient, Prisma } from '../generated/prisma/client.ts';
import { KeyError } from '../errors.ts';
import { masterKeysOf, type DataKeys, type MasterKey } from './data-key.ts';
import { SealedBox } from './sealed-box.ts';

/** The stored secrets, by name in `RegistrySecret`. */
export const REGISTRY_SECRETS = ['personalData', 'keyWrapping', 'pseudonyms'] as const;
export type RegistrySecretName = (typeof REGISTRY_SECRETS)[number];
export type RegistrySecrets = Record<RegistrySecretName, Buffer>;

const context = (name: string) => `registry-secret:${name}`;

/** `value` sealed under `master` for the row `name`. */
export function wrapSecret(master: MasterKey, name: string, value: Buffer): Uint8Array<ArrayBuffer> {
  return new SealedBox(master.secretWrapping).seal(value.toString('base64url'), context(name));
}

/** A stored secret opened with the configured master key its row names (KeyError when neither is). */
export function unwrapSecret(keys: DataKeys, row: { name: string; wrapped: Uint8Array; masterKeyId: string }): Buffer {
  const master = masterKeysOf(keys).find((k) => k.id === row.masterKeyId);
  if (!master) throw unknownMasterKey(row.masterKeyId);
  return Buffer.from(new SealedBox(master.secretWrapping).open(row.wrapped, context(row.name)), 'base64url');
}

/**
 * The registry's secrets, creating missing ones from `databaseKey` (the configured master key the
 * database's check value matched, privacy/key-check.ts), wrapped under the current key.
 *
 * @example const secrets = await loadRegistrySecrets(db.prisma, keys, await checkDataKey(db.prisma, keys, where));
 */
export async function loadRegistrySecrets(prisma: PrismaClient | Prisma.TransactionClient, keys: DataKeys, databaseKey: MasterKey): Promise<RegistrySecrets> {
  let rows = await prisma.registrySecret.findMany();
  const missing = REGISTRY_SECRETS.filter((name) => !rows.some((r) => r.name === name));
  if (missing.length > 0) {
    // Replicas opening together derive the same values; whichever row lands first is kept.
    await prisma.registrySecret.createMany({ data: missing.map((name) => ({ name, wrapped: wrapSecret(keys, name, databaseKey[name]), masterKeyId: keys.id })), skipDuplicates: true });
    rows = await prisma.registrySecret.findMany();
  }
  const secrets = {} as RegistrySecrets;
  for (const name of REGISTRY_SECRETS) {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new KeyError(`Registry secret ${name} is missing`);
    secrets[name] = unwrapSecret(keys, row);
  }
  return secrets;
}

/** Something is wrapped under a master key that is neither configured one. */
export function unknownMasterKey(masterKeyId: string | null): KeyError {
  const id = masterKeyId ?? '?';
  return new KeyError(
    `Một khóa lưu trữ được bọc bằng khóa chính ${id}, không phải TRUST_DATA_KEY hay TRUST_DATA_KEY_PREVIOUS; đặt TRUST_DATA_KEY_PREVIOUS là khóa đó (docs/PRIVACY.md).\n` +
      `A stored key is wrapped under master key ${id}, which is neither TRUST_DATA_KEY nor TRUST_DATA_KEY_PREVIOUS; set TRUST_DATA_KEY_PREVIOUS to that key (docs/PRIVACY.md).`,
  );
}
