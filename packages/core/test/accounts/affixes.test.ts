/**
 * The candidate cores an impersonating handle is reduced to (accounts/affixes.ts): affix words
 * and digits stripped at either end, glued on or not, words reordered; never a short core or a
 * single place or topic word, never more than MAX_CORES per handle, nothing for numeric ids.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeAccount } from '../../src/accounts/normalize.ts';
import { handleSkeleton } from '../../src/accounts/skeleton.ts';
import { AFFIX_WORDS, GENERIC_WORDS, impersonationCores, MAX_CORES, MIN_CORE_LENGTH } from '../../src/accounts/affixes.ts';

const cores = (url: string) => impersonationCores(normalizeAccount(url));
const fb = (name: string) => `facebook:${handleSkeleton(name)}`;

describe('impersonationCores', () => {
  it.each([
    ['tinnhiemso.cantho.hotro', 'suffix word'],
    ['cskh.tinnhiemso.cantho', 'prefix word'],
    ['tinnhiemsocantho.chinhthuc', 'glued name, separate word'],
    ['hotrotinnhiemsocantho', 'word glued on in front'],
    ['tinnhiemsocanthocskh', 'word glued on behind'],
    ['tinnhiemso.cantho.2024', 'a year'],
    ['tinnhiemsocantho99', 'digits glued on'],
    ['official.tinnhiemso.cantho.vn.2025', 'words and digits at both ends'],
    ['tinnhiemso.hotro.cantho', 'a word in the middle'],
    ['cantho.tinnhiemso', 'words swapped'],
    ['cantho.tinnhiemso.cskh', 'words swapped and a word added'],
    ['tinnhiemso.cantho.h0tro', 'a homoglyph in the added word'],
  ])('%s (%s) yields the verified name', (handle) => {
    expect(cores(`https://www.facebook.com/${handle}`)).toContain(fb('tinnhiemsocantho'));
  });

  it('never strips words that are not affixes, so a place plus a topic stays itself', () => {
    expect(cores('https://www.facebook.com/cantho.news')).not.toContain(fb('cantho'));
    expect(cores('https://www.facebook.com/dulich.cantho.hotro')).toEqual([fb('dulichcantho'), fb('canthodulich')]);
  });

  it('strips short affix words only as whole words, not from inside a syllable', () => {
    expect(cores('https://www.facebook.com/thethao.cantho')).not.toContain(fb('thaocantho'));
    expect(cores('https://www.facebook.com/the.thao.cantho')).toContain(fb('thaocantho'));
    expect(cores('https://www.facebook.com/thaocanthovn')).toContain(fb('thaocantho'));
  });

  it('never yields a single place or topic word, nor a core shorter than the minimum', () => {
    expect(cores('https://www.facebook.com/cantho.hotro')).toEqual([]);
    expect(cores('https://www.facebook.com/travel.official')).toEqual([]);
    expect(cores('https://www.facebook.com/thuha.official')).toEqual([]); // "thuha" is 5 characters
  });

  it('leaves numeric ids and phone accounts alone', () => {
    expect(cores('https://www.facebook.com/profile.php?id=100012345678901')).toEqual([]);
    expect(cores('https://zalo.me/1783926754892173025')).toEqual([]);
  });

  it('every affix and generic word folds to letters and digits only (they are compared as skeletons)', () => {
    for (const word of [...Object.keys(AFFIX_WORDS), ...Object.keys(GENERIC_WORDS)]) expect(word, word).toMatch(/^[a-z0-9]+$/);
  });

  it('for any handle: at most MAX_CORES cores, each long enough, on the same platform, never the handle itself', () => {
    const words = fc.constantFrom(...Object.keys(AFFIX_WORDS), ...Object.keys(GENERIC_WORDS), 'tinnhiemso', 'thuha', '2024', '9', 'abc');
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 9 }), fc.constantFrom('.', '_'), (parts, sep) => {
        const handle = parts.join(sep).slice(0, 24);
        if (!/^[a-z0-9][a-z0-9._]*[a-z0-9_]$/.test(handle)) return;
        const account = normalizeAccount({ platform: 'TIKTOK', handle });
        const found = impersonationCores(account);
        expect(found.length).toBeLessThanOrEqual(MAX_CORES);
        for (const core of found) {
          expect(core.startsWith('tiktok:')).toBe(true);
          expect(core.length - 'tiktok:'.length).toBeGreaterThanOrEqual(MIN_CORE_LENGTH);
          expect(core).not.toBe(`tiktok:${handleSkeleton(account.handle)}`);
        }
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
