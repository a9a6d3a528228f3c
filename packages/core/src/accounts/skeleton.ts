/**
 * Lookalike detection (packages/core/README.md): a "skeleton" folds away what makes two handles look
 * alike to a person — case, diacritics, separators, homoglyphs (Cyrillic а for Latin a, 0 for
 * o, rn for m, …) — in the spirit of Unicode TR39's confusable skeletons. Two accounts whose
 * skeletons are equal or one edit apart (one character added, dropped or changed) look alike.
 * One-edit matches are found through deletion variants (the symmetric-delete method): two
 * strings are within one edit exactly when they are equal, one is a one-character deletion of
 * the other, or they share a one-character deletion.
 */
import type { NormalizedAccount } from './platform.ts';

/** Characters and sequences people mistake for others, folded to one representative. */
const CONFUSABLE_SEQUENCES: ReadonlyArray<[RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];
const CONFUSABLE_CHARS: Readonly<Record<string, string>> = {
  // Digits and symbols read as letters
  '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '|': 'l', '!': 'l', $: 's', '@': 'a',
  // Latin letters read as others
  i: 'l', j: 'l',
  // Cyrillic homoglyphs
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'l', ј: 'l', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l',
  // Greek homoglyphs
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Vietnamese đ is its own letter, not d plus a mark
  đ: 'd',
};

/** Skeletons shorter than this match too much to be worth reporting. */
const MIN_SKELETON_LENGTH = 4;
/** Past this length the deletion variants are not worth their index space. */
const MAX_SKELETON_LENGTH = 64;

/**
 * The skeleton of a handle.
 * @example handleSkeleton('TinNhiemSo.CanTho') === handleSkeleton('tinnhiemso_canth0') // true
 */
export function handleSkeleton(handle: string): string {
  if (ASCII_ONLY.test(handle)) return asciiSkeleton(handle);
  let s = handle.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  s = [...s].map((c) => CONFUSABLE_CHARS[c] ?? c).join('');
  return foldSequencesAndStrip(s, /[^\p{L}\p{N}]+/gu);
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** The table's ASCII keys as one character class (`0`, `1`, `|`, `$`, `i`, …). */
const ASCII_CONFUSABLE = new RegExp(
  `[${Object.keys(CONFUSABLE_CHARS).filter((c) => c.charCodeAt(0) < 0x80).map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`,
  'g',
);

/**
 * The same skeleton for a handle of ASCII characters only (most handles), without Unicode
 * normalization, Unicode classes or a per-character array: the lookalike search computes one
 * for every core it tries, dozens per account. ASCII has no marks, and its letters and digits
 * are exactly `[a-z0-9]` once lower-cased.
 */
function asciiSkeleton(handle: string): string {
  const s = handle.toLowerCase().replace(ASCII_CONFUSABLE, (c) => CONFUSABLE_CHARS[c]!);
  return foldSequencesAndStrip(s, /[^a-z0-9]+/g);
}

/** Confusable sequences folded before the separators go (`r.n` stays two letters), then the separators. */
function foldSequencesAndStrip(s: string, separators: RegExp): string {
  for (const [pattern, replacement] of CONFUSABLE_SEQUENCES) s = s.replace(pattern, replacement);
  return s.replace(separators, '');
}

/** Every string one character shorter than `s`. */
export function deletionVariants(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < s.length; i++) out.add(s.slice(0, i) + s.slice(i + 1));
  return [...out];
}

/** What an account stores for lookalike search; null for ids that no one reads (numbers, phones, channel ids). */
export interface AccountSkeleton {
  skeleton: string;
  variants: string[];
}

/**
 * @example accountSkeleton(normalizeAccount('fb.com/tinnhiemso.cantho'))?.skeleton // 'facebook:tlnnhlemsocantho'
 */
export function accountSkeleton(account: Pick<NormalizedAccount, 'platform' | 'handle' | 'idKind'>): AccountSkeleton | null {
  if (account.idKind !== 'handle' && account.idKind !== 'group' && account.idKind !== 'domain') return null;
  const core = handleSkeleton(account.handle);
  if (core.length < MIN_SKELETON_LENGTH || core.length > MAX_SKELETON_LENGTH) return null;
  const prefix = `${account.platform.toLowerCase()}:`;
  return { skeleton: prefix + core, variants: deletionVariants(core).map((v) => prefix + v) };
}
