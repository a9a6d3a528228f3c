/** services/api/schema.graphql is committed and current: regenerate with `pnpm --filter @trust-alliance/api schema:print`. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../../services/api/src/scripts/print-schema.ts';

describe('schema.graphql', () => {
  it('matches the schema the code builds', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed, 'services/api/schema.graphql is stale: run pnpm --filter @trust-alliance/api schema:print').toBe(printedSchema());
  });

  it('has the VerificationResult shape of issue 3', () => {
    const printed = printedSchema();
    const block = printed.slice(printed.indexOf('type VerificationResult {'), printed.indexOf('}', printed.indexOf('type VerificationResult {')));
    for (const field of ['status: VerificationStatus!', 'input: VerificationInput!', 'account: VerifiedAccount', 'member: VerifiedMember', 'badges: [VerifiedBadge!]!', 'error: VerificationError', 'checkedAt: DateTime!', 'flags: [VerificationFlag!]!']) {
      expect(block).toContain(field);
    }
  });
});
