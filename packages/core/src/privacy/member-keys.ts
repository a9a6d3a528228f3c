/**
 * Each member's personal data is sealed under a random key of the member's own, stored beside it
 * sealed ("wrapped") under the member-key wrapping key (HKDF of TRUST_DATA_KEY, privacy/data-key.ts).
 * Erasing a member destroys that wrapped key: every value sealed under it (personal fields, the
 * reasons officers gave for reading them, the member's requests) becomes unreadable wherever a copy
 * of it sits in the database, even under the master key (crypto-shredding).
 *
 * Rotating the master key re-wraps these keys only (`rewrap`); the data sealed under them is untouched.
 */
import { randomBytes } from 'node:crypto';
import { SealedBox } from './sealed-box.ts';

const wrapContext = (memberId: string) => `member-key:${memberId}`;

/** Wraps, unwraps and creates members' own data keys. */
export class MemberKeys {
  readonly #wrapping: SealedBox;
  /** The box of values sealed before per-member keys (the personal-data key): read, never written. */
  readonly legacy: SealedBox;

  constructor(wrappingKey: Buffer, legacy: SealedBox) {
    this.#wrapping = new SealedBox(wrappingKey);
    this.legacy = legacy;
  }

  /**
   * A new random key for `memberId`, wrapped for storage in `Member.dataKey`.
   * @example const dataKey = keys.create(member.id); const box = keys.box(member.id, dataKey);
   */
  create(memberId: string): Uint8Array<ArrayBuffer> {
    return this.#wrapping.seal(randomBytes(32).toString('base64url'), wrapContext(memberId));
  }

  /** The sealed box of a member's own key (throws KeyError for a key wrapped under another master key). */
  box(memberId: string, wrapped: Uint8Array): SealedBox {
    return new SealedBox(Buffer.from(this.#wrapping.open(wrapped, wrapContext(memberId)), 'base64url'));
  }

  /** The same key wrapped again under `next` (master key rotation): the member's data is not touched. */
  rewrap(memberId: string, wrapped: Uint8Array, next: MemberKeys): Uint8Array<ArrayBuffer> {
    return next.#wrapping.seal(this.#wrapping.open(wrapped, wrapContext(memberId)), wrapContext(memberId));
  }
}
