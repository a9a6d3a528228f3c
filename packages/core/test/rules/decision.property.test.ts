/**
 * The property behind issue 9: every channel says the same thing. Random histories (member
 * status changes, ownership, badges issued, suspended, reinstated, revoked and expiring,
 * pledge versions, signatures and withdrawals, flags and lifts) are built as pure facts, and at
 * random moments three channels are compared with an oracle written here from the rule table
 * of the core README, independently of rules/decision.ts:
 * - the verify answer, overall and for each program (`answerFromFacts`, what `verify` returns);
 * - the signed answer's claims (`signedAnswerClaims`);
 * - the status-list value of every current attestation naming the account
 *   (`attestationStatusValue`, what the served list holds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatusValue, type VerificationStatus } from '@trust-alliance/verifier';
import type { AccountFacts, AdminFacts } from '../../src/rules/facts.ts';
import type { BadgeEventFacts, PledgeVersionFacts, SignatureFacts } from '../../src/rules/standing.ts';
import type { MemberStatus } from '../../src/generated/prisma/enums.ts';
import { answerFromFacts } from '../../src/verification/verify.ts';
import { signedAnswerClaims } from '../../src/signing/signed-answers.ts';
import { attestationStatusValue } from '../../src/signing/status-value.ts';
import { canMemberTransition } from '../../src/members/member-status.ts';
import type { VerificationResult } from '../../src/rules/verification-result.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const day = (d: number) => new Date(T0 + d * DAY);
const PROGRAMS = ['KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL'] as const;

// ---------------------------------------------------------------- the oracle (the README's table)

type Pledge = 'GOOD' | 'LAPSED' | 'WITHDRAWN';
interface BadgeCase {
  flagged: boolean;
  member: string;
  badge: BadgeEventFacts['status'];
  expired: boolean;
  pledge: Pledge;
}
interface Row {
  when: (c: BadgeCase) => boolean;
  status: VerificationStatus;
  code: string;
  /** The reason carries the category of the badge's last event. */
  badgeCategory?: boolean;
  list: StatusValue;
  shown: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
}
const { VALID, INVALID, SUSPENDED } = StatusValue;
/** The rule table, first match wins (ACCOUNT_FLAGGED is the account-wide row above it). */
const TABLE: Row[] = [
  { when: (c) => c.member === 'EXPELLED', status: 'REVOKED', code: 'MEMBER_EXPELLED', list: INVALID, shown: 'REVOKED' },
  { when: (c) => c.member === 'WITHDRAWN', status: 'REVOKED', code: 'MEMBER_WITHDRAWN', list: INVALID, shown: 'REVOKED' },
  { when: (c) => c.badge === 'REVOKED', status: 'REVOKED', code: 'BADGE_REVOKED', badgeCategory: true, list: INVALID, shown: 'REVOKED' },
  { when: (c) => c.expired, status: 'EXPIRED', code: 'BADGE_EXPIRED', list: INVALID, shown: 'EXPIRED' },
  { when: (c) => c.member === 'SUSPENDED', status: 'SUSPENDED', code: 'MEMBER_SUSPENDED', list: SUSPENDED, shown: 'SUSPENDED' },
  { when: (c) => c.member === 'PENDING', status: 'PENDING', code: 'MEMBER_PENDING', list: SUSPENDED, shown: 'SUSPENDED' },
  { when: (c) => c.badge === 'SUSPENDED', status: 'SUSPENDED', code: 'BADGE_SUSPENDED', badgeCategory: true, list: SUSPENDED, shown: 'SUSPENDED' },
  { when: (c) => c.pledge === 'LAPSED', status: 'SUSPENDED', code: 'PLEDGE_LAPSED', list: SUSPENDED, shown: 'SUSPENDED' },
  { when: (c) => c.pledge === 'WITHDRAWN', status: 'SUSPENDED', code: 'PLEDGE_WITHDRAWN', list: SUSPENDED, shown: 'SUSPENDED' },
  { when: () => true, status: 'VERIFIED', code: '', list: VALID, shown: 'ACTIVE' },
];
const ORDER: VerificationStatus[] = ['VERIFIED', 'SUSPENDED', 'EXPIRED', 'REVOKED', 'PENDING'];
const best = <T extends { status: VerificationStatus }>(xs: T[]): T | undefined => [...xs].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status))[0];

interface Said {
  status: VerificationStatus;
  code: string | null;
  category: string | null;
}

function stateAt<T extends { at: Date }>(events: readonly T[], at: Date): T | undefined {
  return events.filter((e) => e.at <= at).at(-1);
}

function oraclePledge(versions: PledgeVersionFacts[], signatures: SignatureFacts[], at: Date): Pledge {
  const inForce = versions.filter((v) => v.effectiveAt !== null && v.effectiveAt <= at).sort((a, b) => b.version - a.version);
  const holds = (version: number | undefined) => signatures.some((s) => s.version === version && s.signedAt <= at && !(s.withdrawnAt !== null && s.withdrawnAt <= at));
  const [current, previous] = inForce;
  if (current && (holds(current.version) || (previous && current.graceEndsAt !== null && at < current.graceEndsAt && holds(previous.version)))) return 'GOOD';
  const last = signatures.filter((s) => s.signedAt <= at).sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime()).at(-1);
  return last?.withdrawnAt != null && last.withdrawnAt <= at ? 'WITHDRAWN' : 'LAPSED';
}

interface OracleBadge {
  id: string;
  program: string;
  row: Row;
  said: Said;
}

function oracleBadges(admin: AdminFacts, member: string, versions: PledgeVersionFacts[], at: Date): OracleBadge[] {
  const pledge = oraclePledge(versions, admin.signatures, at);
  return admin.badges.flatMap((b) => {
    const state = stateAt(b.events, at);
    if (!state) return [];
    const row = TABLE.find((r) => r.when({ flagged: false, member, badge: state.status, expired: state.expiresAt <= at, pledge }))!;
    return [{ id: b.id, program: b.program, row, said: { status: row.status, code: row.code || null, category: row.badgeCategory ? state.category ?? null : null } }];
  });
}

/** What the table says for the account, for `program` (or overall), and per program. */
function oracle(facts: AccountFacts, versions: PledgeVersionFacts[], at: Date, program: string | null): { said: Said; programs: Array<{ program: string } & Said>; shown: Map<string, string> } {
  const flags = facts.flags.filter((f) => f.createdAt <= at && !(f.liftedAt !== null && f.liftedAt <= at));
  const counting = facts.admins.flatMap((admin) => {
    const member = stateAt(admin.memberEvents, at)?.status;
    return stateAt(admin.ownership, at)?.status === 'VERIFIED' && member !== undefined ? [{ admin, member, badges: oracleBadges(admin, member, versions, at) }] : [];
  });
  const flagged: Said | null = flags.length ? { status: 'FLAGGED', code: 'ACCOUNT_FLAGGED', category: flags.at(-1)!.category } : null;
  if (counting.length === 0) {
    const said = flagged ?? { status: 'PENDING', code: 'OWNERSHIP_UNPROVEN', category: null };
    return { said, programs: program ? [{ program, ...said }] : [], shown: new Map() };
  }
  const memberRule = (member: string): Said => {
    const row = TABLE.find((r) => r.when({ flagged: false, member, badge: 'ACTIVE', expired: false, pledge: 'GOOD' }))!;
    return row.status === 'VERIFIED' ? { status: 'PENDING', code: 'NO_BADGE', category: null } : { status: row.status, code: row.code, category: null };
  };
  const forAdmin = (a: (typeof counting)[number], p: string | null) => {
    const mine = a.badges.filter((b) => p === null || b.program === p).map((b) => b.said);
    return { ...(best(mine) ?? memberRule(a.member)), a };
  };
  const names = program ? [program] : PROGRAMS.filter((p) => counting.some((c) => c.badges.some((b) => b.program === p)));
  const perProgram = names.map((p) => ({ program: p, ...best(counting.map((a) => forAdmin(a, p)))! }));
  const overall = program ? perProgram[0]! : best(perProgram) ?? best(counting.map((a) => forAdmin(a, null)))!;
  const shown = new Map(overall.a.badges.filter((b) => program === null || b.program === program).map((b) => [b.id, b.row.shown]));
  const strip = (s: Said & { program?: string }) => ({ status: s.status, code: s.code, category: s.category });
  if (flagged) return { said: flagged, programs: names.map((p) => ({ program: p, ...flagged })), shown };
  return { said: strip(overall), programs: perProgram.map((p) => ({ program: p.program, ...strip(p) })), shown };
}

// ---------------------------------------------------------------- random histories

const moment = fc.integer({ min: 0, max: 130 * 24 }).map((h) => h / 24);

/** A member's status history along the lifecycle: PENDING, then only allowed moves. */
const memberHistory = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom<MemberStatus>('ACTIVE', 'SUSPENDED', 'EXPELLED', 'WITHDRAWN'), moment), { maxLength: 4 }))
  .map(([activates, moves]) => {
    const events = [{ status: 'PENDING' as string, at: day(0) }];
    if (!activates) return events;
    events.push({ status: 'ACTIVE', at: day(1) });
    for (const [status, d] of moves.sort((a, b) => a[1] - b[1])) {
      const last = events.at(-1)!;
      if (day(d + 2) > last.at && canMemberTransition(last.status as MemberStatus, status)) events.push({ status, at: day(d + 2) });
    }
    return events;
  });

const CATEGORIES = ['UNDER_INVESTIGATION', 'CODE_OF_CONDUCT_VIOLATION', 'LEGAL_VIOLATION', 'ADMINISTRATIVE'] as const;
const badgeHistory = (id: string) =>
  fc
    .record({
      program: fc.constantFrom(...PROGRAMS),
      issued: fc.integer({ min: 2, max: 90 }),
      validity: fc.integer({ min: 5, max: 120 }),
      moves: fc.array(fc.tuple(fc.constantFrom('SUSPEND', 'REINSTATE', 'REVOKE', 'RENEW'), fc.integer({ min: 1, max: 40 }), fc.constantFrom(...CATEGORIES)), { maxLength: 4 }),
    })
    .map(({ program, issued, validity, moves }) => {
      let expiresAt = day(issued + validity);
      const events: BadgeEventFacts[] = [{ status: 'ACTIVE', expiresAt, at: day(issued), category: 'ISSUED' }];
      let d = issued;
      for (const [action, gap, category] of moves) {
        const last = events.at(-1)!;
        if (last.status === 'REVOKED') break;
        d += gap;
        if (action === 'SUSPEND' && last.status === 'ACTIVE') events.push({ status: 'SUSPENDED', expiresAt, at: day(d), category });
        if (action === 'REINSTATE' && last.status === 'SUSPENDED') events.push({ status: 'ACTIVE', expiresAt, at: day(d), category: 'REINSTATED' });
        if (action === 'REVOKE') events.push({ status: 'REVOKED', expiresAt, at: day(d), category });
        if (action === 'RENEW' && last.status === 'ACTIVE') {
          expiresAt = day(Math.max(d, expiresAt.getTime() / DAY - T0 / DAY) + 60);
          events.push({ status: 'ACTIVE', expiresAt, at: day(d), category: 'RENEWED' });
        }
      }
      return { id, program, issuedAt: day(issued), events };
    });

const adminHistory = (n: number) =>
  fc
    .record({
      member: memberHistory,
      ownership: fc.array(fc.tuple(fc.constantFrom('VERIFIED', 'UNVERIFIED', 'REVOKED'), moment), { minLength: 1, maxLength: 3 }),
      signatures: fc.array(fc.record({ version: fc.integer({ min: 1, max: 3 }), signedAt: moment, withdrawAfter: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }) }), { maxLength: 3 }),
      badges: fc.tuple(badgeHistory(`b${n}a`), badgeHistory(`b${n}b`), badgeHistory(`b${n}c`), fc.integer({ min: 0, max: 3 })).map(([a, b, c, k]) => [a, b, c].slice(0, k)),
    })
    .map(({ member, ownership, signatures, badges }): AdminFacts => ({
      member: { id: `m${n}`, displayName: `Thành viên ${n}`, kind: 'KOL', province: null },
      ownership: ownership.sort((a, b) => a[1] - b[1]).map(([status, d]) => ({ status, at: day(d) })),
      memberEvents: member,
      // Distinct moments, as real signatures have.
      signatures: signatures
        .sort((a, b) => a.signedAt - b.signedAt)
        .map((s, i) => ({ version: s.version, signedAt: new Date(day(s.signedAt).getTime() + i), withdrawnAt: s.withdrawAfter === null ? null : day(s.signedAt + s.withdrawAfter) })),
      // A pending member never holds a badge: only members that became ACTIVE get them.
      badges: member.length > 1 ? badges : [],
    }));

const versionsArb = fc.tuple(fc.integer({ min: 10, max: 100 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 })).map(([v2At, grace, count]): PledgeVersionFacts[] => {
  const versions: PledgeVersionFacts[] = [{ version: 1, effectiveAt: day(0), graceEndsAt: null }];
  if (count >= 2) versions.push({ version: 2, effectiveAt: day(v2At), graceEndsAt: day(v2At + grace) });
  if (count >= 3) versions.push({ version: 3, effectiveAt: day(v2At + 20), graceEndsAt: day(v2At + 20 + grace) });
  return versions;
});

const historyArb = fc.record({
  versions: versionsArb,
  admins: fc.tuple(adminHistory(1), adminHistory(2), fc.boolean()).map(([a, b, two]) => (two ? [a, b] : [a])),
  flags: fc.array(fc.tuple(fc.constantFrom('SCAM', 'IMPERSONATION'), moment, fc.option(fc.integer({ min: 1, max: 30 }), { nil: null })), { maxLength: 2 }),
  moments: fc.array(moment, { minLength: 3, maxLength: 6 }),
});

// ---------------------------------------------------------------- the property

const KEY = 'facebook:tinnhiemso.kiemthu';
const ASKED = { platform: 'FACEBOOK' as const, key: KEY, url: 'https://www.facebook.com/tinnhiemso.kiemthu' };
const said = (s: { status: VerificationStatus; reason: { code: string; category: string | null } | null }): Said => ({ status: s.status, code: s.reason?.code ?? null, category: s.reason?.category ?? null });

describe('one decision in every channel (property)', () => {
  it('verify per program, signed answers and status-list values agree with the rule table', () => {
    let checked = 0;
    fc.assert(
      fc.property(historyArb, ({ versions, admins, flags, moments }) => {
        const facts: AccountFacts = {
          accountId: 'acc', platform: 'FACEBOOK', key: KEY, url: ASKED.url,
          flags: flags.map(([category, d, lift]) => ({ category, createdAt: day(d), liftedAt: lift === null ? null : day(d + lift) })),
          admins,
        };
        for (const m of moments) {
          const at = day(m);
          for (const program of [null, ...PROGRAMS]) {
            const expected = oracle(facts, versions, at, program);
            const answer = answerFromFacts(facts, versions, { at, program, lang: 'en', asked: ASKED });
            // Channel 1: verify, overall or for the program, and each program listed.
            expect(said(answer)).toEqual(expected.said);
            expect(answer.programs.map((p) => ({ program: p.program, ...said(p) }))).toEqual(expected.programs);
            expect(new Map(answer.badges.map((b) => [b.id, b.status]))).toEqual(expected.shown);
            if (answer.status === 'FLAGGED') expect(answer.attestedBadgeId).toBeNull();
            // Channel 2: the signed answer carries the same verdicts and codes.
            const result: VerificationResult = { ...answer, input: { url: ASKED.url }, program, lookalikeOf: [], checkedAt: at, at };
            const claims = signedAnswerClaims(result, { iss: 'https://tinnhiem.example.vn', iat: 0, jti: 'x' });
            expect({ status: claims.status, code: claims.reason?.code ?? null, category: claims.reason?.category ?? null }).toEqual(expected.said);
            expect(claims.programs!.map((p) => ({ program: p.program, status: p.status, code: p.reason?.code ?? null, category: p.reason?.category ?? null }))).toEqual(expected.programs);
          }
          // Channel 3: every current attestation naming the account (badges of admins proven now).
          const flagged = facts.flags.some((f) => f.createdAt <= at && !(f.liftedAt !== null && f.liftedAt <= at));
          const overall = oracle(facts, versions, at, null);
          for (const admin of admins) {
            const member = stateAt(admin.memberEvents, at)?.status;
            if (stateAt(admin.ownership, at)?.status !== 'VERIFIED' || member === undefined) continue;
            const pledge = oraclePledge(versions, admin.signatures, at);
            for (const b of oracleBadges(admin, member, versions, at)) {
              const state = stateAt(admin.badges.find((x) => x.id === b.id)!.events, at)!;
              const value = attestationStatusValue({ superseded: false, badgeStatus: state.status, badgeExpiresAt: state.expiresAt, memberStatus: member as MemberStatus, pledge, flagged }, at);
              expect(value).toBe(flagged ? INVALID : b.row.list);
              // A VALID entry only where the account's answer for its program is VERIFIED.
              if (value === VALID) expect(overall.programs.find((p) => p.program === b.program)?.status).toBe('VERIFIED');
              checked++;
            }
          }
        }
      }),
      { seed: 20261202, numRuns: 200 },
    );
    // The generator must reach attestations at all, or channel 3 would pass vacuously.
    expect(checked).toBeGreaterThan(100);
  });
});
