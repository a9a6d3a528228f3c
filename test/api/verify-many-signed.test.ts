/**
 * `verifyMany(…, signed: true)`: every answer carries its signed answer (`typ:
 * trust-verification+jwt`, signed by core's `registry.signAnswer`, all of a batch at once),
 * each checked with @trust-alliance/verifier against the registry's published key set; without
 * `signed` the field is null; PUBLIC callers are still refused verifyMany.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { SIGNED_ANSWER_TYP, verifySignedAnswer } from '@trust-alliance/verifier';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { codeOf, openTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
const VERIFIED_PAGE = 'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share';
const UNKNOWN_PAGE = 'https://www.facebook.com/some.unknown.page';
const NOT_AN_ACCOUNT = 'hello world';
const INPUTS = [{ url: VERIFIED_PAGE }, { url: UNKNOWN_PAGE }, { url: NOT_AN_ACCOUNT }];

const MANY = `query($inputs: [VerifyInput!]!, $signed: Boolean) {
  verifyMany(inputs: $inputs, signed: $signed) { status account { key } badges { id status } signedAnswer }
}`;

interface Answer {
  status: string;
  account: { key: string } | null;
  badges: Array<{ id: string; status: string }>;
  signedAnswer: string | null;
}

beforeAll(async () => {
  t = await openTestApp();
  expect((await seedDemo(t.registry)).seeded).toBe(true);
});
afterAll(() => t?.close());

/** The key set /.well-known/jwks.json serves, and the issuer. */
const keys = async () => ({ issuer: t.registry.issuer, jwks: await t.registry.keys.publicJwks() });

describe('verifyMany(…, signed: true)', () => {
  it('gives a PLATFORM caller one signed answer per input that verifies and says what was answered', async () => {
    const res = await t.gql<{ verifyMany: Answer[] }>(MANY, { inputs: INPUTS, signed: true }, 'PLATFORM');
    expect(res.errors).toBeUndefined();
    const answers = res.data!.verifyMany;
    expect(answers.map((a) => a.status)).toEqual(['VERIFIED', 'NOT_FOUND', 'INVALID_INPUT']);
    expect(answers[0]!.badges.length).toBeGreaterThan(0);
    const jtis = new Set<string>();
    for (const [i, answer] of answers.entries()) {
      expect(answer.signedAnswer, answer.status).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(decodeProtectedHeader(answer.signedAnswer!).typ).toBe(SIGNED_ANSWER_TYP);
      const verified = await verifySignedAnswer(answer.signedAnswer!, await keys());
      expect(verified.valid, answer.status).toBe(true);
      if (!verified.valid) continue;
      expect(verified.claims).toMatchObject({ iss: t.registry.issuer, input: INPUTS[i]!.url, status: answer.status, key: answer.account?.key ?? null });
      // Badge ids are node ids in GraphQL and core ids in the signed answer: compare the standings.
      expect(verified.claims.badges.map((b) => b.status)).toEqual(answer.badges.map((b) => b.status));
      jtis.add(verified.claims.jti);
    }
    expect(jtis.size).toBe(3);
  });

  it('signs through core, all answers of the batch at once', async () => {
    const original = t.registry.signAnswer;
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    t.registry.signAnswer = async (result) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return await original(result);
      } finally {
        inFlight--;
      }
    };
    try {
      const res = await t.gql<{ verifyMany: Answer[] }>(MANY, { inputs: INPUTS, signed: true }, 'PLATFORM');
      expect(res.errors).toBeUndefined();
      expect(res.data!.verifyMany.every((a) => a.signedAnswer !== null)).toBe(true);
      expect(calls).toBe(3);
      expect(maxInFlight).toBe(3);
    } finally {
      t.registry.signAnswer = original;
    }
  });

  it('leaves signedAnswer null without signed, or with signed: false', async () => {
    for (const signed of [undefined, false]) {
      const res = await t.gql<{ verifyMany: Answer[] }>(MANY, { inputs: INPUTS, ...(signed === undefined ? {} : { signed }) }, 'PLATFORM');
      expect(res.errors).toBeUndefined();
      expect(res.data!.verifyMany.map((a) => [a.status, a.signedAnswer]), String(signed)).toEqual([
        ['VERIFIED', null],
        ['NOT_FOUND', null],
        ['INVALID_INPUT', null],
      ]);
    }
  });

  it('still refuses verifyMany to PUBLIC callers, signed or not', async () => {
    for (const signed of [true, false]) {
      const res = await t.gql(MANY, { inputs: INPUTS, signed });
      expect(res.data ?? null).toBeNull();
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
  });
});
