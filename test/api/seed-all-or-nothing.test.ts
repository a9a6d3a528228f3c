/**
 * Seeding is all or nothing (issue 10, item 7): a seed that fails half way leaves no member, no
 * pledge and no log entry, so a rerun loads the whole set instead of saying "Nothing to do".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataKey, openRegistry } from '@trust-alliance/core';
import { openTestRegistry, type TestRegistry, registryInternals } from '@trust-alliance/core/testing';
import { ALLIANCE_CHANNELS, seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { runCli } from '../../services/api/src/cli/main.ts';

let test: TestRegistry;
beforeAll(async () => {
  test = await openTestRegistry();
}, 600_000);
afterAll(() => test?.close());

async function counts() {
  const p = registryInternals(test.registry).context.prisma;
  return { members: await p.member.count(), pledges: await p.pledgeVersion.count(), badges: await p.badge.count(), log: await p.logEntry.count() };
}

describe('pnpm cli seed', { timeout: 600_000 }, () => {
  it('leaves nothing when it fails half way, and a rerun loads the whole set', async () => {
    const before = await counts();
    const messages: string[] = [];
    // The seed's last progress line comes after every write: failing there is the worst case.
    const failAtTheEnd = (message: string) => {
      messages.push(message);
      if (/members, \d+ badges/.test(message)) throw new Error('injected failure');
    };
    await expect(seedDemo(test.registry, { log: failAtTheEnd })).rejects.toThrow('injected failure');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(await counts()).toEqual(before);
    expect((await test.registry.verify({ url: ALLIANCE_CHANNELS[0] })).status).toBe('NOT_FOUND');

    const summary = await seedDemo(test.registry);
    expect(summary).toMatchObject({ seeded: true });
    expect(summary.members).toBeGreaterThan(5);
    expect(await registryInternals(test.registry).context.prisma.member.count()).toBe(before.members + summary.members);
    expect((await test.registry.verify({ url: ALLIANCE_CHANNELS[0] })).status).toBe('VERIFIED');

    expect(await seedDemo(test.registry)).toMatchObject({ seeded: false, reason: 'the demo data is already there' });
  });

  it('is refused before any write when TRUST_DATA_KEY is not the data\'s key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trust-seed-key-'));
    const saved = { dir: process.env.TRUST_DATA_DIR, key: process.env.TRUST_DATA_KEY, url: process.env.DATABASE_URL };
    const right = generateDataKey();
    try {
      const counts = async (registry: Awaited<ReturnType<typeof openRegistry>>) => ({ members: await registryInternals(registry).context.prisma.member.count(), log: await registryInternals(registry).context.prisma.logEntry.count() });
      const first = await openRegistry({ dataDir: dir, databaseUrl: '', dataKey: right });
      const before = await counts(first);
      await first.close();
      Object.assign(process.env, { TRUST_DATA_DIR: dir, TRUST_DATA_KEY: generateDataKey() });
      delete process.env.DATABASE_URL;
      const err: string[] = [];
      expect(await runCli(['seed'], { out: () => {}, err: (t) => err.push(t) })).toBe(4); // keys: core's error table
      expect(err.join('\n')).toMatch(/TRUST_DATA_KEY is not the key this data was encrypted with/);
      const registry = await openRegistry({ dataDir: dir, databaseUrl: '', dataKey: right });
      try {
        expect(await counts(registry)).toEqual(before);
        expect(before.members).toBe(0);
      } finally {
        await registry.close();
      }
    } finally {
      for (const [name, value] of [['TRUST_DATA_DIR', saved.dir], ['TRUST_DATA_KEY', saved.key], ['DATABASE_URL', saved.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
