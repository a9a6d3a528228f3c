/**
 * Attack 2 of issue 10, by hand (not a timed test): a paying client (a PLATFORM token) makes
 * verify calls one after another while two anonymous connections, from a child process, send
 * deeply nested and huge bodies (4 MiB each) as fast as they are answered. Prints the paying client's p50/p99 without and with
 * the attack; the target is a p99 under 100 ms during the attack.
 *
 *   npx tsx test/security/attack-bodies.ts            # 10 s per phase
 *   SECONDS=20 npx tsx test/security/attack-bodies.ts
 */
import { request } from 'node:http';
import { fork } from 'node:child_process';
import { openTestRegistry, createVerifiedMember } from '@trust-alliance/core/testing';
import { createApp } from '../../services/api/src/server/create-yoga.ts';
import { listen } from '../../services/api/src/server/http.ts';
import { publicRoutes } from '../../services/api/src/http/index.ts';

const PHASE_MS = Number(process.env.SECONDS || 10) * 1000;

function post(origin: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const test = await openTestRegistry();
  await createVerifiedMember(test.registry, { accounts: ['https://www.facebook.com/tinnhiemso.cantho'] });
  const app = createApp({ registry: test.registry, routes: publicRoutes(test.registry), publicRateLimit: 0, graphiql: false, logError: () => {} });
  const server = await listen(app, { port: 0 });
  const token = await app.tokens.issueAccessToken({ role: 'PLATFORM', subject: 'paying' });
  const verify = JSON.stringify({ query: '{ verify(input: { url: "https://facebook.com/tinnhiemso.cantho" }) { status } }' });

  const paying = async (untilMs: number): Promise<number[]> => {
    const times: number[] = [];
    while (performance.now() < untilMs) {
      const start = performance.now();
      const status = await post(server.origin, verify, { authorization: `Bearer ${token}` });
      if (status !== 200) throw new Error(`paying client got ${status}`);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  };

  await paying(performance.now() + 1000); // warm up
  const quiet = await paying(performance.now() + PHASE_MS);
  const child = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, ATTACK_ORIGIN: server.origin, ATTACK_MS: String(PHASE_MS) }, execArgv: process.execArgv });
  await new Promise((r) => child.once('message', r)); // the attacker is ready
  const attacked = await paying(performance.now() + PHASE_MS);
  const counts = await new Promise<Record<string, number>>((r) => child.once('message', (m) => r(m as Record<string, number>)));

  const line = (name: string, t: number[]) => `${name.padEnd(16)} n=${String(t.length).padStart(5)}  p50=${percentile(t, 50).toFixed(1)} ms  p99=${percentile(t, 99).toFixed(1)} ms`;
  console.log(line('without attack', quiet));
  console.log(line('during attack', attacked));
  console.log(`attack requests answered: ${Object.entries(counts).map(([s, n]) => `${n}×${s}`).join(', ')}`);
  await server.close();
  await app.close();
  await test.close();
}

/** The attacker's side (the child process): two connections, each sending one kind of body. */
async function attack(origin: string, ms: number): Promise<void> {
  // The bodies of the original attack: 4 MiB of nesting, and 4 MiB of one long string.
  const nested = Buffer.from(`{"query":"{ __typename }","variables":{"x":${'['.repeat(2 * 1024 * 1024)}${']'.repeat(2 * 1024 * 1024 - 8)}}}`);
  const huge = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(4 * 1024 * 1024 - 64) } }));
  const counts: Record<string, number> = {};
  const until = performance.now() + ms;
  const one = async (body: Buffer) => {
    while (performance.now() < until) {
      const status = await post(origin, body);
      counts[status] = (counts[status] ?? 0) + 1;
    }
  };
  process.send!('ready');
  await Promise.all([one(nested), one(huge)]);
  process.send!(counts);
  process.disconnect();
}

if (process.env.ATTACK_ORIGIN) await attack(process.env.ATTACK_ORIGIN, Number(process.env.ATTACK_MS));
else await main();
