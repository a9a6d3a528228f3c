/** GraphQL documents shared by the API tests. */
export const RESULT_ERROR = `... on Error { __typename code message field }`;

export const VERIFY = `query Verify($input: VerifyInput!, $at: DateTime) {
  verify(input: $input, at: $at) {
    status input { url platform handle } account { platform key url } member { id displayName kind province }
    badges { id program status issuedAt expiresAt } flags { category since } error { code message } checkedAt at
  }
}`;

/** Every field of VerificationResult that `GET /v1/verify` also answers. */
export const VERIFY_FULL = `query VerifyFull($input: VerifyInput!, $at: DateTime, $program: BadgeProgram, $lang: Language) {
  verify(input: $input, at: $at, program: $program, lang: $lang) {
    status reason { code category message } program programs { program status reason { code category message } } input { url platform handle } account { platform key url } member { id displayName kind province }
    badges { id program status issuedAt expiresAt } flags { category since } lookalikeOf { platform key url displayName match }
    error { code message } checkedAt at
  }
}`;

export const REGISTER = `mutation Register($input: RegisterMemberInput!, $key: String) {
  registerMember(input: $input, idempotencyKey: $key) { __typename ... on MemberPayload { member { id displayName status province } } ${RESULT_ERROR} }
}`;

export const ADD_ACCOUNT = `mutation Add($input: AddAccountInput!, $key: String) {
  addAccount(input: $input, idempotencyKey: $key) { __typename ... on AddAccountPayload { account { id key url platform } link { id ownership } } ${RESULT_ERROR} }
}`;

export const START_CHALLENGE = `mutation Start($input: StartOwnershipChallengeInput!) {
  startOwnershipChallenge(input: $input) { __typename ... on StartOwnershipChallengePayload { challenge { id code status } } ${RESULT_ERROR} }
}`;

export const CONFIRM = `mutation Confirm($input: ConfirmOwnershipInput!) {
  confirmOwnership(input: $input) { __typename ... on ConfirmOwnershipPayload { link { ownership verifiedAt account { key } } } ${RESULT_ERROR} }
}`;

export const CHANGE_STATUS = `mutation Status($input: ChangeMemberStatusInput!) {
  changeMemberStatus(input: $input) { __typename ... on MemberPayload { member { id status } } ${RESULT_ERROR} }
}`;

export const PUBLISH = `mutation Publish($input: PublishPledgeVersionInput!) {
  publishPledgeVersion(input: $input) { __typename ... on PublishPledgeVersionPayload { pledgeVersion { id version status contentHash } } ${RESULT_ERROR} }
}`;

export const SIGN = `mutation Sign($input: SignPledgeInput!, $key: String) {
  signPledge(input: $input, idempotencyKey: $key) { __typename ... on PledgeSignaturePayload { signature { id method signedAt pledgeVersion { version } } } ${RESULT_ERROR} }
}`;

export const WITHDRAW = `mutation Withdraw($input: WithdrawPledgeInput!) {
  withdrawPledge(input: $input) { __typename ... on PledgeSignaturePayload { signature { id withdrawnAt } } ${RESULT_ERROR} }
}`;

export const ASSESS = `mutation Assess($input: RecordAssessmentInput!) {
  recordAssessment(input: $input) { __typename ... on RecordAssessmentPayload { assessment { id decision totalScore scores { group score max } } } ${RESULT_ERROR} }
}`;

export const ISSUE = `mutation Issue($input: IssueBadgeInput!, $key: String) {
  issueBadge(input: $input, idempotencyKey: $key) { __typename ... on BadgePayload { badge { id program status expiresAt } } ${RESULT_ERROR} }
}`;

export const badgeChange = (name: 'suspendBadge' | 'reinstateBadge' | 'revokeBadge') => `mutation Change($input: BadgeChangeInput!, $key: String) {
  ${name}(input: $input, idempotencyKey: $key) { __typename ... on BadgePayload { badge { id status history { action status reasonCategory } } } ${RESULT_ERROR} ... on InvalidTransitionError { from to } }
}`;

export const RENEW = `mutation Renew($input: RenewBadgeInput!) {
  renewBadge(input: $input) { __typename ... on BadgePayload { badge { id status expiresAt } } ${RESULT_ERROR} }
}`;

export const REPORT = `mutation Report($input: ReportAccountInput!, $key: String) {
  reportAccount(input: $input, idempotencyKey: $key) { __typename ... on ReportAccountPayload { report { id accountKey status } } ${RESULT_ERROR} }
}`;

export const RESOLVE = `mutation Resolve($input: ResolveReportInput!) {
  resolveReport(input: $input) { __typename ... on ResolveReportPayload { report { id status resolution } flag { accountKey category } } ${RESULT_ERROR} }
}`;

export const UPDATE = `mutation Update($input: UpdateMemberInput!) {
  updateMember(input: $input) { __typename ... on MemberPayload { member { id displayName province } } ${RESULT_ERROR} }
}`;

export const PASSING = { LEGAL_COMPLIANCE: 27, CONTENT_QUALITY: 17, TRANSPARENCY: 17, COMMUNITY_IMPACT: 12, CONDUCT_HISTORY: 12 };
export const ALL_STEPS = ['APPLICATION', 'IDENTITY_CHECK', 'ACCOUNT_VERIFICATION', 'PLEDGE_SIGNING', 'CONTENT_REVIEW', 'SCORING', 'COUNCIL_DECISION'];
export const PLEDGE_TEXTS = {
  titleVi: 'Bộ quy tắc ứng xử',
  titleEn: 'Code of conduct',
  textVi: 'Tôi cam kết tuân thủ pháp luật.',
  textEn: 'I pledge to obey the law.',
};
