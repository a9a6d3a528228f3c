/**
 * Interop: Sigstore's checkpoint code (`@sigstore/verify`, `tlog/checkpoint.js`: its signed-note
 * parser and signature check) reads the service's `/log/checkpoint`, which it refused while
 * checkpoints were JWTs ("missing checkpoint separator"); and a minimal signed-note verifier
 * written here from the C2SP specs (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint),
 * separate from ours, checks it with the verifier key the discovery document publishes.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify as edVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../api/helpers.ts';
import { seededServer } from './server.ts';

const require = createRequire(import.meta.url);
// Sigstore's checkpoint module is not in the package's index; its dist file is stable CommonJS.
const { verifyCheckpoint: sigstoreVerifyCheckpoint } = require('@sigstore/verify/dist/tlog/checkpoint.js') as {
  verifyCheckpoint(entry: unknown, tlogs: unknown[]): { origin: string; logSize: bigint; logHash: Buffer };
};

// ---- a minimal C2SP signed-note verifier, written from the spec (not our code) ----
function parseVkey(vkey: string): { name: string; hash: Buffer; key: Buffer } {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  const name = vkey.slice(0, first);
  const hash = Buffer.from(vkey.slice(first + 1, second), 'hex');
  const raw = Buffer.from(vkey.slice(second + 1), 'base64');
  if (raw[0] !== 0x01 || raw.length !== 33) throw new Error('not an Ed25519 verifier key');
  const key = raw.subarray(1);
  const expected = createHash('sha256').update(Buffer.concat([Buffer.from(name), Buffer.from([0x0a, 0x01]), key])).digest().subarray(0, 4);
  if (!expected.equals(hash)) throw new Error('key hash mismatch');
  return { name, hash, key };
}
function edKey(raw: Buffer) {
  // SubjectPublicKeyInfo for Ed25519: fixed 12-byte prefix, then the key.
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
}
function openNote(note: string, vkey: string): { origin: string; size: bigint; root: Buffer } {
  const k = parseVkey(vkey);
  const at = note.lastIndexOf('\n\n');
  if (at < 0) throw new Error('no signature block');
  const text = note.slice(0, at + 1);
  let ok = false;
  for (const line of note.slice(at + 2).split('\n').filter((l) => l !== '')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error(`bad signature line ${line}`);
    const sig = Buffer.from(m[2]!, 'base64');
    if (m[1] !== k.name || !sig.subarray(0, 4).equals(k.hash)) continue;
    if (!edVerify(null, Buffer.from(text, 'utf8'), edKey(k.key), sig.subarray(4))) throw new Error('bad signature');
    ok = true;
  }
  if (!ok) throw new Error('not signed by the key');
  const [origin, size, root] = text.split('\n');
  return { origin: origin!, size: BigInt(size!), root: Buffer.from(root!, 'base64') };
}
// ---- end of the independent code ----

let t: TestServer;
let vkey: string;
let origin: string;
beforeAll(async () => {
  t = await seededServer();
  const discovery = (await (await t.http('/.well-known/trust-alliance')).json()) as { log: { note_verifier_key: string; origin: string } };
  vkey = discovery.log.note_verifier_key;
  origin = discovery.log.origin;
});
afterAll(() => t?.close());

describe('parsers of C2SP signed notes other than ours read /log/checkpoint', () => {
  it('the minimal spec verifier', async () => {
    const note = await (await t.http('/log/checkpoint')).text();
    const cp = openNote(note, vkey);
    expect(cp).toMatchObject({ origin, size: BigInt(await t.registry.log.size()) });
    expect(cp.root.length).toBe(32);
    expect(() => openNote(note.replace(/\n\d+\n/, '\n999\n'), vkey)).toThrow(/bad signature/);
  });

  it("Sigstore's checkpoint verifier", async () => {
    const note = await (await t.http('/log/checkpoint')).text();
    const { key, hash, name } = parseVkey(vkey);
    // Sigstore matches a signature by the first 4 bytes of the log id and the log's base URL containing the key name.
    const tlog = { logID: Buffer.concat([hash, Buffer.alloc(28)]), publicKey: edKey(key), baseURL: `https://${name}`, validFor: { start: new Date(0), end: new Date(8.64e15) } };
    const entry = { inclusionProof: { checkpoint: { envelope: note } } };
    const cp = sigstoreVerifyCheckpoint(entry, [tlog]);
    expect(cp.origin).toBe(origin);
    expect(cp.logSize).toBe(BigInt(await t.registry.log.size()));
    expect(cp.logHash.length).toBe(32);
    const other = { ...tlog, publicKey: generateKeyPairSync('ed25519').publicKey };
    expect(() => sigstoreVerifyCheckpoint(entry, [other])).toThrow(/invalid checkpoint signature/);
  });
});
