/**
 * The model's enums as GraphQL enums, straight from the Prisma client and core, so the API
 * can never list a value core does not know.
 */
import { VerificationStatus, CERTIFICATION_STEPS, CRITERIA_GROUPS, LANGS, REASON_CODES } from '@trust-alliance/core';
import {
  AssessmentDecision,
  BadgeProgram,
  BadgeStatus,
  ChallengeStatus,
  MemberKind,
  MemberStatus,
  OwnershipStatus,
  Platform,
  PledgeStatus,
  ReasonCategory,
  ReportCategory,
  ReportStatus,
  SignatureMethod,
} from '@trust-alliance/core/prisma';
import { builder } from './builder.ts';

export const PlatformEnum = builder.enumType(Platform, { name: 'Platform' });
export const MemberKindEnum = builder.enumType(MemberKind, { name: 'MemberKind' });
export const MemberStatusEnum = builder.enumType(MemberStatus, { name: 'MemberStatus' });
export const OwnershipStatusEnum = builder.enumType(OwnershipStatus, { name: 'OwnershipStatus' });
export const ChallengeStatusEnum = builder.enumType(ChallengeStatus, { name: 'ChallengeStatus' });
export const PledgeStatusEnum = builder.enumType(PledgeStatus, { name: 'PledgeStatus' });
export const SignatureMethodEnum = builder.enumType(SignatureMethod, { name: 'SignatureMethod' });
export const AssessmentDecisionEnum = builder.enumType(AssessmentDecision, { name: 'AssessmentDecision' });
export const BadgeProgramEnum = builder.enumType(BadgeProgram, { name: 'BadgeProgram' });
export const BadgeStatusEnum = builder.enumType(BadgeStatus, { name: 'BadgeStatus' });
export const ReasonCategoryEnum = builder.enumType(ReasonCategory, { name: 'ReasonCategory' });
export const ReportCategoryEnum = builder.enumType(ReportCategory, { name: 'ReportCategory' });
export const ReportStatusEnum = builder.enumType(ReportStatus, { name: 'ReportStatus' });
export const VerificationStatusEnum = builder.enumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'The answer for an account: VERIFIED, NOT_FOUND, PENDING, SUSPENDED, REVOKED, EXPIRED, FLAGGED or INVALID_INPUT. Overall (no `program` asked): the best status over the programs (VERIFIED = certified under at least one program; `programs` says which); with `program`: that program alone. FLAGGED overrides everything.',
});
export const ReasonCodeEnum = builder.enumType('ReasonCode', {
  values: REASON_CODES,
  description: 'Why an answer is not VERIFIED: a stable code (the rule table of the core README), the same in signed answers.',
});
export const LanguageEnum = builder.enumType('Language', {
  values: LANGS,
  description: 'Language of reason messages: vi (default) or en. Without it, `Accept-Language` decides.',
});
/** A badge's effective status at the moment asked about (stored status, expiry and pledge standing). */
export const BadgeStandingEnum = builder.enumType('BadgeStanding', { values: ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const });
export const CertificationStepEnum = builder.enumType('CertificationStep', { values: CERTIFICATION_STEPS });
export const CriteriaGroupEnum = builder.enumType('CriteriaGroup', { values: Object.keys(CRITERIA_GROUPS) as Array<keyof typeof CRITERIA_GROUPS> });

const knownValues = new WeakMap<object, ReadonlySet<string>>();

/**
 * `value` as a value of `enumValues`, for core fields typed as plain strings: an unknown value is a
 * bug, answered with an error as GraphQL's own enum check would.
 *
 * @example enumValue(BadgeProgram, badge.program) // typed BadgeProgram
 */
export function enumValue<const T extends string>(enumValues: Readonly<Record<string, T>>, value: string): T {
  // A set per enum, made once: this runs for fields of every answer of a 1,000-answer batch.
  let known = knownValues.get(enumValues);
  if (!known) knownValues.set(enumValues, (known = new Set(Object.values(enumValues))));
  if (!known.has(value)) throw new TypeError(`Unknown enum value ${value}`);
  return value as T;
}
