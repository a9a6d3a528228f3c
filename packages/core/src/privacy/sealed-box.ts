/**
 * AES-256-GCM sealing of small values at rest (personal data, private keys, private reasons).
 * Layout: version byte (1) ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag. The `context` string is
 * bound as associated data, so a value sealed for one record cannot be moved to another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyError } from '../errors.ts';

const VERSION = 1;

/** Seals and opens values with one key. */
export class SealedBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new TypeError('SealedBox needs a 32-byte key');
    this.#key = key;
  }

  /**
   * Encrypts `plaintext`, bound to `context`.
   * @example const sealed = box.seal(JSON.stringify(personal), `member:${id}`);
   */
  seal(plaintext: string, context: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const out = new Uint8Array(1 + 12 + body.length + 16);
    out[0] = VERSION;
    out.set(iv, 1);
    out.set(body, 13);
    out.set(cipher.getAuthTag(), 13 + body.length);
    return out;
  }

  /** Decrypts a value sealed with {@link seal} under the same context. */
  open(sealed: Uint8Array, context: string): string {
    if (sealed.length < 29 || sealed[0] !== VERSION) throw new KeyError('Sealed value has an unknown format');
    const iv = sealed.subarray(1, 13);
    const tag = sealed.subarray(sealed.length - 16);
    const body = sealed.subarray(13, sealed.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new KeyError('Cannot decrypt a sealed value: wrong TRUST_DATA_KEY, or the value was tampered with', error);
    }
  }
}
