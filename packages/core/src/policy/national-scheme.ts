/**
 * The fixed frame of the national certification scheme: five criteria groups scored out of 100
 * in all, and seven steps. What passes within that frame is the certification policy
 * (certification-policy.ts), which ADMINs may change; the frame itself changes only with code.
 */

/** The five criteria groups and their maximum points (they add up to 100). */
export const CRITERIA_GROUPS = {
  LEGAL_COMPLIANCE: 30,
  CONTENT_QUALITY: 20,
  TRANSPARENCY: 20,
  COMMUNITY_IMPACT: 15,
  CONDUCT_HISTORY: 15,
} as const;
export type CriteriaGroup = keyof typeof CRITERIA_GROUPS;

/** The seven steps of certification, in order. */
export const CERTIFICATION_STEPS = [
  'APPLICATION',
  'IDENTITY_CHECK',
  'ACCOUNT_VERIFICATION',
  'PLEDGE_SIGNING',
  'CONTENT_REVIEW',
  'SCORING',
  'COUNCIL_DECISION',
] as const;
export type CertificationStep = (typeof CERTIFICATION_STEPS)[number];

/** The criteria groups in scheme order. */
export const CRITERIA_GROUP_NAMES = Object.keys(CRITERIA_GROUPS) as CriteriaGroup[];
