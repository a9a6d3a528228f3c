/**
 * Personal data rights (issue 17, Law 91/2025/QH15), mapped from core's data-rights/: legal bases
 * and consents, the member's own view and export (`myData`, MEMBER token), requests and their
 * answers, restriction, erasure, and the ADMIN's breach report. Core decides; this only maps.
 */
import { z } from 'zod';
import {
  DataProtectionError, ForbiddenError,
  CONSENT_METHODS, ERASURE_GROUNDS, LEGAL_BASES, PRIVACY_NOTICES, PURPOSES, REQUEST_KINDS, REQUEST_OUTCOMES,
  type Actor, type BreachReport, type ConsentWithdrawal, type DataRightsRequestView, type ErasureCount, type ErasureResult, type PrivacyNotice, type RetentionReport, type SubjectView,
} from '@trust-alliance/core';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { rawId, rawIdOrNull } from './ids.ts';
import { lifecycleMutation } from './lifecycle-mutation.ts';
import { officerOrSelf } from './scopes.ts';

export const DataPurposeEnum = builder.enumType('DataPurpose', { values: PURPOSES, description: 'Why personal data is processed: CERTIFICATION, IDENTITY_CHECK, CONTACT, PUBLIC_PROFILE (docs/PRIVACY.md).' });
export const LegalBasisEnum = builder.enumType('LegalBasis', { values: LEGAL_BASES, description: 'The lawful basis of processing: CONSENT, CONTRACT (the membership agreement), LEGAL_OBLIGATION.' });
const ConsentMethodEnum = builder.enumType('ConsentMethod', { values: CONSENT_METHODS });
const ErasureGroundEnum = builder.enumType('ErasureGround', { values: ERASURE_GROUNDS });
const RequestKindEnum = builder.enumType('DataRightsRequestKind', { values: REQUEST_KINDS });
const RequestOutcomeEnum = builder.enumType('DataRightsRequestOutcome', { values: REQUEST_OUTCOMES });

/** The actor core sees: a MEMBER token's subject as the raw member id (it may be a Member node id). */
export function actorFor(ctx: GraphQLContext): Actor {
  return ctx.actor.role === 'MEMBER' ? { ...ctx.actor, id: rawIdOrNull(ctx.viewer.subject, 'Member') ?? ctx.actor.id } : ctx.actor;
}

export const LegalBasisInput = builder.inputType('LegalBasisInput', {
  description: 'A legal basis for one purpose; a CONSENT names the privacy notice version shown and how it was given.',
  fields: (t) => ({
    purpose: t.field({ type: DataPurposeEnum, required: true }),
    basis: t.field({ type: LegalBasisEnum, required: true }),
    noticeVersion: t.int({ required: false }),
    method: t.field({ type: ConsentMethodEnum, required: false }),
  }),
});

/** Input bases as core takes them. */
export function basesOf(input: ReadonlyArray<{ purpose: (typeof PURPOSES)[number]; basis: (typeof LEGAL_BASES)[number]; noticeVersion?: number | null; method?: (typeof CONSENT_METHODS)[number] | null }> | null | undefined) {
  return input?.map((b) => ({ purpose: b.purpose, basis: b.basis, ...(b.noticeVersion != null ? { noticeVersion: b.noticeVersion } : {}), ...(b.method != null ? { method: b.method } : {}) }));
}

const PrivacyNoticeRef = builder.objectRef<PrivacyNotice>('PrivacyNotice').implement({
  description: 'The privacy notice shown before consent, per version, in Vietnamese and English.',
  fields: (t) => ({ version: t.exposeInt('version'), publishedAt: t.exposeString('publishedAt'), textVi: t.exposeString('textVi'), textEn: t.exposeString('textEn') }),
});

builder.queryField('privacyNotices', (t) => t.field({ type: [PrivacyNoticeRef], authScopes: { public: true }, description: 'Every version of the privacy notice (public).', resolve: () => [...PRIVACY_NOTICES] }));

const RequestRef = builder.objectRef<DataRightsRequestView>('DataRightsRequest').implement({
  description: "A data subject's request, with its deadline and outcome. `detail` and `answer` are personal: the member and officers only.",
  fields: (t) => ({
    id: t.exposeID('id'),
    memberId: t.exposeID('memberId'),
    kind: t.field({ type: RequestKindEnum, resolve: (r) => r.kind }),
    status: t.exposeString('status', { description: 'OPEN, DONE or REFUSED.' }),
    detail: t.string({
      nullable: true,
      description: "The member's own words. Read by an officer, the read is recorded (purpose DATA_RIGHTS_REQUEST) and the member sees it in `myData.accessLog`.",
      resolve: (r, _args, ctx) => requestDetail(ctx, r.id),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    dueAt: t.field({ type: 'DateTime', resolve: (r) => r.dueAt }),
    overdue: t.exposeBoolean('overdue'),
    answeredAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.answeredAt }),
    answeredBy: t.exposeString('answeredBy', { nullable: true }),
    answer: t.exposeString('answer', { nullable: true }),
  }),
});

/** One recorded read per request per GraphQL request, however often the field is asked (core records and decides who may read). */
const detailReads = new WeakMap<GraphQLContext, Map<string, Promise<string | null>>>();
function requestDetail(ctx: GraphQLContext, requestId: string): Promise<string | null> {
  let reads = detailReads.get(ctx);
  if (!reads) detailReads.set(ctx, (reads = new Map()));
  let read = reads.get(requestId);
  if (!read) reads.set(requestId, (read = ctx.registry.readDataRightsRequestDetail(requestId, actorFor(ctx))));
  return read;
}

type Basis = SubjectView['bases'][number];
type Access = SubjectView['accessLog'][number];
const SubjectBasisRef = builder.objectRef<Basis>('MyLegalBasis').implement({
  fields: (t) => ({
    purpose: t.exposeString('purpose'), purposeVi: t.exposeString('purposeVi'), purposeEn: t.exposeString('purposeEn'), basis: t.exposeString('basis'), fields: t.exposeStringList('fields'),
    givenAt: t.field({ type: 'DateTime', resolve: (b) => b.givenAt }), recordedBy: t.exposeString('recordedBy'),
    withdrawnAt: t.field({ type: 'DateTime', nullable: true, resolve: (b) => b.withdrawnAt }),
    noticeVersion: t.exposeInt('noticeVersion', { nullable: true }), method: t.exposeString('method', { nullable: true }),
    noticeVi: t.exposeString('noticeVi', { nullable: true }), noticeEn: t.exposeString('noticeEn', { nullable: true }),
  }),
});
const SubjectAccessRef = builder.objectRef<Access>('MyDataRead').implement({
  description: 'One read of the member\'s personal data: who, which fields, when, why.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (a) => a.at }), actorId: t.exposeString('actorId'), role: t.exposeString('role'), fields: t.exposeStringList('fields'),
    purpose: t.exposeString('purpose', { nullable: true }), legalBasis: t.exposeString('legalBasis', { nullable: true }), reason: t.exposeString('reason', { nullable: true }),
  }),
});
const PersonalViewRef = builder.objectRef<SubjectView['personal']>('MyPersonalData').implement({
  fields: (t) => ({
    legalName: t.exposeString('legalName', { nullable: true }), idNumber: t.exposeString('idNumber', { nullable: true }), phone: t.exposeString('phone', { nullable: true }),
    email: t.exposeString('email', { nullable: true }), address: t.exposeString('address', { nullable: true }),
  }),
});
const SubjectViewRef = builder.objectRef<SubjectView>('MyData').implement({
  description: 'Everything the registry holds about the member asking (MEMBER token), and `export`, the same as one JSON document.',
  fields: (t) => ({
    memberId: t.exposeID('memberId'),
    exportedAt: t.field({ type: 'DateTime', resolve: (v) => v.exportedAt }),
    personal: t.field({ type: PersonalViewRef, resolve: (v) => v.personal }),
    erasedAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.erasedAt }),
    restrictedAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.restrictedAt }),
    bases: t.field({ type: [SubjectBasisRef], resolve: (v) => v.bases }),
    accessLog: t.field({ type: [SubjectAccessRef], resolve: (v) => v.accessLog }),
    requests: t.field({ type: [RequestRef], resolve: (v) => v.requests }),
    export: t.field({ type: 'JSON', description: 'The whole view as one JSON document (data portability).', resolve: (v) => JSON.parse(JSON.stringify(v)) }),
  }),
});

builder.queryField('myData', (t) =>
  t.field({
    type: SubjectViewRef,
    description: "The caller's own personal data, legal bases and consents, every read of it and their requests (a MEMBER token; the look is recorded).",
    authScopes: (_root, _args, ctx) => ({ selfMember: rawIdOrNull(ctx.viewer.subject, 'Member') ?? '' }),
    resolve: (_root, _args, ctx) => {
      const actor = actorFor(ctx);
      return ctx.registry.subjectView(actor.id, actor);
    },
  }),
);

builder.queryField('dataRightsRequests', (t) =>
  t.field({
    type: [RequestRef],
    description: 'Requests by status (default OPEN), by deadline: the officers\' queue. OFFICER and ADMIN.',
    authScopes: { officer: true },
    args: { status: t.arg.string({ required: false, validate: z.string().max(20) }) },
    resolve: (_root, args, ctx) => ctx.registry.listDataRightsRequests({ status: args.status ?? 'OPEN' }),
  }),
);

const BreachMemberRef = builder.objectRef<BreachReport['members'][number]>('BreachReportMember').implement({
  fields: (t) => ({
    memberId: t.exposeID('memberId'), fields: t.exposeStringList('fields'), reads: t.exposeInt('reads'), purposes: t.exposeStringList('purposes'),
    firstAt: t.field({ type: 'DateTime', resolve: (m) => m.firstAt }), lastAt: t.field({ type: 'DateTime', resolve: (m) => m.lastAt }),
  }),
});
const BreachReportRef = builder.objectRef<BreachReport>('BreachReport').implement({
  description: 'Whose personal data one actor read in a period, which fields; with drafted notices.',
  fields: (t) => ({
    actorId: t.exposeString('actorId'), since: t.field({ type: 'DateTime', resolve: (r) => r.since }), until: t.field({ type: 'DateTime', resolve: (r) => r.until }),
    totalReads: t.exposeInt('totalReads'), members: t.field({ type: [BreachMemberRef], resolve: (r) => r.members }),
    noticeVi: t.exposeString('noticeVi'), noticeEn: t.exposeString('noticeEn'),
  }),
});

builder.queryField('breachReport', (t) =>
  t.field({
    type: BreachReportRef,
    description: 'Breach support: whose personal data `actorId` read from `since` to `until` (default now), which fields, and a drafted notice in Vietnamese and English. ADMIN only.',
    authScopes: { admin: true },
    args: { actorId: t.arg.string({ required: true, validate: z.string().max(200) }), since: t.arg({ type: 'DateTime', required: true }), until: t.arg({ type: 'DateTime', required: false }) },
    resolve: (_root, args, ctx) => ctx.registry.breachReport({ actorId: args.actorId, since: args.since, ...(args.until ? { until: args.until } : {}) }),
  }),
);

// Mutations ---------------------------------------------------------------------------------

const EraseInput = builder.inputType('EraseMemberPersonalDataInput', {
  fields: (t) => ({ memberId: t.id({ required: true }), ground: t.field({ type: ErasureGroundEnum, required: true }), requestId: t.id({ required: false }) }),
});
const ErasurePayload = builder.objectRef<ErasureResult>('ErasurePayload').implement({
  fields: (t) => ({
    erasureId: t.exposeString('erasureId', { description: 'As in the transparency log (which names no one).' }),
    memberId: t.exposeID('memberId'), memberStatus: t.exposeString('memberStatus'),
    erasedAt: t.field({ type: 'DateTime', resolve: (r) => r.erasedAt }), kept: t.exposeStringList('kept', { description: 'What is kept, and why (no personal data).' }),
  }),
});
lifecycleMutation('eraseMemberPersonalData', {
  description: "Erases a member's personal data for good (their data key is destroyed); a member still in the alliance is WITHDRAWN. OFFICER and ADMIN.",
  input: EraseInput,
  payload: ErasurePayload,
  authScopes: { officer: true },
  run: (input, ctx) => ctx.registry.eraseMemberPersonalData({ memberId: rawId(input.memberId, 'Member', 'memberId'), ground: input.ground, ...(input.requestId ? { requestId: input.requestId } : {}) }, actorFor(ctx)),
});

const GiveBasesInput = builder.inputType('GiveLegalBasesInput', { fields: (t) => ({ memberId: t.id({ required: true }), bases: t.field({ type: [LegalBasisInput], required: true }) }) });
const GiveBasesPayload = builder.objectRef<{ memberId: string; purposes: string[] }>('GiveLegalBasesPayload').implement({ fields: (t) => ({ memberId: t.exposeID('memberId'), purposes: t.exposeStringList('purposes') }) });
lifecycleMutation('giveLegalBases', {
  description: 'Records legal bases for a member (a consent with the notice version shown). The member itself or an officer.',
  input: GiveBasesInput,
  payload: GiveBasesPayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: (input, ctx) => ctx.registry.giveBases({ memberId: rawId(input.memberId, 'Member', 'memberId'), bases: basesOf(input.bases) ?? [] }, actorFor(ctx)),
});

const WithdrawInput = builder.inputType('WithdrawConsentInput', { fields: (t) => ({ memberId: t.id({ required: true }), purpose: t.field({ type: DataPurposeEnum, required: true }) }) });
const ContinuesRef = builder.objectRef<ConsentWithdrawal['continues'][number]>('ContinuingProcessing').implement({
  fields: (t) => ({ purpose: t.exposeString('purpose'), basis: t.exposeString('basis'), fields: t.exposeStringList('fields') }),
});
const WithdrawPayload = builder.objectRef<ConsentWithdrawal>('WithdrawConsentPayload').implement({
  description: 'What stopped from the moment of withdrawal, and what continues on which other basis.',
  fields: (t) => ({
    purpose: t.exposeString('purpose'), withdrawnAt: t.field({ type: 'DateTime', resolve: (w) => w.withdrawnAt }),
    stoppedFields: t.stringList({ description: 'Personal fields deleted: no basis covers them any more.', resolve: (w) => w.stopped.fields }),
    publicProfileWithheld: t.boolean({ resolve: (w) => w.stopped.publicProfileWithheld }),
    continues: t.field({ type: [ContinuesRef], resolve: (w) => w.continues }),
  }),
});
lifecycleMutation('withdrawConsent', {
  description: 'Withdraws a consent; processing it covered stops now. The member itself or an officer.',
  input: WithdrawInput,
  payload: WithdrawPayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: (input, ctx) => ctx.registry.withdrawConsent({ memberId: rawId(input.memberId, 'Member', 'memberId'), purpose: input.purpose }, actorFor(ctx)),
});

const RestrictInput = builder.inputType('RestrictProcessingInput', { fields: (t) => ({ memberId: t.id({ required: true }), restricted: t.boolean({ required: true }) }) });
const RestrictPayload = builder.objectRef<{ memberId: string; restrictedAt: Date | null }>('RestrictProcessingPayload').implement({
  fields: (t) => ({ memberId: t.exposeID('memberId'), restrictedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.restrictedAt }) }),
});
lifecycleMutation('restrictProcessing', {
  description: "Restricts (OFFICER, ADMIN) or lifts (ADMIN) the processing of a member's personal data: while restricted, only an ADMIN stating a legal basis reads it.",
  input: RestrictInput,
  payload: RestrictPayload,
  authScopes: { officer: true },
  run: (input, ctx) => ctx.registry.restrictProcessing({ memberId: rawId(input.memberId, 'Member', 'memberId'), restricted: input.restricted }, actorFor(ctx)),
});

const FileInput = builder.inputType('FileDataRightsRequestInput', {
  fields: (t) => ({ memberId: t.id({ required: true }), kind: t.field({ type: RequestKindEnum, required: true }), detail: t.string({ required: false, validate: z.string().max(2000) }) }),
});
const RequestPayload = builder.objectRef<{ request: DataRightsRequestView }>('DataRightsRequestPayload').implement({ fields: (t) => ({ request: t.field({ type: RequestRef, resolve: (p) => p.request }) }) });
lifecycleMutation('fileDataRightsRequest', {
  description: 'Files a request (correction, erasure, restriction, objection, access, copy, consent withdrawal) with a deadline. The member itself or an officer.',
  input: FileInput,
  payload: RequestPayload,
  authScopes: (input) => officerOrSelf(input.memberId),
  run: async (input, ctx) => ({ request: await ctx.registry.fileDataRightsRequest({ memberId: rawId(input.memberId, 'Member', 'memberId'), kind: input.kind, ...(input.detail ? { detail: input.detail } : {}) }, actorFor(ctx)) }),
});

const AnswerInput = builder.inputType('AnswerDataRightsRequestInput', {
  fields: (t) => ({ requestId: t.id({ required: true }), outcome: t.field({ type: RequestOutcomeEnum, required: true }), answer: t.string({ required: true, validate: z.string().max(2000) }) }),
});
lifecycleMutation('answerDataRightsRequest', {
  description: 'Answers a request DONE or REFUSED, once. OFFICER and ADMIN.',
  input: AnswerInput,
  payload: RequestPayload,
  authScopes: { officer: true },
  run: async (input, ctx) => ({ request: await ctx.registry.answerDataRightsRequest({ requestId: input.requestId, outcome: input.outcome, answer: input.answer }, actorFor(ctx)) }),
});

const RetentionErasedRef = builder.objectRef<RetentionReport['erased'][number]>('RetentionErasure').implement({
  fields: (t) => ({
    memberId: t.exposeID('memberId'), rule: t.exposeString('rule'), endedAt: t.field({ type: 'DateTime', resolve: (e) => e.endedAt }),
    dueAt: t.field({ type: 'DateTime', resolve: (e) => e.dueAt }), erasureId: t.exposeString('erasureId', { nullable: true }),
  }),
});
const RetentionKeptRef = builder.objectRef<RetentionReport['kept'][number]>('RetentionKept').implement({
  fields: (t) => ({ memberId: t.exposeID('memberId'), rule: t.exposeString('rule'), reason: t.exposeString('reason') }),
});
const ErasureCountRef = builder.objectRef<ErasureCount>('ErasureCount').implement({
  description: "One UTC day's erasures as the log publishes them (`personal-data.erasures`): counts only.",
  fields: (t) => ({
    day: t.exposeString('day'), count: t.exposeInt('count'),
    grounds: t.field({ type: 'JSON', description: 'The count per erasure ground.', resolve: (d) => d.grounds }),
  }),
});
const RetentionPayload = builder.objectRef<RetentionReport>('RunRetentionPayload').implement({
  description: 'What the retention job erased (or, in a dry run, would erase) and what it kept past its period, and why.',
  fields: (t) => ({
    checkedAt: t.field({ type: 'DateTime', resolve: (r) => r.checkedAt }), dryRun: t.exposeBoolean('dryRun'),
    erased: t.field({ type: [RetentionErasedRef], resolve: (r) => r.erased }), kept: t.field({ type: [RetentionKeptRef], resolve: (r) => r.kept }),
    reportContactsErased: t.idList({ description: "Reports whose reporter's contact was erased (or, in a dry run, is due).", resolve: (r) => r.reportContacts.reportIds }),
    reportTextsErased: t.idList({ description: 'Reports whose description and resolution were erased (or, in a dry run, are due).', resolve: (r) => r.reportTexts.reportIds }),
    flagReasonsErased: t.idList({ description: "Lifted flags whose sealed lift reason was erased (or is due).", resolve: (r) => r.reportTexts.flagIds }),
    idempotencyRecordsDeleted: t.int({ description: 'Stored idempotency records older than 30 days deleted (or, in a dry run, due).', resolve: (r) => r.idempotencyRecords }),
    reportPhoneKeysForgotten: t.idList({ description: 'Reports about a phone number no member registered whose account key became its pseudonym with the texts (or, in a dry run, is due).', resolve: (r) => r.reportTexts.phoneKeysForgotten }),
    erasureCounts: t.field({ type: [ErasureCountRef], description: 'Erasure counts of whole past UTC days published to the log by this run (none in a dry run).', resolve: (r) => r.erasureCounts }),
    earlierErasuresCompleted: t.idList({ description: 'Members erased earlier whose phone account keys or stored attestation copies this run forgot (or would).', resolve: (r) => r.earlierErasuresCompleted }),
  }),
});
// One erasure transaction per member: no idempotency key (a rerun erases only what is still due).
lifecycleMutation('runRetention', {
  description: 'Erases personal data past its retention period (docs/PRIVACY.md, "Retention") and reports. ADMIN only.',
  args: (t) => ({ dryRun: t.boolean({ required: false, description: 'List what is due without erasing.' }) }),
  errors: [DataProtectionError, ForbiddenError],
  payload: RetentionPayload,
  authScopes: { admin: true },
  run: (args, ctx) => ctx.registry.runRetention({ dryRun: args.dryRun === true }, actorFor(ctx)),
});
