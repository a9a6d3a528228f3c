/**
 * The registry's master data key (`TRUST_DATA_KEY`, 32 bytes base64url) and, while it is being
 * replaced, the one it replaces (`TRUST_DATA_KEY_PREVIOUS`). The master key only wraps stored
 * keys (envelope encryption): each member's own data key (privacy/member-keys.ts) and the
 * registry's working secrets (privacy/registry-secrets.ts), so it can be rotated by re-wrapping
 * them (privacy/rotate-data-key.ts) without changing any sealed value, pseudonym or log entry.
 *
 * Keys derived from each master key with HKDF, one per use so none can stand in for another: the
 * member-key wrapping key, the secret wrapping key, the key check key (privacy/key-check.ts) and
 * the key id (a public fingerprint kept beside what a master key wrapped). The personal-data,
 * signing-key wrapping and pseudonym keys are also derived as before: they are the values a
 * database from before stored secrets is given once (registry-secrets.ts), never used directly.
 * For the embedded default the key is generated once into the data folder (mode 0600); with
 * PostgreSQL it must come from the environment, since a key beside its database is no secret.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyError } from '../errors.ts';

/** Where the master key comes from. */
export interface DataKeySource {
  /** `TRUST_DATA_KEY`: base64url of 32 random bytes. */
  dataKey?: string | undefined;
  /** `TRUST_DATA_KEY_PREVIOUS`: the master key being retired; what it wrapped is still read. */
  previousDataKey?: string | undefined;
  /** A data folder in which to keep a generated key (embedded database only). */
  dataDir?: string | undefined;
}

/** The keys derived from one master key. */
export interface MasterKey {
  /** Public fingerprint of the master key (16 hex digits), stored beside what it wrapped. */
  id: string;
  /** Wraps the registry's working secrets (privacy/registry-secrets.ts). */
  secretWrapping: Buffer;
  /** Legacy values: what the registry secrets of a database from before stored secrets are. */
  personalData: Buffer;
  keyWrapping: Buffer;
  pseudonyms: Buffer;
  /** Wraps each member's own data key (privacy/member-keys.ts): erasing a member destroys its wrapped key. */
  memberKeyWrapping: Buffer;
  /** Used only for the key check value stored in the database. */
  check: Buffer;
}

/** The current master key's derived keys, and the retiring one's while both are configured. */
export interface DataKeys extends MasterKey {
  previous: MasterKey | null;
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
  const current = deriveMasterKey(master);
  const previous = source.previousDataKey ? deriveMasterKey(decodeKey(source.previousDataKey, 'TRUST_DATA_KEY_PREVIOUS')) : null;
  // The same key twice is one key: nothing to read under a second one.
  return { ...current, previous: previous && previous.id !== current.id ? previous : null };
}

/** The configured master keys, current first. */
export function masterKeysOf(keys: DataKeys): MasterKey[] {
  return keys.previous ? [keys, keys.previous] : [keys];
}

function deriveMasterKey(master: Buffer): MasterKey {
  return {
    id: derive(master, 'trust-alliance master key id v1').subarray(0, 8).toString('hex'),
    secretWrapping: derive(master, 'trust-alliance registry-secret wrapping v1'),
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

function decodeKey(text: string, variable = 'TRUST_DATA_KEY'): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== 32) {
    throw new KeyError(
      `${variable} phải là 32 byte mã hóa base64url (tạo khóa mới bằng \`pnpm cli keys data-key\`).\n` +
        `${variable} must be 32 bytes encoded as base64url (generate a new one with \`pnpm cli keys data-key\`).`,
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
