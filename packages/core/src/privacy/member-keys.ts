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
import { KeyError } from '../errors.ts';
import type { MasterKey } from './data-key.ts';
import { SealedBox } from './sealed-box.ts';

const wrapContext = (memberId: string) => `member-key:${memberId}`;

/** A master key as member keys see it: its id and its member-key wrapping key. */
export type MemberKeyWrapping = Pick<MasterKey, 'id' | 'memberKeyWrapping'>;

/** What to store for a new member key: the wrapped key and the id of the master key wrapping it. */
export interface NewMemberKey {
  dataKey: Uint8Array<ArrayBuffer>;
  dataKeyMasterKeyId: string;
}

/** Wraps, unwraps and creates members' own data keys. */
export class MemberKeys {
  /** Current master key first; while a rotation runs, the retiring one after it. */
  readonly #wrapping: ReadonlyArray<{ id: string; box: SealedBox }>;
  /** The box of values sealed before per-member keys (the personal-data key): read, never written. */
  readonly legacy: SealedBox;

  /** `wrapping`: the configured master keys, current first (a bare key stands for one without an id: tests). */
  constructor(wrapping: Buffer | readonly MemberKeyWrapping[], legacy: SealedBox) {
    const keys = Buffer.isBuffer(wrapping) ? [{ id: '', memberKeyWrapping: wrapping }] : wrapping;
    if (keys.length === 0) throw new TypeError('MemberKeys needs a master key');
    this.#wrapping = keys.map((k) => ({ id: k.id, box: new SealedBox(k.memberKeyWrapping) }));
    this.legacy = legacy;
  }

  /** Id of the master key new member keys are wrapped under. */
  get currentId(): string {
    return this.#wrapping[0]!.id;
  }

  /**
   * A new random key for `memberId`, wrapped for storage in `Member.dataKey` (with `dataKeyMasterKeyId`).
   * @example const created = keys.create(member.id); const box = keys.box(member.id, created.dataKey);
   */
  create(memberId: string): NewMemberKey {
    return { dataKey: this.#wrapping[0]!.box.seal(randomBytes(32).toString('base64url'), wrapContext(memberId)), dataKeyMasterKeyId: this.currentId };
  }

  /** The sealed box of a member's own key (throws KeyError for a key wrapped under neither configured master key). */
  box(memberId: string, wrapped: Uint8Array): SealedBox {
    return new SealedBox(Buffer.from(this.#unwrap(memberId, wrapped), 'base64url'));
  }

  /**
   * The same key wrapped under the current master key (rotation, privacy/rotate-data-key.ts), or
   * under `next`'s: the member's data is not touched.
   */
  rewrap(memberId: string, wrapped: Uint8Array, next: MemberKeys = this): Uint8Array<ArrayBuffer> {
    return next.#wrapping[0]!.box.seal(this.#unwrap(memberId, wrapped), wrapContext(memberId));
  }

  // A reader during rotation meets both forms: trying each is cheaper than a lookup (GCM refuses the wrong key).
  #unwrap(memberId: string, wrapped: Uint8Array): string {
    let failure: unknown;
    for (const { box } of this.#wrapping) {
      try {
        return box.open(wrapped, wrapContext(memberId));
      } catch (error) {
        failure = error;
      }
    }
    throw failure instanceof KeyError ? failure : new KeyError('Cannot unwrap a member key', failure);
  }
}
