/**
 * Helpers for tests of the registry and of code that embeds it: isolated databases, a
 * controllable clock, and fixtures. Import from `@trust-alliance/core/testing`.
 */
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { openTestRegistry, TestClock, type TestRegistry } from './test-registry.ts';
export { createVerifiedMember, ensurePledge, PASSING_SCORES, SAMPLE_PLEDGE, type VerifiedMemberOptions } from './fixtures.ts';
