/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing with SHA-256 over WebCrypto: leaf
 * hash `H(0x00 ‖ d)`, node hash `H(0x01 ‖ l ‖ r)`, the tree head `MTH`, inclusion proofs
 * (§2.1.3) and consistency proofs (§2.1.4), and their verification algorithms (§2.1.3.2,
 * §2.1.4.2). Core generates proofs with these functions; verifiers check them with the same code.
 *
 * Every registry event is one leaf: `jsonLeafHash(event)` = `leafHash(RFC 8785 bytes)`.
 *
 * @module
 */
import { canonicalJsonBytes } from './canonical-json.ts';

/**
 * Bytes in a SHA-256 hash.
 *
 * @example
 * ```ts
 * root.length === HASH_SIZE; // 32
 * ```
 */
export const HASH_SIZE = 32;

/** Parallel digests per batch when hashing a level of the tree. */
const BATCH = 4096;

/**
 * SHA-256 of `data`, via WebCrypto.
 *
 * @example
 * ```ts
 * await sha256(new Uint8Array()); // e3b0c442…b855, the root of the empty tree
 * ```
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const copy = new Uint8Array(data.length);
  copy.set(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', copy));
}

function prefixed(prefix: number, parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  buf[0] = prefix;
  let offset = 1;
  for (const p of parts) {
    buf.set(p, offset);
    offset += p.length;
  }
  return buf;
}

async function digest(buf: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', buf));
}

/**
 * The RFC 9162 leaf hash `SHA-256(0x00 ‖ data)`.
 *
 * @example
 * ```ts
 * const h = await leafHash(new TextEncoder().encode('{"kind":"BADGE_ISSUED"}'));
 * ```
 */
export async function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return digest(prefixed(0x00, [data]));
}

/**
 * The leaf hash of a JSON event: `leafHash` over its RFC 8785 canonical UTF-8 bytes.
 *
 * @example
 * ```ts
 * const h = await jsonLeafHash({ kind: 'BADGE_SUSPENDED', badge: 'bdg_1', at: 1735689600 });
 * ```
 */
export async function jsonLeafHash(event: unknown): Promise<Uint8Array> {
  return leafHash(canonicalJsonBytes(event));
}

/**
 * The RFC 9162 interior node hash `SHA-256(0x01 ‖ left ‖ right)`.
 *
 * @example
 * ```ts
 * const parent = await nodeHash(leftChild, rightChild);
 * ```
 */
export async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return digest(prefixed(0x01, [left, right]));
}

function assertHashes(hashes: readonly Uint8Array[], what: string): void {
  if (!Array.isArray(hashes)) throw new TypeError(`${what} must be an array of hashes`);
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new TypeError(`${what} must hold ${HASH_SIZE}-byte hashes`);
  }
}

function assertSize(value: number, min: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Largest power of two strictly smaller than `n` (n ≥ 2): RFC 9162's split point `k`. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH of `leaves[lo, hi)`, level by level: pairing neighbours and carrying an odd last node up
 * gives exactly RFC 9162's left-balanced tree, and lets each level be hashed in parallel.
 */
async function subtreeRoot(leaves: readonly Uint8Array[], lo: number, hi: number): Promise<Uint8Array> {
  if (hi === lo) return sha256(new Uint8Array());
  let level: Uint8Array[] = leaves.slice(lo, hi);
  while (level.length > 1) {
    const next: Uint8Array[] = new Array<Uint8Array>(Math.ceil(level.length / 2));
    for (let start = 0; start < level.length - 1; start += 2 * BATCH) {
      const end = Math.min(level.length - 1, start + 2 * BATCH);
      const jobs: Promise<void>[] = [];
      for (let i = start; i < end; i += 2) {
        jobs.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array).then((h) => void (next[i / 2] = h)));
      }
      await Promise.all(jobs);
    }
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1] as Uint8Array;
    level = next;
  }
  return level[0] as Uint8Array;
}

/**
 * The Merkle Tree Hash (tree head) of a list of leaf hashes; SHA-256 of the empty string for no
 * leaves.
 *
 * @example
 * ```ts
 * const root = await merkleRoot(await Promise.all(events.map(jsonLeafHash)));
 * ```
 */
export async function merkleRoot(leafHashes: readonly Uint8Array[]): Promise<Uint8Array> {
  assertHashes(leafHashes, 'leafHashes');
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof (audit path) of leaf `index` in the tree of the first
 * `treeSize` leaves (default: all), ordered from the leaf's sibling up to the root's child.
 * O(treeSize) hashes. Throws `RangeError` for an index outside the tree.
 *
 * @example
 * ```ts
 * const proof = await inclusionProof(5, leafHashes); // tree of leafHashes.length leaves
 * await verifyInclusion(leafHashes[5], 5, leafHashes.length, proof, root); // true
 * ```
 */
export async function inclusionProof(index: number, leafHashes: readonly Uint8Array[], treeSize: number = leafHashes.length): Promise<Uint8Array[]> {
  assertHashes(leafHashes, 'leafHashes');
  assertSize(treeSize, 1, leafHashes.length, 'treeSize');
  assertSize(index, 0, treeSize - 1, 'index');
  // PATH(m, D[lo:hi]), unrolled from the root down; the path lists siblings bottom-up.
  const ranges: [number, number][] = [];
  let m = index;
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
    }
  }
  const path = await Promise.all(ranges.map(([a, b]) => subtreeRoot(leafHashes, a, b)));
  return path.reverse();
}

/**
 * The RFC 9162 §2.1.4.1 consistency proof between the tree of the first `oldSize` leaves and the
 * tree of the first `newSize` (default: all). Empty when `oldSize` is 0 or equals `newSize`.
 * O(newSize) hashes. Throws `RangeError` unless `0 ≤ oldSize ≤ newSize ≤ leafHashes.length`.
 *
 * @example
 * ```ts
 * const proof = await consistencyProof(checkpoint.size, leafHashes);
 * await verifyConsistency(checkpoint.size, leafHashes.length, oldRoot, newRoot, proof); // true
 * ```
 */
export async function consistencyProof(oldSize: number, leafHashes: readonly Uint8Array[], newSize: number = leafHashes.length): Promise<Uint8Array[]> {
  assertHashes(leafHashes, 'leafHashes');
  assertSize(newSize, 0, leafHashes.length, 'newSize');
  assertSize(oldSize, 0, newSize, 'oldSize');
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[lo:hi], b), unrolled from the root down; the proof lists nodes bottom-up.
  const ranges: [number, number][] = [];
  let m = oldSize;
  let lo = 0;
  let hi = newSize;
  let complete = true; // b: is D[lo:lo+m] a subtree the verifier already has the root of?
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) ranges.push([lo, hi]);
  const proof = await Promise.all(ranges.map(([a, b]) => subtreeRoot(leafHashes, a, b)));
  return proof.reverse();
}

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const isOdd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/**
 * Verifies an inclusion proof by the RFC 9162 §2.1.3.2 algorithm: does the tree of `treeSize`
 * leaves with head `root` hold `leafHash` at `index`? Returns `false` (never throws) for any bad
 * input.
 *
 * @example
 * ```ts
 * if (!(await verifyInclusion(await jsonLeafHash(event), 41, 100, proof, root))) reject();
 * ```
 */
export async function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!isHash(leafHash) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * Verifies a consistency proof by the RFC 9162 §2.1.4.2 algorithm: is the tree of `newSize`
 * leaves (head `newRoot`) an append-only extension of the tree of `oldSize` leaves (head
 * `oldRoot`)? Equal sizes need equal heads and an empty proof; from the empty tree, an empty
 * proof. Returns `false` (never throws) for any bad input.
 *
 * @example
 * ```ts
 * if (!(await verifyConsistency(old.size, latest.size, oldRoot, newRoot, proof))) alarm('log forked');
 * ```
 */
export async function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || newSize < oldSize) return false;
  if (oldSize === 0) return proof.length === 0 && equalBytes(oldRoot, await sha256(new Uint8Array()));
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  // Step 2: when the old tree is a complete subtree, its head is the proof's implicit first node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
