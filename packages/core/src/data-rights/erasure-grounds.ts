/**
 * Why personal data is erased: the grounds an erasure records, and the daily counts in the
 * transparency log add up (erasure.ts, erasure-counts.ts).
 */
export const ERASURE_GROUNDS = ['DATA_SUBJECT_REQUEST', 'CONSENT_WITHDRAWN', 'OBJECTION', 'RETENTION_EXPIRED', 'UNLAWFUL_PROCESSING'] as const;
export type ErasureGround = (typeof ERASURE_GROUNDS)[number];
