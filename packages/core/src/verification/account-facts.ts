/**
 * One account's verification facts, typed: a lookup row (JSON with zone-less timestamps, see
 * lookup-sql.ts) with every timestamp parsed once, when it is fetched. The hot-lookup cache
 * keeps these, so answering from the cache parses nothing; the evaluation in verify.ts reads
 * them with the one decision of rules/decision.ts.
 */
import type { PledgeVersionFacts, SignatureFacts } from '../rules/standing.ts';
import type { AccountFacts, TimedStatus } from '../rules/facts.ts';
import { parseStamp, type LookupRow } from './lookup-sql.ts';

type StampedSignature = { version: number; signedAt: string; withdrawnAt: string | null };
type StampedPledgeVersion = { version: number; effectiveAt: string | null; graceEndsAt: string | null };

/** A member's pledge signatures as the SQL gives them (JSON or text, zone-less UTC), typed. */
export function toSignatureFacts(rows: readonly StampedSignature[] | null): SignatureFacts[] {
  return (rows ?? []).map((s) => ({ version: s.version, signedAt: parseStamp(s.signedAt), withdrawnAt: s.withdrawnAt === null ? null : parseStamp(s.withdrawnAt) }));
}

/** The pledge versions as the SQL gives them (the lookup's first row, or PLEDGE_VERSIONS_SQL), typed. */
export function toPledgeVersionFacts(rows: readonly StampedPledgeVersion[]): PledgeVersionFacts[] {
  return rows.map((v) => ({ version: v.version, effectiveAt: v.effectiveAt === null ? null : parseStamp(v.effectiveAt), graceEndsAt: v.graceEndsAt === null ? null : parseStamp(v.graceEndsAt) }));
}

const timed = (events: ReadonlyArray<{ status: string; at: string }> | null): TimedStatus[] => (events ?? []).map((e) => ({ status: e.status, at: parseStamp(e.at) }));

/** @example const facts = toAccountFacts(row); facts.admins[0]?.badges[0]?.events[0]?.expiresAt // a Date */
export function toAccountFacts(row: LookupRow): AccountFacts {
  return {
    accountId: row.accountId,
    platform: row.platform,
    key: row.key,
    url: row.url,
    flags: row.flags.map((f) => ({ category: f.category, createdAt: parseStamp(f.createdAt), liftedAt: f.liftedAt === null ? null : parseStamp(f.liftedAt) })),
    admins: row.admins.map((a) => ({
      member: { id: a.memberId, displayName: a.displayName, kind: a.kind, province: a.province },
      ownership: timed(a.ownership),
      memberEvents: timed(a.memberEvents),
      signatures: toSignatureFacts(a.signatures),
      badges: (a.badges ?? []).map((b) => ({
        id: b.id,
        program: b.program,
        issuedAt: parseStamp(b.issuedAt),
        events: (b.events ?? []).map((e) => ({ status: e.status, expiresAt: parseStamp(e.expiresAt), at: parseStamp(e.at), category: e.category ?? null })),
      })),
    })),
  };
}
