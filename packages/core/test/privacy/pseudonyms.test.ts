/**
 * Keyed pseudonyms (privacy/pseudonyms.ts): stable under one data key, unrelated across
 * purposes and keys, and never the value itself.
 */
import { describe, expect, it } from 'vitest';
import { generateDataKey, loadDataKeys } from '../../src/privacy/data-key.ts';
import { Pseudonyms } from '../../src/privacy/pseudonyms.ts';
import { openTestRegistry } from '../../src/testing/index.ts';

describe('pseudonyms', () => {
  it('are 128-bit hex, stable for one key and purpose, and never contain the value', async () => {
    const dataKey = generateDataKey();
    const a = new Pseudonyms((await loadDataKeys({ dataKey })).pseudonyms);
    const b = new Pseudonyms((await loadDataKeys({ dataKey })).pseudonyms);
    const p = a.of('rate-limit', '203.0.113.7');
    expect(p).toMatch(/^[0-9a-f]{32}$/);
    expect(b.of('rate-limit', '203.0.113.7')).toBe(p);
    // Not the address, nor its digits run together (a 3-digit piece would appear in random hex
    // about once in 140 keys: that flaked).
    expect(p).not.toContain('203.0.113.7');
    expect(p).not.toContain('20301137');
    expect(a.of('rate-limit', '203.0.113.8')).not.toBe(p);
    expect(a.of('another-purpose', '203.0.113.7')).not.toBe(p);
  });

  it('differ under another data key, so a table of every address hashed is no use without the key', async () => {
    const one = new Pseudonyms((await loadDataKeys({ dataKey: generateDataKey() })).pseudonyms);
    const other = new Pseudonyms((await loadDataKeys({ dataKey: generateDataKey() })).pseudonyms);
    expect(one.of('rate-limit', '203.0.113.7')).not.toBe(other.of('rate-limit', '203.0.113.7'));
  });

  it('are what registry.pseudonym gives, and its key is not the personal-data key', async () => {
    const dataKey = generateDataKey();
    const { registry, close } = await openTestRegistry({ dataKey });
    try {
      const keys = await loadDataKeys({ dataKey });
      expect(registry.pseudonym('rate-limit', '198.51.100.1')).toBe(new Pseudonyms(keys.pseudonyms).of('rate-limit', '198.51.100.1'));
      expect(registry.pseudonym('rate-limit', '198.51.100.1')).not.toBe(new Pseudonyms(keys.personalData).of('rate-limit', '198.51.100.1'));
    } finally {
      await close();
    }
  });
});
