/**
 * Interop: the `canonicalize` package (an RFC 8785 implementation written elsewhere) against
 * our canonical JSON, on generated JSON values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson } from '@trust-alliance/verifier';

describe('canonicalize (npm) and our canonical JSON agree', () => {
  it('on 20,000 generated JSON values (fixed seed)', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 20_000, seed: 14 },
    );
  });

  it('on the number and string cases RFC 8785 singles out', () => {
    const cases: unknown[] = [
      [1e21, 1e-7, 0.000001, -0, 333333333.3333333, 1e300, 5e-324, 9007199254740993, 0.1 + 0.2],
      { '\u20ac': 'Euro', '\r': 'cr', '1': 'one', '\u0080': 'ctl', '\ud83d\ude00': 'smile', '\u00f6': 'o' },
      'line\nbreak \u2028 \u001f "quote" \\ tiếng Việt',
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(canonicalize(value));
  });
});
