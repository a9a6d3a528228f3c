/**
 * `pnpm cli keys rotate-data-key` (issue 17) on the direct path (no running service, a folder of
 * its own): with TRUST_DATA_KEY=new and TRUST_DATA_KEY_PREVIOUS=old it re-wraps every stored key,
 * printing progress on stderr; afterwards the new key alone opens the data and the old one alone is
 * refused (exit 4, KEY_ERROR). Bad input exits 2; TRUST_DATA_KEY_PREVIOUS alone is a bad setting.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE } from '../../services/api/src/config.ts';
import { generateDataKey, MEMBERSHIP_BASES, openRegistry } from '@trust-alliance/core';
import { cli, embeddedCliFolder } from './cli-direct-path.ts';

const folder = embeddedCliFolder('trust-cli-rotate-');
const savedPrevious = process.env.TRUST_DATA_KEY_PREVIOUS;
const newKey = generateDataKey();
let oldKey: string;
let memberId: string;

beforeAll(async () => {
  // The first open generates the folder's key file: the key being retired.
  const registry = await openRegistry({ dataDir: folder.dataDir });
  try {
    memberId = (await registry.registerMember({ kind: 'KOL', displayName: 'CLI Xoay Khóa', personal: { phone: '0966 000 222' }, bases: [...MEMBERSHIP_BASES] })).id;
    await registry.registerMember({ kind: 'BUSINESS', displayName: 'CLI Xoay Khóa 2', personal: { email: 'xoay@example.vn' }, bases: [...MEMBERSHIP_BASES] });
  } finally {
    await registry.close();
  }
  oldKey = (await readFile(join(folder.dataDir, 'data-key'), 'utf8')).trim();
});
afterAll(() => {
  if (savedPrevious === undefined) delete process.env.TRUST_DATA_KEY_PREVIOUS;
  else process.env.TRUST_DATA_KEY_PREVIOUS = savedPrevious;
});

const useKeys = (current: string | undefined, previous: string | undefined) => {
  for (const [name, value] of [['TRUST_DATA_KEY', current], ['TRUST_DATA_KEY_PREVIOUS', previous]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

describe('pnpm cli keys rotate-data-key', { timeout: 300_000 }, () => {
  it('refuses bad input (exit 2) and the previous key without a current one (configuration exit code)', async () => {
    useKeys(newKey, oldKey);
    const bad = await cli('keys', 'rotate-data-key', '--batch-size', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--batch-size must be a whole number from 1 to 5000');
    expect((await cli('keys', 'list', '--batch-size', '5')).code).toBe(2);
    useKeys(undefined, oldKey);
    const alone = await cli('keys', 'rotate-data-key');
    expect(alone.code).toBe(CONFIG_EXIT_CODE);
    expect(alone.err).toContain('TRUST_DATA_KEY_PREVIOUS');
    expect(alone.err).not.toContain(oldKey);
  });

  it('re-wraps every stored key under the new key, with progress; then the old key alone is refused', async () => {
    useKeys(newKey, oldKey);
    const res = await cli('keys', 'rotate-data-key', '--batch-size', '1');
    expect(res.code, res.err).toBe(0);
    // Three registry secrets and two member keys.
    expect(res.err.split('\n').at(-1)).toBe('Re-wrapped 5/5 stored keys');
    expect(res.out).toContain('Every stored key is now wrapped under master key');
    expect(res.out).toContain('Mọi khóa lưu trữ');
    expect(`${res.out}${res.err}`).not.toContain(newKey);

    useKeys(oldKey, undefined);
    const refused = await cli('keys', 'list');
    expect(refused.code).toBe(4);
    expect(refused.err).toContain('KEY');

    useKeys(newKey, undefined);
    expect((await cli('keys', 'list')).code).toBe(0);
    const again = await cli('keys', 'rotate-data-key');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('0 member key(s) this run');
    const registry = await openRegistry({ dataDir: folder.dataDir, dataKey: newKey });
    try {
      expect(await registry.readPersonalData(memberId, ['phone'], { id: 'officer-cli', role: 'OFFICER' }, { purpose: 'CONTACT' })).toEqual({ phone: '0966 000 222' });
    } finally {
      await registry.close();
    }
  });
});
