/**
 * The small registry the in-process profiles ask (profile-cache-off.ts, profile-web-routes.ts):
 * an embedded test registry with 20 verified KOL members, one Facebook page each, and the URLs
 * to ask about them (every third in a mobile share-link spelling, so normalizing is measured too).
 */
import { onboardMember, ensurePledge, type RegistryOptions } from '@trust-alliance/core';
import { openTestRegistry, type TestRegistry } from '@trust-alliance/core/testing';

export async function openProfiledRegistry(options: RegistryOptions = {}): Promise<{ test: TestRegistry; urls: string[] }> {
  const test = await openTestRegistry(options);
  await ensurePledge(test.registry);
  const urls: string[] = [];
  for (let i = 0; i < 20; i++) {
    const url = `https://www.facebook.com/profiled.member.${i}`;
    await onboardMember(test.registry, { member: { kind: 'KOL', displayName: `Thành viên ${i}`, province: 'Hà Nội' }, accounts: [url] });
    urls.push(i % 3 === 0 ? url.replace('https://www.', 'https://m.') + '/?ref=share' : url);
  }
  return { test, urls };
}
