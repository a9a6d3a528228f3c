/**
 * Lifting a flag: the account leaves the flag list now, history still answers FLAGGED for the
 * time the flag stood, the hot-lookup cache never serves the lifted flag, and refusals change
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { MAX_LIFT_REASON_LENGTH } from '../../src/index.ts';
import { liftReasonContext } from '../../src/reports/flags.ts';
import { createVerifiedMember, type TestClock, registryInternals } from '../../src/testing/index.ts';
import { expectRefused, facebookKey, logCount, uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
let clock: TestClock;
useFileRegistry((t) => ({ registry, clock } = t));

const officer = { id: 'officer-lift', role: 'OFFICER' } as const;

/** Reports `url`, confirms it and flags it; returns the flag. */
async function flagAccount(url: string, category: 'SCAM' | 'IMPERSONATION' = 'IMPERSONATION') {
  const report = await registry.reportAccount({ account: url, category, description: 'Giả mạo trang đã xác minh' });
  const { flag } = await registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh giả mạo', flagAccount: true }, officer);
  return flag!;
}

describe('liftFlag', () => {
  it('FLAGGED before, NOT_FOUND now after the lift, still FLAGGED as of a moment before it; the cache needs no help', async () => {
    const url = uniqueFacebookUrl('lifted');
    const flag = await flagAccount(url);
    clock.advance(1000);
    const whileFlagged = clock.now();
    clock.advance(1000);

    // Twice, so the second answer comes from the hot-lookup cache.
    expect((await registry.verify({ url })).status).toBe('FLAGGED');
    const hits = registryInternals(registry).context.lookups.hits;
    expect((await registry.verify({ url: url.replace('https://www.facebook.com', 'fb.com') })).status).toBe('FLAGGED');
    expect(registryInternals(registry).context.lookups.hits).toBe(hits + 1);

    const logs = await logCount(registry);
    const lifted = await registry.liftFlag({ flagId: flag.id, reason: 'Báo cáo nhầm: chủ trang thật đã chứng minh' }, officer);
    expect(lifted).toMatchObject({ id: flag.id, accountKey: facebookKey(url), category: 'IMPERSONATION' });
    expect(lifted.liftedAt).toBeInstanceOf(Date);
    expect(lifted.liftedAt!.getTime()).toBeGreaterThan(whileFlagged.getTime());

    // No cache clearing here: the write did it.
    const now = await registry.verify({ url });
    expect(now.status).toBe('NOT_FOUND');
    expect(now.flags).toEqual([]);
    const then = await registry.verify({ url }, { at: whileFlagged });
    expect(then.status).toBe('FLAGGED');
    expect(then.flags).toMatchObject([{ category: 'IMPERSONATION' }]);
    // And after the lift, as of a later moment, it is no longer flagged.
    clock.advance(1000);
    expect((await registry.verify({ url }, { at: clock.now() })).status).toBe('NOT_FOUND');

    // One log entry, without the reason's text.
    expect(await logCount(registry)).toBe(logs + 1);
    const entry = await registryInternals(registry).db.prisma.logEntry.findFirstOrThrow({ orderBy: { idx: 'desc' } });
    expect(entry.kind).toBe('flag.lifted');
    expect(JSON.parse(entry.payload)).toMatchObject({ subject: flag.id, data: { key: facebookKey(url), reportId: flag.reportId, actorRole: 'OFFICER', reasonCommitment: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(entry.payload).not.toContain('chứng minh');
    expect(entry.payload).not.toContain('officer-lift');

    // The reason and who lifted it are kept on the flag, the reason sealed to this flag.
    const stored = await registryInternals(registry).db.prisma.flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(stored.liftedBy).toBe('officer-lift');
    expect(Buffer.from(stored.liftReason!).toString('utf8')).not.toContain('chứng minh');
    expect(registryInternals(registry).context.personal.open(stored.liftReason!, liftReasonContext(flag.id))).toBe('Báo cáo nhầm: chủ trang thật đã chứng minh');
    expect(() => registryInternals(registry).context.personal.open(stored.liftReason!, liftReasonContext('another-flag'))).toThrow();
  });

  it("a registered member's account is VERIFIED again once its flag is lifted", async () => {
    const url = uniqueFacebookUrl('recovered');
    await createVerifiedMember(registry, { accounts: [url] });
    const flag = await flagAccount(url, 'SCAM');
    const whileFlagged = clock.now();
    clock.advance(1000);
    expect((await registry.verify({ url })).status).toBe('FLAGGED');
    await registry.liftFlag({ flagId: flag.id, reason: 'Chủ tài khoản đã lấy lại tài khoản' }, { id: 'admin-1', role: 'ADMIN' });
    expect((await registry.verify({ url })).status).toBe('VERIFIED');
    expect((await registry.verify({ url }, { at: whileFlagged })).status).toBe('FLAGGED');
  });

  it('lifting one of two flags on an account leaves it FLAGGED', async () => {
    const url = uniqueFacebookUrl('twoflags');
    const first = await flagAccount(url, 'IMPERSONATION');
    await flagAccount(url, 'SCAM');
    await registry.liftFlag({ flagId: first.id, reason: 'Nhầm lẫn' }, officer);
    const answer = await registry.verify({ url });
    expect(answer.status).toBe('FLAGGED');
    expect(answer.flags).toMatchObject([{ category: 'SCAM' }]);
  });

  it('lifting a lifted flag is INVALID_TRANSITION and changes nothing', async () => {
    const flag = await flagAccount(uniqueFacebookUrl('twice'));
    const lifted = await registry.liftFlag({ flagId: flag.id, reason: 'Lần đầu' }, officer);
    clock.advance(1000);
    await expectRefused(registry, () => registry.liftFlag({ flagId: flag.id, reason: 'Lần hai' }, officer), {
      code: 'INVALID_TRANSITION',
      data: { entity: 'Flag', from: 'LIFTED', to: 'LIFTED' },
    });
    const stored = await registryInternals(registry).db.prisma.flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(stored.liftedAt).toEqual(lifted.liftedAt);
  });

  it('two lifts of one flag at once: one wins, the other is INVALID_TRANSITION', async () => {
    const flag = await flagAccount(uniqueFacebookUrl('race'));
    const logs = await logCount(registry);
    const outcomes = await Promise.allSettled([
      registry.liftFlag({ flagId: flag.id, reason: 'Cán bộ A' }, officer),
      registry.liftFlag({ flagId: flag.id, reason: 'Cán bộ B' }, { id: 'officer-b', role: 'OFFICER' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await logCount(registry)).toBe(logs + 1);
  });

  it('refuses an unknown flag (NOT_FOUND) and an empty, blank or too long reason (INVALID_INPUT), changing nothing', async () => {
    await expectRefused(registry, () => registry.liftFlag({ flagId: crypto.randomUUID(), reason: 'x' }, officer), { code: 'NOT_FOUND', field: 'flagId', data: { entity: 'Flag' } });
    await expectRefused(registry, () => registry.liftFlag({ flagId: 'not-a-flag', reason: 'x' }, officer), { code: 'NOT_FOUND', field: 'flagId' });
    const url = uniqueFacebookUrl('badreason');
    const flag = await flagAccount(url);
    for (const reason of ['', '   ', ' \n\t ', 'x'.repeat(MAX_LIFT_REASON_LENGTH + 1), 42 as never]) {
      await expectRefused(registry, () => registry.liftFlag({ flagId: flag.id, reason }, officer), { code: 'INVALID_INPUT', field: 'reason' });
    }
    expect((await registryInternals(registry).db.prisma.flag.findUniqueOrThrow({ where: { id: flag.id } })).liftedAt).toBeNull();
    expect((await registry.verify({ url })).status).toBe('FLAGGED');
    // The longest reason allowed is fine.
    await registry.liftFlag({ flagId: flag.id, reason: 'x'.repeat(MAX_LIFT_REASON_LENGTH) }, officer);
    expect((await registry.verify({ url })).status).toBe('NOT_FOUND');
  });

  it('is idempotent under a key: the retry returns the first result and logs nothing; other input is a CONFLICT', async () => {
    const flag = await flagAccount(uniqueFacebookUrl('idem'));
    const input = { flagId: flag.id, reason: 'Gỡ theo quyết định số 12' };
    const request = { scope: 'liftFlag:OFFICER:officer-lift', key: `lift-${flag.id}`, input };
    const logs = await logCount(registry);
    const first = await registry.withIdempotency(request, () => registry.liftFlag(input, officer));
    clock.advance(1000);
    const retry = await registry.withIdempotency(request, () => registry.liftFlag(input, officer));
    expect(retry).toEqual(first);
    expect(retry.liftedAt).toBeInstanceOf(Date);
    expect(await logCount(registry)).toBe(logs + 1);
    const other = { ...input, reason: 'Lý do khác' };
    await expectRefused(registry, () => registry.withIdempotency({ ...request, input: other }, () => registry.liftFlag(other, officer)), { code: 'CONFLICT', field: 'idempotencyKey' });
  });
});
