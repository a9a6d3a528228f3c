/**
 * Trust attestations (`typ: trust-mark+jwt`, docs/ARCHITECTURE.md, "Signed formats"): the `Attestation` type and the
 * `attestation(id)` query. Core signs them when a badge changes; here they are only read.
 * `Badge.attestation` and `VerificationResult.attestation` give the current one as a compact JWS.
 */
import { z } from 'zod';
import { decodeJwt } from 'jose';
import { ERASED_ATTESTATION } from '@trust-alliance/core';
import { builder } from './builder.ts';

export const AttestationRef = builder.prismaObject('Attestation', {
  description: "A signed trust attestation of a badge: a compact JWS (`typ: trust-mark+jwt`) a member can hand out and anyone can check offline with @trust-alliance/verifier and the issuer's key set. Public, like the statement itself.",
  authScopes: { public: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The attestation id (its `jti`).' }),
    jws: t.exposeString('jws', { description: 'The compact JWS.' }),
    kid: t.exposeString('kid', { description: 'The signing key (see signingKeys and /.well-known/jwks.json).' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    supersededAt: t.expose('supersededAt', { type: 'DateTime', nullable: true, description: 'When a newer attestation replaced this one (its status entry is then INVALID).' }),
    statusIdx: t.exposeInt('statusIdx', { description: 'Its index in the status list.' }),
    statusListUri: t.string({
      description: 'Where its status list is served (`status.status_list.uri` of the claims).',
      select: { jws: true },
      resolve: (a) => statusListUriOf(decodeJwt(a.jws)),
    }),
    claims: t.field({ type: 'JSON', description: 'The decoded claims (not a verification: use the JWS for that).', select: { jws: true }, resolve: (a) => decodeJwt(a.jws) }),
    badge: t.relation('badge'),
  }),
});

function statusListUriOf(claims: Record<string, unknown>): string {
  const status = claims.status as { status_list?: { uri?: unknown } } | undefined;
  const uri = status?.status_list?.uri;
  if (typeof uri !== 'string') throw new TypeError('attestation without a status-list reference');
  return uri;
}

builder.queryField('attestation', (t) =>
  t.prismaField({
    type: 'Attestation',
    nullable: true,
    authScopes: { public: true },
    description: "One attestation by its id (`jti`), current or superseded; null for an erased member's (its stored copy was blanked).",
    args: { id: t.arg.id({ required: true, validate: z.string().max(100) }) },
    resolve: (query, _root, args, ctx) => ctx.registry.reads.attestation.findFirst({ ...query, where: { id: args.id, jws: { not: ERASED_ATTESTATION } } }),
  }),
);
