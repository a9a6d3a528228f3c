/**
 * Interop: an RFC 9162 verifier written here, from the RFC's algorithms (§2.1.3.2 inclusion,
 * §2.1.4.2 consistency) with node:crypto, sharing nothing with our code, checks the proofs the
 * service serves over HTTP (`/log/proof/*`) against the roots of its signed-note checkpoints.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../api/helpers.ts';
import { seededServer } from './server.ts';

// ---- independent RFC 9162 verification (not our code) ----
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);

function rfcVerifyInclusion(leaf: Buffer, leafIndex: number, treeSize: number, path: Buffer[], root: Buffer): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

function rfcVerifyConsistency(first: number, second: number, firstHash: Buffer, secondHash: Buffer, proof: Buffer[]): boolean {
  if (first === second) return proof.length === 0 && firstHash.equals(secondHash);
  if (first === 0) return proof.length === 0; // RFC 9162 leaves size 0 out; every tree extends the empty one.
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.equals(firstHash) && sr.equals(secondHash);
}

/** The root of the first `n` leaves, by the RFC's recursive MTH definition. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
// ---- end of the independent code ----

let t: TestServer;
beforeAll(async () => {
  t = await seededServer();
});
afterAll(() => t?.close());

const b64u = (s: string) => Buffer.from(s, 'base64url');

describe('an independent RFC 9162 verifier accepts the proofs the service serves', () => {
  it('every inclusion proof and consistency proof (from 0 too) of the seeded log', async () => {
    const entries = [];
    for (let from = 0; ; from += 100) {
      const page = (await t.registry.log.entries({ from, count: 100 }));
      entries.push(...page);
      if (page.length < 100) break;
    }
    const leaves = entries.map((e) => b64u(e.leafHash));
    // Each leaf hash is SHA-256(0x00 ‖ the canonical JSON payload), recomputed here.
    for (const e of entries) expect(sha(Buffer.from([0]), Buffer.from(e.payload, 'utf8')).equals(b64u(e.leafHash))).toBe(true);
    const size = leaves.length;
    expect(size).toBeGreaterThan(10);
    // The checkpoint's root is the MTH of all leaves.
    const note = await (await t.http('/log/checkpoint')).text();
    const [, sizeLine, rootLine] = note.split('\n');
    expect(Number(sizeLine)).toBe(size);
    const root = Buffer.from(rootLine!, 'base64');
    expect(mth(leaves).equals(root)).toBe(true);
    let inclusions = 0;
    for (let i = 0; i < size; i++) {
      const { proof } = (await (await t.http(`/log/proof/inclusion?index=${i}&size=${size}`)).json()) as { proof: string[] };
      expect(rfcVerifyInclusion(leaves[i]!, i, size, proof.map(b64u), root), `inclusion of ${i}`).toBe(true);
      inclusions++;
    }
    let consistencies = 0;
    for (let m = 0; m <= size; m++) {
      const { proof } = (await (await t.http(`/log/proof/consistency?old=${m}&new=${size}`)).json()) as { proof: string[] };
      expect(rfcVerifyConsistency(m, size, mth(leaves.slice(0, m)), root, proof.map(b64u)), `consistency ${m} → ${size}`).toBe(true);
      consistencies++;
    }
    expect(inclusions).toBe(size);
    expect(consistencies).toBe(size + 1);
    // A tampered proof is refused by the independent verifier.
    const { proof } = (await (await t.http(`/log/proof/inclusion?index=1&size=${size}`)).json()) as { proof: string[] };
    const bad = proof.map(b64u);
    bad[0] = sha(bad[0]!);
    expect(rfcVerifyInclusion(leaves[1]!, 1, size, bad, root)).toBe(false);
  });
});
