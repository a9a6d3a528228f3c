/**
 * The webhook settings of the service (services/api/README.md, "Webhooks"); config.ts reads them
 * from the environment with the rest of the configuration:
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

/** Each TRUST_WEBHOOKS_* number: the worker option it sets, its least and greatest value (config.ts validates them). */
export const WEBHOOK_NUMBER_SETTINGS = {
  TRUST_WEBHOOKS_POLL_MS: ['pollMs', 10, 60_000],
  TRUST_WEBHOOKS_RETRY_BASE_MS: ['retryBaseMs', 10, 3_600_000],
  TRUST_WEBHOOKS_RETRY_MAX_DELAY_MS: ['retryMaxDelayMs', 10, 24 * 3_600_000],
  TRUST_WEBHOOKS_MAX_AGE_MS: ['maxAgeMs', 100, 30 * 24 * 3_600_000],
  TRUST_WEBHOOKS_LEASE_MS: ['leaseMs', 500, 3_600_000],
  TRUST_WEBHOOKS_TIMEOUT_MS: ['timeoutMs', 100, 60_000],
  TRUST_WEBHOOKS_EXPIRY_CHECK_MS: ['expiryCheckMs', 0, 24 * 3_600_000],
  TRUST_WEBHOOKS_CONCURRENCY: ['concurrency', 1, 256],
} as const;
