/**
 * Witness-ready log checkpoints: the C2SP `signed-note` format (https://c2sp.org/signed-note,
 * v1.0.0) carrying a C2SP `tlog-checkpoint` body (https://c2sp.org/tlog-checkpoint, v1.0.0),
 * signed with Ed25519, as Go's checksum database, Sigstore and the witness networks read them.
 *
 * A checkpoint note is
 *
 * ```
 * registry.example.vn/log          ← origin (the log's name)
 * 1234                             ← tree size, decimal
 * 4PGKm0QYVQ0bt0YQ6Wr3JQ0sS1cl6AkQp+xTk5iE1Mk=   ← RFC 9162 root hash, standard base64
 *                                  ← an empty line ends the text
 * — registry.example.vn/log x08iY4ITabnM7J1XsG9X…  ← "— <key name> base64(key hash ‖ signature)"
 * ```
 *
 * The key hash is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), and the
 * verifier key string, which a witness or auditor pins, is `<name>+<hash as 8 hex digits>+<base64(0x01 ‖ public key)>`.
 *
 * Web APIs only (WebCrypto Ed25519, `btoa`/`atob`): runs in Node ≥ 20 and in current browsers.
 *
 * @module
 */
import { VerifierError, VerifierErrorCode, failure } from './errors.ts';
import type { VerificationFailure } from './errors.ts';
import type { Checkpoint } from './checkpoint.ts';
import { HASH_SIZE } from './transparency-log.ts';

/** The signature type byte of Ed25519 in signed notes. */
const ED25519_TYPE = 0x01;
/** The em dash that starts every signature line. */
const DASH = '\u2014';
/** Longest note accepted (a checkpoint is a few hundred bytes). */
const MAX_NOTE_BYTES = 1 << 20;
/** Most signature lines read from a note (the spec lets verifiers bound this). */
const MAX_SIGNATURES = 100;

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A key name: non-empty, no Unicode spaces, no `+`. */
function assertKeyName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '' || /[\s+]/u.test(name)) throw new TypeError('a note key name is non-empty, without spaces or "+"');
}

/**
 * The 4-byte key hash of an Ed25519 note key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4], as a number.
 *
 * @example
 * ```ts
 * const hash = await noteKeyHash('registry.example.vn/log', rawPublicKey);
 * ```
 */
export async function noteKeyHash(name: string, publicKey: Uint8Array): Promise<number> {
  assertKeyName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new TypeError('an Ed25519 public key has 32 bytes');
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', concat(encoder.encode(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey)));
  return new DataView(digest.buffer).getUint32(0);
}

/**
 * The verifier key string of an Ed25519 note key, `<name>+<hash>+<base64(0x01 ‖ key)>`, as
 * published in the discovery document and pinned by witnesses.
 *
 * @example
 * ```ts
 * await noteVerifierKey('registry.example.vn/log', rawPublicKey); // 'registry.example.vn/log+c74f20a3+AV4ut…'
 * ```
 */
export async function noteVerifierKey(name: string, publicKey: Uint8Array): Promise<string> {
  const hash = await noteKeyHash(name, publicKey);
  return `${name}+${hash.toString(16).padStart(8, '0')}+${toBase64(concat(Uint8Array.of(ED25519_TYPE), publicKey))}`;
}

/**
 * A parsed verifier key.
 *
 * @example
 * ```ts
 * const key: NoteVerifierKey = parseNoteVerifierKey(vkey);
 * ```
 */
export interface NoteVerifierKey {
  name: string;
  hash: number;
  publicKey: Uint8Array;
}

/**
 * Parses a verifier key string; throws `TypeError` when it is not an Ed25519 key whose hash matches.
 *
 * @example
 * ```ts
 * const { name, hash, publicKey } = await parseNoteVerifierKey('registry.example.vn/log+c74f20a3+AV4ut…');
 * ```
 */
export async function parseNoteVerifierKey(vkey: string): Promise<NoteVerifierKey> {
  if (typeof vkey !== 'string') throw new TypeError('a verifier key is a string');
  // The key's base64 may hold "+" itself: split at the first two only.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!m) throw new TypeError('a verifier key is <name>+<hash>+<key>');
  const [, name, hashHex, keyText] = m as unknown as [string, string, string, string];
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hashHex)) throw new TypeError('the key hash of a verifier key is 8 lowercase hex digits');
  const raw = fromBase64(keyText);
  if (raw === undefined || raw.length !== 33 || raw[0] !== ED25519_TYPE) throw new TypeError('only Ed25519 verifier keys (type 0x01, 32 bytes) are supported');
  const publicKey = raw.slice(1);
  const hash = Number.parseInt(hashHex, 16);
  if ((await noteKeyHash(name, publicKey)) !== hash) throw new TypeError('the key hash of the verifier key does not match its name and key');
  return { name, hash, publicKey };
}

/**
 * A note signer: the key name, its public key (raw, 32 bytes) and its private key (a WebCrypto
 * Ed25519 `CryptoKey` with the `sign` usage).
 *
 * @example
 * ```ts
 * const signer: NoteSigner = { name: 'registry.example.vn/log', publicKey, privateKey };
 * ```
 */
export interface NoteSigner {
  name: string;
  publicKey: Uint8Array;
  privateKey: CryptoKey;
}

/**
 * Signs `text` (non-empty lines, each ending with a newline) as a signed note with one Ed25519
 * signature.
 *
 * @example
 * ```ts
 * const note = await signNote(checkpointText({ origin, size, rootHash }), signer);
 * ```
 */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  if (typeof text !== 'string' || !text.endsWith('\n') || text.endsWith('\n\n') || text.startsWith('\n')) throw new TypeError('a note text ends with one newline');
  const hash = await noteKeyHash(signer.name, signer.publicKey);
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'Ed25519' }, signer.privateKey, encoder.encode(text)));
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, hash);
  return `${text}\n${DASH} ${signer.name} ${toBase64(concat(prefix, signature))}\n`;
}

/**
 * The text of a checkpoint: origin, tree size and root hash, one per line, then extension lines.
 *
 * @example
 * ```ts
 * checkpointText({ origin: 'registry.example.vn/log', size: 2, rootHash }); // 'registry.example.vn/log\n2\n…=\n'
 * ```
 */
export function checkpointText(checkpoint: { origin: string; size: number; rootHash: Uint8Array; extensions?: readonly string[] }): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (typeof origin !== 'string' || origin === '' || origin.includes('\n')) throw new TypeError('origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('size is a non-negative integer');
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) throw new TypeError(`a root hash has ${HASH_SIZE} bytes`);
  for (const line of extensions) if (line === '' || line.includes('\n')) throw new TypeError('an extension is one non-empty line');
  return [origin, String(size), toBase64(rootHash), ...extensions].join('\n') + '\n';
}

/**
 * A checkpoint read from a verified note: the {@link Checkpoint} fields (`root_hash` in
 * base64url, so it goes straight to `verifyLogInclusion`/`verifyLogConsistency`), the raw
 * root, the extension lines and the names of the keys whose signatures verified.
 *
 * @example
 * ```ts
 * const r = await verifyCheckpointNote(note, { verifierKeys: [vkey] });
 * if (r.valid) await verifyLogInclusion(leafHash, idx, proof, r.checkpoint);
 * ```
 */
export interface NoteCheckpoint {
  checkpoint: Checkpoint;
  root: Uint8Array;
  extensions: string[];
  signedBy: string[];
}

/**
 * Options of {@link verifyCheckpointNote}.
 *
 * @example
 * ```ts
 * const options: VerifyCheckpointNoteOptions = { verifierKeys: ['registry.example.vn/log+c74f20a3+AV4ut…'], origin: 'registry.example.vn/log' };
 * ```
 */
export interface VerifyCheckpointNoteOptions {
  /** The verifier keys to trust (strings as published); a signature by any one is enough. */
  verifierKeys: readonly string[];
  /** The expected origin; another log's checkpoint is `WRONG_ISSUER`. */
  origin?: string;
}

/**
 * Verifies a checkpoint note: at least one signature by a trusted verifier key (unknown keys'
 * lines are ignored, as the spec says), then the checkpoint body. Never throws for a bad note
 * (`MALFORMED`, `BAD_SIGNATURE`, `UNKNOWN_KEY`, `WRONG_ISSUER`); throws `TypeError` for a bad
 * verifier key.
 *
 * @example
 * ```ts
 * const r = await verifyCheckpointNote(await (await fetch(`${issuer}/log/checkpoint`)).text(), { verifierKeys: [vkey] });
 * ```
 */
export async function verifyCheckpointNote(note: string, options: VerifyCheckpointNoteOptions): Promise<({ valid: true } & NoteCheckpoint) | VerificationFailure> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.verifierKeys) || options.verifierKeys.length === 0) {
    throw new TypeError('options.verifierKeys must list at least one verifier key');
  }
  const keys = await Promise.all(options.verifierKeys.map(parseNoteVerifierKey));
  const bad = (code: VerifierErrorCode, message: string) => failure(new VerifierError(code, message));
  if (typeof note !== 'string' || note.length > MAX_NOTE_BYTES) return bad(VerifierErrorCode.MALFORMED, 'a signed note is a string of at most 1 MiB');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return bad(VerifierErrorCode.MALFORMED, 'not a signed note: no empty line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return bad(VerifierErrorCode.MALFORMED, 'too many signature lines');
  const signedBy: string[] = [];
  let sawKnown = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return bad(VerifierErrorCode.MALFORMED, 'a signature line is "— <name> <base64>"');
    const [, name, sigText] = m as unknown as [string, string, string];
    const sig = fromBase64(sigText);
    if (sig === undefined || sig.length < 5) return bad(VerifierErrorCode.MALFORMED, 'a signature is base64 of a key hash and a signature');
    const hash = new DataView(sig.buffer, sig.byteOffset).getUint32(0);
    const key = keys.find((k) => k.name === name && k.hash === hash);
    if (key === undefined) continue;
    sawKnown = true;
    const publicKey = await globalThis.crypto.subtle.importKey('raw', concat(key.publicKey), { name: 'Ed25519' }, false, ['verify']);
    const ok = sig.length === 68 && (await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, publicKey, sig.slice(4), encoder.encode(text)));
    if (!ok) return bad(VerifierErrorCode.BAD_SIGNATURE, `the signature of ${name} does not verify`);
    signedBy.push(name);
  }
  if (!sawKnown) return bad(VerifierErrorCode.UNKNOWN_KEY, 'no signature by a trusted verifier key');
  const body = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = body;
  if (origin === undefined || origin === '' || sizeText === undefined || rootText === undefined) return bad(VerifierErrorCode.MALFORMED, 'a checkpoint has an origin, a size and a root hash');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return bad(VerifierErrorCode.MALFORMED, 'the tree size is a decimal number without leading zeros');
  const root = fromBase64(rootText);
  if (root === undefined || root.length !== HASH_SIZE) return bad(VerifierErrorCode.MALFORMED, `the root hash is standard base64 of ${HASH_SIZE} bytes`);
  if (options.origin !== undefined && origin !== options.origin) return bad(VerifierErrorCode.WRONG_ISSUER, `checkpoint of log ${origin}, expected ${options.origin}`);
  const rootHash = btoa(String.fromCharCode(...root)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { valid: true, checkpoint: { origin, size: Number(sizeText), root_hash: rootHash }, root, extensions, signedBy };
}
