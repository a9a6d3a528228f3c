/**
 * Where a batch of 1,000 `verifyMany` answers spends its time between the lookup and the bytes
 * on the wire (issue 16): the same 1,000 inputs through core (`registry.verifyMany`), through
 * GraphQL in process (`yoga.fetch`, the bench's selection of fields) and the GraphQL response
 * serialized alone. The lookup cache is off, so every batch pays its lookup (cold keys). Prints
 * wall and CPU ms per batch per path; `--profile DIR` writes a CPU profile of the GraphQL path
 * and prints its top JavaScript functions. PGlite in memory by default; PostgreSQL with
 * DATABASE_URL (a database of its own, dropped after).
 *
 *   NODE_ENV=production pnpm exec tsx test/bench/profile-verify-many.ts [--batches 20] [--hot] [--profile /tmp/prof-many]
 */
import { join } from 'node:path';
import { ensurePledge, onboardMember } from '@trust-alliance/core';
import { openTestRegistry } from '@trust-alliance/core/testing';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';
import { accessTokensFor } from '../../services/api/src/auth/access-tokens.ts';
import { cliArg, median } from './common.ts';
import { VERIFY_MANY_QUERY } from './load-driver.ts';
import { startInProcessProfile } from './profile.ts';

const batches = Number(cliArg('batches') ?? 20);
// --hot: the lookup cache on and warm, so what is left is the cost of answering, not of looking up.
const hot = process.argv.includes('--hot');
const profileDir = cliArg('profile');
const BATCH = 1_000;

// 900 registered pages (50 members × 18) and 100 unknown ones, as a platform's batch would mix them.
const test = await openTestRegistry({ lookupCache: hot ? {} : false });
const { registry } = test;
await ensurePledge(registry);
const urls: string[] = [];
for (let m = 0; m < 50; m++) {
  const accounts = Array.from({ length: 18 }, (_, a) => `https://www.facebook.com/batch.member.${m}.page.${a}`);
  await onboardMember(registry, { member: { kind: 'KOL', displayName: `Thành viên ${m}`, province: 'Hà Nội' }, accounts });
  urls.push(...accounts);
}
for (let u = 0; urls.length < BATCH; u++) urls.push(`https://www.facebook.com/unknown.page.${u}`);
const inputs = urls.slice(0, BATCH).map((url) => ({ url }));
const tokens = accessTokensFor(registry);
const token = await tokens.issueAccessToken({ role: 'PLATFORM', subject: 'bench', ttlSeconds: 3600 });
const app = createApp({ registry, tokens, graphiql: false, routes: publicRoutes(registry), publicRateLimit: 0, loadShedding: false, logError: () => {} });
const body = JSON.stringify({ query: VERIFY_MANY_QUERY, variables: { inputs }, operationName: 'Many' });

let lastJson = '';
const paths: Record<string, () => Promise<void>> = {
  'core verifyMany': async () => {
    const answers = await registry.verifyMany(inputs);
    if (answers.length !== BATCH) throw new Error(`verifyMany answered ${answers.length}`);
  },
  'GraphQL verifyMany (yoga.fetch)': async () => {
    const res = await app.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body,
    });
    lastJson = await res.text();
    if (!lastJson.includes('"verifyMany":[')) throw new Error(`unexpected answer ${lastJson.slice(0, 200)}`);
  },
  'JSON.parse + stringify of the answer alone': async () => {
    JSON.stringify(JSON.parse(lastJson));
  },
};

const report: Record<string, { wallMs: number; cpuMs: number }> = {};
for (const [name, path] of Object.entries(paths)) {
  for (let w = 0; w < 3; w++) await path(); // JIT, plans
  const stopProfile = profileDir && name.startsWith('GraphQL') ? await startInProcessProfile() : null;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await path();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  report[name] = { wallMs: +median(wall).toFixed(1), cpuMs: +median(cpu).toFixed(1) };
  await stopProfile?.(join(profileDir!, 'verify-many-graphql.cpuprofile'), 'GraphQL verifyMany', 20);
}
console.log(JSON.stringify({ batch: BATCH, batches, lookupCache: hot ? 'on, warm' : 'off', answerBytes: lastJson.length, medians: report }, null, 1));
await test.close();
