/**
 * The certification policy over the API (issue 9): public in GraphQL and in the discovery
 * document, changed only by two different ADMINs from a stated date, and enforced on
 * `recordAssessment` (a passing score under the policy is a typed ValidationError).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifiedMember } from '@trust-alliance/core/testing';
import { codeOf, openTestServer, type TestServer } from './helpers.ts';
import { ADMIN_1, ADMIN_2, ALL_STEPS, APPROVE_POLICY, ASSESS, CERTIFICATION_POLICY, PASSING, PLEDGE_TEXTS, PROPOSE_PLEDGE, PROPOSE_POLICY } from './documents.ts';

let t: TestServer;
beforeAll(async () => {
  t = await openTestServer();
});
afterAll(() => t?.close());

const DAY_MS = 86_400_000;

describe('the certification policy over the API', () => {
  it('is public: GraphQL certificationPolicy without a token, and certification_policy in discovery', async () => {
    const res = await t.gql(CERTIFICATION_POLICY);
    expect(res.errors).toBeUndefined();
    expect(res.data!.certificationPolicy).toMatchObject({ version: 1, status: 'APPROVED', passingScore: 70, maxScore: 100, validityMonths: 12, minGraceDays: 30 });
    expect(res.data!.certificationPolicy.groupMinimums).toContainEqual({ group: 'LEGAL_COMPLIANCE', minimum: 15, max: 30 });
    // Who proposed and approved is for officers only.
    expect(codeOf(await t.gql('{ certificationPolicy { proposedBy } }'))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql('{ certificationPolicies { version } }'))).toBe('FORBIDDEN');

    const doc = await (await t.http('/.well-known/trust-alliance')).json();
    expect(doc.certification_policy).toMatchObject({
      version: 1,
      passing_score: 70,
      max_score: 100,
      group_minimums: { LEGAL_COMPLIANCE: 15, CONTENT_QUALITY: 10, TRANSPARENCY: 10, COMMUNITY_IMPACT: 8, CONDUCT_HISTORY: 8 },
      validity_months: 12,
      min_grace_days: 30,
      assessment_programs: ['KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL'],
    });
  });

  it('refuses a passing score under the policy as a ValidationError naming passingScore', async () => {
    const { member } = await createVerifiedMember(t.registry, { accounts: ['https://www.facebook.com/chinhsach.kiemtra'] });
    const res = await t.gql(ASSESS, { input: { memberId: member.id, program: 'ALLIANCE_MEMBER', steps: ALL_STEPS, scores: PASSING, passingScore: 1 } }, 'OFFICER');
    expect(res.data!.recordAssessment).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_INPUT', field: 'passingScore' });
  });

  it('an OFFICER cannot propose; the proposer cannot approve; a second ADMIN can; the new version is public from its date', async () => {
    const effectiveFrom = new Date(t.clock.now().getTime() + 5 * DAY_MS).toISOString();
    const input = { effectiveFrom, passingScore: 75, groupMinimums: { TRANSPARENCY: 12 } };
    expect(codeOf(await t.gql(PROPOSE_POLICY, { input }, 'OFFICER'))).toBe('FORBIDDEN');

    const proposed = await t.gql(PROPOSE_POLICY, { input }, ADMIN_1);
    const proposal = proposed.data!.proposeCertificationPolicy.policy;
    expect(proposal).toMatchObject({ status: 'PROPOSED', passingScore: 75, validityMonths: 12 });
    expect(proposal.groupMinimums).toContainEqual({ group: 'TRANSPARENCY', minimum: 12, max: 20 });

    const self = await t.gql(APPROVE_POLICY, { input: { version: proposal.version } }, ADMIN_1);
    expect(self.data!.approveCertificationPolicy).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', rule: 'TWO_ADMINS' });
    const approved = await t.gql(APPROVE_POLICY, { input: { version: proposal.version } }, ADMIN_2);
    expect(approved.data!.approveCertificationPolicy.policy).toMatchObject({ version: proposal.version, status: 'APPROVED' });

    // Still version 1 now; the new one from its date.
    expect((await t.gql(CERTIFICATION_POLICY)).data!.certificationPolicy.version).toBe(1);
    expect((await t.gql(CERTIFICATION_POLICY, { at: effectiveFrom })).data!.certificationPolicy).toMatchObject({ version: proposal.version, passingScore: 75 });
    t.clock.advance(5 * DAY_MS + 1000);
    expect((await (await t.http('/.well-known/trust-alliance')).json()).certification_policy).toMatchObject({ version: proposal.version, passing_score: 75 });
    const all = await t.gql('{ certificationPolicies { version status proposedBy approvedBy } }', {}, 'OFFICER');
    expect(all.data!.certificationPolicies[0]).toEqual({ version: proposal.version, status: 'APPROVED', proposedBy: ADMIN_1.subject, approvedBy: ADMIN_2.subject });
  });

  it('a pledge proposal (DRAFT) is for officers only until a second ADMIN approves it', async () => {
    const draft = (await t.gql(PROPOSE_PLEDGE, { input: PLEDGE_TEXTS }, ADMIN_1)).data!.proposePledgeVersion.pledgeVersion;
    expect(draft.status).toBe('DRAFT');
    const byNode = `query ($id: ID!) { node(id: $id) { ... on PledgeVersion { version status } } }`;
    expect(codeOf(await t.gql(byNode, { id: draft.id }))).toBe('FORBIDDEN');
    expect((await t.gql(byNode, { id: draft.id }, 'OFFICER')).data!.node).toEqual({ version: draft.version, status: 'DRAFT' });
    const listed = (await t.gql('{ pledgeVersions { version status } }')).data!.pledgeVersions as Array<{ status: string }>;
    expect(listed.map((v) => v.status)).not.toContain('DRAFT');
  });
});
