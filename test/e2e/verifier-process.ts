/**
 * A platform's verifier in a process of its own, for the end-to-end test of issue 4: it knows
 * only the issuer URL (argv[2]); the key set is found with `jwksUrlFor(issuer)` and status
 * lists are fetched from the URIs the attestations name, into ONE `StatusListCache` that lives
 * as long as the process, with a clock the test can move forward.
 *
 * Protocol: one JSON command per line on stdin, one JSON answer per line on stdout.
 *   { "id": 1, "jws": "<attestation>", "advanceSeconds": 0 }
 *   → { "id": 1, "valid": true, "status": "VALID", "sub": "…" }
 *   → { "id": 1, "valid": false, "code": "REVOKED", "message": "…" }
 *
 * Run: node --import tsx test/e2e/verifier-process.ts http://127.0.0.1:4000
 */
import { createInterface } from 'node:readline';
import { StatusListCache, jwksUrlFor, verifyAttestation } from '@trust-alliance/verifier';

const issuer = process.argv[2];
if (!issuer) {
  console.error('usage: verifier-process.ts <issuer URL>');
  process.exit(2);
}
const jwksUrl = jwksUrlFor(issuer);
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
const statusList = new StatusListCache({ now });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line) as { id: number; jws: string; advanceSeconds?: number };
  offsetMs += (command.advanceSeconds ?? 0) * 1000;
  try {
    const result = await verifyAttestation(command.jws, { issuer, jwksUrl, statusList, now: new Date(now()) });
    const answer = result.valid
      ? { id: command.id, valid: true, status: result.status, sub: result.claims.sub }
      : { id: command.id, valid: false, code: result.errors[0]?.code, message: result.errors[0]?.message };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id: command.id, valid: false, code: 'THROWN', message: String(error) })}\n`);
  }
}
