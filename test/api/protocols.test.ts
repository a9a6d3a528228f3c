/**
 * Issue 14 over real HTTP, the registry's issuer being the server's origin: OpenID Federation
 * (entity configuration, trust mark status from the status-list entry, listing, current mark),
 * TRQP v2 (`/authorization`, `/recognition`), witness-ready checkpoints (`/log/checkpoint`,
 * proofs from size 0), status lists with gzip and `?time=`, and the discovery document naming
 * every new endpoint.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  ENTITY_STATEMENT_TYP,
  TRUST_MARK_STATUS_TYP,
  verifyCheckpointNote,
  verifyLogConsistency,
  verifyTrustMarkStatus,
  type Checkpoint,
} from '@trust-alliance/verifier';
import { seedDemo } from '../../services/api/src/demo/seed-demo.ts';
import { openTestServer, type TestServer } from './helpers.ts';

let t: TestServer;
const KOL = 'https://www.tiktok.com/@thuha.cantho';
let discovery: Record<string, any>;

beforeAll(async () => {
  t = await openTestServer();
  expect((await seedDemo(t.registry)).seeded).toBe(true);
  discovery = await (await t.http('/.well-known/trust-alliance')).json();
});
afterAll(() => t?.close());

const jwks = async () => createLocalJWKSet((await (await t.http('/.well-known/jwks.json')).json()) as JSONWebKeySet);
const kolBadge = async () => (await t.registry.verify({ url: KOL })).badges[0]!;
const kolMark = async () => {
  const badge = await kolBadge();
  return { badge, jws: (await t.registry.currentAttestation(badge.id))!.jws };
};
const statusOf = async (trustMark: string) => {
  const res = await t.http('/federation/trust-mark-status', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ trust_mark: trustMark }) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/trust-mark-status-response+jwt');
  const jwt = await res.text();
  expect(decodeProtectedHeader(jwt).typ).toBe(TRUST_MARK_STATUS_TYP);
  const r = await verifyTrustMarkStatus(jwt, { issuer: t.origin, jwksUrl: `${t.origin}/.well-known/jwks.json` });
  expect(r.valid, JSON.stringify(r)).toBe(true);
  return r.valid ? r.claims : null;
};

describe('OpenID Federation', () => {
  it('serves a signed entity configuration naming its endpoints, keys and trust mark types', async () => {
    const res = await t.http('/.well-known/openid-federation');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/entity-statement+jwt');
    const jwt = await res.text();
    const { payload, protectedHeader } = await jwtVerify(jwt, await jwks(), { typ: ENTITY_STATEMENT_TYP, issuer: t.origin });
    expect(protectedHeader.typ).toBe('entity-statement+jwt');
    expect(payload.sub).toBe(t.origin);
    expect((payload.jwks as JSONWebKeySet).keys.length).toBeGreaterThan(0);
    expect((payload.metadata as any).federation_entity).toMatchObject({
      federation_trust_mark_status_endpoint: `${t.origin}/federation/trust-mark-status`,
      federation_trust_mark_list_endpoint: `${t.origin}/federation/trust-mark-list`,
      federation_trust_mark_endpoint: `${t.origin}/federation/trust-mark`,
    });
    expect((payload.trust_mark_issuers as Record<string, string[]>)[`${t.origin}/programs/KOL_TRUST`]).toEqual([t.origin]);
  });

  it("a trust mark's sub is the member's entity identifier; its status follows the one decision", async () => {
    const { badge, jws } = await kolMark();
    const memberId = (await t.registry.verify({ url: KOL })).member!.id;
    const sub = `${t.origin}/members/${memberId}`;
    expect(decodeJwt(jws).sub).toBe(sub);
    expect((await statusOf(jws))).toMatchObject({ iss: t.origin, trust_mark: jws, status: 'active' });

    await t.registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION' });
    expect((await statusOf(jws))!.status).toBe('suspended');
    const type = encodeURIComponent(`${t.origin}/programs/KOL_TRUST`);
    expect(await (await t.http(`/federation/trust-mark-list?trust_mark_type=${type}`)).json()).not.toContain(sub);
    expect((await t.http(`/federation/trust-mark?trust_mark_type=${type}&sub=${encodeURIComponent(sub)}`)).status).toBe(404);

    await t.registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' });
    const now = (await kolMark()).jws;
    expect((await statusOf(now))!.status).toBe('active');
    expect(await (await t.http(`/federation/trust-mark-list?trust_mark_type=${type}`)).json()).toContain(sub);
    expect(await (await t.http(`/federation/trust-mark-list?trust_mark_type=${type}&sub=${encodeURIComponent(sub)}`)).json()).toEqual([sub]);
    const current = await t.http(`/federation/trust-mark?trust_mark_type=${type}&sub=${encodeURIComponent(sub)}`);
    expect(current.headers.get('content-type')).toBe('application/trust-mark+jwt');
    expect(await current.text()).toBe(now);
  });

  it('answers invalid for a mark that is not ours, and refuses malformed requests', async () => {
    expect((await statusOf('eyJhbGciOiJFZERTQSJ9.e30.AAAA'))!.status).toBe('invalid');
    const bad = await t.http('/federation/trust-mark-status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
    expect((await t.http('/federation/trust-mark-list?trust_mark_type=https%3A%2F%2Fother.example%2Fx')).status).toBe(404);
    expect((await t.http('/federation/trust-mark-list')).status).toBe(400);
  });

  it('a revoked badge makes its mark revoked', async () => {
    const { badge, jws } = await kolMark();
    await t.registry.revokeBadge({ badgeId: badge.id, reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' });
    expect((await statusOf(jws))!.status).toBe('revoked');
  });
});

describe('TRQP v2', () => {
  const ask = (path: string, body: unknown, type = 'application/json') => t.http(path, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
  const program = (p: string) => `${t.origin}/programs/${p}`;

  it('authorizes an official channel and a member holding a program; an unknown entity is authorized: false', async () => {
    const channel = 'https://www.facebook.com/tinnhiemso.cantho';
    const verdict = await t.registry.verify({ url: channel });
    const held = verdict.programs.find((p) => p.status === 'VERIFIED')!.program;
    const yes = await ask('/authorization', { entity_id: channel, authority_id: t.origin, action: 'operate-official-channel', resource: program(held), context: { time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } });
    expect(yes.status).toBe(200);
    expect(await yes.json()).toMatchObject({ entity_id: channel, authorized: true, time_evaluated: expect.any(String), time_requested: expect.any(String) });
    const member = `${t.origin}/members/${verdict.member!.id}`;
    expect(await (await ask('/authorization', { entity_id: member, authority_id: t.origin, action: 'hold', resource: program(held) })).json()).toMatchObject({ authorized: true });
    const unknown = await ask('/authorization', { entity_id: 'https://www.facebook.com/no.such.page.anywhere', authority_id: t.origin, action: 'hold', resource: program(held) });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ authorized: false });
    expect(await (await ask('/authorization', { entity_id: `${t.origin}/members/nobody`, authority_id: t.origin, action: 'hold', resource: program(held) })).json()).toMatchObject({ authorized: false });
  });

  it('answers errors as problem+json', async () => {
    const wrongAuthority = await ask('/authorization', { entity_id: 'x', authority_id: 'https://other.example', action: 'hold', resource: program('KOL_TRUST') });
    expect(wrongAuthority.status).toBe(404);
    expect(wrongAuthority.headers.get('content-type')).toBe('application/problem+json');
    expect(await wrongAuthority.json()).toMatchObject({ status: 404, title: 'Authority not found', type: expect.any(String) });
    expect((await ask('/authorization', { entity_id: 'x', authority_id: t.origin, action: 'fly', resource: program('KOL_TRUST') })).status).toBe(404);
    expect((await ask('/authorization', { entity_id: 'x', authority_id: t.origin, action: 'hold', resource: 'https://elsewhere/p' })).status).toBe(404);
    expect((await ask('/authorization', { authority_id: t.origin })).status).toBe(400);
    expect((await ask('/authorization', { entity_id: 'x', authority_id: t.origin, action: 'hold', resource: program('KOL_TRUST'), context: { time: 'yesterday' } })).status).toBe(400);
    expect((await ask('/authorization', {}, 'text/plain')).status).toBe(415);
    expect((await t.http('/authorization')).status).toBe(405);
  });

  it('recognises itself as the authority of its programs, and no one else', async () => {
    const self = await ask('/recognition', { entity_id: t.origin, authority_id: t.origin, action: 'govern', resource: program('KOL_TRUST') });
    expect(await self.json()).toMatchObject({ recognized: true });
    expect(await (await ask('/recognition', { entity_id: 'https://other.example', authority_id: t.origin, action: 'issue', resource: program('KOL_TRUST') })).json()).toMatchObject({ recognized: false });
  });
});

describe('witness-ready checkpoints', () => {
  it('serves a C2SP signed note, verified with the note verifier key of the discovery document; not re-signed per read', async () => {
    const vkey = discovery.log.note_verifier_key as string;
    expect(vkey).toMatch(new RegExp(`^${discovery.log.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\+[0-9a-f]{8}\\+`));
    const res = await t.http('/log/checkpoint');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const note = await res.text();
    const again = await (await t.http('/log/checkpoint')).text();
    expect(again).toBe(note);
    const r = await verifyCheckpointNote(note, { verifierKeys: [vkey], origin: discovery.log.origin });
    expect(r.valid, JSON.stringify(r)).toBe(true);
    if (!r.valid) return;
    expect(r.checkpoint.size).toBe(await t.registry.log.size());
  });

  it('signs a new checkpoint once the log has grown and a second has passed; consistency from 0 and between them', async () => {
    const vkey = discovery.log.note_verifier_key as string;
    const first = await verifyCheckpointNote(await (await t.http('/log/checkpoint')).text(), { verifierKeys: [vkey] });
    if (!first.valid) throw new Error('first checkpoint invalid');
    await t.registry.suspendBadge({ badgeId: (await t.registry.verify({ url: 'https://www.facebook.com/tinnhiemso.cantho' })).badges[0]!.id, reasonCategory: 'UNDER_INVESTIGATION' });
    await new Promise((r) => setTimeout(r, 1100));
    const second = await verifyCheckpointNote(await (await t.http('/log/checkpoint')).text(), { verifierKeys: [vkey] });
    if (!second.valid) throw new Error('second checkpoint invalid');
    expect(second.checkpoint.size).toBeGreaterThan(first.checkpoint.size);
    const proof = async (old: number, size: number) => ((await (await t.http(`/log/proof/consistency?old=${old}&new=${size}`)).json()) as { proof: string[] }).proof;
    expect(await verifyLogConsistency(first.checkpoint, second.checkpoint, await proof(first.checkpoint.size, second.checkpoint.size))).toEqual({ valid: true });
    const empty: Checkpoint = { origin: second.checkpoint.origin, size: 0, root_hash: '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU' };
    expect(await proof(0, second.checkpoint.size)).toEqual([]);
    expect(await verifyLogConsistency(empty, second.checkpoint, [])).toEqual({ valid: true });
  });

  it('a rotated log key signs the next checkpoint; the discovery document lists both keys', async () => {
    const before = discovery.log.note_verifier_key as string;
    const rotated = await t.registry.log.rotateKey('test rotation');
    expect(rotated.verifierKey).not.toBe(before);
    const note = await (await t.http('/log/checkpoint')).text();
    expect((await verifyCheckpointNote(note, { verifierKeys: [rotated.verifierKey] })).valid).toBe(true);
    expect((await verifyCheckpointNote(note, { verifierKeys: [before] })).valid).toBe(false);
    const keys = (await t.registry.log.keys()).map((k) => [k.verifierKey, k.status]);
    expect(keys).toEqual(expect.arrayContaining([[rotated.verifierKey, 'CURRENT'], [before, 'RETIRED']]));
  });
});

describe('status lists: gzip and ?time=', () => {
  it('negotiates gzip and answers ?time= with 501', async () => {
    const { jws } = await kolMark();
    const uri = new URL((decodeJwt(jws) as any).status.status_list.uri as string);
    const plain = await t.http(uri.pathname, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const token = await plain.text();
    const res = await t.app.yoga.fetch(`http://yoga${uri.pathname}`, { headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('etag')).toMatch(/-gzip"$/);
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(token);
    const refused = await t.app.yoga.fetch(`http://yoga${uri.pathname}`, { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    const historical = await t.http(`${uri.pathname}?time=1700000000`);
    expect(historical.status).toBe(501);
    expect(await historical.json()).toMatchObject({ error: { code: 'NOT_IMPLEMENTED', field: 'time' } });
  });
});

describe('discovery', () => {
  it('lists every new endpoint', () => {
    expect(discovery.openid_federation).toMatchObject({ entity_configuration: `${t.origin}/.well-known/openid-federation`, federation_trust_mark_status_endpoint: `${t.origin}/federation/trust-mark-status` });
    expect(discovery.trqp).toMatchObject({ version: '2.0', authorization_endpoint: `${t.origin}/authorization`, recognition_endpoint: `${t.origin}/recognition`, identifier_profile: { authority_id: t.origin } });
    expect(discovery.log).toMatchObject({ checkpoint_endpoint: `${t.origin}/log/checkpoint`, note_verifier_key: expect.any(String) });
    expect(discovery.status_list).toMatchObject({ content_encodings: ['gzip'], historical_resolution: false });
    expect(discovery.verification_alg_values_supported).toContain('Ed25519');
  });
});
