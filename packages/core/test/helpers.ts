/**
 * Small helpers shared by the core test files: unique account URLs, a member taken part of the
 * way to a badge, and "refused without changing anything" checks.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Registry, RegistryOptions } from '../src/index.ts';
import { ensurePledge, FAILING_SCORES, onboardMember, PASSING_SCORES } from '../src/index.ts';
import { openTestRegistry, registryInternals, type TestRegistry } from '../src/testing/index.ts';

let counter = 0;
const run = Math.random().toString(36).slice(2, 8);

/** A Facebook page URL no other test uses (letters and digits only, so the key is predictable). */
export function uniqueFacebookUrl(tag: string): string {
  counter += 1;
  return `https://www.facebook.com/${tag.toLowerCase().replace(/[^a-z0-9]/g, '')}${run}${counter}`;
}

/** The canonical key of {@link uniqueFacebookUrl}'s URL. */
export function facebookKey(url: string): string {
  return `facebook:${new URL(url).pathname.slice(1).replace(/\./g, '').toLowerCase()}`;
}

/** Transparency-log entries so far. */
export function logCount(registry: Registry): Promise<number> {
  return registryInternals(registry).db.prisma.logEntry.count();
}

/**
 * Runs `op`, expects it to be refused with an error matching `match`, and checks that no
 * transparency-log entry was added (a refused operation changes nothing).
 */
export async function expectRefused(registry: Registry, op: () => Promise<unknown>, match: Record<string, unknown>): Promise<void> {
  const before = await logCount(registry);
  await expect(op()).rejects.toMatchObject(match);
  expect(await logCount(registry)).toBe(before);
}

export interface MemberSteps {
  /** Add an account (default true). */
  account?: boolean;
  /** Prove its ownership (default true). */
  prove?: boolean;
  /** Make the member ACTIVE (default true). */
  activate?: boolean;
  /** Sign the current pledge (default true). */
  sign?: boolean;
  /** Record an assessment (default PASS). */
  assessment?: 'PASS' | 'FAIL' | false;
  url?: string;
  displayName?: string;
}

/**
 * A member taken through the steps asked for, ready for `issueBadge` when all are on.
 * @example const m = await prepareMember(registry, { sign: false });
 */
export async function prepareMember(registry: Registry, steps: MemberSteps = {}): Promise<{ memberId: string; accountId: string | null; url: string | null }> {
  await ensurePledge(registry);
  const url = steps.account === false ? null : (steps.url ?? uniqueFacebookUrl('member'));
  const assessment = steps.assessment ?? 'PASS';
  const { member, accountIds } = await onboardMember(registry, {
    member: { kind: 'KOL', displayName: steps.displayName ?? 'Trần Thị Kiểm Thử', province: 'Hà Nội' },
    accounts: url === null ? [] : [url],
    prove: steps.prove,
    activate: steps.activate,
    sign: steps.sign === false ? false : 'ONLINE',
    scores: assessment === 'PASS' ? PASSING_SCORES : assessment === 'FAIL' ? FAILING_SCORES : false,
    badge: false,
  });
  return { memberId: member.id, accountId: accountIds[0] ?? null, url };
}

export const DAY_MS = 86_400_000;

/** A fetch that serves `registry`'s status lists at their URIs, as the API would (for offline verification in tests). */
export function statusListFetch(registry: Registry): typeof fetch {
  return async (input) => {
    const uri = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const prefix = `${registry.issuer}/status-lists/`;
    if (!uri.startsWith(prefix)) return new Response('not found', { status: 404 });
    const { jwt } = await registry.getStatusListToken(uri.slice(prefix.length));
    return new Response(jwt, { status: 200, headers: { 'content-type': 'application/statuslist+jwt' } });
  };
}

/**
 * One test registry for the whole file: opened (with the sample pledge published, unless
 * `pledge: false`) before its tests, closed after them. `use` receives it, so the file keeps its
 * own `registry` and `clock` variables.
 *
 * @example
 * let registry: Registry;
 * let clock: TestClock;
 * useFileRegistry((t) => ({ registry, clock } = t));
 */
export function useFileRegistry(use: (test: TestRegistry) => void, options: { registry?: RegistryOptions; pledge?: boolean } = {}): void {
  let test: TestRegistry | undefined;
  beforeAll(async () => {
    test = await openTestRegistry(options.registry);
    if (options.pledge !== false) await ensurePledge(test.registry);
    use(test);
  });
  afterAll(async () => {
    await test?.close();
  });
}
