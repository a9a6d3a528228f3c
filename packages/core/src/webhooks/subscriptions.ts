/**
 * Webhook subscriptions (issue 15): create, list, pause, resume, rotate the secret, change the
 * watch list, delete; recent deliveries and redelivery. A subscription belongs to the subject
 * of the token that created it (`actor.id`): PLATFORM and BUSINESS callers see and change
 * their own only (another's is NOT_FOUND, never "forbidden", so ids reveal nothing);
 * OFFICER, ADMIN and the SYSTEM actor see all.
 *
 * Every change runs in the kernel's `write`, so it is all or nothing and honours an idempotency
 * key: a retried create (or rotation) gets the same subscription and the same secret back,
 * which the write's stored result keeps sealed, never in clear.
 */
import { write, type Actor, type RegistryContext, type Tx, type WriteOptions } from '../kernel/context.ts';
import type { AccountInput } from '../accounts/platform.ts';
import { normalizeAccount } from '../accounts/normalize.ts';
import { ForbiddenError, NotFoundError, RegistryError, ValidationError } from '../errors.ts';
import type { WebhookDeliveryStatus, WebhookSubscriptionStatus } from '../generated/prisma/client.ts';
import { checkEndpoint } from './endpoint.ts';
import { newWebhookSecret } from './signatures.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.ts';

/** A subscription changes who is told, never what `verify` answers: caches stay (see `write`). */
const KEEPS_ANSWERS: WriteOptions = { changesAnswers: false };

/** Most accounts one subscription may watch. */
export const MAX_WATCHED_ACCOUNTS = 100_000;
/** How long the secret before a rotation still signs deliveries (beside the new one). */
export const SECRET_OVERLAP_MS = 24 * 3600_000;
const OWNER_ROLES: ReadonlySet<Actor['role']> = new Set(['PLATFORM', 'BUSINESS']);
const SEE_ALL_ROLES: ReadonlySet<Actor['role']> = new Set(['OFFICER', 'ADMIN', 'SYSTEM']);

/** A subscription as its owner sees it: never the secret. */
export interface WebhookSubscriptionView {
  id: string;
  ownerId: string;
  url: string;
  eventTypes: WebhookEventType[];
  allAccounts: boolean;
  watchedAccounts: number;
  status: WebhookSubscriptionStatus;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateWebhookSubscriptionInput {
  url: string;
  eventTypes: readonly string[];
  /** Accounts to watch (any URL or handle, normalized like `verify`); omit with `allAccounts`. */
  accounts?: readonly AccountInput[] | null;
  /** Every account instead of a watch list. */
  allAccounts?: boolean | null;
}

function allowLoopback(ctx: RegistryContext): boolean {
  return ctx.webhooks?.allowLoopback === true;
}

function mayManage(actor: Actor): void {
  if (!OWNER_ROLES.has(actor.role) && !SEE_ALL_ROLES.has(actor.role)) throw new ForbiddenError('WEBHOOK_ROLES', 'Webhook subscriptions are for PLATFORM and BUSINESS tokens (OFFICER and ADMIN see all)');
  if (OWNER_ROLES.has(actor.role) && (!actor.id || actor.id === 'anonymous')) throw new ForbiddenError('WEBHOOK_ROLES', 'A webhook subscription needs a token with a subject');
}

/** Where-clause of the subscriptions `actor` may see. */
function visibleTo(actor: Actor): { ownerId?: string } {
  mayManage(actor);
  return SEE_ALL_ROLES.has(actor.role) ? {} : { ownerId: actor.id };
}

function checkEventTypes(types: readonly string[]): WebhookEventType[] {
  if (!Array.isArray(types) || types.length === 0) throw new ValidationError('eventTypes: name at least one event type', 'eventTypes');
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  types.forEach((t, i) => {
    if (!known.has(t)) throw new ValidationError(`eventTypes.${i}: unknown event type ${JSON.stringify(String(t)).slice(0, 60)} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`, `eventTypes.${i}`);
  });
  return [...new Set(types)] as WebhookEventType[];
}

/** Normalizes a watch list like `verify` (a bad entry is refused, naming it), without duplicates. */
function normalizeWatchList(accounts: readonly AccountInput[], field: string): string[] {
  if (!Array.isArray(accounts)) throw new ValidationError(`${field} must be a list`, field);
  if (accounts.length > MAX_WATCHED_ACCOUNTS) throw new ValidationError(`${field}: at most ${MAX_WATCHED_ACCOUNTS} accounts per subscription`, field);
  const keys = new Set<string>();
  accounts.forEach((input, i) => {
    try {
      keys.add(normalizeAccount(input).key);
    } catch (error) {
      if (error instanceof RegistryError) throw new ValidationError(`${field}.${i}: ${error.message}`, `${field}.${i}`);
      throw error;
    }
  });
  return [...keys];
}

const CHUNK = 5_000;

/** Adds watched keys, each with the account that has it now, or had it last (an old name of a renamed account): renames then follow the account. */
async function addWatches(tx: Tx, subscriptionId: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    await tx.$executeRawUnsafe(
      `INSERT INTO "WebhookWatch" ("subscriptionId", key, "accountId")
       SELECT $1, k.key, COALESCE(a.id, h."accountId") FROM unnest($2::text[]) AS k(key) LEFT JOIN "Account" a ON a.key = k.key
       LEFT JOIN LATERAL (SELECT ai."accountId" FROM "AccountIdentifier" ai WHERE ai.key = k.key ORDER BY ai."validFrom" DESC LIMIT 1) h ON a.id IS NULL
       ON CONFLICT ("subscriptionId", key) DO NOTHING`,
      subscriptionId, chunk,
    );
  }
}

async function view(ctx: RegistryContext, id: string): Promise<WebhookSubscriptionView> {
  const row = await ctx.prisma.webhookSubscription.findUnique({ where: { id }, include: { _count: { select: { watches: true } } } });
  if (!row) throw new NotFoundError('WebhookSubscription', id);
  return toView(row, row._count.watches);
}

function toView(row: { id: string; ownerId: string; url: string; eventTypes: string[]; allAccounts: boolean; status: WebhookSubscriptionStatus; statusReason: string | null; createdAt: Date; updatedAt: Date }, watched: number): WebhookSubscriptionView {
  return { id: row.id, ownerId: row.ownerId, url: row.url, eventTypes: row.eventTypes as WebhookEventType[], allAccounts: row.allAccounts, watchedAccounts: watched, status: row.status, statusReason: row.statusReason, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** Subscription ids are UUIDs; event ids `evt_` and a UUID (anything else names nothing, and never reaches SQL). */
export const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^evt_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subscription if `actor` may see it; NOT_FOUND otherwise. */
async function owned(db: Tx | RegistryContext['prisma'], id: string, actor: Actor) {
  mayManage(actor);
  if (typeof id !== 'string' || !SUBSCRIPTION_ID.test(id)) throw new NotFoundError('WebhookSubscription', String(id).slice(0, 100), 'id');
  const row = await db.webhookSubscription.findFirst({ where: { id, ...visibleTo(actor) } });
  if (!row) throw new NotFoundError('WebhookSubscription', id, 'id');
  return row;
}

/**
 * Creates a subscription; the secret is returned here (and on rotation) only.
 *
 * @example const { subscription, secret } = await createWebhookSubscription(ctx, { url: 'https://hooks.example.com/trust', eventTypes: ['badge.suspended'], accounts: ['https://fb.com/thuha.review'] }, actor);
 */
export async function createWebhookSubscription(ctx: RegistryContext, input: CreateWebhookSubscriptionInput, actor: Actor): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
  mayManage(actor);
  const eventTypes = checkEventTypes(input.eventTypes);
  const allAccounts = input.allAccounts === true;
  const hasList = input.accounts !== undefined && input.accounts !== null;
  if (allAccounts === hasList) throw new ValidationError('Give accounts to watch, or allAccounts: true (not both)', 'accounts');
  const keys = hasList ? normalizeWatchList(input.accounts!, 'accounts') : [];
  if (hasList && keys.length === 0) throw new ValidationError('accounts: name at least one account', 'accounts');
  const url = await checkEndpoint(input.url, allowLoopback(ctx));
  const secret = newWebhookSecret();
  const { id, sealedSecret } = await write(ctx, async (tx, at) => {
    const row = await tx.webhookSubscription.create({
      data: { ownerId: actor.id, ownerRole: actor.role, url: url.href, eventTypes, allAccounts, secret: new Uint8Array(0), createdAt: at },
    });
    const sealed = ctx.personal.seal(secret, `webhook-secret:${row.id}`);
    await tx.webhookSubscription.update({ where: { id: row.id }, data: { secret: sealed } });
    await addWatches(tx, row.id, keys);
    return { result: { id: row.id, sealedSecret: sealed }, events: [] };
  }, KEEPS_ANSWERS);
  return { subscription: await view(ctx, id), secret: ctx.personal.open(sealedSecret, `webhook-secret:${id}`) };
}

/** The subscriptions `actor` may see, newest first. */
export async function listWebhookSubscriptions(ctx: RegistryContext, actor: Actor): Promise<WebhookSubscriptionView[]> {
  const rows = await ctx.prisma.webhookSubscription.findMany({ where: visibleTo(actor), orderBy: { createdAt: 'desc' }, include: { _count: { select: { watches: true } } }, take: 1000 });
  return rows.map((row) => toView(row, row._count.watches));
}

export async function getWebhookSubscription(ctx: RegistryContext, id: string, actor: Actor): Promise<WebhookSubscriptionView> {
  await owned(ctx.prisma, id, actor);
  return view(ctx, id);
}

export async function pauseWebhookSubscription(ctx: RegistryContext, id: string, actor: Actor): Promise<WebhookSubscriptionView> {
  await write(ctx, async (tx, at) => {
    await owned(tx, id, actor);
    await tx.webhookSubscription.update({ where: { id }, data: { status: 'PAUSED', statusReason: 'paused by its owner', updatedAt: at } });
    return { result: null, events: [] };
  }, KEEPS_ANSWERS);
  return view(ctx, id);
}

/** Resumes delivery: pending deliveries are due at once (their backoff is forgotten). */
export async function resumeWebhookSubscription(ctx: RegistryContext, id: string, actor: Actor): Promise<WebhookSubscriptionView> {
  await write(ctx, async (tx, at) => {
    await owned(tx, id, actor);
    await tx.webhookSubscription.update({ where: { id }, data: { status: 'ACTIVE', statusReason: null, updatedAt: at } });
    await tx.webhookDelivery.updateMany({ where: { subscriptionId: id, status: 'PENDING' }, data: { nextAttemptAt: at } });
    return { result: null, events: [] };
  }, KEEPS_ANSWERS);
  ctx.afterCommit?.();
  return view(ctx, id);
}

/** A new secret; the one before keeps signing beside it for {@link SECRET_OVERLAP_MS}. */
export async function rotateWebhookSecret(ctx: RegistryContext, id: string, actor: Actor): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
  const sealedSecret = await write(ctx, async (tx, at) => {
    const row = await owned(tx, id, actor);
    const previous = ctx.personal.open(row.secret, `webhook-secret:${id}`);
    const sealed = ctx.personal.seal(newWebhookSecret(), `webhook-secret:${id}`);
    await tx.webhookSubscription.update({
      where: { id },
      data: {
        secret: sealed,
        previousSecret: ctx.personal.seal(previous, `webhook-secret-previous:${id}`),
        previousSecretUntil: new Date(at.getTime() + SECRET_OVERLAP_MS),
        updatedAt: at,
      },
    });
    return { result: sealed, events: [] };
  }, KEEPS_ANSWERS);
  return { subscription: await view(ctx, id), secret: ctx.personal.open(sealedSecret, `webhook-secret:${id}`) };
}

/** Adds and removes watched accounts (normalized like `verify`). */
export async function changeWebhookWatchList(ctx: RegistryContext, input: { id: string; add?: readonly AccountInput[] | null; remove?: readonly AccountInput[] | null }, actor: Actor): Promise<WebhookSubscriptionView> {
  const add = normalizeWatchList(input.add ?? [], 'add');
  const remove = normalizeWatchList(input.remove ?? [], 'remove');
  const id = await write(ctx, async (tx) => {
    const row = await owned(tx, input.id, actor);
    if (row.allAccounts) throw new ValidationError('This subscription watches every account: it has no watch list', 'add');
    const count = await tx.webhookWatch.count({ where: { subscriptionId: row.id } });
    if (count + add.length > MAX_WATCHED_ACCOUNTS) throw new ValidationError(`add: at most ${MAX_WATCHED_ACCOUNTS} accounts per subscription`, 'add');
    await addWatches(tx, row.id, add);
    for (let i = 0; i < remove.length; i += CHUNK) await tx.webhookWatch.deleteMany({ where: { subscriptionId: row.id, key: { in: remove.slice(i, i + CHUNK) } } });
    return { result: row.id, events: [] };
  }, KEEPS_ANSWERS);
  return view(ctx, id);
}

/** Deletes a subscription with its watch list and deliveries; nothing more is sent to it. */
export async function deleteWebhookSubscription(ctx: RegistryContext, id: string, actor: Actor): Promise<boolean> {
  await write(ctx, async (tx) => {
    await owned(tx, id, actor);
    await tx.webhookSubscription.delete({ where: { id } });
    return { result: null, events: [] };
  }, KEEPS_ANSWERS);
  return true;
}

/** One delivery of an event to a subscription. */
export interface WebhookDeliveryView {
  subscriptionId: string;
  eventId: string;
  eventType: string;
  eventAt: Date;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** The latest deliveries of a subscription, newest event first. */
export async function listWebhookDeliveries(ctx: RegistryContext, input: { id: string; status?: WebhookDeliveryStatus | null; first?: number | null }, actor: Actor): Promise<WebhookDeliveryView[]> {
  await owned(ctx.prisma, input.id, actor);
  const first = input.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 500) throw new ValidationError('first must be 1 to 500', 'first');
  const rows = await ctx.prisma.webhookDelivery.findMany({
    where: { subscriptionId: input.id, ...(input.status ? { status: input.status } : {}) },
    orderBy: { eventSeq: 'desc' },
    take: first,
    include: { event: { select: { id: true, type: true, createdAt: true } } },
  });
  return rows.map((d) => ({
    subscriptionId: d.subscriptionId, eventId: d.event.id, eventType: d.event.type, eventAt: d.event.createdAt, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null, lastAttemptAt: d.lastAttemptAt, lastStatusCode: d.lastStatusCode, lastError: d.lastError, deliveredAt: d.deliveredAt,
  }));
}

/**
 * Sends again one event (`eventId`) or every event of a time range (`from`..`to`) that reached
 * the subscription: queued again at once, in their order, with the same `webhook-id`.
 * Returns how many deliveries were queued.
 */
export async function redeliverWebhooks(ctx: RegistryContext, input: { id: string; eventId?: string | null; from?: Date | null; to?: Date | null }, actor: Actor): Promise<number> {
  const byEvent = input.eventId !== undefined && input.eventId !== null;
  const byRange = input.from != null || input.to != null;
  if (byEvent === byRange) throw new ValidationError('Give eventId, or from and to (not both)', 'eventId');
  if (byEvent && !EVENT_ID.test(input.eventId!)) throw new NotFoundError('WebhookEvent', String(input.eventId).slice(0, 100), 'eventId');
  let where;
  if (byEvent) {
    where = { subscriptionId: input.id, event: { id: input.eventId! } };
  } else {
    if (!(input.from instanceof Date) || !(input.to instanceof Date) || Number.isNaN(input.from.getTime()) || Number.isNaN(input.to.getTime()) || input.from > input.to) throw new ValidationError('from and to must be times, from not after to', 'from');
    where = { subscriptionId: input.id, event: { createdAt: { gte: input.from, lte: input.to } } };
  }
  const count = await write(ctx, async (tx, at) => {
    await owned(tx, input.id, actor);
    const queued = await tx.webhookDelivery.updateMany({ where, data: { status: 'PENDING', attempts: 0, nextAttemptAt: at, createdAt: at, lastError: null } });
    if (byEvent && queued.count === 0) throw new NotFoundError('WebhookEvent', input.eventId!, 'eventId');
    return { result: queued.count, events: [] };
  }, KEEPS_ANSWERS);
  ctx.afterCommit?.();
  return count;
}
