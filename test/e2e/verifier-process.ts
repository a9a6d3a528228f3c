/**
 * A platform's verifier in a process of its own, for the end-to-end tests: it knows only the
 * issuer URL (argv[2]); the key set is found with `jwksUrlFor(issuer)` and status lists are
 * fetched from the URIs the attestations name, into ONE `StatusListCache` and ONE `KeyCache`
 * that live as long as the process, with a clock the test can move forward (argv[3]: seconds
 * to start ahead, to match a registry whose clock the test already moved).
 *
 * The test can also stand between this process and the network, as a stale HTTP cache or an
 * attacker would: a `serve` command makes one URL answer a given body until `unserve`.
 *
 * Protocol: one JSON command per line on stdin, one JSON answer per line on stdout.
 *   { "id": 1, "jws": "<attestation>", "advanceSeconds": 0 }
 *   → { "id": 1, "valid": true, "status": "VALID", "sub": "…" }
 *   → { "id": 1, "valid": false, "code": "REVOKED", "codes": ["REVOKED"], "message": "…" }
 *   { "id": 2, "serve": { "url": "…", "body": "…" } }   → { "id": 2, "ok": true }
 *   { "id": 3, "unserve": "…" }                         → { "id": 3, "ok": true }
 *
 * Run: node --import tsx test/e2e/verifier-process.ts http://127.0.0.1:4000
 */
import { createInterface } from 'node:readline';
import { KeyCache, StatusListCache, jwksUrlFor, verifyAttestation } from '@trust-alliance/verifier';

const issuer = process.argv[2];
if (!issuer) {
  console.error('usage: verifier-process.ts <issuer URL> [seconds ahead]');
  process.exit(2);
}
const jwksUrl = jwksUrlFor(issuer);
let offsetMs = Number(process.argv[3] ?? 0) * 1000;
const now = () => Date.now() + offsetMs;
const statusList = new StatusListCache({ now });
const keyCache = new KeyCache({ now });

const served = new Map<string, string>();
const fetchThrough: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const body = served.get(url);
  if (body !== undefined) return new Response(body, { status: 200 });
  return fetch(input, init);
};

interface Command {
  id: number;
  jws?: string;
  advanceSeconds?: number;
  serve?: { url: string; body: string };
  unserve?: string;
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line) as Command;
  offsetMs += (command.advanceSeconds ?? 0) * 1000;
  if (command.serve) {
    served.set(command.serve.url, command.serve.body);
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: true })}\n`);
    continue;
  }
  if (command.unserve) {
    served.delete(command.unserve);
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: true })}\n`);
    continue;
  }
  try {
    const result = await verifyAttestation(command.jws ?? '', { issuer, jwksUrl, statusList, keyCache, fetch: fetchThrough, now: new Date(now()) });
    const answer = result.valid
      ? { id: command.id, valid: true, status: result.status, sub: result.claims.sub }
      : { id: command.id, valid: false, code: result.errors[0]?.code, codes: result.errors.map((e) => e.code), message: result.errors[0]?.message };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id: command.id, valid: false, code: 'THROWN', message: String(error) })}\n`);
  }
}
