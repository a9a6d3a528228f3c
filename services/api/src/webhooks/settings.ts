/**
 * The webhook settings of the service (services/api/README.md, "Webhooks"), from the environment:
 *
 * - `TRUST_WEBHOOKS=off` starts no delivery worker in this process (subscriptions and the outbox still work).
 * - `TRUST_WEBHOOKS_ALLOW_LOOPBACK=1`: UNSAFE, development and tests only: endpoints may be
 *   http on loopback (127.0.0.0/8, ::1, localhost). Never in production.
 * - `TRUST_WEBHOOKS_POLL_MS` (500), `TRUST_WEBHOOKS_RETRY_BASE_MS` (5000),
 *   `TRUST_WEBHOOKS_RETRY_MAX_DELAY_MS` (3600000), `TRUST_WEBHOOKS_MAX_AGE_MS` (259200000 = 72 h),
 *   `TRUST_WEBHOOKS_LEASE_MS` (30000), `TRUST_WEBHOOKS_TIMEOUT_MS` (10000),
 *   `TRUST_WEBHOOKS_EXPIRY_CHECK_MS` (30000), `TRUST_WEBHOOKS_CONCURRENCY` (8).
 */
import type { DeliveryWorkerOptions } from '@trust-alliance/core';

export interface WebhookSettings {
  enabled: boolean;
  allowLoopback: boolean;
  worker: DeliveryWorkerOptions;
}

const NUMBERS = {
  TRUST_WEBHOOKS_POLL_MS: ['pollMs', 10, 60_000],
  TRUST_WEBHOOKS_RETRY_BASE_MS: ['retryBaseMs', 10, 3_600_000],
  TRUST_WEBHOOKS_RETRY_MAX_DELAY_MS: ['retryMaxDelayMs', 10, 24 * 3_600_000],
  TRUST_WEBHOOKS_MAX_AGE_MS: ['maxAgeMs', 100, 30 * 24 * 3_600_000],
  TRUST_WEBHOOKS_LEASE_MS: ['leaseMs', 500, 3_600_000],
  TRUST_WEBHOOKS_TIMEOUT_MS: ['timeoutMs', 100, 60_000],
  TRUST_WEBHOOKS_EXPIRY_CHECK_MS: ['expiryCheckMs', 0, 24 * 3_600_000],
  TRUST_WEBHOOKS_CONCURRENCY: ['concurrency', 1, 256],
} as const;

/** Reads the settings; a bad value throws naming the variable, with an example. */
export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const flag = (name: string, value: string | undefined): boolean => {
    if (value === undefined || value === '' || value === '0' || value === 'false' || value === 'off') return false;
    if (value === '1' || value === 'true' || value === 'on') return true;
    throw new Error(`${name} must be 1 or 0 (got ${JSON.stringify(value)}); e.g. ${name}=1 / ${name} phải là 1 hoặc 0`);
  };
  const worker: Record<string, number> = {};
  for (const [name, [option, min, max]] of Object.entries(NUMBERS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)}); e.g. ${name}=${min} / ${name} phải là số nguyên từ ${min} đến ${max}`);
    worker[option] = value;
  }
  return {
    enabled: env.TRUST_WEBHOOKS !== 'off',
    allowLoopback: flag('TRUST_WEBHOOKS_ALLOW_LOOPBACK', env.TRUST_WEBHOOKS_ALLOW_LOOPBACK),
    worker: worker as DeliveryWorkerOptions,
  };
}
