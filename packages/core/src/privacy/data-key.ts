/**
 * The registry's master data key (`TRUST_DATA_KEY`, 32 bytes base64url). Four keys are derived
 * from it with HKDF, one for members' personal data sealed before per-member keys (and other
 * sealed values), one to wrap private signing keys, one to wrap each member's own data key
 * (privacy/member-keys.ts) and one for pseudonyms (privacy/pseudonyms.ts), so that no use can stand in for another. For the embedded default the key is
 * generated once into the data folder (mode 0600); with PostgreSQL it must come from the
 * environment, since a database without its key is unreadable and a key beside it is no secret.
 * A fourth derived key only proves the master key is the right one (privacy/key-check.ts).
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../errors.ts';

/** Where the master key comes from. */
export interface DataKeySource {
  /** `TRUST_DATA_KEY`: base64url of 32 random bytes. */
  dataKey?: string | undefined;
  /** A data folder in which to keep a generated key (embedded database only). */
  dataDir?: string | undefined;
}

/** The derived keys. */
export interface DataKeys {
  personalData: Buffer;
  keyWrapping: Buffer;
  pseudonyms: Buffer;
  /** Wraps each member's own data key (privacy/member-keys.ts): erasing a member destroys its wrapped key. */
  memberKeyWrapping: Buffer;
  /** Used only for the key check value stored in the database. */
  check: Buffer;
}

const KEY_FILE = 'data-key';

/**
 * Loads or creates the master key and derives the working keys.
 *
 * @example
 * const keys = await loadDataKeys({ dataKey: registryOptionsFromEnv().dataKey });
 */
export async function loadDataKeys(source: DataKeySource): Promise<DataKeys> {
  const master = source.dataKey ? decodeKey(source.dataKey) : await keyFromFolder(source.dataDir);
  return {
    personalData: derive(master, 'trust-alliance personal data v1'),
    keyWrapping: derive(master, 'trust-alliance signing-key wrapping v1'),
    pseudonyms: derive(master, 'trust-alliance pseudonyms v1'),
    memberKeyWrapping: derive(master, 'trust-alliance member-key wrapping v1'),
    check: derive(master, 'trust-alliance key check v1'),
  };
}

/** A new random master key, base64url, for `TRUST_DATA_KEY`. */
export function generateDataKey(): string {
  return randomBytes(32).toString('base64url');
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

function decodeKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== 32) {
    throw new KeyError(
      'TRUST_DATA_KEY phải là 32 byte mã hóa base64url (tạo khóa mới bằng `pnpm cli keys data-key`).\n' +
        'TRUST_DATA_KEY must be 32 bytes encoded as base64url (generate a new one with `pnpm cli keys data-key`).',
    );
  }
  return key;
}

async function keyFromFolder(dataDir: string | undefined): Promise<Buffer> {
  if (dataDir === undefined) {
    throw new KeyError(
      'Cần TRUST_DATA_KEY khi dùng DATABASE_URL: dữ liệu cá nhân và khóa ký được mã hóa bằng nó (tạo khóa mới bằng `pnpm cli keys data-key`).\n' +
        'TRUST_DATA_KEY is required with DATABASE_URL: personal data and signing keys are encrypted with it (generate a new one with `pnpm cli keys data-key`).',
    );
  }
  if (dataDir.startsWith('memory://')) return randomBytes(32);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE);
  try {
    return decodeKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const text = generateDataKey();
  // 'wx' fails if another process created it first; then use theirs.
  await writeFile(file, text, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return decodeKey(await readFile(file, 'utf8'));
}
