import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { handleSkeleton } from '../../src/accounts/skeleton.ts';

// A combining mark is dropped by the skeleton, but a handle holding one is not ASCII: the
// skeleton of `h` and of `h` + mark compare the ASCII fast path with the Unicode path.
const COMBINING_ACUTE = '\u0301';

describe('the skeleton of an ASCII handle', () => {
  it('is the one the Unicode path computes', () => {
    // Printable ASCII, weighted towards what handles hold and the table folds (0 1 | $ @ rn vv cl).
    const piece = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 6 }), fc.constantFrom('rn', 'vv', 'cl', 'r.n', '0', '1', '|', '$', '@', 'I', 'J', '_', '.'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), (handle) => {
        expect(handleSkeleton(handle)).toBe(handleSkeleton(handle + COMBINING_ACUTE));
      }),
      { numRuns: 2000 },
    );
  });

  it('folds what the table says', () => {
    expect(handleSkeleton('TinNhiem$o.C4nTh0')).toBe('tlnnhlemsocantho');
    expect(handleSkeleton('r.n-v.v_c.l')).toBe('rnvvcl');
    expect(handleSkeleton('rnvvcl|!@')).toBe('mwdlla');
  });
});
