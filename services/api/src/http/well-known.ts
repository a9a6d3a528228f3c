/**
 * Discovery under `/.well-known/` (docs/ARCHITECTURE.md, "Signed formats", issue 4 item 5), all public and cacheable:
 *
 * - `/.well-known/jwks.json`: the published key set (`registry.keys.publicJwks()`: the current
 *   key and retired keys still needed; never a compromised one, never a private part);
 * - `/.well-known/trust-alliance`: the issuer URL, where its keys, status lists, key history and
 *   verification endpoints are, its programs and their `trust_mark_type` URIs, the algorithms
 *   and statement types it signs, its transparency log's origin, and the certification policy
 *   in force (`certification_policy`: what a badge holder was held to);
 * - `/.well-known/trust-alliance/keys`: the key history (kid, algorithm, status, dates, reason).
 *
 * The document also lists the protocol endpoints of issue 14 (docs/protocols/): OpenID
 * Federation (`openid_federation`), TRQP v2 with its identifier profile (`trqp`), and the log's
 * C2SP checkpoint with its note verifier keys (`log`).
 *
 * Every URL is built from `registry.issuer` (TRUST_ISSUER, default the service's origin), so a
 * verifier that knows only the issuer finds everything from there.
 */
import { CRITERIA_GROUPS, FEDERATION_PATHS, logOrigin, programUri, type CertificationPolicy, type LogKeyView, type Registry } from '@trust-alliance/core';
import { BadgeProgram } from '@trust-alliance/core/prisma';
import { ACCEPTED_ALGORITHMS, ALLOWED_ALGORITHMS, ATTESTATION_TYP, CHECKPOINT_TYP, ENTITY_STATEMENT_TYP, SIGNED_ANSWER_TYP, STATUS_LIST_BITS, STATUS_LIST_TYP, StatusValue, TRUST_MARK_STATUS_TYP, jwksUrlFor } from '@trust-alliance/verifier';
import { TRQP_PATHS, TRQP_VERSION, trqpIdentifierProfile } from './trqp.ts';
import { LOG_CHECKPOINT_PATH, LOG_CONSISTENCY_PATH, LOG_INCLUSION_PATH } from './log.ts';
import type { Route } from './route.ts';
import { cacheableJson, refuseUnlessGet } from './respond.ts';

/** Seconds the key set and key history may be cached (a compromised key leaves within this). */
export const KEYS_MAX_AGE_SECONDS = 60;
/**
 * Seconds the discovery document may be cached: it changes with the configuration and when a
 * new certification policy version takes effect (approved in advance, from a stated date).
 */
export const DISCOVERY_MAX_AGE_SECONDS = 300;

export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATH = '/.well-known/trust-alliance';
export const KEY_HISTORY_PATH = '/.well-known/trust-alliance/keys';

const base = (issuer: string) => issuer.replace(/\/+$/, '');


/** The public view of a certification policy version, in the document's snake_case. */
export function publicPolicy(policy: CertificationPolicy, root: string) {
  return {
    version: policy.version,
    effective_from: policy.effectiveFrom.toISOString(),
    passing_score: policy.passingScore,
    max_score: Object.values(CRITERIA_GROUPS).reduce((a, b) => a + b, 0),
    group_minimums: policy.groupMinimums,
    group_maximums: CRITERIA_GROUPS,
    validity_months: policy.validityMonths,
    min_grace_days: policy.minGraceDays,
    assessment_programs: policy.assessmentPrograms,
    api: `${root}/graphql (query certificationPolicy)`,
  };
}

/**
 * The discovery document of an issuer, with the certification policy in force.
 * @example discoveryDocument('https://tinnhiemso.vn', await registry.certificationPolicy()).certification_policy.passing_score // 70
 */
export function discoveryDocument(issuer: string, policy: CertificationPolicy, logKeys: readonly Pick<LogKeyView, 'verifierKey' | 'status' | 'createdAt' | 'retiredAt'>[] = []) {
  const root = base(issuer);
  const current = logKeys.find((k) => k.status === 'CURRENT');
  return {
    issuer: root,
    jwks_uri: jwksUrlFor(root),
    key_history_uri: `${root}${KEY_HISTORY_PATH}`,
    status_list_base: `${root}/status-lists`,
    verify_endpoint: `${root}/v1/verify`,
    graphql_endpoint: `${root}/graphql`,
    programs: Object.values(BadgeProgram).map((id) => ({ id, trust_mark_type: programUri(root, id) })),
    signing_alg_values_supported: [...ALLOWED_ALGORITHMS],
    verification_alg_values_supported: [...ACCEPTED_ALGORITHMS],
    statement_types: {
      attestation: ATTESTATION_TYP,
      status_list: STATUS_LIST_TYP,
      signed_answer: SIGNED_ANSWER_TYP,
      log_checkpoint: CHECKPOINT_TYP,
      entity_statement: ENTITY_STATEMENT_TYP,
      trust_mark_status_response: TRUST_MARK_STATUS_TYP,
    },
    status_list: { bits: STATUS_LIST_BITS, values: StatusValue, content_encodings: ['gzip'], historical_resolution: false },
    openid_federation: {
      version: 'OpenID Federation 1.0, draft 45',
      entity_configuration: `${root}${FEDERATION_PATHS.entityConfiguration}`,
      federation_trust_mark_status_endpoint: `${root}${FEDERATION_PATHS.trustMarkStatus}`,
      federation_trust_mark_list_endpoint: `${root}${FEDERATION_PATHS.trustMarkList}`,
      federation_trust_mark_endpoint: `${root}${FEDERATION_PATHS.trustMark}`,
      member_entity_id: `${root}/members/{member id}`,
    },
    trqp: {
      version: TRQP_VERSION,
      binding: 'HTTPS (JSON; errors as application/problem+json)',
      authorization_endpoint: `${root}${TRQP_PATHS.authorization}`,
      recognition_endpoint: `${root}${TRQP_PATHS.recognition}`,
      identifier_profile: trqpIdentifierProfile(root),
    },
    log: {
      origin: logOrigin(root),
      hashing: 'RFC 9162 (SHA-256) over RFC 8785 canonical JSON',
      api: `${root}/graphql (query auditLog)`,
      checkpoint_endpoint: `${root}${LOG_CHECKPOINT_PATH}`,
      checkpoint_format: 'C2SP tlog-checkpoint in a C2SP signed note (Ed25519)',
      consistency_proof_endpoint: `${root}${LOG_CONSISTENCY_PATH}?old={size}&new={size}`,
      inclusion_proof_endpoint: `${root}${LOG_INCLUSION_PATH}?index={index}&size={size}`,
      note_verifier_key: current?.verifierKey ?? null,
      note_verifier_keys: logKeys.map((k) => ({ key: k.verifierKey, status: k.status, created_at: k.createdAt.toISOString(), retired_at: k.retiredAt ? k.retiredAt.toISOString() : null })),
    },
    certification_policy: publicPolicy(policy, root),
    // The pages people use (services/api/src/web), for platforms and crawlers that link to them.
    web: {
      languages: ['vi', 'en'],
      check_page: `${root}/`,
      check_page_template: `${root}/?url={account url}&lang={vi|en}`,
      account_badge_template: `${root}/badge/account.svg?url={account url}`,
      about_page: `${root}/about`,
      programs_page: `${root}/programs`,
      warnings_page: `${root}/warnings`,
      warnings_csv: `${root}/warnings.csv`,
      warnings_json: `${root}/warnings.json`,
      report_page: `${root}/report`,
    },
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

/** A GET/HEAD-only handler answering `document()` as cacheable JSON. */
const getJson = (maxAgeSeconds: number, document: () => Promise<unknown>) => async (request: Request) => refuseUnlessGet(request) ?? cacheableJson(request, await document(), maxAgeSeconds);

/** The `/.well-known/*` routes. */
export function wellKnownRoutes(registry: Registry): Route[] {
  return [
    { path: JWKS_PATH, handle: getJson(KEYS_MAX_AGE_SECONDS, () => registry.keys.publicJwks()) },
    // Built per request: the policy in force changes on its own date, not with the configuration.
    { path: DISCOVERY_PATH, handle: getJson(DISCOVERY_MAX_AGE_SECONDS, async () => discoveryDocument(registry.issuer, await registry.certificationPolicy(), await registry.log.keys())) },
    { path: KEY_HISTORY_PATH, handle: getJson(KEYS_MAX_AGE_SECONDS, async () => publicKeyHistory(await registry.keys.history())) },
  ];
}
