import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  jsonLeafHash,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.ts';
import { hex, unhex } from './helpers.ts';

// --- An independent, naive RFC 9162 §2.1 implementation (synchronous node:crypto, literal recursion).
const H = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const refLeaf = (d: Uint8Array) => H(Uint8Array.of(0), d);
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1); // largest power of 2 < n, n ≥ 2
const MTH = (D: Uint8Array[]): Uint8Array =>
  D.length === 0 ? H() : D.length === 1 ? (D[0] as Uint8Array) : H(Uint8Array.of(1), MTH(D.slice(0, k(D.length))), MTH(D.slice(k(D.length))));
const PATH = (m: number, D: Uint8Array[]): Uint8Array[] => {
  if (D.length <= 1) return [];
  const s = k(D.length);
  return m < s ? [...PATH(m, D.slice(0, s)), MTH(D.slice(s))] : [...PATH(m - s, D.slice(s)), MTH(D.slice(0, s))];
};
const SUBPROOF = (m: number, D: Uint8Array[], b: boolean): Uint8Array[] => {
  if (m === D.length) return b ? [] : [MTH(D)];
  const s = k(D.length);
  return m <= s ? [...SUBPROOF(m, D.slice(0, s), b), MTH(D.slice(s))] : [...SUBPROOF(m - s, D.slice(s), false), MTH(D.slice(0, s))];
};
const PROOF = (m: number, D: Uint8Array[]) => (m === 0 || m === D.length ? [] : SUBPROOF(m, D, true));

// --- Certificate Transparency / transparency-dev reference vectors (RFC 6962 test data).
const CT_DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CT_CONSISTENCY = [
  { first: 2, second: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { first: 6, second: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const flip = (h: Uint8Array, byte = 0) => {
  const c = new Uint8Array(h);
  c[byte] = (c[byte] as number) ^ 0x01;
  return c;
};

describe('RFC 9162 hashing', () => {
  it('matches the CT reference roots for sizes 0..8', async () => {
    const leaves = await Promise.all(CT_DATA.map(leafHash));
    for (let n = 0; n <= 8; n++) expect(hex(await merkleRoot(leaves.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', async () => {
    const a = await leafHash(unhex('00'));
    const b = await leafHash(unhex('10'));
    expect(hex(a)).toBe(hex(H(unhex('00'), unhex('00'))));
    expect(hex(await nodeHash(a, b))).toBe(hex(H(unhex('01'), a, b)));
    expect(hex(await nodeHash(a, b))).not.toBe(hex(await nodeHash(b, a)));
  });

  it('reproduces the CT reference inclusion and consistency proofs', async () => {
    const leaves = await Promise.all(CT_DATA.map(leafHash));
    for (const v of CT_INCLUSION) {
      expect((await inclusionProof(v.index, leaves, v.size)).map(hex)).toEqual(v.proof);
      expect(await verifyInclusion(leaves[v.index] as Uint8Array, v.index, v.size, v.proof.map(unhex), unhex(CT_ROOTS[v.size] as string))).toBe(true);
    }
    for (const v of CT_CONSISTENCY) {
      expect((await consistencyProof(v.first, leaves, v.second)).map(hex)).toEqual(v.proof);
      expect(await verifyConsistency(v.first, v.second, unhex(CT_ROOTS[v.first] as string), unhex(CT_ROOTS[v.second] as string), v.proof.map(unhex))).toBe(true);
    }
  });

  it('hashes JSON events over their RFC 8785 form', async () => {
    const h = await jsonLeafHash({ b: 1, a: [true, null] });
    expect(hex(h)).toBe(hex(refLeaf(new TextEncoder().encode('{"a":[true,null],"b":1}'))));
  });

  it('agrees with a naive implementation on a large tree', async () => {
    const data = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`event ${i}`));
    const leaves = await Promise.all(data.map(leafHash));
    expect(hex(await merkleRoot(leaves))).toBe(hex(MTH(data.map(refLeaf))));
  });
});

describe('proofs for every tree size 1..40', () => {
  const N = 40;
  const data = Array.from({ length: N }, (_, i) => Uint8Array.of(i, i * 7 % 256, 0xab));
  const ref = data.map(refLeaf);

  it('inclusion: every index, equal to the naive proof, verifying, and failing when tampered', async () => {
    const leaves = await Promise.all(data.map(leafHash));
    for (let n = 1; n <= N; n++) {
      const tree = leaves.slice(0, n);
      const root = await merkleRoot(tree);
      expect(hex(root)).toBe(hex(MTH(ref.slice(0, n))));
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(i, leaves, n);
        expect(proof.map(hex), `${i}/${n}`).toEqual(PATH(i, ref.slice(0, n)).map(hex));
        const leaf = tree[i] as Uint8Array;
        expect(await verifyInclusion(leaf, i, n, proof, root), `${i}/${n}`).toBe(true);
        // Tampered: another leaf, another index, another size, another root, a changed, missing or extra node.
        if (n > 1) {
          expect(await verifyInclusion(tree[(i + 1) % n] as Uint8Array, i, n, proof, root)).toBe(false);
          expect(await verifyInclusion(leaf, (i + 1) % n, n, proof, root)).toBe(false);
        }
        // (The §2.1.3.2 algorithm binds the size only through the root: check against the next tree's head.)
        if (n < N) expect(await verifyInclusion(leaf, i, n + 1, proof, await merkleRoot(leaves.slice(0, n + 1)))).toBe(false);
        expect(await verifyInclusion(leaf, i, n, proof, flip(root))).toBe(false);
        expect(await verifyInclusion(leaf, n, n, proof, root)).toBe(false);
        expect(await verifyInclusion(leaf, i, n, [...proof, leaf], root)).toBe(false);
        for (let j = 0; j < proof.length; j++) {
          const bad = proof.slice();
          bad[j] = flip(bad[j] as Uint8Array, j % 32);
          expect(await verifyInclusion(leaf, i, n, bad, root)).toBe(false);
        }
        if (proof.length > 0) expect(await verifyInclusion(leaf, i, n, proof.slice(0, -1), root)).toBe(false);
      }
    }
  });

  it('consistency: every pair of sizes, equal to the naive proof, verifying, and failing when tampered', async () => {
    const leaves = await Promise.all(data.map(leafHash));
    const roots = [await merkleRoot([])];
    for (let n = 1; n <= N; n++) roots.push(await merkleRoot(leaves.slice(0, n)));
    for (let second = 1; second <= N; second++) {
      for (let first = 0; first <= second; first++) {
        const proof = await consistencyProof(first, leaves, second);
        expect(proof.map(hex), `${first}→${second}`).toEqual(PROOF(first, ref.slice(0, second)).map(hex));
        const oldRoot = roots[first] as Uint8Array;
        const newRoot = roots[second] as Uint8Array;
        expect(await verifyConsistency(first, second, oldRoot, newRoot, proof), `${first}→${second}`).toBe(true);
        expect(await verifyConsistency(first, second, flip(oldRoot), newRoot, proof)).toBe(false);
        // Every tree extends the empty one, whatever its head; otherwise the new head must match.
        if (first > 0) expect(await verifyConsistency(first, second, oldRoot, flip(newRoot), proof)).toBe(false);
        if (first > 0 && first < second) {
          if (second < N) expect(await verifyConsistency(first, second + 1, oldRoot, roots[second + 1] as Uint8Array, proof)).toBe(false);
          expect(await verifyConsistency(first, second, oldRoot, newRoot, [])).toBe(false);
          expect(await verifyConsistency(first, second, oldRoot, newRoot, [...proof, oldRoot])).toBe(false);
          for (let j = 0; j < proof.length; j++) {
            const bad = proof.slice();
            bad[j] = flip(bad[j] as Uint8Array, 31 - (j % 32));
            expect(await verifyConsistency(first, second, oldRoot, newRoot, bad), `${first}→${second} node ${j}`).toBe(false);
          }
          expect(await verifyConsistency(first, second, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
          // A log that rewrote an old entry cannot prove consistency with the old head.
          const forked = leaves.slice(0, second);
          forked[0] = await leafHash(unhex('ff'));
          const forkedRoot = await merkleRoot(forked);
          expect(await verifyConsistency(first, second, oldRoot, forkedRoot, await consistencyProof(first, forked, second))).toBe(false);
        }
      }
    }
  });

  it('rejects impossible sizes', async () => {
    const leaves = await Promise.all(data.slice(0, 4).map(leafHash));
    const r4 = await merkleRoot(leaves);
    await expect(inclusionProof(4, leaves)).rejects.toThrow(RangeError);
    await expect(inclusionProof(0, leaves, 5)).rejects.toThrow(RangeError);
    await expect(consistencyProof(3, leaves, 2)).rejects.toThrow(RangeError);
    await expect(merkleRoot([new Uint8Array(31)])).rejects.toThrow(TypeError);
    expect(await verifyConsistency(4, 3, r4, r4, [])).toBe(false);
    expect(await verifyConsistency(4, 4, r4, r4, [])).toBe(true);
    expect(await verifyConsistency(4, 4, r4, r4, [r4])).toBe(false);
    expect(await verifyInclusion(leaves[0] as Uint8Array, -1, 4, [], r4)).toBe(false);
    expect(await verifyInclusion(new Uint8Array(31), 0, 1, [], r4)).toBe(false);
  });
});
