/**
 * Helpers for tests of the registry and of code that embeds it: isolated databases, a
 * controllable clock, and fixtures. Import from `@trust-alliance/core/testing`.
 */
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { openTestRegistry, TestClock, type TestRegistry } from './test-registry.ts';
export { adoptCertificationPolicy, createVerifiedMember, publishPledgeByAdmins, TEST_ADMINS, type VerifiedMemberOptions } from './fixtures.ts';
export { ensurePledge, MEMBERSHIP_BASES, FAILING_SCORES, PASSING_SCORES, SAMPLE_PLEDGE } from '../onboarding/onboard-member.ts';
export { registryInternals } from '../registry.ts';
