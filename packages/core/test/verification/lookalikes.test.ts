/**
 * Lookalikes of verified accounts: homoglyphs, digit-for-letter swaps, separators, diacritic
 * games and one-edit typos are reported on NOT_FOUND answers; unrelated accounts are not.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleSkeleton } from '../../src/accounts/skeleton.ts';
import { MAX_KEYS_PER_LOOKUP } from '../../src/verification/coalesced-lookups.ts';
import { openTestRegistry, createVerifiedMember, type TestRegistry, registryInternals } from '../../src/testing/index.ts';

describe('handle skeletons', () => {
  it.each([
    ['tinnhiemso.cantho', 'tinnhiemso_cantho'],
    ['tinnhiemso.cantho', 'TinNhiemSo.CanTho'],
    ['tinnhiemso.cantho', 'tinnhiemso.canth0'],
    ['tinnhiemso.cantho', 'tіnnhіemso.cantho'], // Cyrillic і
    ['tinnhiemso.cantho', 'tínnhiêmsô.cầnthơ'],
    ['modem', 'rnodem'],
  ])('%s looks like %s', (a, b) => expect(handleSkeleton(b)).toBe(handleSkeleton(a)));

  it('keeps different handles apart', () => {
    expect(handleSkeleton('tinnhiemso.cantho')).not.toBe(handleSkeleton('tinnhiemso.vinhlong'));
  });
});

describe('verify reports lookalikes of verified accounts', () => {
  let test: TestRegistry;
  beforeAll(async () => {
    test = await openTestRegistry();
    await createVerifiedMember(test.registry, { displayName: 'Tín nhiệm số Cần Thơ', accounts: ['https://www.facebook.com/tinnhiemso.cantho'], program: 'OFFICIAL_CHANNEL' });
  });
  afterAll(() => test.close());

  it.each([
    ['https://www.facebook.com/tinnhiemso.canth0', 'SPELLING'], // digit for letter
    ['https://www.facebook.com/tinnhiemsocanthoo', 'SPELLING'], // one letter added
    ['https://www.facebook.com/tinhiemso.cantho', 'SPELLING'], // one letter dropped
    ['https://www.facebook.com/tinnhiemso.cantha', 'SPELLING'], // one letter changed
    ['https://www.facebook.com/tinnhiemso.cantho.vn', 'NAME_REUSED'], // two edits away, but the name plus a country code
    ['https://www.facebook.com/tinnhiemso.cantho.hotro', 'NAME_REUSED'], // the seed's scam page
    ['https://www.facebook.com/cantho.tinnhiemso', 'NAME_REUSED'], // the words swapped
  ])('%s (%s)', async (url, match) => {
    const answer = await test.registry.verify({ url });
    expect(answer.status).toBe('NOT_FOUND');
    expect(answer.lookalikeOf.map((l) => [l.key, l.match])).toEqual([['facebook:tinnhiemsocantho', match]]);
  });

  it.each(['https://www.facebook.com/cantho.news', 'https://www.facebook.com/cantho.hotro', 'https://www.facebook.com/tinnhiemso.vinhlong.hotro'])(
    'does not tie %s to the verified page',
    async (url) => {
      const answer = await test.registry.verify({ url });
      expect(answer.status).toBe('NOT_FOUND');
      expect(answer.lookalikeOf).toEqual([]);
    },
  );

  it('a flagged impersonator (the seed\'s scam page) shows the account it impersonates', async () => {
    const url = 'https://www.facebook.com/tinnhiemso.cantho.cskh';
    const report = await test.registry.reportAccount({ account: url, category: 'IMPERSONATION', description: 'Giả mạo trang Tín nhiệm số Cần Thơ' });
    await test.registry.resolveReport({ reportId: report.id, decision: 'CONFIRMED', resolution: 'Đã xác minh giả mạo', flagAccount: true }, { id: 'officer-lookalike', role: 'OFFICER' });
    const answer = await test.registry.verify({ url });
    expect(answer.status).toBe('FLAGGED');
    expect(answer.lookalikeOf).toEqual([{ platform: 'FACEBOOK', key: 'facebook:tinnhiemsocantho', url: 'https://www.facebook.com/tinnhiemso.cantho', displayName: 'Tín nhiệm số Cần Thơ', match: 'NAME_REUSED' }]);
  });

  it('does not call the verified account a lookalike of itself, nor flag other platforms', async () => {
    const [self, tiktok] = await test.registry.verifyMany([{ url: 'fb.com/TinNhiemSo.CanTho' }, { url: 'https://www.tiktok.com/@tinnhiemso.cantho' }]);
    expect(self!.status).toBe('VERIFIED');
    expect(self!.lookalikeOf).toEqual([]);
    expect(tiktok!.status).toBe('NOT_FOUND');
    expect(tiktok!.lookalikeOf).toEqual([]);
  });

  it('a large cold batch (two lookups, then a search) finds the same lookalikes as single calls (each searched in its lookup), in 3 queries', async () => {
    const { registry } = test;
    // A member whose page is added but not proven: PENDING, and it looks like the verified page.
    const pending = await registry.registerMember({ kind: 'PAGE_ADMIN', displayName: 'Trang nhái', province: 'Cần Thơ' });
    await registry.addAccount({ memberId: pending.id, account: 'https://www.facebook.com/tinnhiemso.canth0o' });
    const special = ['https://www.facebook.com/tinnhiemso.cantho', 'https://www.facebook.com/tinnhiemsso.cantho', 'https://www.facebook.com/tinnhiemso.canth0o'];
    const filler = Array.from({ length: MAX_KEYS_PER_LOOKUP }, (_, i) => `https://www.facebook.com/unrelated.page.${i}.${Date.now()}`);
    const inputs = [...filler.slice(0, 100), ...special, ...filler.slice(100)].map((url) => ({ url }));
    const spy = vi.spyOn(registryInternals(registry).db.sql, 'query');
    try {
      registryInternals(registry).context.lookups.clear();
      const answers = await registry.verifyMany(inputs);
      // 503 keys: two lookups of at most MAX_KEYS_PER_LOOKUP; the first too large to search in, so one lookalike search for its suspects (all but the verified page).
      expect(spy.mock.calls.length).toBe(3);
      const [verified, typo, pendingAnswer] = answers.slice(100, 103);
      expect(verified!.status).toBe('VERIFIED');
      expect(verified!.lookalikeOf).toEqual([]);
      expect(typo!.status).toBe('NOT_FOUND');
      expect(typo!.lookalikeOf.map((l) => l.key)).toEqual(['facebook:tinnhiemsocantho']);
      expect(pendingAnswer!.status).toBe('PENDING');
      expect(pendingAnswer!.lookalikeOf.map((l) => l.key)).toEqual(['facebook:tinnhiemsocantho']);
      expect(answers.filter((a) => a.lookalikeOf.length > 0)).toHaveLength(2);
      // The same answers one at a time, from a cold cache.
      registryInternals(registry).context.lookups.clear();
      for (const url of special) expect((await registry.verify({ url })).lookalikeOf).toEqual(answers[100 + special.indexOf(url)]!.lookalikeOf);
    } finally {
      spy.mockRestore();
    }
  });
});
