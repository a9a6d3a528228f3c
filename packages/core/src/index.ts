/**
 * `@trust-alliance/core`: the Trust Alliance registry as a library. Open it with
 * {@link openRegistry}, place any way people write an account with {@link normalizeAccount}.
 *
 * @example
 * import { openRegistry, normalizeAccount } from '@trust-alliance/core';
 * const registry = await openRegistry();
 * normalizeAccount('https://m.facebook.com/TinNhiemSo.CanTho/?ref=share').key; // 'facebook:tinnhiemsocantho' (Facebook ignores dots)
 */
export { openRegistry, Registry, type RegistryOptions } from './registry.ts';
export { SYSTEM_ACTOR, type Actor } from './kernel/context.ts';
export { onboardMember, ensurePledge, MEMBERSHIP_BASES, SAMPLE_PLEDGE, PASSING_SCORES, FAILING_SCORES, type OnboardingPlan, type Onboarded } from './onboarding/onboard-member.ts';
export { READ_MODELS, type ReadModels } from './storage/read-models.ts';
export { registryOptionsFromEnv, readReplicasFromEnv, SettingError, REGISTRY_ENV_VARIABLES, READ_MAX_LAG_MIN_MS, READ_MAX_LAG_MAX_MS } from './registry-options-from-env.ts';
export { REGISTRY_DEFAULTS, SIGNING_ALGORITHMS } from './registry-defaults.ts';
export { normalizeAccount } from './accounts/normalize.ts';
export type { AddAccountInput } from './members/member-accounts.ts';
export { Platform, PLATFORMS, isPlatform, type AccountInput, type NormalizedAccount } from './accounts/platform.ts';
export * from './errors.ts';
export { VerificationStatus, type VerificationResult, type VerifyInput, type VerifyOptions, type VerifiedBadge, type ProgramAnswer } from './rules/verification-result.ts';
export { decideAccount, decideBadge, listValueOf, PROGRAMS, PRECEDENCE, type AccountDecision, type BadgeDecision, type ProgramDecision } from './rules/decision.ts';
export { REASON_CODES, LANGS, DEFAULT_LANG, pickLang, reasonMessage, describeReason, CATEGORY_LABELS, categoryLabel, type ReasonCode, type Reason, type ReasonView, type Lang } from './rules/reasons.ts';
export { MAX_BATCH, MAX_AT_AHEAD_MS, SPLIT_LOOKUP_MIN_KEYS } from './verification/verify.ts';
export { MAX_KEYS_PER_LOOKUP, MAX_KEYS_SEARCHED_WITH_LOOKUP } from './verification/coalesced-lookups.ts';
export { CRITERIA_GROUPS, CERTIFICATION_STEPS, DEFAULT_PASSING_SCORE, type CriteriaGroup, type CertificationStep, type RecordAssessmentInput } from './badges/assessments.ts';
export { DEFAULT_VALIDITY_MONTHS, type IssueBadgeInput, type BadgeChangeInput } from './badges/badges.ts';
export { memberWhere, type MemberFilter } from './members/list-members.ts';
export { PERSONAL_FIELDS, type PersonalData, type PersonalField } from './members/personal-data.ts';
export type { PublicMember, RegisterMemberInput, UpdateMemberInput, ChangeMemberStatusInput, ReadPurpose } from './members/members.ts';
export { PURPOSES, LEGAL_BASES, CONSENT_METHODS, PURPOSE_FIELDS, PURPOSE_TEXT, type Purpose, type LegalBasis, type ConsentMethod, type BasisInput } from './members/legal-basis.ts';
export { PRIVACY_NOTICES, currentPrivacyNotice, privacyNotice, type PrivacyNotice } from './members/privacy-notices.ts';
export { ERASURE_GROUNDS, ERASED_DISPLAY_NAME, ERASED_ATTESTATION, type ErasureGround, type ErasureResult } from './data-rights/erasure.ts';
export { ERASURE_COUNT_KIND, type ErasureCount } from './data-rights/erasure-counts.ts';
export { ERASED_ACCOUNT_URL } from './data-rights/phone-accounts.ts';
export { WITHHELD_DISPLAY_NAME, type ConsentWithdrawal } from './data-rights/consent.ts';
export { REQUEST_KINDS, REQUEST_OUTCOMES, RESPONSE_HOURS, ANSWERING_REQUEST, REQUEST_DETAIL_FIELD, type RequestKind, type DataRightsRequestView } from './data-rights/requests.ts';
export { SUBJECT_ACCESS, type SubjectView } from './data-rights/subject-view.ts';
export { RETENTION_DAYS, ERASED_REPORT_TEXT, type RetentionReport } from './data-rights/retention.ts';
export type { BreachReport } from './data-rights/breach-report.ts';
export { DEFAULT_GRACE_DAYS, type PublishPledgeInput, type SignPledgeInput } from './pledges/pledges.ts';
export { DEFAULT_POLICY, MAX_VALIDITY_MONTHS, MAX_MIN_GRACE_DAYS, type CertificationPolicy, type PolicyRules } from './policy/certification-policy.ts';
export type { ProposePolicyInput } from './policy/policy-proposals.ts';
export type { ReportAccountInput, ResolveReportInput } from './reports/reports.ts';
export { MAX_LIFT_REASON_LENGTH, type LiftFlagInput } from './reports/flags.ts';
export { foldForSearch } from './text/search-text.ts';
export { openDatabase, type Database, type DatabaseOptions, type PoolStats } from './storage/database.ts';
export { DEFAULT_MAX_LAG_MS, DEFAULT_CHECK_INTERVAL_MS, type ReadReplicaOptions, type ReadRouterStats } from './storage/read-replicas.ts';
export { FolderLockedError, folderHolder, type LockHolder } from './storage/folder-lock.ts';
export { applyMigrations, readMigrations, type MigrationReport } from './storage/migrator.ts';
export { generateDataKey } from './privacy/data-key.ts';
export { ROTATION_BATCH_SIZE, type RotateDataKeyOptions, type RotationProgress, type RotationResult } from './data-rights/rotate-data-key.ts';
export { containsPhoneNumber, type PublicAccountForm } from './privacy/public-account.ts';
export { checkCommitment, commit, type CommitmentFields } from './privacy/commitments.ts';
export { reportCommitmentFields } from './reports/reports.ts';
export { normalizeIdNumber, ID_NUMBER_FIELD, type IdNumberBackfill } from './members/national-id.ts';
export { ROLES, isRole, ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_CLOCK_SKEW_SECONDS, MAX_ACCESS_TOKEN_TTL_SECONDS, type Role, type AccessTokenClaims } from './access/access-tokens.ts';
export type { KeyHistoryEntry } from './kernel/key-store.ts';
export { logOrigin } from './log/transparency-log.ts';
export { CHECKPOINT_MIN_INTERVAL_MS, type StoredCheckpoint } from './log/checkpoints.ts';
export type { LogKeyView } from './log/log-key.ts';
export { programUri, badgeImageUri, verificationPageUri, memberEntityId, memberIdOfEntity } from './signing/attestations.ts';
export { FEDERATION_PATHS, ENTITY_CONFIGURATION_LIFETIME_SECONDS, programOfTrustMarkType } from './signing/trust-marks.ts';
export { statusListUri, checkStatusListTtl, STATUS_LIST_TTL_SECONDS, STATUS_LIST_TTL_MIN_SECONDS, STATUS_LIST_TTL_MAX_SECONDS, STATUS_LIST_RESIGN_AFTER_SECONDS } from './signing/status-lists.ts';
export { LOOKALIKE_MATCHES, type Lookalike, type LookalikeMatch } from './rules/verification-result.ts';
export { MAX_IDEMPOTENCY_KEY_LENGTH, requestHash, type IdempotencyRequest } from './kernel/idempotency.ts';
// Webhooks (issue 15)
export { WEBHOOK_EVENT_TYPES, GLOBAL_EVENT_TYPES, type WebhookEventType, type WebhookEventPayload, type WebhookAccountAnswer } from './webhooks/event-types.ts';
export { MAX_WATCHED_ACCOUNTS, SECRET_OVERLAP_MS, type WebhookSubscriptionView, type WebhookDeliveryView, type CreateWebhookSubscriptionInput } from './webhooks/subscriptions.ts';
export { retryDelayMs, type DeliveryWorker, type DeliveryWorkerOptions } from './webhooks/delivery-worker.ts';
export { refusedAddress } from './webhooks/addresses.ts';
export { signedContent } from './webhooks/signatures.ts';
export type { LiveEventsOptions } from './webhooks/live-events.ts';
