/**
 * Members' own data keys (privacy/member-keys.ts): each key opens only its member's values, a
 * wrapped key is bound to its member, and re-wrapping under a new master key keeps the data readable.
 */
import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../src/index.ts';
import { loadDataKeys } from '../../src/privacy/data-key.ts';
import { MemberKeys } from '../../src/privacy/member-keys.ts';
import { SealedBox } from '../../src/privacy/sealed-box.ts';

async function keysOf(dataKey: string): Promise<MemberKeys> {
  const derived = await loadDataKeys({ dataKey });
  return new MemberKeys(derived.memberKeyWrapping, new SealedBox(derived.personalData));
}

describe('member keys', () => {
  it('are random per member, bound to their member, and derived apart from the other keys', async () => {
    const dataKey = generateDataKey();
    const keys = await keysOf(dataKey);
    const a = keys.create('member-a').dataKey;
    const b = keys.create('member-b').dataKey;
    const sealed = keys.box('member-a', a).seal('bí mật của A', 'ctx');
    expect(keys.box('member-a', a).open(sealed, 'ctx')).toBe('bí mật của A');
    expect(() => keys.box('member-b', b).open(sealed, 'ctx')).toThrow();
    // A wrapped key moved to another member does not unwrap.
    expect(() => keys.box('member-b', a)).toThrow();
    const derived = await loadDataKeys({ dataKey });
    expect(derived.memberKeyWrapping.equals(derived.personalData)).toBe(false);
    expect(derived.memberKeyWrapping.equals(derived.keyWrapping)).toBe(false);
  });

  it('re-wrap under a new master key: the same key, the data untouched', async () => {
    const before = await keysOf(generateDataKey());
    const after = await keysOf(generateDataKey());
    const wrapped = before.create('member-c').dataKey;
    const sealed = before.box('member-c', wrapped).seal('dữ liệu', 'ctx');
    const rewrapped = before.rewrap('member-c', wrapped, after);
    expect(after.box('member-c', rewrapped).open(sealed, 'ctx')).toBe('dữ liệu');
    expect(() => after.box('member-c', wrapped)).toThrow();
  });
});
