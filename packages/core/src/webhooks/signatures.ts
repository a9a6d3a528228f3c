/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` holding `v1,<HMAC-SHA256>` with the
 * subscription's secret (two during a rotation's overlap) and `v1a,<Ed25519>` with the
 * registry's current signing key, which receivers check against the published JWKS
 * (`webhook-key-id` names the key). An ES256 registry key gives no asymmetric signature
 * (the scheme defines Ed25519 only).
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ActiveKey } from '../kernel/key-store.ts';

/** A fresh secret in the scheme's form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The signed content of the scheme: `id.timestamp.body`. */
export function signedContent(id: string, timestamp: Date, body: string): string {
  return `${id}.${Math.floor(timestamp.getTime() / 1000)}.${body}`;
}

/** The headers of one delivery. */
export async function signatureHeaders(input: { id: string; timestamp: Date; body: string; secrets: readonly string[]; key: ActiveKey | null }): Promise<Record<string, string>> {
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.id, input.timestamp, input.body));
  const headers: Record<string, string> = { 'webhook-id': input.id, 'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)) };
  const privateKey = input.key?.privateKey;
  if (input.key && input.key.alg === 'EdDSA' && privateKey instanceof CryptoKey) {
    const signature = await crypto.subtle.sign({ name: privateKey.algorithm.name }, privateKey, new TextEncoder().encode(signedContent(input.id, input.timestamp, input.body)));
    signatures.push(`v1a,${Buffer.from(signature).toString('base64')}`);
    headers['webhook-key-id'] = input.key.kid;
  }
  headers['webhook-signature'] = signatures.join(' ');
  return headers;
}
