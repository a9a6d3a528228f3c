/**
 * The registry's signing keys: EdDSA (Ed25519) by default, ES256 selectable. Private keys are
 * sealed with the key-wrapping key derived from TRUST_DATA_KEY. Rotation makes a new key
 * current and retires the old one, which stays published until everything it signed has
 * expired; a compromised key leaves the published set at once and keeps its reason in history.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningKey as VerifierSigningKey, AllowedAlgorithm } from '@trust-alliance/verifier';
import type { KeyAlgorithm, SigningKey as SigningKeyRow } from '../generated/prisma/client.ts';
import { KeyError, NotFoundError, ValidationError, InvalidTransitionError } from '../errors.ts';
import type { SealedBox } from '../privacy/sealed-box.ts';
import type { PrismaClient, Prisma } from '../generated/prisma/client.ts';

/** How long a retired key stays published at least: the longest access-token lifetime. */
export const MIN_PUBLISH_AFTER_RETIRE_MS = 24 * 3600 * 1000;
/** How long this process trusts its cached view of the current key (another replica may rotate). */
const CURRENT_KEY_CACHE_MS = 30_000;
/** Longest time the published key set is served from memory. */
const PUBLISHED_KEYS_CACHE_MS = 60_000;

type Client = PrismaClient | Prisma.TransactionClient;

/** A usable signing key. */
export interface ActiveKey extends VerifierSigningKey {
  publicJwk: JWK;
}

/** A key's public record for the key history. */
export interface KeyHistoryEntry {
  kid: string;
  algorithm: KeyAlgorithm;
  status: SigningKeyRow['status'];
  createdAt: Date;
  retiredAt: Date | null;
  compromisedAt: Date | null;
  reason: string | null;
  publishUntil: Date | null;
  publicJwk: JWK;
}

export class KeyStore {
  readonly #prisma: PrismaClient;
  readonly #wrap: SealedBox;
  readonly #now: () => Date;
  readonly #defaultAlgorithm: KeyAlgorithm;
  readonly #changeGeneration: () => number;
  #current: { key: ActiveKey; loadedAt: number } | null = null;
  #loading: Promise<ActiveKey> | null = null;
  /** Moves on every rotation and compromise handled here. */
  #epoch = 0;
  #published: { keys: JWK[]; generation: number; loadedAt: number } | null = null;

  /**
   * `changeGeneration` moves whenever the registry changes, here or in another replica (the
   * lookup cache's generation): the cached published key set is dropped when it does, so a key
   * rotated or compromised anywhere stops verifying everywhere without a query per request.
   */
  constructor(prisma: PrismaClient, wrap: SealedBox, now: () => Date, defaultAlgorithm: KeyAlgorithm = 'EdDSA', changeGeneration: () => number = () => 0) {
    this.#prisma = prisma;
    this.#wrap = wrap;
    this.#now = now;
    this.#defaultAlgorithm = defaultAlgorithm;
    this.#changeGeneration = changeGeneration;
  }

  /**
   * Makes sure a current key exists (the registry calls this on open), creating one under a
   * table lock so two processes starting together cannot both create one.
   */
  async ensureCurrent(): Promise<void> {
    await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE "SigningKey" IN SHARE ROW EXCLUSIVE MODE');
      if (!(await tx.signingKey.findFirst({ where: { status: 'CURRENT' } }))) await this.#create(tx, this.#defaultAlgorithm);
    });
  }

  /**
   * The current key. Pass the open transaction when inside one. Keys are only ever created by
   * {@link ensureCurrent}, {@link rotate} and {@link markCompromised}, in transactions of their
   * own, so a rolled-back caller can never leave a cached key that the database does not have.
   * @example const key = await registry.keys.current(); // { kid, alg: 'EdDSA', privateKey, publicJwk }
   */
  async current(client: Client = this.#prisma): Promise<ActiveKey> {
    const cached = this.#current;
    if (cached && Date.now() - cached.loadedAt < CURRENT_KEY_CACHE_MS) return cached.key;
    if (client !== this.#prisma) return this.#loadCurrent(client);
    // Callers outside a transaction share one load: a signed batch of 1,000 answers asks at once.
    this.#loading ??= this.#loadCurrent(client).finally(() => (this.#loading = null));
    return this.#loading;
  }

  async #loadCurrent(client: Client): Promise<ActiveKey> {
    const epoch = this.#epoch;
    const row = await client.signingKey.findFirst({ where: { status: 'CURRENT' }, orderBy: { createdAt: 'desc' } });
    if (!row) throw new KeyError('There is no current signing key: rotate the signing key to make one');
    const key = await this.#activate(row);
    // A rotation or compromise while loading wins: never cache the key it replaced.
    if (epoch === this.#epoch) this.#current = { key, loadedAt: Date.now() };
    return key;
  }

  async #create(client: Client, algorithm: KeyAlgorithm): Promise<SigningKeyRow> {
    const { privateKey, publicKey } = await generateKeyPair(algorithm === 'EdDSA' ? 'Ed25519' : 'ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwk = { ...publicJwk, kid, alg: algorithm, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: algorithm };
    return client.signingKey.create({
      data: { id: kid, algorithm, status: 'CURRENT', publicJwk: jwk, privateJwk: this.#wrap.seal(JSON.stringify(privateJwk), `signing-key:${kid}`), createdAt: this.#now() },
    });
  }

  async #activate(row: SigningKeyRow): Promise<ActiveKey> {
    const privateJwk = JSON.parse(this.#wrap.open(row.privateJwk, `signing-key:${row.id}`)) as JWK;
    const privateKey = await importJWK(privateJwk, row.algorithm);
    if (!(privateKey instanceof CryptoKey)) throw new KeyError(`Signing key ${row.id} did not import as an asymmetric key`);
    return { kid: row.id, alg: row.algorithm as AllowedAlgorithm, privateKey, publicJwk: row.publicJwk as JWK };
  }

  /**
   * Makes a new key current; the old one is retired and stays published until the last
   * statement it signed expires.
   * @example const { kid } = await registry.keys.rotate('ES256');
   */
  async rotate(algorithm: KeyAlgorithm = this.#defaultAlgorithm, reason = 'scheduled rotation'): Promise<KeyHistoryEntry> {
    if (algorithm !== 'EdDSA' && algorithm !== 'ES256') throw new ValidationError('algorithm must be EdDSA or ES256', 'algorithm');
    const created = await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE "SigningKey" IN SHARE ROW EXCLUSIVE MODE');
      const at = this.#now();
      const old = await tx.signingKey.findMany({ where: { status: 'CURRENT' } });
      for (const key of old) {
        const last = await tx.attestation.aggregate({ where: { kid: key.id }, _max: { expiresAt: true } });
        const floor = new Date(at.getTime() + MIN_PUBLISH_AFTER_RETIRE_MS);
        const publishUntil = last._max.expiresAt && last._max.expiresAt > floor ? last._max.expiresAt : floor;
        await tx.signingKey.update({ where: { id: key.id }, data: { status: 'RETIRED', retiredAt: at, reason, publishUntil } });
      }
      return this.#create(tx, algorithm);
    });
    this.#current = null;
    this.#loading = null;
    this.#epoch++;
    this.#published = null;
    return toHistory(created);
  }

  /**
   * Withdraws a key at once (it no longer verifies anything) and records why. A compromised
   * current key is replaced in the same transaction, so signing never stops.
   */
  async markCompromised(kid: string, reason: string): Promise<KeyHistoryEntry> {
    if (!reason?.trim()) throw new ValidationError('a reason is required', 'reason');
    const updated = await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE "SigningKey" IN SHARE ROW EXCLUSIVE MODE');
      const row = await tx.signingKey.findUnique({ where: { id: kid } });
      if (!row) throw new NotFoundError('SigningKey', kid, 'kid');
      if (row.status === 'COMPROMISED') throw new InvalidTransitionError('SigningKey', 'COMPROMISED', 'COMPROMISED');
      const marked = await tx.signingKey.update({ where: { id: kid }, data: { status: 'COMPROMISED', compromisedAt: this.#now(), reason: reason.trim(), publishUntil: null } });
      if (row.status === 'CURRENT') await this.#create(tx, row.algorithm);
      return marked;
    });
    this.#current = null;
    this.#loading = null;
    this.#epoch++;
    this.#published = null;
    return toHistory(updated);
  }

  /**
   * The published key set: current and retired-but-still-needed keys; never compromised ones.
   * Every bearer token is checked against it, so it is cached until the registry changes (or a
   * minute passes, for retired keys whose publication ends by time).
   */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const generation = this.#changeGeneration();
    const cached = this.#published;
    if (cached && cached.generation === generation && Date.now() - cached.loadedAt < PUBLISHED_KEYS_CACHE_MS) return { keys: cached.keys };
    const keys = await this.#loadPublished();
    this.#published = { keys, generation, loadedAt: Date.now() };
    return { keys };
  }

  async #loadPublished(): Promise<JWK[]> {
    const now = this.#now();
    const rows = await this.#prisma.signingKey.findMany({
      where: { OR: [{ status: 'CURRENT' }, { status: 'RETIRED', publishUntil: { gt: now } }] },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map((r) => r.publicJwk as JWK);
  }

  /**
   * Seals or opens another private key (the log's note key) with the key-wrapping key, bound to
   * `context` (e.g. `log-key:<id>`), so every private key at rest is sealed the same way.
   */
  sealPrivate(plaintext: string, context: string): Uint8Array<ArrayBuffer> {
    return this.#wrap.seal(plaintext, context);
  }
  openPrivate(sealed: Uint8Array, context: string): string {
    return this.#wrap.open(sealed, context);
  }

  /** Every key ever used, newest first, with status and reasons. */
  async history(): Promise<KeyHistoryEntry[]> {
    const rows = await this.#prisma.signingKey.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map(toHistory);
  }
}

function toHistory(row: SigningKeyRow): KeyHistoryEntry {
  const { id, algorithm, status, createdAt, retiredAt, compromisedAt, reason, publishUntil, publicJwk } = row;
  return { kid: id, algorithm, status, createdAt, retiredAt, compromisedAt, reason, publishUntil, publicJwk: publicJwk as JWK };
}
