/**
 * The transactional outbox (issue 15): inside the transaction of every write, the log events
 * that change an answer become domain events in `OutboxEvent` (keyed by their log index, so
 * dense and in commit order) and one `WebhookDelivery` per subscription that asks for them.
 * A rolled-back change therefore emits nothing and a committed one cannot be lost.
 *
 * Each event carries the new answer of the one decision (rules/decision.ts) for the accounts
 * concerned, read with verify's own lookup inside the transaction; never personal fields.
 */
import { randomUUID } from 'node:crypto';
import type { LogEvent } from '../kernel/log-append.ts';
import type { OutboxWriter, Tx } from '../kernel/context.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import { publicAccountKey } from '../privacy/public-account.ts';
import { LOOKUP_NOW_SQL, sqlStamp, type LookupRow } from '../verification/lookup-sql.ts';
import { toAccountFacts, toPledgeVersionFacts } from '../verification/account-facts.ts';
import { decideAccount } from '../rules/decision.ts';
import { EVENT_TYPE_OF_LOG_KIND, GLOBAL_EVENT_TYPES, type WebhookAccountAnswer, type WebhookEventPayload, type WebhookEventType } from './event-types.ts';

interface Concerned {
  accounts: Array<{ id: string | null; key: string }>;
  badge?: { id: string; program: string | null };
}

/** The accounts a log event is about (member events: every account the member administers). */
async function concernedAccounts(tx: Tx, event: LogEvent, type: WebhookEventType): Promise<Concerned> {
  const ofMember = async (memberId: string) =>
    tx.$queryRawUnsafe<Array<{ id: string; key: string }>>(
      `SELECT a.id, a.key FROM "AccountAdmin" aa JOIN "Account" a ON a.id = aa."accountId" WHERE aa."memberId" = $1 ORDER BY a.key`,
      memberId,
    );
  if (type.startsWith('badge.')) {
    const badge = await tx.badge.findUnique({ where: { id: event.subject }, select: { id: true, memberId: true, program: true } });
    if (!badge) return { accounts: [] };
    return { accounts: await ofMember(badge.memberId), badge: { id: badge.id, program: badge.program } };
  }
  if (type === 'member.status_changed' || type === 'pledge.signed' || type === 'pledge.lapsed') return { accounts: await ofMember(event.subject) };
  if (type === 'account.renamed') {
    const account = await tx.account.findUnique({ where: { id: event.subject }, select: { id: true, key: true } });
    return { accounts: account ? [account] : [] };
  }
  const flags = type === 'account.flagged'
    ? await tx.flag.findMany({ where: { reportId: event.subject }, select: { accountKey: true } })
    : await tx.flag.findMany({ where: { id: event.subject }, select: { accountKey: true } });
  const keys = [...new Set(flags.map((f) => f.accountKey))];
  const accounts = await tx.account.findMany({ where: { key: { in: keys } }, select: { id: true, key: true } });
  return { accounts: keys.map((key) => ({ key, id: accounts.find((a) => a.key === key)?.id ?? null })) };
}

/** The decision's answer for `keys` as this transaction sees them, with verify's own lookup. */
async function answersFor(tx: Tx, pseudonyms: Pseudonyms, keys: readonly string[], at: Date): Promise<WebhookAccountAnswer[]> {
  if (keys.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<LookupRow[]>(LOOKUP_NOW_SQL, keys);
  const versions = toPledgeVersionFacts(rows[0]?.pledgeVersions ?? []);
  return rows.map((row, i) => {
    const facts = toAccountFacts(row);
    const decision = decideAccount(facts, versions, at);
    const key = facts.key ?? keys[i]!;
    return {
      key: publicAccountKey(pseudonyms, key),
      platform: facts.platform ?? key.slice(0, key.indexOf(':')).toUpperCase(),
      status: decision.status,
      reason: decision.reason,
      programs: decision.programs.map((p) => ({ program: p.program, status: p.status, reason: p.reason })),
    };
  });
}

/**
 * The outbox writer the registry puts in its context (kernel/context.ts calls it inside `write`).
 *
 * @example const context = { ...base, outbox: outboxWriter(pseudonyms) };
 */
export function outboxWriter(pseudonyms: Pseudonyms): OutboxWriter {
  return async (tx, events, at) => {
    for (const event of events) {
      // A watched key that now names an account follows that account from here on (renames).
      if (event.kind === 'account.linked') {
        await tx.$executeRawUnsafe(`UPDATE "WebhookWatch" w SET "accountId" = a.id FROM "Account" a WHERE a.id = $1 AND w.key = a.key AND w."accountId" IS NULL`, event.subject);
      }
      const type = EVENT_TYPE_OF_LOG_KIND[event.kind];
      if (!type) continue;
      // A resolved report is an account event only when it flagged the account.
      if (event.kind === 'report.resolved' && event.data.flagged !== true) continue;
      const global = GLOBAL_EVENT_TYPES.has(type);
      const concerned = global ? { accounts: [] } : await concernedAccounts(tx, event, type);
      const payload: WebhookEventPayload = {
        id: `evt_${randomUUID()}`,
        type,
        timestamp: at.toISOString(),
        data: { accounts: await answersFor(tx, pseudonyms, concerned.accounts.map((a) => a.key), at) },
      };
      if (concerned.badge) payload.data.badge = concerned.badge;
      if (type === 'account.renamed' && typeof event.data.from === 'string') payload.data.previousKey = event.data.from;
      if (type.startsWith('signing_key.')) payload.data.signingKey = { kid: event.subject };
      if (typeof event.data.version === 'number') payload.data.version = event.data.version;
      await insertEvent(tx, event.idx, payload, concerned.accounts, global, at);
    }
  };
}

async function insertEvent(tx: Tx, seq: number, payload: WebhookEventPayload, accounts: Concerned['accounts'], global: boolean, at: Date): Promise<void> {
  const accountIds = accounts.flatMap((a) => (a.id ? [a.id] : []));
  const keys = accounts.map((a) => a.key);
  await tx.outboxEvent.create({ data: { seq, id: payload.id, type: payload.type, payload: JSON.stringify(payload), accountIds, keys, global, createdAt: at } });
  // Fan out to every subscription that asks for this type about these accounts (paused ones
  // too: they get them on resume). Watches follow the account, or the key while no account has it.
  await tx.$executeRawUnsafe(
    `INSERT INTO "WebhookDelivery" ("subscriptionId", "eventSeq", status, attempts, "nextAttemptAt", "createdAt")
     SELECT s.id, $1, 'PENDING', 0, $2::timestamp, $2::timestamp FROM "WebhookSubscription" s
     WHERE $3 = ANY(s."eventTypes")
       AND (s."allAccounts" OR $4::boolean OR EXISTS (
         SELECT 1 FROM "WebhookWatch" w WHERE w."subscriptionId" = s.id AND (w."accountId" = ANY($5::text[]) OR (w."accountId" IS NULL AND w.key = ANY($6::text[])))))`,
    seq, sqlStamp(at), payload.type, global, accountIds, keys,
  );
}
