/**
 * `openRegistry({ statusListTtlSeconds })`: the `ttl` of Status List Tokens (and the one
 * `getStatusListToken` returns with them), default STATUS_LIST_TTL_SECONDS; a whole number
 * from 10 to 86,400, anything else refused with a ValidationError on `statusListTtlSeconds`
 * before any database is opened; a stored token signed with another ttl is signed again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { verifyStatusListToken } from '@trust-alliance/verifier';
import {
  checkStatusListTtl,
  generateDataKey,
  openRegistry,
  Registry,
  RegistryError,
  STATUS_LIST_RESIGN_AFTER_SECONDS,
  STATUS_LIST_TTL_MAX_SECONDS,
  STATUS_LIST_TTL_MIN_SECONDS,
  STATUS_LIST_TTL_SECONDS,
  ValidationError,
  type RegistryOptions,
} from '../../src/index.ts';
import { createTestDatabase, createVerifiedMember, openTestRegistry, type TestRegistry, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl } from '../helpers.ts';

const ISSUER = 'https://tinnhiem.example.vn';

/** The id of the list holding the attestation of a fresh badge. */
async function listOfNewBadge(registry: Registry): Promise<string> {
  const { badge } = await createVerifiedMember(registry, { accounts: [uniqueFacebookUrl('ttl')] });
  const attestation = await registry.currentAttestation(badge.id);
  expect(attestation).not.toBeNull();
  return attestation!.statusListId;
}

const payloadTtl = (jwt: string) => (decodeJwt(jwt) as { ttl?: number }).ttl;

describe('statusListTtlSeconds', () => {
  let defaults: TestRegistry;
  let custom: TestRegistry;
  beforeAll(async () => {
    defaults = await openTestRegistry({ issuer: ISSUER });
    custom = await openTestRegistry({ issuer: ISSUER, statusListTtlSeconds: 45 });
  });
  afterAll(async () => {
    await defaults?.close();
    await custom?.close();
  });

  it('defaults to STATUS_LIST_TTL_SECONDS (300)', async () => {
    expect(STATUS_LIST_TTL_SECONDS).toBe(300);
    expect(registryInternals(defaults.registry).context.statusListTtlSeconds).toBe(300);
    const token = await defaults.registry.getStatusListToken(await listOfNewBadge(defaults.registry));
    expect(token.ttl).toBe(300);
    expect(payloadTtl(token.jwt)).toBe(300);
  });

  it('puts the option in the token payload and returns it with the token, fresh or stored', async () => {
    const registry = custom.registry;
    const listId = await listOfNewBadge(registry);
    const first = await registry.getStatusListToken(listId);
    expect(first.ttl).toBe(45);
    expect(payloadTtl(first.jwt)).toBe(45);
    // The verifier reads the same ttl from the signed token.
    const verified = await verifyStatusListToken(first.jwt, { issuer: ISSUER, jwks: await registry.keys.publicJwks(), uri: `${ISSUER}/status-lists/${listId}` });
    expect(verified.valid).toBe(true);
    if (verified.valid) expect(verified.claims.ttl).toBe(45);
    // Served again from storage: same token, same ttl.
    const again = await registry.getStatusListToken(listId);
    expect(again).toEqual(first);
  });

  it('signs a stored token again when the configured ttl changed since', async () => {
    const registry = custom.registry;
    const listId = await listOfNewBadge(registry);
    const stored = await registry.getStatusListToken(listId);
    expect(payloadTtl(stored.jwt)).toBe(45);
    // The same database, as a registry restarted with another ttl would see it.
    const restarted = new Registry({ ...registryInternals(registry).context, statusListTtlSeconds: 120 });
    const resigned = await restarted.getStatusListToken(listId);
    expect(resigned.ttl).toBe(120);
    expect(payloadTtl(resigned.jwt)).toBe(120);
    expect(resigned.jwt).not.toBe(stored.jwt);
    expect(resigned.revision).toBe(stored.revision);
  });

  it('signs an unchanged list again once its token is STATUS_LIST_RESIGN_AFTER_SECONDS old, so verifiers always get a recent iat', async () => {
    const listId = await listOfNewBadge(custom.registry);
    const first = await custom.registry.getStatusListToken(listId);
    // Well inside the minute (real time passes too on a busy machine): served from storage.
    custom.clock.advance((STATUS_LIST_RESIGN_AFTER_SECONDS - 20) * 1000);
    expect((await custom.registry.getStatusListToken(listId)).jwt).toBe(first.jwt);
    custom.clock.advance(20_000);
    const again = await custom.registry.getStatusListToken(listId);
    expect(again.jwt).not.toBe(first.jwt);
    expect(again.revision).toBe(first.revision);
    expect(decodeJwt(again.jwt).iat).toBeGreaterThanOrEqual((decodeJwt(first.jwt).iat as number) + STATUS_LIST_RESIGN_AFTER_SECONDS);
  });

  it('accepts the bounds, 10 and 86,400 seconds', async () => {
    expect([STATUS_LIST_TTL_MIN_SECONDS, STATUS_LIST_TTL_MAX_SECONDS]).toEqual([10, 86_400]);
    expect(checkStatusListTtl(undefined)).toBe(300);
    expect(checkStatusListTtl(10)).toBe(10);
    expect(checkStatusListTtl(86_400)).toBe(86_400);
    for (const ttl of [10, 86_400]) {
      const t = await openTestRegistry({ issuer: ISSUER, statusListTtlSeconds: ttl });
      try {
        const token = await t.registry.getStatusListToken(await listOfNewBadge(t.registry));
        expect(payloadTtl(token.jwt)).toBe(ttl);
        expect(token.ttl).toBe(ttl);
      } finally {
        await t.close();
      }
    }
  });

  it('refuses anything else with a ValidationError on statusListTtlSeconds, opening nothing', async () => {
    const bad: unknown[] = [0, 9, 86_401, -300, 300.5, Number.NaN, Number.POSITIVE_INFINITY, '300', null];
    for (const value of bad) {
      expect(() => checkStatusListTtl(value), String(value)).toThrow(ValidationError);
      const database = await createTestDatabase();
      let opened: Registry | null = null;
      try {
        const options = { dataDir: 'memory://', dataKey: generateDataKey(), databaseUrl: database.databaseUrl, statusListTtlSeconds: value } as unknown as RegistryOptions;
        const error = await openRegistry(options).then(
          (registry) => {
            opened = registry;
            return null;
          },
          (e: unknown) => e,
        );
        expect(error, String(value)).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'statusListTtlSeconds' });
        expect((error as RegistryError).message).toMatch(/10 to 86400/);
      } finally {
        await (opened as Registry | null)?.close();
        await database.drop();
      }
    }
  });
});
