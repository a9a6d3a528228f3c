/**
 * Two officers acting on the same badge at the same moment must end in one consistent state.
 * With DATABASE_URL these run on PostgreSQL with real concurrency (a pool of connections, row
 * locks); without it they run on PGlite, whose single connection serializes the transactions,
 * and must pass all the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Badge } from '../../src/generated/prisma/client.ts';
import type { Registry } from '../../src/index.ts';
import { createVerifiedMember, ensurePledge, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { logCount, prepareMember, uniqueFacebookUrl } from '../helpers.ts';

const ON_POSTGRES = Boolean(process.env.DATABASE_URL);
const MODE = ON_POSTGRES ? 'PostgreSQL, real concurrency' : 'PGlite, serialized (set DATABASE_URL for real concurrency)';

let t: TestRegistry;
let registry: Registry;

beforeAll(async () => {
  t = await openTestRegistry();
  registry = t.registry;
  await ensurePledge(registry);
  // A first badge creates the signing key and the first status list outside the races below.
  await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('warmup')] });
});
afterAll(async () => {
  await t?.close();
});

const REASON = { reasonCategory: 'UNDER_INVESTIGATION' } as const;
type Op = 'SUSPEND' | 'REVOKE' | 'REINSTATE';
const EFFECT: Record<Op, Badge['status']> = { SUSPEND: 'SUSPENDED', REVOKE: 'REVOKED', REINSTATE: 'ACTIVE' };

async function freshBadge(): Promise<Badge> {
  return (await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('race')] })).badge;
}

function run(op: Op, badgeId: string): Promise<Badge> {
  if (op === 'SUSPEND') return registry.suspendBadge({ badgeId, ...REASON });
  if (op === 'REVOKE') return registry.revokeBadge({ badgeId, ...REASON });
  return registry.reinstateBadge({ badgeId, ...REASON });
}

/**
 * Races `ops` on one badge and checks the end state is what the successful ones imply, applied
 * in the order their events were recorded; refusals are INVALID_TRANSITION and leave no trace.
 */
async function race(badge: Badge, ops: Op[]): Promise<{ fulfilled: Op[]; rejected: Op[] }> {
  const logsBefore = await logCount(registry);
  const eventsBefore = await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id } });
  const results = await Promise.allSettled(ops.map((op) => run(op, badge.id)));
  const fulfilled = ops.filter((_, i) => results[i]!.status === 'fulfilled');
  const rejected = ops.filter((_, i) => results[i]!.status === 'rejected');
  for (const result of results) {
    if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'INVALID_TRANSITION' });
  }
  const events = await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const added = events.slice(eventsBefore.length);
  // One event per successful operation, and the events tell a valid story.
  expect(added.map((e) => e.action).sort()).toEqual([...fulfilled].sort());
  const stored = (await registry.getBadge(badge.id))!;
  expect(stored.status).toBe(added.length ? EFFECT[added.at(-1)!.action as Op] : badge.status);
  expect(stored.version).toBe(badge.version + fulfilled.length);
  expect(await logCount(registry)).toBe(logsBefore + fulfilled.length);
  // Each successful result saw the state its predecessor left.
  const versions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.version] : [])).sort((a, b) => a - b);
  expect(versions).toEqual(fulfilled.map((_, i) => badge.version + i + 1));
  return { fulfilled, rejected };
}

describe(`two officers on one badge at once (${MODE})`, () => {
  it('opens the registry on the database the run asked for', () => {
    expect(registryInternals(registry).db.kind).toBe(ON_POSTGRES ? 'postgres' : 'pglite');
  });

  it('[suspend, suspend]: exactly one succeeds, the other is INVALID_TRANSITION', async () => {
    for (let round = 0; round < 5; round++) {
      const badge = await freshBadge();
      const { fulfilled, rejected } = await race(badge, ['SUSPEND', 'SUSPEND']);
      expect(fulfilled).toEqual(['SUSPEND']);
      expect(rejected).toEqual(['SUSPEND']);
      expect((await registry.getBadge(badge.id))?.status).toBe('SUSPENDED');
      expect((await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id } })).map((e) => e.action).sort()).toEqual(['ISSUE', 'SUSPEND']);
    }
  });

  it('[suspend, revoke]: always ends REVOKED; the suspension counts only if it came first', async () => {
    for (let round = 0; round < 5; round++) {
      const badge = await freshBadge();
      const { fulfilled } = await race(badge, ['SUSPEND', 'REVOKE']);
      expect(fulfilled).toContain('REVOKE');
      expect((await registry.getBadge(badge.id))?.status).toBe('REVOKED');
      const actions = (await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })).map((e) => e.action);
      expect(actions).toEqual(fulfilled.includes('SUSPEND') ? ['ISSUE', 'SUSPEND', 'REVOKE'] : ['ISSUE', 'REVOKE']);
    }
  });

  it('[revoke, revoke]: exactly one succeeds', async () => {
    const badge = await freshBadge();
    const { fulfilled } = await race(badge, ['REVOKE', 'REVOKE']);
    expect(fulfilled).toEqual(['REVOKE']);
  });

  it('[reinstate, revoke] on a suspended badge: ends REVOKED, consistent either way', async () => {
    for (let round = 0; round < 3; round++) {
      const badge = await registry.suspendBadge({ badgeId: (await freshBadge()).id, ...REASON });
      const { fulfilled } = await race(badge, ['REINSTATE', 'REVOKE']);
      expect(fulfilled).toContain('REVOKE');
      expect((await registry.getBadge(badge.id))?.status).toBe('REVOKED');
    }
  });

  it('[suspend ×3, revoke ×3, reinstate ×3]: whatever the interleaving, the history replays to the stored state', async () => {
    const badge = await freshBadge();
    const ops: Op[] = ['SUSPEND', 'REVOKE', 'REINSTATE', 'SUSPEND', 'REVOKE', 'REINSTATE', 'SUSPEND', 'REVOKE', 'REINSTATE'];
    const { fulfilled } = await race(badge, ops);
    expect(fulfilled.filter((op) => op === 'REVOKE')).toHaveLength(1);
    // Replaying the recorded events through the lifecycle never hits a forbidden step.
    const allowed: Record<Op, Badge['status'][]> = { SUSPEND: ['ACTIVE'], REINSTATE: ['SUSPENDED'], REVOKE: ['ACTIVE', 'SUSPENDED'] };
    let state: Badge['status'] = 'ACTIVE';
    for (const event of await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id, action: { not: 'ISSUE' } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })) {
      expect(allowed[event.action as Op]).toContain(state);
      state = EFFECT[event.action as Op];
      expect(event.status).toBe(state);
    }
    expect(state).toBe('REVOKED');
  });
});

describe(`a change that read the clock before another but applied after it (${MODE})`, () => {
  // What happens when an officer's request waits for the badge lock (or a pool connection)
  // while another's, stamped later, goes through; or when a replica's clock is behind.
  it('is recorded after it, so the history (and verify) end in the stored state', async () => {
    const { badge, member } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('clock')] });
    const url = (await registryInternals(registry).db.prisma.account.findFirstOrThrow({ where: { admins: { some: { memberId: member.id } } } })).url;
    t.clock.advance(120_000);
    await registry.suspendBadge({ badgeId: badge.id, ...REASON });
    t.clock.advance(-60_000); // the revocation's clock reads earlier than the suspension's
    await registry.revokeBadge({ badgeId: badge.id, reasonCategory: 'LEGAL_VIOLATION' });
    t.clock.advance(120_000);
    const events = await registryInternals(registry).db.prisma.badgeEvent.findMany({ where: { badgeId: badge.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(events.map((e) => e.action)).toEqual(['ISSUE', 'SUSPEND', 'REVOKE']);
    expect((await registry.getBadge(badge.id))?.status).toBe('REVOKED');
    expect((await registry.verify({ url })).status).toBe('REVOKED');
  });
});

describe(`concurrent issuance (${MODE})`, () => {
  it('badges issued at once to different members get attestations with distinct status-list indices', async () => {
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await prepareMember(registry));
    const logsBefore = await logCount(registry);
    const results = await Promise.allSettled(members.map((m) => registry.issueBadge({ memberId: m.memberId, program: 'KOL_TRUST' })));
    expect(results.map((r) => r.status)).toEqual(members.map(() => 'fulfilled'));
    expect(await logCount(registry)).toBe(logsBefore + members.length);
    const attestations = await registryInternals(registry).db.prisma.attestation.findMany({ select: { statusListId: true, statusIdx: true } });
    expect(new Set(attestations.map((a) => `${a.statusListId}#${a.statusIdx}`)).size).toBe(attestations.length);
    const fresh = await registryInternals(registry).db.prisma.attestation.findMany({ where: { badge: { memberId: { in: members.map((m) => m.memberId) } } } });
    expect(fresh).toHaveLength(members.length);
  });

  it('renewals and suspensions of different badges at once keep indices distinct and the log dense', async () => {
    const badges = [];
    for (let i = 0; i < 6; i++) badges.push(await freshBadge());
    const results = await Promise.allSettled(badges.map((b, i) => (i % 2 ? registry.renewBadge({ badgeId: b.id }) : registry.suspendBadge({ badgeId: b.id, ...REASON }))));
    expect(results.map((r) => r.status)).toEqual(badges.map(() => 'fulfilled'));
    const attestations = await registryInternals(registry).db.prisma.attestation.findMany({ select: { statusListId: true, statusIdx: true } });
    expect(new Set(attestations.map((a) => `${a.statusListId}#${a.statusIdx}`)).size).toBe(attestations.length);
    const log = await registryInternals(registry).db.prisma.logEntry.findMany({ select: { idx: true }, orderBy: { idx: 'asc' } });
    expect(log.map((e) => e.idx)).toEqual(log.map((_, i) => i));
  });

  it('the same badge issued twice at once to one member: exactly one succeeds, the other is a CONFLICT', async () => {
    const { memberId } = await prepareMember(registry);
    const results = await Promise.allSettled([registry.issueBadge({ memberId, program: 'KOL_TRUST' }), registry.issueBadge({ memberId, program: 'KOL_TRUST' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
    expect(await registryInternals(registry).db.prisma.badge.count({ where: { memberId } })).toBe(1);
  });
});
