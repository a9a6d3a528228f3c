/**
 * The registry as one object: open it, call the lifecycle operations, verify accounts, close it.
 * Each method is a thin binding of an operation module to this registry's context.
 */
import { openDatabase, type Database, type DatabaseOptions, type PoolStats } from './storage/database.ts';
import { readModels, type ReadModels } from './storage/read-models.ts';
import { loadDataKeys, masterKeysOf } from './privacy/data-key.ts';
import { checkDataKey } from './privacy/key-check.ts';
import { loadRegistrySecrets } from './privacy/registry-secrets.ts';
import { rotateDataKey, type RotateDataKeyOptions } from './data-rights/rotate-data-key.ts';
import { SealedBox } from './privacy/sealed-box.ts';
import { Pseudonyms } from './privacy/pseudonyms.ts';
import { MemberKeys } from './privacy/member-keys.ts';
import type { RegistryContext, Actor } from './kernel/context.ts';
import { SYSTEM_ACTOR } from './kernel/context.ts';
import * as members from './members/members.ts';
import { listMembers, type MemberFilter } from './members/list-members.ts';
import { backfillIdNumberIndex } from './members/national-id.ts';
import { moveToMemberKeys } from './members/member-data-keys.ts';
import { publicAccount, publicAccountKey } from './privacy/public-account.ts';
import * as accounts from './members/member-accounts.ts';
import * as pledges from './pledges/pledges.ts';
import * as assessments from './badges/assessments.ts';
import * as badges from './badges/badges.ts';
import * as reports from './reports/reports.ts';
import * as flags from './reports/flags.ts';
import * as policy from './policy/certification-policy.ts';
import * as policyProposals from './policy/policy-proposals.ts';
import { verify, verifyMany } from './verification/verify.ts';
import type { VerifyInput, VerifyOptions } from './rules/verification-result.ts';
import type { PersonalField } from './members/personal-data.ts';
import { KeyStore } from './kernel/key-store.ts';
import { issueAccessToken, verifyAccessToken, type Role } from './access/access-tokens.ts';
import { currentAttestation, currentAttestations } from './signing/attestations.ts';
import { markKeyCompromised, rotateKey } from './signing/key-operations.ts';
import { checkStatusListTtl, getStatusListToken } from './signing/status-lists.ts';
import { signAnswer } from './signing/signed-answers.ts';
import * as federation from './signing/trust-marks.ts';
import * as log from './log/transparency-log.ts';
import { latestCheckpoint } from './log/checkpoints.ts';
import { logKeys, rotateLogKey } from './log/log-key.ts';
import { LookupCache, type LookupCacheOptions } from './kernel/lookup-cache.ts';
import { withIdempotency, type IdempotencyRequest } from './kernel/idempotency.ts';
import { inOneTransaction } from './kernel/one-transaction.ts';
import { listenForChanges } from './storage/change-feed.ts';
import type { ReadRouterStats } from './storage/read-replicas.ts';
import type { VerificationResult } from './rules/verification-result.ts';
import type { AccountInput } from './accounts/platform.ts';
import type { KeyAlgorithm } from './generated/prisma/client.ts';
import * as webhooks from './webhooks/subscriptions.ts';
import { eraseMemberPersonalData, type EraseInput } from './data-rights/erasure.ts';
import { giveBases, withdrawConsent } from './data-rights/consent.ts';
import { restrictProcessing } from './data-rights/restriction.ts';
import { answerDataRightsRequest, fileDataRightsRequest, listDataRightsRequests, readDataRightsRequestDetail, type RequestKind } from './data-rights/requests.ts';
import { publishErasureCounts } from './data-rights/erasure-counts.ts';
import { subjectView } from './data-rights/subject-view.ts';
import { runRetention } from './data-rights/retention.ts';
import { breachReport } from './data-rights/breach-report.ts';
import type { BasisInput, Purpose } from './members/legal-basis.ts';
import { outboxWriter } from './webhooks/outbox.ts';
import { startDeliveryWorker, type DeliveryWorkerOptions } from './webhooks/delivery-worker.ts';
import { liveWebhookEvents, type LiveEventsOptions } from './webhooks/live-events.ts';
import { REGISTRY_DEFAULTS } from './registry-defaults.ts';

export interface RegistryOptions extends DatabaseOptions {
  /** Base64url master key; default: the key file in `dataDir` (embedded), none for PostgreSQL. */
  dataKey?: string | undefined;
  /**
   * The master key being retired (`TRUST_DATA_KEY_PREVIOUS`): what it wrapped is still read, new
   * wraps use `dataKey`; {@link Registry.rotateDataKey} re-wraps everything under `dataKey`.
   */
  previousDataKey?: string | undefined;
  /** The clock (tests move time forward to see expiry). */
  now?: () => Date;
  /** Issuer URL of everything signed; default http://localhost:4000. */
  issuer?: string;
  /** Algorithm of new signing keys; default EdDSA. */
  signingAlgorithm?: KeyAlgorithm;
  /** The hot-lookup cache of `verify` (`false` turns it off). */
  lookupCache?: LookupCacheOptions | false;
  /**
   * Seconds a verifier may cache a status list: the `ttl` of Status List Tokens (and the API's
   * `Cache-Control: max-age` for them). A whole number from 10 to 86,400; default 300
   * (`STATUS_LIST_TTL_SECONDS`). Anything else is refused with a ValidationError (field `statusListTtlSeconds`).
   */
  statusListTtlSeconds?: number;
  /**
   * Webhooks (issue 15). `allowLoopback`: UNSAFE, for development and tests only: endpoints
   * may be http on loopback (127.0.0.0/8, ::1, localhost); `TRUST_WEBHOOKS_ALLOW_LOOPBACK=1` in the service.
   */
  webhooks?: { allowLoopback?: boolean };
}

/** What a registry runs on, for `@trust-alliance/core/testing` only (see {@link registryInternals}). */
const internals = new WeakMap<Registry, RegistryContext>();

/**
 * The Trust Alliance registry: every operation, read model and signed statement, as named
 * methods. What it runs on (the database, keys, sealed box, caches) stays inside.
 */
export class Registry {
  readonly #context: RegistryContext;
  readonly #onClose: Array<() => Promise<void>>;
  /**
   * Read-only Prisma handle for query layers (storage/read-models.ts): the GraphQL schema
   * resolves its types and relations through it. Changes go through the methods below.
   */
  readonly reads: ReadModels;

  constructor(context: RegistryContext, onClose: Array<() => Promise<void>> = []) {
    this.#context = context;
    this.#onClose = onClose;
    this.#idempotencyKey = context.pseudonyms.derive('idempotency request v1');
    this.reads = readModels(context.prisma);
    internals.set(this, context);
  }

  /** `pglite` (embedded) or `postgres`. */
  get databaseKind(): Database['kind'] {
    return this.#context.db.kind;
  }

  /** The migrations this open applied, and those found already applied. */
  get migrations(): Database['migrations'] {
    return this.#context.db.migrations;
  }

  /** The registry's clock (tests move it). */
  now = (): Date => this.#context.now();

  /** Runs one trivial query: resolves when the database answers (readiness probes). */
  ping = async (): Promise<void> => {
    await this.#context.db.sql.query('SELECT 1 AS ok');
  };


  /**
   * Runs one operation under an idempotency key: a retry with the same key and input returns
   * the first result and changes nothing; other input with the same key is a CONFLICT.
   */
  withIdempotency = <T>(request: IdempotencyRequest, operation: () => Promise<T>) => withIdempotency(request, operation, this.#idempotencyKey);
  readonly #idempotencyKey: Pseudonyms;

  /**
   * Runs several operations as one transaction: all are committed, or none (a failure anywhere
   * rolls back every change and its log entries). For loading data sets; not for key rotation.
   *
   * @example
   * await registry.inOneTransaction(async (r) => { await r.registerMember(a); await r.registerMember(b); });
   */
  inOneTransaction = <T>(work: (registry: Registry) => Promise<T>): Promise<T> => inOneTransaction(this.#context, (scoped) => work(new Registry(scoped)));

  // Members
  registerMember = (input: members.RegisterMemberInput, actor: Actor = SYSTEM_ACTOR) => members.registerMember(this.#context, input, actor);
  updateMember = (input: members.UpdateMemberInput, actor: Actor = SYSTEM_ACTOR) => members.updateMember(this.#context, input, actor);
  changeMemberStatus = (input: members.ChangeMemberStatusInput, actor: Actor = SYSTEM_ACTOR) => members.changeMemberStatus(this.#context, input, actor);
  getMember = (memberId: string) => members.getMember(this.#context, memberId);
  listMembers = (filter?: MemberFilter, page?: { first?: number; after?: string }) => listMembers(this.#context, filter, page);
  /** An officer's read of personal fields, for a stated purpose (recorded; refused without a basis, when restricted or erased). */
  readPersonalData = (memberId: string, fields: readonly PersonalField[], actor: Actor, why: members.ReadPurpose) => members.readPersonalData(this.#context, memberId, fields, actor, why);
  /** A keyed pseudonym of a personal value (e.g. a client address) for `purpose`: the same in every replica sharing TRUST_DATA_KEY. */
  pseudonym = (purpose: string, value: string) => this.#context.pseudonyms.of(purpose, value);
  /** Gives members registered before the national-ID index theirs; lists those whose number another member holds. */
  backfillIdNumberIndex = () => backfillIdNumberIndex(this.#context);
  /** An account key as the public may see it: a key holding a phone number becomes a keyed pseudonym. */
  publicAccountKey = (key: string) => publicAccountKey(this.#context.pseudonyms, key);
  /** Key, handle and URL of an account as the public may see them (see {@link publicAccountKey}). */
  publicAccount = (account: { key: string; handle: string; url: string }) => publicAccount(this.#context.pseudonyms, account);

  // Personal data rights (Law 91/2025/QH15; data-rights/, docs/PRIVACY.md)
  /** Destroys the member's data key and sealed data; a member still in the alliance is WITHDRAWN. OFFICER, ADMIN, SYSTEM. */
  eraseMemberPersonalData = (input: EraseInput, actor: Actor) => eraseMemberPersonalData(this.#context, input, actor);
  /** Records legal bases (a consent with its notice version). The member itself or an officer. */
  giveBases = (input: { memberId: string; bases: BasisInput[] }, actor: Actor) => giveBases(this.#context, input, actor);
  /** Withdraws a consent: says what stopped and what continues on which basis. The member itself or an officer. */
  withdrawConsent = (input: { memberId: string; purpose: Purpose }, actor: Actor) => withdrawConsent(this.#context, input, actor);
  /** Restricts (OFFICER, ADMIN) or lifts (ADMIN) the processing of a member's personal data. */
  restrictProcessing = (input: { memberId: string; restricted: boolean }, actor: Actor) => restrictProcessing(this.#context, input, actor);
  fileDataRightsRequest = (input: { memberId: string; kind: RequestKind; detail?: string }, actor: Actor) => fileDataRightsRequest(this.#context, input, actor);
  answerDataRightsRequest = (input: { requestId: string; outcome: 'DONE' | 'REFUSED'; answer: string }, actor: Actor) => answerDataRightsRequest(this.#context, input, actor);
  /** Requests of one member, or by status (officers' queue, by deadline). Role checks are the caller's. */
  listDataRightsRequests = (filter?: { memberId?: string; status?: string }) => listDataRightsRequests(this.#context, filter);
  /** A request's text for the member itself, or an officer (the officer's read is recorded, purpose DATA_RIGHTS_REQUEST). */
  readDataRightsRequestDetail = (requestId: string, actor: Actor) => readDataRightsRequestDetail(this.#context, requestId, actor);
  /** Publishes to the log the erasure counts of whole past UTC days (the retention job does it too). */
  publishErasureCounts = () => publishErasureCounts(this.#context);
  /** Everything held about a member, for that member only (MEMBER actor whose id is the member id). */
  subjectView = (memberId: string, actor: Actor) => subjectView(this.#context, memberId, actor);
  /** Erases personal data past its retention period (or lists it, `dryRun`). */
  runRetention = (options?: { dryRun?: boolean }, actor: Actor = SYSTEM_ACTOR) => runRetention(this.#context, options, actor);
  /** Whose personal data `actorId` read in a period, which fields; with a drafted notice. Role checks are the caller's. */
  breachReport = (input: { actorId: string; since: Date; until?: Date }) => breachReport(this.#context, input);
  /**
   * Re-wraps every stored key (the registry's secrets, every member's key) from the retiring
   * master key (`previousDataKey`) to the current one, in short batches while the registry
   * serves; resumable. At the end the database accepts only the current key. ADMIN or SYSTEM.
   */
  rotateDataKey = (options?: RotateDataKeyOptions, actor: Actor = SYSTEM_ACTOR) => rotateDataKey(this.#context, options, actor);

  // Accounts and ownership
  addAccount = (input: accounts.AddAccountInput, actor: Actor = SYSTEM_ACTOR) => accounts.addAccount(this.#context, input, actor);
  renameAccount = (input: { accountId: string; account: AccountInput }, actor: Actor = SYSTEM_ACTOR) => accounts.renameAccount(this.#context, input, actor);
  startOwnershipChallenge = (input: { accountId: string; memberId: string }, actor: Actor = SYSTEM_ACTOR) => accounts.startOwnershipChallenge(this.#context, input, actor);
  confirmOwnership = (input: { challengeId: string; observedCode: string }, actor: Actor = SYSTEM_ACTOR) => accounts.confirmOwnership(this.#context, input, actor);

  // Certification policy
  /** The policy version in force at `at` (default now): public. */
  certificationPolicy = (at?: Date) => policy.certificationPolicy(this.#context, at);
  /** Every policy version, proposals included, newest first. */
  listCertificationPolicies = () => policy.listCertificationPolicies(this.#context);
  /** ADMIN only; nothing changes until another ADMIN approves. */
  proposeCertificationPolicy = (input: policyProposals.ProposePolicyInput, actor: Actor) => policyProposals.proposeCertificationPolicy(this.#context, input, actor);
  /** An ADMIN other than the proposer. */
  approveCertificationPolicy = (input: { version: number }, actor: Actor) => policyProposals.approveCertificationPolicy(this.#context, input, actor);

  // Pledge
  /** ADMIN only: a DRAFT until another ADMIN approves it. */
  proposePledgeVersion = (input: pledges.PublishPledgeInput, actor: Actor) => pledges.proposePledgeVersion(this.#context, input, actor);
  /** An ADMIN other than the proposer: publishes the proposed version. */
  approvePledgeVersion = (input: { version: number }, actor: Actor) => pledges.approvePledgeVersion(this.#context, input, actor);
  /** One-call publishing for the SYSTEM actor only (bootstrap, seeds, fixtures); refused for every other role. */
  publishPledgeVersion = (input: pledges.PublishPledgeInput, actor: Actor = SYSTEM_ACTOR) => pledges.publishPledgeVersion(this.#context, input, actor);
  currentPledgeVersion = () => pledges.currentPledgeVersion(this.#context);
  listPledgeVersions = () => pledges.listPledgeVersions(this.#context);
  signPledge = (input: pledges.SignPledgeInput, actor: Actor = SYSTEM_ACTOR) => pledges.signPledge(this.#context, input, actor);
  withdrawPledge = (input: { memberId: string; version?: number; reason?: string }, actor: Actor = SYSTEM_ACTOR) => pledges.withdrawPledge(this.#context, input, actor);

  // Assessment and badges
  recordAssessment = (input: assessments.RecordAssessmentInput, actor: Actor = SYSTEM_ACTOR) => assessments.recordAssessment(this.#context, input, actor);
  issueBadge = (input: badges.IssueBadgeInput, actor: Actor = SYSTEM_ACTOR) => badges.issueBadge(this.#context, input, actor);
  suspendBadge = (input: badges.BadgeChangeInput, actor: Actor = SYSTEM_ACTOR) => badges.suspendBadge(this.#context, input, actor);
  reinstateBadge = (input: badges.BadgeChangeInput, actor: Actor = SYSTEM_ACTOR) => badges.reinstateBadge(this.#context, input, actor);
  revokeBadge = (input: badges.BadgeChangeInput, actor: Actor = SYSTEM_ACTOR) => badges.revokeBadge(this.#context, input, actor);
  renewBadge = (input: { badgeId: string; validityMonths?: number }, actor: Actor = SYSTEM_ACTOR) => badges.renewBadge(this.#context, input, actor);
  getBadge = (badgeId: string) => badges.getBadge(this.#context, badgeId);

  // Reports and flags
  reportAccount = (input: reports.ReportAccountInput, actor: Actor = SYSTEM_ACTOR) => reports.reportAccount(this.#context, input, actor);
  resolveReport = (input: reports.ResolveReportInput, actor: Actor = SYSTEM_ACTOR) => reports.resolveReport(this.#context, input, actor);
  listReports = (filter?: Parameters<typeof reports.listReports>[1]) => reports.listReports(this.#context, filter);
  /** Takes an account off the flag list (false positive, account recovered); history keeps the flag. */
  liftFlag = (input: flags.LiftFlagInput, actor: Actor = SYSTEM_ACTOR) => flags.liftFlag(this.#context, input, actor);

  // Verification
  verify = (input: VerifyInput, options?: VerifyOptions) => verify(this.#context, input, options);
  verifyMany = (inputs: readonly VerifyInput[], options?: VerifyOptions) => verifyMany(this.#context, inputs, options);
  /** The answer as a signed JWT (`typ: trust-verification+jwt`) a business can keep as proof. */
  signAnswer = (result: VerificationResult) => signAnswer(this.#context, result);

  // Webhooks (issue 15): a subscription belongs to its creator's token subject (`actor.id`)
  /** Creates a subscription; its Standard Webhooks secret is returned here (and on rotation) only. */
  createWebhookSubscription = (input: webhooks.CreateWebhookSubscriptionInput, actor: Actor) => webhooks.createWebhookSubscription(this.#context, input, actor);
  listWebhookSubscriptions = (actor: Actor) => webhooks.listWebhookSubscriptions(this.#context, actor);
  getWebhookSubscription = (id: string, actor: Actor) => webhooks.getWebhookSubscription(this.#context, id, actor);
  pauseWebhookSubscription = (id: string, actor: Actor) => webhooks.pauseWebhookSubscription(this.#context, id, actor);
  resumeWebhookSubscription = (id: string, actor: Actor) => webhooks.resumeWebhookSubscription(this.#context, id, actor);
  rotateWebhookSecret = (id: string, actor: Actor) => webhooks.rotateWebhookSecret(this.#context, id, actor);
  changeWebhookWatchList = (input: Parameters<typeof webhooks.changeWebhookWatchList>[1], actor: Actor) => webhooks.changeWebhookWatchList(this.#context, input, actor);
  deleteWebhookSubscription = (id: string, actor: Actor) => webhooks.deleteWebhookSubscription(this.#context, id, actor);
  listWebhookDeliveries = (input: Parameters<typeof webhooks.listWebhookDeliveries>[1], actor: Actor) => webhooks.listWebhookDeliveries(this.#context, input, actor);
  /** Queues one event (`eventId`) or a time range (`from`..`to`) again; returns how many. */
  redeliverWebhooks = (input: Parameters<typeof webhooks.redeliverWebhooks>[1], actor: Actor) => webhooks.redeliverWebhooks(this.#context, input, actor);
  /** The caller's events as they commit, until `options.signal` aborts (the live view). */
  liveWebhookEvents = (actor: Actor, options?: LiveEventsOptions) => liveWebhookEvents(this.#context, actor, options);
  /** Starts this process's delivery worker (the service does, once); `stop()` it before `close()`. */
  startWebhookDelivery = (options?: DeliveryWorkerOptions) => startDeliveryWorker(this.#context, options);

  // Signed statements
  /** Signing keys: current key, rotation, compromise, published key set, history. */
  get keys() {
    const ctx = this.#context;
    return {
      current: () => ctx.keys.current(),
      /** Makes a new key current; the old one stays published while what it signed lives. */
      rotate: (algorithm?: KeyAlgorithm, reason?: string, actor: Actor = SYSTEM_ACTOR) => rotateKey(ctx, algorithm, reason, actor),
      /** Withdraws a key at once and re-signs the active badges it had attested. */
      markCompromised: async (kid: string, reason: string, actor: Actor = SYSTEM_ACTOR) => (await markKeyCompromised(ctx, kid, reason, actor)).key,
      publicJwks: () => ctx.keys.publicJwks(),
      history: () => ctx.keys.history(),
      issueAccessToken: (input: { role: Role; subject?: string; ttlSeconds?: number }) => issueAccessToken(ctx.keys, ctx.issuer, input, ctx.now()),
      verifyAccessToken: (token: string) => verifyAccessToken(ctx.keys, ctx.issuer, token, ctx.now()),
    };
  }
  get issuer(): string {
    return this.#context.issuer;
  }
  currentAttestation = (badgeId: string) => currentAttestation(this.#context, badgeId);
  /** Current attestations of many badges in one query, in the order asked (null where none). */
  currentAttestations = (badgeIds: readonly string[]) => currentAttestations(this.#context, badgeIds);
  getAttestation = (id: string) => this.#context.prisma.attestation.findUnique({ where: { id } });
  /** The signed Status List Token of a list, with its revision and `ttl` (the `statusListTtlSeconds` option). */
  getStatusListToken = (listId: string) => getStatusListToken(this.#context, listId);

  // OpenID Federation (trust marks are the attestations; signing/trust-marks.ts)
  get federation() {
    const ctx = this.#context;
    return {
      /** The signed Entity Configuration (`typ: entity-statement+jwt`). */
      entityConfiguration: (organizationName: string) => federation.entityConfiguration(ctx, organizationName),
      /** The status of a presented trust mark, from its status-list entry (the one decision). */
      trustMarkStatus: (trustMark: string) => federation.trustMarkStatus(ctx, trustMark),
      /** The same, signed (`typ: trust-mark-status-response+jwt`). */
      trustMarkStatusResponse: (trustMark: string) => federation.trustMarkStatusResponse(ctx, trustMark),
      /** Entity identifiers holding an active mark of the type; null for a type we do not issue. */
      trustMarkedEntities: (trustMarkType: string, sub?: string) => federation.trustMarkedEntities(ctx, trustMarkType, sub),
      /** The newest active mark of the type for the entity, or null. */
      currentTrustMark: (trustMarkType: string, sub: string) => federation.currentTrustMark(ctx, trustMarkType, sub),
    };
  }

  // Transparency log
  get log() {
    const ctx = this.#context;
    return {
      size: () => log.logSize(ctx),
      entries: (page?: { from?: number; count?: number }) => log.listLogEntries(ctx, page),
      /** The latest stored checkpoint as a JWT (`typ: log-checkpoint+jwt`); signed only when the log has grown, at most once a second. */
      checkpoint: async () => {
        const { jwt, size, rootHash } = await latestCheckpoint(ctx);
        return { jwt, size, rootHash };
      },
      /** The latest stored checkpoint in both forms: the C2SP signed note (log key) and the JWT. */
      latestCheckpoint: () => latestCheckpoint(ctx),
      /** The log's note keys (current first), as verifier key strings. */
      keys: () => logKeys(ctx),
      /** Makes a new log key current; the old one is retired. */
      rotateKey: (reason?: string) => rotateLogKey(ctx, reason),
      inclusionProof: (idx: number, treeSize: number) => log.logInclusionProof(ctx, idx, treeSize),
      consistencyProof: (oldSize: number, newSize: number) => log.logConsistencyProof(ctx, oldSize, newSize),
    };
  }

  /**
   * Counters since this registry was opened, for metrics: the `verify` lookup cache's hits and
   * misses (and, as it stands now, its entries and estimated heap bytes), and how many Status
   * List Tokens were signed again (rebuilt) rather than served as stored.
   * @example const { lookupCacheHits, lookupCacheMisses, statusListRebuilds } = registry.counters();
   */
  counters(): { lookupCacheHits: number; lookupCacheMisses: number; lookupCacheEntries: number; lookupCacheBytes: number; statusListRebuilds: number } {
    const { lookups, counters } = this.#context;
    return { lookupCacheHits: lookups.hits, lookupCacheMisses: lookups.misses, lookupCacheEntries: lookups.size, lookupCacheBytes: lookups.bytes, statusListRebuilds: counters.statusListRebuilds };
  }

  /**
   * How `verify`'s reads were routed between the primary and the read replicas
   * (`readReplicas` / `DATABASE_READ_URL`), and how each replica stands; null without replicas.
   */
  readRouting(): ReadRouterStats | null {
    return this.#context.db.readStats();
  }

  /**
   * The database connection pool now (PostgreSQL: connections open, idle, queries waiting, size
   * limit), or null on embedded PGlite, which has no pool. For metrics gauges, read at scrape time.
   * @example const pool = registry.databasePool(); if (pool && pool.waiting > 0) …
   */
  databasePool(): PoolStats | null {
    return this.#context.db.pool();
  }

  /** Releases the database (and the change listener). */
  async close(): Promise<void> {
    for (const release of this.#onClose) await release();
    await this.#context.db.close();
  }
}

/**
 * The context and database a registry runs on. For tests (exported by
 * `@trust-alliance/core/testing`, not by the package's main entry): production code uses the
 * registry's methods and {@link Registry.reads}.
 */
export function registryInternals(registry: Registry): { context: RegistryContext; db: Database } {
  const context = internals.get(registry);
  if (!context) throw new Error('not a registry opened by openRegistry');
  return { context, db: context.db };
}

/**
 * Opens a registry: embedded PGlite in `dataDir` (default `./.data`) unless `databaseUrl` names
 * a PostgreSQL database. Migrations are applied on open. Only `options` count: to take them from
 * the environment, pass `registryOptionsFromEnv()`.
 *
 * @example
 * const registry = await openRegistry({ dataDir: 'memory://' });
 * const answer = await registry.verify({ url: 'https://fb.com/tinnhiemso.cantho' });
 * await registry.close();
 */
export async function openRegistry(options: RegistryOptions = {}): Promise<Registry> {
  // Checked before anything is opened, so a refused option leaves nothing behind.
  const statusListTtlSeconds = checkStatusListTtl(options.statusListTtlSeconds);
  // Explicit options only (the environment is read by registryOptionsFromEnv, for those who ask).
  const databaseUrl = options.databaseUrl || undefined;
  const dataDir = options.dataDir || REGISTRY_DEFAULTS.dataDir;
  const keys = await loadDataKeys({ dataKey: options.dataKey || undefined, previousDataKey: options.previousDataKey || undefined, dataDir: databaseUrl ? undefined : dataDir });
  const db = await openDatabase({ ...options, databaseUrl, dataDir });
  const now = options.now ?? (() => new Date());
  const issuer = (options.issuer || REGISTRY_DEFAULTS.issuer).replace(/\/+$/, '');
  const algorithm = options.signingAlgorithm ?? REGISTRY_DEFAULTS.signingAlgorithm;
  const lookups = new LookupCache(options.lookupCache === false ? { maxEntries: 0, maxAgeMs: 0 } : options.lookupCache);
  const wakers = new Set<() => void>();
  let context: RegistryContext;
  try {
    // A wrong key is refused here, before anything is written under it.
    const databaseKey = await checkDataKey(db.prisma, keys, { embedded: !databaseUrl, dataDir });
    // The working keys are stored secrets wrapped under the master key (given today's derived values once).
    const secrets = await loadRegistrySecrets(db.prisma, keys, databaseKey);
    const pseudonyms = new Pseudonyms(secrets.pseudonyms);
    const personal = new SealedBox(secrets.personalData);
    context = {
      db, prisma: db.prisma, personal, memberKeys: new MemberKeys(masterKeysOf(keys), personal), dataKeys: keys, pseudonyms, now, issuer, lookups, statusListTtlSeconds, counters: { statusListRebuilds: 0 },
      // Webhooks: domain events into the outbox inside every write; a commit wakes the local worker.
      outbox: outboxWriter(pseudonyms),
      afterCommit: () => wakers.forEach((wake) => wake()),
      webhooks: { allowLoopback: options.webhooks?.allowLoopback === true, wakers },
      keys: new KeyStore(db.prisma, new SealedBox(secrets.keyWrapping), now, algorithm, () => lookups.generation),
    };
    await context.keys.ensureCurrent();
    // Members sealed before per-member keys get their own (erasure must be able to destroy it).
    await moveToMemberKeys(context);
  } catch (error) {
    await db.close();
    throw error;
  }
  const onClose: Array<() => Promise<void>> = [];
  if (databaseUrl) {
    // Other replicas' changes must clear our cache too.
    try {
      // LISTEN stays on the primary: a notice also keeps verify's reads there until a read
      // replica has replayed the change (storage/read-replicas.ts).
      const listener = await listenForChanges(databaseUrl, context.lookups.id, () => {
        db.noteWrite();
        context.lookups.clear();
      });
      onClose.push(() => listener.close());
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return new Registry(context, onClose);
}
