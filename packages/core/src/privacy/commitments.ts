/**
 * Keyed commitments: how the transparency log records a fact that must not be public yet (an
 * anonymous, unconfirmed report says who is accused of what) while fixing it for good.
 *
 * commitment = HMAC-SHA-256(opening, canonical JSON of the fields), where the opening is a
 * 128-bit secret the registry derives from its pseudonym key and the record's id (so nothing
 * extra is stored, and one record's opening says nothing about another's). Without the
 * opening the commitment reveals nothing, not even to someone who guesses the account and
 * tries every category. Once the opening is shown, anyone can check that the fields shown are
 * the ones committed to when the entry was logged: the registry cannot have changed the
 * accused account or the category afterwards. A confirmed report's log entry shows its opening;
 * a dismissed report's stays closed, and the registry can open it to an auditor (hand over the
 * opening and the fields) without opening any other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@trust-alliance/verifier';
import type { Pseudonyms } from './pseudonyms.ts';

/** What was committed to: a record type, then strings (ids, keys, categories). */
export type CommitmentFields = readonly [kind: string, ...values: string[]];

/**
 * The secret opening of the commitment to record `id` of `kind`: 32 hex digits.
 * @example commitmentOpening(pseudonyms, 'report', report.id) // '9c1e…'
 */
export function commitmentOpening(pseudonyms: Pseudonyms, kind: string, id: string): string {
  return pseudonyms.of(`commitment:${kind}`, id);
}

/**
 * The commitment to `fields` under `opening`: 64 hex digits. Anyone holding the opening can
 * recompute it (HMAC-SHA-256 keyed with the opening's 16 bytes, over the RFC 8785 JSON array).
 *
 * @example commit('9c1e…', ['report', reportId, 'facebook:fake.page', 'SCAM'])
 */
export function commit(opening: string, fields: CommitmentFields): string {
  return createHmac('sha256', Buffer.from(opening, 'hex')).update(canonicalJson([...fields])).digest('hex');
}

/**
 * True when `commitment` is the commitment to `fields` under `opening`: what an auditor runs
 * on a log entry once the registry opens it.
 *
 * @example checkCommitment(filed.data.commitment, resolved.data.opening, ['report', id, resolved.data.key, resolved.data.category]) // true
 */
export function checkCommitment(commitment: string, opening: string, fields: CommitmentFields): boolean {
  if (!/^[0-9a-f]{32}$/.test(opening) || !/^[0-9a-f]{64}$/.test(commitment)) return false;
  return timingSafeEqual(Buffer.from(commit(opening, fields), 'hex'), Buffer.from(commitment, 'hex'));
}
