/**
 * ToIP Trust Registry Query Protocol v2, HTTPS binding (docs/protocols/trqp.md):
 * `POST /authorization` and `POST /recognition`, JSON in and out, errors as
 * `application/problem+json` (RFC 9457).
 *
 * The identifier profile (also in the discovery document, `trqp.identifier_profile`):
 *
 * - `authority_id`: the registry's issuer URL;
 * - `entity_id`: an account URL (any spelling the registry normalizes: it is looked up as
 *   `verify` looks it up), or a member's entity identifier `<issuer>/members/<id>`;
 * - `action`: `hold` (the entity holds the program's badge in good standing) or
 *   `operate-official-channel` (the entity is an account that is a verified official channel of
 *   a member holding the program: account URLs only);
 * - `resource`: a program URI `<issuer>/programs/<PROGRAM>` (the trust mark type);
 * - `context.time`: the moment asked about (RFC 3339, UTC `Z`); default now.
 *
 * Every answer is core's `verify` (the one decision) for the account, or for each of the
 * member's verified accounts: `authorized` is true when the answer for that program is
 * VERIFIED. An unknown entity is `authorized: false` (not 404). An authority, action or
 * resource outside the profile is a 404 problem, a malformed request a 400 problem.
 *
 * Recognition: the registry recognises itself as the authority that `govern`s and `issue`s
 * trust marks of each of its programs; any other entity is `recognized: false`.
 */
import { PROGRAMS, ValidationError, memberIdOfEntity, programUri, type Registry } from '@trust-alliance/core';
import type { Route } from './route.ts';
import { noStore, readSmallJson, RouteResponse } from './respond.ts';

/** The TRQP version followed. */
export const TRQP_VERSION = '2.0';
export const TRQP_ACTIONS = ['hold', 'operate-official-channel'] as const;
export const TRQP_RECOGNITION_ACTIONS = ['govern', 'issue'] as const;
export const TRQP_PATHS = { authorization: '/authorization', recognition: '/recognition' } as const;
const MAX_BODY_BYTES = 16_000;
/** A member's accounts looked at for `hold` (a member has a handful). */
const MAX_MEMBER_ACCOUNTS = 50;

const base = (issuer: string) => issuer.replace(/\/+$/, '');

/** The identifier profile, as published in the discovery document. */
export function trqpIdentifierProfile(issuer: string) {
  const root = base(issuer);
  return {
    version: TRQP_VERSION,
    authority_id: root,
    entity_id: [`an account URL (e.g. https://www.facebook.com/<page>), normalized as /v1/verify does`, `${root}/members/<member id> (a member's entity identifier)`],
    actions: { hold: 'the entity holds the badge of the resource program in good standing', 'operate-official-channel': 'the entity (an account URL) is a verified official channel of a member holding the resource program' },
    recognition_actions: { govern: 'the entity governs the resource program', issue: 'the entity issues trust marks of the resource program' },
    resource: PROGRAMS.map((p) => programUri(root, p)),
    context: { time: 'RFC 3339 date-time in UTC (Z); default: now' },
  };
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function problem(issuer: string, p: Problem): Response {
  const slug = p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return new RouteResponse(JSON.stringify({ type: `${base(issuer)}/problems/trqp/${slug}`, title: p.title, status: p.status, detail: p.detail }), {
    status: p.status,
    // A 405 names the method it wants (RFC 9110 §15.5.6).
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'access-control-allow-origin': '*', ...(p.status === 405 ? { allow: 'POST' } : {}) },
  });
}

interface Query {
  entity_id: string;
  authority_id: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  time: Date | null;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

async function readQuery(request: Request): Promise<Query> {
  if (request.method !== 'POST') throw new Problem(405, 'Method not allowed', 'use POST with a JSON body');
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new Problem(415, 'Unsupported media type', 'the body must be application/json');
  const body = await readSmallJson(request, MAX_BODY_BYTES);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Problem(400, 'Invalid request', `the body must be a JSON object of at most ${MAX_BODY_BYTES} bytes`);
  const b = body as Record<string, unknown>;
  for (const name of ['entity_id', 'authority_id', 'action', 'resource'] as const) {
    if (typeof b[name] !== 'string' || b[name] === '' || (b[name] as string).length > 2000 || (b[name] as string).includes('\u0000')) {
      throw new Problem(400, 'Invalid request', `${name} is required: a non-empty string of at most 2000 characters`);
    }
  }
  let time: Date | null = null;
  let context: Record<string, string> | undefined;
  if (b.context !== undefined) {
    if (b.context === null || typeof b.context !== 'object' || Array.isArray(b.context)) throw new Problem(400, 'Invalid request', 'context must be an object');
    context = {};
    for (const [k, v] of Object.entries(b.context)) {
      if (typeof v !== 'string') throw new Problem(400, 'Invalid request', `context.${k} must be a string`);
      context[k] = v;
    }
    if (context.time !== undefined) {
      time = new Date(context.time);
      if (!RFC3339_UTC.test(context.time) || Number.isNaN(time.getTime())) throw new Problem(400, 'Invalid request', 'context.time must be an RFC 3339 date-time in UTC, e.g. 2026-01-01T00:00:00Z');
    }
  }
  return { entity_id: b.entity_id as string, authority_id: b.authority_id as string, action: b.action as string, resource: b.resource as string, ...(context ? { context } : {}), time };
}

function programOf(issuer: string, resource: string): string {
  const program = PROGRAMS.find((p) => programUri(issuer, p) === resource);
  if (program === undefined) throw new Problem(404, 'Resource not found', `resource must be one of this registry's program URIs (${programUri(issuer, '<PROGRAM>')})`);
  return program;
}

/** Whether `entityId` holds / operates for `program` at `at`, by core's verify; with a message. */
async function authorize(registry: Registry, q: Query, program: string): Promise<{ authorized: boolean; message: string }> {
  const at = q.time ?? undefined;
  const options = { program, lang: 'en' as const, ...(at ? { at } : {}) };
  const memberId = memberIdOfEntity(registry.issuer, q.entity_id);
  if (memberId !== null) {
    if (q.action !== 'hold') return { authorized: false, message: `${q.action} applies to account URLs, not to members` };
    const links = await registry.reads.accountAdmin.findMany({ where: { memberId, ownership: 'VERIFIED' }, select: { account: { select: { url: true } } }, take: MAX_MEMBER_ACCOUNTS });
    if (links.length === 0) return { authorized: false, message: 'the registry knows no verified account of this entity' };
    const answers = await registry.verifyMany(links.map((l) => ({ url: l.account.url })), options);
    const ok = answers.some((a) => a.programs.find((p) => p.program === program)?.status === 'VERIFIED');
    return { authorized: ok, message: ok ? `the member holds ${program}` : `the member does not hold ${program} in good standing` };
  }
  if (!/^https?:\/\//i.test(q.entity_id)) return { authorized: false, message: 'the registry knows no such entity' };
  const answer = await registry.verify({ url: q.entity_id }, options);
  if (answer.error) return { authorized: false, message: `not an account URL the registry reads: ${answer.error.message}` };
  const forProgram = answer.programs.find((p) => p.program === program);
  const ok = forProgram?.status === 'VERIFIED';
  return { authorized: ok, message: forProgram?.reason?.message ?? answer.reason?.message ?? (ok ? 'verified' : String(answer.status)) };
}

/** The TRQP routes. */
export function trqpRoutes(registry: Registry): Route[] {
  const root = base(registry.issuer);
  const answer = async (request: Request, kind: 'authorization' | 'recognition'): Promise<Response> => {
    try {
      const q = await readQuery(request);
      if (base(q.authority_id) !== root) throw new Problem(404, 'Authority not found', `authority_id must be ${root}`);
      const program = programOf(root, q.resource);
      const evaluated = registry.now();
      const echo = {
        entity_id: q.entity_id,
        authority_id: q.authority_id,
        action: q.action,
        resource: q.resource,
        ...(q.context?.time !== undefined ? { time_requested: q.context.time } : {}),
        time_evaluated: evaluated.toISOString(),
      };
      if (kind === 'authorization') {
        if (!(TRQP_ACTIONS as readonly string[]).includes(q.action)) throw new Problem(404, 'Action not found', `action must be one of ${TRQP_ACTIONS.join(', ')}`);
        const { authorized, message } = await authorize(registry, q, program);
        return noStore(200, { ...echo, authorized, message, ...(q.context ? { context: q.context } : {}) }, { 'access-control-allow-origin': '*' });
      }
      if (!(TRQP_RECOGNITION_ACTIONS as readonly string[]).includes(q.action)) throw new Problem(404, 'Action not found', `action must be one of ${TRQP_RECOGNITION_ACTIONS.join(', ')}`);
      const recognized = base(q.entity_id) === root;
      const message = recognized ? `${root} ${q.action === 'govern' ? 'governs' : 'issues trust marks of'} ${program}` : 'the registry recognises no other authority for this program';
      return noStore(200, { ...echo, recognized, message, ...(q.context ? { context: q.context } : {}) }, { 'access-control-allow-origin': '*' });
    } catch (error) {
      if (error instanceof Problem) return problem(root, error);
      // A time out of range (in the future, before 1970): the caller's to fix.
      if (error instanceof ValidationError) return problem(root, new Problem(400, 'Invalid request', error.message));
      throw error;
    }
  };
  return [
    { path: TRQP_PATHS.authorization, handle: (request) => answer(request, 'authorization') },
    { path: TRQP_PATHS.recognition, handle: (request) => answer(request, 'recognition') },
  ];
}
