/**
 * What computing a lookalike search's probes costs (accounts/skeleton.ts, accounts/affixes.ts):
 * the skeleton and its deletion variants and the impersonation cores of 1,000 accounts shaped
 * like the bench's (`kol.<i><abc>` on Facebook, unknown `nobody.<salt>.<i>` on TikTok, a third
 * with an affix word), timed 30 times; prints the median per batch and per account. Run it in
 * two checkouts, alternated, to compare.
 *
 *   pnpm exec tsx test/bench/lookalike-probes.ts
 */
import { normalizeAccount } from '@trust-alliance/core';
import { accountSkeleton } from '../../packages/core/src/accounts/skeleton.ts';
import { impersonationCores } from '../../packages/core/src/accounts/affixes.ts';
import { median } from './common.ts';

const accounts = Array.from({ length: 1_000 }, (_, i) =>
  normalizeAccount(i % 3 === 0 ? `https://www.tiktok.com/@nobody.${i}.${i * 7}` : i % 3 === 1 ? `https://www.facebook.com/kol.${i}abc` : `https://www.facebook.com/kol.${i}abc.hotro`),
);
let probes = 0;
const batch = () => {
  probes = 0;
  for (const account of accounts) probes += impersonationCores(account).length + 1 + (accountSkeleton(account)?.variants.length ?? 0);
};
for (let w = 0; w < 5; w++) batch();
const ms: number[] = [];
for (let r = 0; r < 30; r++) {
  const t0 = performance.now();
  batch();
  ms.push(performance.now() - t0);
}
console.log(`${accounts.length} accounts, ${probes} probes: ${median(ms).toFixed(2)} ms a batch (median of ${ms.length}), ${((median(ms) * 1000) / accounts.length).toFixed(1)} µs an account`);
