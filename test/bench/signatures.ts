/**
 * Signatures: attestation signing (`signAttestation`) and verification (`verifyAttestation`,
 * with `statusList: 'skip'` and with a pre-warmed `StatusListCache`) from
 * `@trust-alliance/verifier`, one at a time (each awaited before the next) and as batches of
 * 1,000 at once (`Promise.all`), against raw `node:crypto` Ed25519 `sign`/`verify` of the same
 * bytes (the JWS signing input) in a synchronous loop. Operations per second, medians over
 * rounds, alternating the order each round.
 *
 * Runs in its own process: `node --import tsx signatures.ts '{"rounds":3,"ms":1500}'`, prints
 * one JSON line.
 */
import { KeyObject, sign as rawSign, verify as rawVerify } from 'node:crypto';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import {
  signAttestation,
  signStatusList,
  StatusListCache,
  verifyAttestation,
  verifyStatusListToken,
  type AttestationClaims,
  type SigningKey,
} from '@trust-alliance/verifier';
import { median } from './common.ts';

export interface SignatureResults {
  opsPerSecond: Record<string, number>;
  rounds: Record<string, number[]>;
  jwsBytes: number;
  batch: number;
  msPerMeasurement: number;
  threadpool: string;
}

export const SIGNATURE_CASES = [
  'raw sign',
  'signAttestation one at a time',
  'signAttestation batch',
  'raw verify',
  'verifyAttestation skip one at a time',
  'verifyAttestation skip batch',
  'verifyAttestation cache one at a time',
  'verifyAttestation cache batch',
] as const;

async function main(): Promise<void> {
  const { rounds = 3, ms = 1500, batch = 1000 } = JSON.parse(process.argv[2] ?? '{}') as { rounds?: number; ms?: number; batch?: number };
  const issuer = 'https://registry.example.vn';
  const listUri = `${issuer}/status-lists/1`;

  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key: SigningKey = { privateKey, kid, alg: 'EdDSA' };
  const jwks = { keys: [{ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }] };
  const rawPrivate = KeyObject.from(privateKey);
  const rawPublic = KeyObject.from(publicKey);

  const iat = Math.floor(Date.now() / 1000);
  const claims: AttestationClaims = {
    iss: issuer,
    sub: '0197000a-0000-7000-8000-000000012345',
    trust_mark_type: `${issuer}/programs/KOL_TRUST`,
    iat,
    exp: iat + 365 * 86_400,
    jti: '01970015-0000-7000-8000-000000004242',
    logo_uri: `${issuer}/badge/KOL_TRUST.svg`,
    ref: `${issuer}/v/0197000a-0000-7000-8000-000000012345`,
    accounts: [
      { platform: 'FACEBOOK', key: 'facebook:tinnhiemso.cantho', url: 'https://www.facebook.com/tinnhiemso.cantho', handle: 'tinnhiemso.cantho' },
      { platform: 'TIKTOK', key: 'tiktok:@tinnhiemso.cantho', url: 'https://www.tiktok.com/@tinnhiemso.cantho', handle: 'tinnhiemso.cantho' },
      { platform: 'YOUTUBE', key: 'youtube:@tinnhiemsocantho', url: 'https://www.youtube.com/@tinnhiemsocantho', handle: 'tinnhiemsocantho' },
    ],
    pledge: { version: '1', content_hash: 'sha256:3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    status: { status_list: { idx: 42, uri: listUri } },
    member: { display_name: 'Tin Nhiệm Số Cần Thơ', kind: 'PAGE_ADMIN' },
    badge: { id: '01970005-0000-7000-8000-000000000042', program: 'KOL_TRUST' },
  };
  const jws = await signAttestation(claims, key);
  const signingInput = Buffer.from(jws.slice(0, jws.lastIndexOf('.')));
  const rawSignature = rawSign(null, signingInput, rawPrivate);

  // A status list with every entry VALID, verified once and put in the cache.
  const statusToken = await signStatusList({ iss: issuer, sub: listUri, iat, exp: iat + 86_400, ttl: 86_400, statuses: new Uint8Array(1024) }, key);
  const list = await verifyStatusListToken(statusToken, { issuer, jwks, uri: listUri });
  if (!list.valid) throw new Error(`status list did not verify: ${JSON.stringify(list.errors)}`);
  const cache = new StatusListCache();
  cache.set(issuer, listUri, { claims: list.claims, statuses: list.statuses });

  const check = async (r: Promise<{ valid: boolean }>) => {
    if (!(await r).valid) throw new Error('an attestation did not verify');
  };
  await check(verifyAttestation(jws, { issuer, jwks, statusList: 'skip' }));
  await check(verifyAttestation(jws, { issuer, jwks, statusList: cache }));
  if (!rawVerify(null, signingInput, rawPublic, rawSignature)) throw new Error('raw verify failed');

  /** Runs `once` (sync) in a loop for `ms`, returns ops/s. */
  const syncLoop = (once: () => void, ms: number) => {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let k = 0; k < 100; k++) once();
      n += 100;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  const seqLoop = async (once: () => Promise<unknown>, ms: number) => {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      await once();
      n++;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };
  const batchLoop = async (once: () => Promise<unknown>, ms: number) => {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      await Promise.all(Array.from({ length: batch }, once));
      n += batch;
      now = performance.now();
    }
    return (n * 1000) / (now - start);
  };

  const cases: Record<(typeof SIGNATURE_CASES)[number], (ms: number) => Promise<number> | number> = {
    'raw sign': (d) => syncLoop(() => rawSign(null, signingInput, rawPrivate), d),
    'signAttestation one at a time': (d) => seqLoop(() => signAttestation(claims, key), d),
    'signAttestation batch': (d) => batchLoop(() => signAttestation(claims, key), d),
    'raw verify': (d) => syncLoop(() => rawVerify(null, signingInput, rawPublic, rawSignature), d),
    'verifyAttestation skip one at a time': (d) => seqLoop(() => check(verifyAttestation(jws, { issuer, jwks, statusList: 'skip' })), d),
    'verifyAttestation skip batch': (d) => batchLoop(() => check(verifyAttestation(jws, { issuer, jwks, statusList: 'skip' })), d),
    'verifyAttestation cache one at a time': (d) => seqLoop(() => check(verifyAttestation(jws, { issuer, jwks, statusList: cache })), d),
    'verifyAttestation cache batch': (d) => batchLoop(() => check(verifyAttestation(jws, { issuer, jwks, statusList: cache })), d),
  };

  // Warm-up: every case briefly (JIT, jose's key import caches, the thread pool).
  for (const name of SIGNATURE_CASES) await cases[name](Math.min(400, ms / 3));
  const results: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? SIGNATURE_CASES : [...SIGNATURE_CASES].reverse();
    for (const name of order) {
      const opsPerSecond = await cases[name](ms);
      (results[name] ??= []).push(opsPerSecond);
      process.stderr.write(`  round ${r + 1}: ${name}: ${Math.round(opsPerSecond)} ops/s\n`);
    }
  }
  const out: SignatureResults = {
    opsPerSecond: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])),
    rounds: results,
    jwsBytes: jws.length,
    batch,
    msPerMeasurement: ms,
    threadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  };
  console.log(JSON.stringify(out));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
