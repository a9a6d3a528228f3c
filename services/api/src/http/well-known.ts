/**
 * Discovery under `/.well-known/` (DESIGN.md §4, issue 4 item 5), all public and cacheable:
 *
 * - `/.well-known/jwks.json`: the published key set (`registry.keys.publicJwks()`: the current
 *   key and retired keys still needed; never a compromised one, never a private part);
 * - `/.well-known/trust-alliance`: the issuer URL, where its keys, status lists, key history and
 *   verification endpoints are, its programs and their `trust_mark_type` URIs, the algorithms
 *   and statement types it signs, and its transparency log's origin;
 * - `/.well-known/trust-alliance/keys`: the key history (kid, algorithm, status, dates, reason).
 *
 * Every URL is built from `registry.issuer` (TRUST_ISSUER, default the service's origin), so a
 * verifier that knows only the issuer finds everything from there.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logOrigin, programUri, type Registry } from '@trust-alliance/core';
import { BadgeProgram } from '@trust-alliance/core/prisma';
import { ALLOWED_ALGORITHMS, ATTESTATION_TYP, CHECKPOINT_TYP, SIGNED_ANSWER_TYP, STATUS_LIST_BITS, STATUS_LIST_TYP, StatusValue, jwksUrlFor } from '@trust-alliance/verifier';
import type { Route } from '../server/create-yoga.ts';
import { allowGet, sendJson } from './respond.ts';

/** Seconds the key set and key history may be cached (a compromised key leaves within this). */
export const KEYS_MAX_AGE_SECONDS = 60;
/** Seconds the discovery document may be cached (it changes only with the configuration). */
export const DISCOVERY_MAX_AGE_SECONDS = 300;

export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATH = '/.well-known/trust-alliance';
export const KEY_HISTORY_PATH = '/.well-known/trust-alliance/keys';

const base = (issuer: string) => issuer.replace(/\/+$/, '');


/** The discovery document of an issuer. */
export function discoveryDocument(issuer: string) {
  const root = base(issuer);
  return {
    issuer: root,
    jwks_uri: jwksUrlFor(root),
    key_history_uri: `${root}${KEY_HISTORY_PATH}`,
    status_list_base: `${root}/status-lists`,
    verify_endpoint: `${root}/v1/verify`,
    graphql_endpoint: `${root}/graphql`,
    programs: Object.values(BadgeProgram).map((id) => ({ id, trust_mark_type: programUri(root, id) })),
    signing_alg_values_supported: [...ALLOWED_ALGORITHMS],
    statement_types: { attestation: ATTESTATION_TYP, status_list: STATUS_LIST_TYP, signed_answer: SIGNED_ANSWER_TYP, log_checkpoint: CHECKPOINT_TYP },
    status_list: { bits: STATUS_LIST_BITS, values: StatusValue },
    log: { origin: logOrigin(root), hashing: 'RFC 9162 (SHA-256) over RFC 8785 canonical JSON', api: `${root}/graphql (query auditLog)` },
  };
}

/** One key of the public key history: never a private part. */
export function publicKeyHistory(history: Awaited<ReturnType<Registry['keys']['history']>>) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    keys: history.map((k) => ({
      kid: k.kid,
      alg: k.algorithm,
      status: k.status,
      created_at: iso(k.createdAt),
      retired_at: iso(k.retiredAt),
      compromised_at: iso(k.compromisedAt),
      publish_until: iso(k.publishUntil),
      reason: k.reason,
    })),
  };
}

const get = (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void) => async (req: IncomingMessage, res: ServerResponse) => {
  if (allowGet(req, res)) await handle(req, res);
};

/** The `/.well-known/*` routes. */
export function wellKnownRoutes(registry: Registry): Route[] {
  let discovery: { issuer: string; doc: ReturnType<typeof discoveryDocument> } | null = null;
  return [
    { path: JWKS_PATH, handle: get(async (req, res) => sendJson(req, res, await registry.keys.publicJwks(), KEYS_MAX_AGE_SECONDS)) },
    {
      path: DISCOVERY_PATH,
      handle: get((req, res) => {
        if (discovery?.issuer !== registry.issuer) discovery = { issuer: registry.issuer, doc: discoveryDocument(registry.issuer) };
        sendJson(req, res, discovery.doc, DISCOVERY_MAX_AGE_SECONDS);
      }),
    },
    { path: KEY_HISTORY_PATH, handle: get(async (req, res) => sendJson(req, res, publicKeyHistory(await registry.keys.history()), KEYS_MAX_AGE_SECONDS)) },
  ];
}
