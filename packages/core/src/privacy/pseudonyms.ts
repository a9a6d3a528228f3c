/**
 * Keyed pseudonyms of personal values that must be compared but never kept, such as the client
 * addresses a rate limit counts: HMAC-SHA-256 under a key derived from `TRUST_DATA_KEY`, so
 * that replicas sharing the key agree on a pseudonym, and no one without the key can undo one
 * by trying every possible value (which an unkeyed hash of an IPv4 address allows).
 */
import { createHmac, hkdfSync } from 'node:crypto';

export class Pseudonyms {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  /**
   * 128 bits of HMAC, hex. `purpose` separates uses: the same value gets unrelated pseudonyms
   * for different purposes.
   * @example registry.pseudonym('rate-limit', '203.0.113.7') // '5f0c…' (32 hex digits)
   */
  of(purpose: string, value: string): string {
    return createHmac('sha256', this.#key).update(purpose).update('\0').update(value).digest('hex').slice(0, 32);
  }

  /**
   * Pseudonyms under a key of their own, derived with HKDF for one use (`info`), for uses that
   * must not share a key with any other even by accident, such as a blind index.
   * @example const index = pseudonyms.derive('national-id blind index v1').of('national-id', '079123456789');
   */
  derive(info: string): Pseudonyms {
    return new Pseudonyms(Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), info, 32)));
  }
}
