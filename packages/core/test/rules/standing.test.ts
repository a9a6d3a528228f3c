/**
 * A member's pledge standing and a badge's state "as of" a moment, at the exact instants that
 * matter: a signature counts from the instant it is made, a withdrawal from the instant it is
 * made, a new version from its effective instant, its grace period up to (not including) its
 * end, and a badge event from its instant. Pure rules (rules/standing.ts); verify-rules.test.ts
 * checks the same through the registry.
 */
import { describe, expect, it } from 'vitest';
import { badgeAt, pledgeInGoodStanding, pledgeStanding, type BadgeEventFacts, type PledgeVersionFacts, type SignatureFacts } from '../../src/rules/standing.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const day = (d: number) => new Date(T0 + d * DAY);
const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

const V1: PledgeVersionFacts = { version: 1, effectiveAt: day(0), graceEndsAt: null };
/** Version 2 in force from day 30, with a grace period for version-1 signers until day 60. */
const V2: PledgeVersionFacts = { version: 2, effectiveAt: day(30), graceEndsAt: day(60) };
const sign = (version: number, signedAt: Date, withdrawnAt: Date | null = null): SignatureFacts => ({ version, signedAt, withdrawnAt });

describe('a signature, as of a moment', () => {
  const signedAt = day(5);
  const signatures = [sign(1, signedAt)];

  it('counts from the instant it is made, not before', () => {
    expect(pledgeStanding([V1], signatures, signedAt)).toBe('GOOD');
    expect(pledgeStanding([V1], signatures, ms(signedAt, -1))).toBe('LAPSED');
    expect(pledgeInGoodStanding([V1], signatures, ms(signedAt, -1))).toBe(false);
  });

  it('a withdrawal ends it from the instant it is made: GOOD just before, WITHDRAWN at and after', () => {
    const withdrawnAt = day(10);
    const withdrawn = [sign(1, signedAt, withdrawnAt)];
    expect(pledgeStanding([V1], withdrawn, ms(withdrawnAt, -1))).toBe('GOOD');
    expect(pledgeStanding([V1], withdrawn, withdrawnAt)).toBe('WITHDRAWN');
    expect(pledgeStanding([V1], withdrawn, day(20))).toBe('WITHDRAWN');
    // As of before the signature, a withdrawn signature is no signature at all.
    expect(pledgeStanding([V1], withdrawn, day(1))).toBe('LAPSED');
  });

  it('a signature of another version does not count for the version in force', () => {
    expect(pledgeStanding([V1], [sign(2, day(5))], day(6))).toBe('LAPSED');
  });

  it('no version in force yet: no one is in good standing', () => {
    expect(pledgeStanding([{ version: 1, effectiveAt: day(10), graceEndsAt: null }], signatures, day(6))).toBe('LAPSED');
    expect(pledgeStanding([{ version: 1, effectiveAt: null, graceEndsAt: null }], signatures, day(6))).toBe('LAPSED');
    expect(pledgeStanding([], signatures, day(6))).toBe('LAPSED');
  });
});

describe('a new pledge version and its grace period', () => {
  const v1Signer = [sign(1, day(5))];

  it('is in force from its effective instant: a version-1 signer is GOOD before and during the grace period', () => {
    expect(pledgeStanding([V1, V2], v1Signer, ms(V2.effectiveAt!, -1))).toBe('GOOD');
    expect(pledgeStanding([V1, V2], v1Signer, V2.effectiveAt!)).toBe('GOOD');
    expect(pledgeStanding([V1, V2], v1Signer, ms(V2.graceEndsAt!, -1))).toBe('GOOD');
  });

  it('the grace period ends at its end instant: LAPSED from then on', () => {
    expect(pledgeStanding([V1, V2], v1Signer, V2.graceEndsAt!)).toBe('LAPSED');
    expect(pledgeStanding([V1, V2], v1Signer, day(90))).toBe('LAPSED');
  });

  it('a version without a grace period gives none', () => {
    const noGrace: PledgeVersionFacts = { version: 2, effectiveAt: day(30), graceEndsAt: null };
    expect(pledgeStanding([V1, noGrace], v1Signer, day(31))).toBe('LAPSED');
  });

  it('the grace period covers signers of the version just before only', () => {
    const V3: PledgeVersionFacts = { version: 3, effectiveAt: day(40), graceEndsAt: day(70) };
    expect(pledgeStanding([V1, V2, V3], v1Signer, day(45))).toBe('LAPSED');
    expect(pledgeStanding([V1, V2, V3], [sign(2, day(35))], day(45))).toBe('GOOD');
    // The versions need not come in order.
    expect(pledgeStanding([V3, V1, V2], [sign(2, day(35))], day(45))).toBe('GOOD');
    expect(pledgeStanding([V3, V1, V2], v1Signer, day(45))).toBe('LAPSED');
  });

  it('a late signature of the new version restores good standing from its instant', () => {
    const lateAt = day(70);
    const signatures = [sign(1, day(5)), sign(2, lateAt)];
    expect(pledgeStanding([V1, V2], signatures, ms(lateAt, -1))).toBe('LAPSED');
    expect(pledgeStanding([V1, V2], signatures, lateAt)).toBe('GOOD');
  });

  it('a version-1 signature withdrawn during the grace period: WITHDRAWN, not GOOD', () => {
    const signatures = [sign(1, day(5), day(40))];
    expect(pledgeStanding([V1, V2], signatures, day(39))).toBe('GOOD');
    expect(pledgeStanding([V1, V2], signatures, day(41))).toBe('WITHDRAWN');
  });
});

describe('WITHDRAWN or LAPSED: what the last signature by then says', () => {
  it('the last signature made by the moment decides, however they are listed', () => {
    const withdrawnThenResigned = [sign(1, day(20)), sign(1, day(5), day(10))];
    // Re-signed after withdrawing: GOOD, whatever the order of the list.
    expect(pledgeStanding([V1], withdrawnThenResigned, day(25))).toBe('GOOD');
    // Between the withdrawal and the new signature: WITHDRAWN.
    expect(pledgeStanding([V1], withdrawnThenResigned, day(15))).toBe('WITHDRAWN');
  });

  it('a signature made after the moment is not the last one as of then', () => {
    const signatures = [sign(1, day(5), day(10)), sign(2, day(40))];
    // As of day 70 (version 2 in force, grace over), the version-2 signature is the last one and holds.
    expect(pledgeStanding([V1, V2], signatures, day(70))).toBe('GOOD');
    // As of day 20, the version-1 signature is the last one made, and it was withdrawn.
    expect(pledgeStanding([V1, V2], signatures, day(20))).toBe('WITHDRAWN');
  });

  it('a newer signature not withdrawn, of a version no longer counting, is a lapse, not a withdrawal', () => {
    const signatures = [sign(1, day(2), day(3)), sign(1, day(5))];
    expect(pledgeStanding([V1, V2], signatures, day(65))).toBe('LAPSED');
  });

  it('a withdrawal still to come is not a withdrawal yet', () => {
    // Lapsed (grace over) while the version-1 signature is withdrawn only later.
    expect(pledgeStanding([V1, V2], [sign(1, day(5), day(80))], day(65))).toBe('LAPSED');
    expect(pledgeStanding([V1, V2], [sign(1, day(5), day(80))], day(80))).toBe('WITHDRAWN');
  });
});

describe('a badge, as of a moment', () => {
  const expiresAt = day(365);
  const events: BadgeEventFacts[] = [
    { status: 'ACTIVE', expiresAt, at: day(10) },
    { status: 'SUSPENDED', expiresAt, at: day(20) },
    { status: 'ACTIVE', expiresAt, at: day(30) },
  ];

  it('did not exist before it was issued, and each event holds from its instant', () => {
    expect(badgeAt(events, ms(day(10), -1))).toBeNull();
    expect(badgeAt(events, day(10))?.status).toBe('ACTIVE');
    expect(badgeAt(events, ms(day(20), -1))?.status).toBe('ACTIVE');
    expect(badgeAt(events, day(20))?.status).toBe('SUSPENDED');
    expect(badgeAt(events, day(29))?.status).toBe('SUSPENDED');
    expect(badgeAt(events, day(30))).toBe(events[2]);
    expect(badgeAt([], day(30))).toBeNull();
  });
});
