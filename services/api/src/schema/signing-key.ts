/**
 * Signing keys (docs/ARCHITECTURE.md, "Signed formats"): the public key history (`signingKeys`) and the ADMIN mutations
 * `rotateSigningKey` and `markSigningKeyCompromised`. Core decides everything (what stays
 * published, a compromised current key replaced at once); this file only maps. Never a
 * private part: the history holds the public JWK at most.
 *
 * No `idempotencyKey` on these two: core's key store writes outside its idempotent `write`
 * path, so a key could not be honoured (a retried rotation rotates again; a retried
 * compromise is an InvalidTransitionError, which is harmless).
 */
import { z } from 'zod';
import type { KeyHistoryEntry } from '@trust-alliance/core';
import { KeyAlgorithm, KeyStatus } from '@trust-alliance/core/prisma';
import { InvalidTransitionError, NotFoundError, ValidationError } from '@trust-alliance/core';
import { builder } from './builder.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';

export const KeyAlgorithmEnum = builder.enumType(KeyAlgorithm, { name: 'KeyAlgorithm', description: 'EdDSA (Ed25519, the default) or ES256.' });
export const KeyStatusEnum = builder.enumType(KeyStatus, { name: 'KeyStatus', description: 'CURRENT signs; RETIRED stays published until what it signed expires; COMPROMISED is withdrawn at once.' });

export const SigningKeyRef = builder.objectRef<KeyHistoryEntry>('SigningKey').implement({
  description: 'One signing key of the registry, public parts only.',
  fields: (t) => ({
    kid: t.exposeString('kid'),
    algorithm: t.field({ type: KeyAlgorithmEnum, resolve: (k) => k.algorithm }),
    status: t.field({ type: KeyStatusEnum, resolve: (k) => k.status }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.createdAt }),
    retiredAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.retiredAt }),
    compromisedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.compromisedAt }),
    publishUntil: t.field({ type: 'DateTime', nullable: true, description: 'A retired key stays in the published key set until then.', resolve: (k) => k.publishUntil }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why it was retired or marked compromised.' }),
    publicJwk: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The public JWK (null for a compromised key: do not trust it for anything).',
      resolve: (k) => (k.status === 'COMPROMISED' ? null : k.publicJwk),
    }),
  }),
});

builder.queryField('signingKeys', (t) =>
  t.field({
    type: [SigningKeyRef],
    description: 'Every signing key, newest first: current, retired and compromised, with reasons. Also at /.well-known/trust-alliance/keys.',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => ctx.registry.keys.history(),
  }),
);

const SigningKeyPayload = builder.objectRef<{ signingKey: KeyHistoryEntry }>('SigningKeyPayload').implement({
  fields: (t) => ({ signingKey: t.field({ type: SigningKeyRef, resolve: (p) => p.signingKey }) }),
});

lifecycleMutation('rotateSigningKey', {
  description: 'Makes a new key current (returned); the old one is retired and stays published until everything it signed has expired. ADMIN only.',
  payload: SigningKeyPayload,
  authScopes: { admin: true },
  errors: [ValidationError],
  args: (arg) => ({
    algorithm: arg({ type: KeyAlgorithmEnum, required: false, description: 'Default: the configured algorithm (TRUST_SIGNING_ALG, else EdDSA).' }),
    reason: arg.string({ required: false, description: 'Recorded on the retired key (default "scheduled rotation").', validate: z.string().min(1).max(500) }),
  }),
  run: async ({ algorithm, reason }, ctx) => ({ signingKey: await ctx.registry.keys.rotate(algorithm ?? undefined, reason ?? undefined, ctx.actor) }),
});

lifecycleMutation('markSigningKeyCompromised', {
  description: 'Withdraws a key at once (it leaves the published key set and verifies nothing more) and records why; a compromised current key is replaced. Returns the marked key. ADMIN only.',
  payload: SigningKeyPayload,
  authScopes: { admin: true },
  errors: [ValidationError, NotFoundError, InvalidTransitionError],
  args: (arg) => ({
    kid: arg.string({ required: true, validate: z.string().min(1).max(200) }),
    reason: arg.string({ required: true, description: 'Public: shown in the key history.', validate: z.string().max(500) }),
  }),
  run: async ({ kid, reason }, ctx) => ({ signingKey: await ctx.registry.keys.markCompromised(kid, reason, ctx.actor) }),
});
