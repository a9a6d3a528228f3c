/**
 * The data key is checked when the registry opens, not when the first signature fails. The first
 * open under a key stores a check value (an HMAC of a fixed label under a key derived only for
 * this, so it reveals nothing usable) in the `RegistrySetting` table; every later open compares.
 * A wrong key is refused before anything is written, so a service with the wrong key never starts
 * half-working and a seed never stops half way. A database written before check values existed is
 * checked once against its current signing key (sealed under the key-wrapping key) before the
 * check value is stored, so an old database cannot adopt a wrong key either.
 *
 * While a master key is rotated (privacy/rotate-data-key.ts) the database's check value is the
 * retiring key's until the rotation job ends and stores the new key's: a registry with both keys
 * configured accepts either, one with neither is refused. The open returns the key that matched,
 * whose derivations a database from before stored secrets is given (privacy/registry-secrets.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { KeyError } from '../errors.ts';
import { masterKeysOf, type DataKeys, type MasterKey } from './data-key.ts';
import { SealedBox } from './sealed-box.ts';

/** The setting's name in `RegistrySetting`. */
export const KEY_CHECK_SETTING = 'dataKeyCheck';

const LABEL = 'trust-alliance data key check v1';

/** The check value of a set of derived keys (base64url). */
export function keyCheckValue(keys: Pick<MasterKey, 'check'>): string {
  return createHmac('sha256', keys.check).update(LABEL).digest('base64url');
}

/**
 * Refuses a data key that is not the one this database was written with (KeyError, code
 * KEY_ERROR); stores the check value on first use.
 *
 * @example
 * await checkDataKey(db.prisma, await loadDataKeys({ dataKey }), { embedded: false });
 */
export async function checkDataKey(prisma: PrismaClient, keys: DataKeys, where: { embedded: boolean; dataDir?: string | undefined }): Promise<MasterKey> {
  let stored = await prisma.registrySetting.findUnique({ where: { name: KEY_CHECK_SETTING } });
  if (!stored) {
    const first = await checkWithoutValue(prisma, keys, where);
    await prisma.registrySetting.createMany({ data: [{ name: KEY_CHECK_SETTING, value: keyCheckValue(first) }], skipDuplicates: true });
    // Another replica may have stored its own value first: compare with what won.
    stored = await prisma.registrySetting.findUnique({ where: { name: KEY_CHECK_SETTING } });
  }
  const matched = stored ? masterKeysOf(keys).find((key) => same(stored.value, keyCheckValue(key))) : undefined;
  if (!matched) throw wrongKey(where, keys.previous !== null);
  return matched;
}

/**
 * The configured key a database without a check value was written with: the one that opens its
 * stored secrets, else its newest signing key (sealed, before stored secrets, under a key derived
 * from the master key); the current key for a new database.
 */
async function checkWithoutValue(prisma: PrismaClient, keys: DataKeys, where: { embedded: boolean; dataDir?: string | undefined }): Promise<MasterKey> {
  const candidates = masterKeysOf(keys);
  const secret = await prisma.registrySecret.findFirst({ select: { masterKeyId: true } });
  if (secret) {
    const key = candidates.find((k) => k.id === secret.masterKeyId);
    if (!key) throw wrongKey(where, keys.previous !== null);
    return key;
  }
  const row = await prisma.signingKey.findFirst({ orderBy: { createdAt: 'desc' }, select: { id: true, privateJwk: true } });
  if (!row) return keys;
  for (const key of candidates) {
    try {
      new SealedBox(key.keyWrapping).open(row.privateJwk, `signing-key:${row.id}`);
      return key;
    } catch {
      // the next candidate
    }
  }
  throw wrongKey(where, keys.previous !== null);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function wrongKey(where: { embedded: boolean; dataDir?: string | undefined }, withPrevious: boolean): KeyError {
  const [vi, en] = where.embedded
    ? [
        `Đặt TRUST_DATA_KEY đúng khóa cũ, hoặc bỏ TRUST_DATA_KEY để dùng khóa lưu trong ${where.dataDir ?? 'thư mục dữ liệu'}/data-key.`,
        `Set TRUST_DATA_KEY to the key this data was written with, or unset it to use the key kept in ${where.dataDir ?? 'the data folder'}/data-key.`,
      ]
    : ['Đặt TRUST_DATA_KEY đúng khóa đã dùng cho cơ sở dữ liệu này (khóa trong kho bí mật của bạn).', 'Set TRUST_DATA_KEY to the key this database was written with (from your secret store).'];
  const [previousVi, previousEn] = withPrevious
    ? [' TRUST_DATA_KEY_PREVIOUS cũng không khớp.', ' Neither is TRUST_DATA_KEY_PREVIOUS.']
    : ['', ''];
  return new KeyError(
    `TRUST_DATA_KEY không khớp với khóa đã mã hóa dữ liệu này; không mở và không thay đổi gì.${previousVi} ${vi} Chỉ dùng \`pnpm cli keys data-key\` (tạo khóa mới) cho cơ sở dữ liệu mới, hoặc để xoay vòng khóa (docs/PRIVACY.md).\n` +
      `TRUST_DATA_KEY is not the key this data was encrypted with; nothing was opened or changed.${previousEn} ${en} Use \`pnpm cli keys data-key\` (a new key) only for a new database, or to rotate the key (docs/PRIVACY.md).`,
  );
}
