/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON value that the
 * transparency log hashes. Object members sorted by their names' UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped as
 * `JSON.stringify` does (RFC 8785 §3.2.2).
 *
 * @module
 */

/**
 * A JSON value.
 *
 * @example
 * ```ts
 * const v: JsonValue = { kind: 'BADGE_ISSUED', at: 1735689600, programs: ['KOL_TRUST'] };
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const LONE_SURROGATE = /\p{Cs}/u;

function serializeString(s: string): string {
  // I-JSON (RFC 7493), which RFC 8785 requires, forbids unpaired surrogates.
  if (LONE_SURROGATE.test(s)) throw new TypeError('canonicalJson: string contains an unpaired surrogate');
  return JSON.stringify(s);
}

function serialize(value: unknown, out: string[], seen: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${String(value)} is not a JSON number`);
      // ECMAScript Number serialization (RFC 8785 §3.2.2.3); JSON.stringify also maps -0 to 0.
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(serializeString(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`);
  }
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    serialize((object as { toJSON: (key: string) => unknown }).toJSON(''), out, seen);
    return;
  }
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer || object instanceof Map || object instanceof Set) {
    throw new TypeError(`canonicalJson: a ${object.constructor.name} is not a JSON value`);
  }
  if (seen.has(object)) throw new TypeError('canonicalJson: circular structure');
  seen.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    object.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      if (item === undefined) throw new TypeError(`canonicalJson: array element ${i} is undefined`);
      serialize(item, out, seen);
    });
    out.push(']');
  } else {
    const record = object as Record<string, unknown>;
    // Array.prototype.sort without a comparator compares UTF-16 code units, as RFC 8785 §3.2.3 asks.
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(serializeString(k), ':');
      serialize(record[k], out, seen);
    });
    out.push('}');
  }
  seen.delete(object);
}

/**
 * Serializes a JSON value per RFC 8785. Members whose value is `undefined` are left out (as
 * `JSON.stringify` does) and `toJSON()` is honoured (so a `Date` becomes its ISO string); throws
 * `TypeError` for what JSON cannot represent (non-finite numbers, bigint, functions, cycles,
 * unpaired surrogates, byte arrays, maps, sets, `undefined` array elements).
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1e30, 4.5], a: '€' }); // '{"a":"€","b":[1e+30,4.5]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  serialize(value, out, new Set());
  return out.join('');
}

/**
 * The UTF-8 bytes of {@link canonicalJson}: what a log leaf hashes.
 *
 * @example
 * ```ts
 * const leaf = await leafHash(canonicalJsonBytes(event));
 * ```
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
