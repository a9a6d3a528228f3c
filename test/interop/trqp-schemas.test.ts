/**
 * Interop: the registry's TRQP v2 requests (as documented) and answers, validated with `ajv`
 * against the TRQP v2 JSON schemas of the ToIP working group, vendored unchanged in
 * `vendor/trqp-v2/` (source, commit and licence in `vendor/trqp-v2/SOURCE.md`).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TestServer } from '../api/helpers.ts';
import { seededServer } from './server.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = (name: string) => JSON.parse(readFileSync(new URL(`./vendor/trqp-v2/${name}.schema.json`, import.meta.url), 'utf8')) as object;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = {
  authorizationRequest: ajv.compile(schema('trqp_authorization_request')),
  authorizationResponse: ajv.compile(schema('trqp_authorization_response')),
  recognitionRequest: ajv.compile(schema('trqp_recognition_request')),
  recognitionResponse: ajv.compile(schema('trqp_recognition_response')),
};
const valid = (v: (typeof validators)[keyof typeof validators], value: unknown) => {
  const ok = v(value);
  return ok ? true : JSON.stringify(v.errors);
};

let t: TestServer;
beforeAll(async () => {
  t = await seededServer();
});
afterAll(() => t?.close());

const post = async (path: string, body: unknown) => {
  const res = await t.http(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
};

describe('TRQP v2 schemas accept our requests and answers', () => {
  it('authorization: an official channel, a member, an unknown entity, a past time', async () => {
    const channel = 'https://www.facebook.com/tinnhiemso.cantho';
    const verdict = await t.registry.verify({ url: channel });
    const resource = `${t.origin}/programs/${verdict.programs.find((p) => p.status === 'VERIFIED')!.program}`;
    const requests = [
      { entity_id: channel, authority_id: t.origin, action: 'operate-official-channel', resource },
      { entity_id: `${t.origin}/members/${verdict.member!.id}`, authority_id: t.origin, action: 'hold', resource, context: { time: new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z') } },
      { entity_id: 'https://www.tiktok.com/@nobody.here', authority_id: t.origin, action: 'hold', resource },
      { entity_id: channel, authority_id: t.origin, action: 'hold', resource, context: { time: '2020-01-01T00:00:00Z', locator: 'ignored' } },
    ];
    const answers = [];
    for (const request of requests) {
      expect(valid(validators.authorizationRequest, request)).toBe(true);
      const res = await post('/authorization', request);
      expect(res.status).toBe(200);
      expect(valid(validators.authorizationResponse, res.body)).toBe(true);
      answers.push(res.body.authorized);
    }
    expect(answers).toEqual([true, true, false, false]);
  });

  it('recognition: the registry itself, and a stranger', async () => {
    for (const [entity, expected] of [[t.origin, true], ['https://other.example', false]] as const) {
      const request = { entity_id: entity, authority_id: t.origin, action: 'govern', resource: `${t.origin}/programs/KOL_TRUST` };
      expect(valid(validators.recognitionRequest, request)).toBe(true);
      const res = await post('/recognition', request);
      expect(valid(validators.recognitionResponse, res.body)).toBe(true);
      expect(res.body.recognized).toBe(expected);
    }
  });

  it('a request the schema refuses is refused by the service as problem+json', async () => {
    const request = { entity_id: 'x', authority_id: t.origin, action: 'hold' };
    expect(validators.authorizationRequest(request)).toBe(false);
    const res = await post('/authorization', request);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
  });
});
