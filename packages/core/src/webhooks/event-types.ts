/**
 * The webhook event types (issue 15) and which transparency-log kinds they come from. Each event
 * carries its id, type, time, the account keys concerned (public form) and the new answer of the
 * one decision for them; never a personal field or an officer's written reason.
 */

/** Every event type a subscription may ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'badge.issued',
  'badge.suspended',
  'badge.reinstated',
  'badge.revoked',
  'badge.renewed',
  'badge.expired',
  'member.status_changed',
  'pledge.lapsed',
  'pledge.signed',
  'account.flagged',
  'account.flag_lifted',
  'account.renamed',
  'signing_key.rotated',
  'signing_key.compromised',
  'policy.published',
  'pledge_version.published',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Events about no account in particular: they reach every subscription that asks for the type. */
export const GLOBAL_EVENT_TYPES: ReadonlySet<WebhookEventType> = new Set(['signing_key.rotated', 'signing_key.compromised', 'policy.published', 'pledge_version.published']);

/** Log kind → event type; kinds not listed change no answer a subscriber asked about. */
export const EVENT_TYPE_OF_LOG_KIND: Readonly<Record<string, WebhookEventType>> = {
  'badge.issued': 'badge.issued',
  'badge.suspend': 'badge.suspended',
  'badge.reinstate': 'badge.reinstated',
  'badge.revoke': 'badge.revoked',
  'badge.renewed': 'badge.renewed',
  'badge.expired': 'badge.expired',
  'member.status': 'member.status_changed',
  'pledge.withdrawn': 'pledge.lapsed',
  'pledge.lapsed': 'pledge.lapsed',
  'pledge.signed': 'pledge.signed',
  'report.resolved': 'account.flagged',
  'flag.lifted': 'account.flag_lifted',
  'account.renamed': 'account.renamed',
  'key.rotated': 'signing_key.rotated',
  'key.compromised': 'signing_key.compromised',
  'policy.approved': 'policy.published',
  'pledge.published': 'pledge_version.published',
};

/** The payload every receiver gets (the Standard Webhooks shape: type, timestamp, data). */
export interface WebhookEventPayload {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  data: {
    /** The accounts concerned with the registry's answer about each now. */
    accounts: WebhookAccountAnswer[];
    badge?: { id: string; program: string | null };
    /** account.renamed: the key before. */
    previousKey?: string;
    signingKey?: { kid: string };
    version?: number;
  };
}

/** One account in an event: its public key and the decision's answer. */
export interface WebhookAccountAnswer {
  key: string;
  platform: string;
  status: string;
  reason: { code: string; category: string | null } | null;
  programs: Array<{ program: string; status: string; reason: { code: string; category: string | null } | null }>;
}
