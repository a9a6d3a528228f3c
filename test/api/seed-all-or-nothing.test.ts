/**
 * Seeding is all or nothing (issue 10, item 7): a seed that fails half way leaves no member, no
 * pledge and no log entry, so a rerun loads the whole set instead of saying "Nothing to do".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';
import { ALLIANCE_CHANNELS, seedDemo } from '../../services/api/src/demo/seed-demo.ts';

let test: TestRegistry;
beforeAll(async () => {
  test = await openTestRegistry();
}, 600_000);
afterAll(() => test?.close());

async function counts() {
  const p = test.registry.context.prisma;
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
    expect(await test.registry.context.prisma.member.count()).toBe(before.members + summary.members);
    expect((await test.registry.verify({ url: ALLIANCE_CHANNELS[0] })).status).toBe('VERIFIED');

    expect(await seedDemo(test.registry)).toMatchObject({ seeded: false, reason: 'the demo data is already there' });
  });
});
