/**
 * Helpers for tests of the registry and of code that embeds it: isolated databases, a
 * controllable clock, and fixtures. Import from `@trust-alliance/core/testing`.
 */
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { openTestRegistry, TestClock, type TestRegistry } from './test-registry.ts';
export { adoptCertificationPolicy, createVerifiedMember, ensurePledge, PASSING_SCORES, publishPledgeByAdmins, SAMPLE_PLEDGE, TEST_ADMINS, type VerifiedMemberOptions } from './fixtures.ts';
