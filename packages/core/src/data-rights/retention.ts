/**
 * How long personal data is kept after a membership ends, and the job that erases what is past it
 * (Law 91/2025/QH15: data kept no longer than its purpose needs). The periods are this registry's
 * policy (docs/PRIVACY.md, "Retention"), counted from the status event that ended the membership:
 *
 * - REFUSED: the member never became ACTIVE (an application refused or abandoned, then WITHDRAWN
 *   or EXPELLED): 90 days, for a complaint about the refusal;
 * - WITHDRAWN: 180 days, for questions about badges the member held;
 * - EXPELLED: 730 days, to answer complaints and authorities about the expulsion.
 *
 * A restricted member is kept (restriction means "store, do not use") and listed as such. Each
 * erasure is `eraseMemberPersonalData` with ground RETENTION_EXPIRED, one transaction per member.
 *
 * A reporter (anyone who filed a report, usually not a member) left a contact to be answered: it
 * is kept 180 days after the report was resolved (REPORT_CONTACT), then nulled. The report's texts
 * (the reporter's description, the officer's resolution, and the sealed reason a flag was lifted)
 * may name people: they are kept 730 days after resolution (REPORT_TEXT, the same period as an
 * expulsion's, for complaints and authorities' questions), then replaced / nulled; a report whose
 * flag still stands, or was lifted less than that period ago, keeps them (the evidence behind a
 * public warning). What stays is the record behind flags: account key, category, outcome, times.
 *
 * A stored idempotency record (kernel/idempotency.ts: the scope names the caller, the result a
 * mutation's answer) only serves a client retrying the same call: it is deleted 30 days after the
 * call (IDEMPOTENCY); a retry after that is a new call.
 *
 * The job also publishes the erasure counts of whole past days (erasure-counts.ts), and finishes
 * erasures done before phone keys were forgotten (phone-accounts.ts): members erased with an
 * account key still holding a phone number, or a stored attestation copy.
 */
import type { RegistryContext, Actor, Tx } from '../kernel/context.ts';
import { SYSTEM_ACTOR, write } from '../kernel/context.ts';
import { blankAttestations, eraseMemberPersonalData, ERASED_ATTESTATION } from './erasure.ts';
import { publishErasureCounts, type ErasureCount } from './erasure-counts.ts';
import { forgetPhoneAccounts } from './phone-accounts.ts';
import { isPseudonymKey, phoneNumbersIn, publicAccountKey } from '../privacy/public-account.ts';

export const RETENTION_DAYS = { REFUSED: 90, WITHDRAWN: 180, EXPELLED: 730, REPORT_CONTACT: 180, REPORT_TEXT: 730, IDEMPOTENCY: 30 } as const;
export type RetentionRule = Exclude<keyof typeof RETENTION_DAYS, 'REPORT_CONTACT' | 'REPORT_TEXT' | 'IDEMPOTENCY'>;

/** A report's description once its retention period has run (the column is required). */
export const ERASED_REPORT_TEXT = 'Đã xóa khi hết thời hạn lưu trữ / Erased at the end of its retention period';

const DAY_MS = 86_400_000;

export interface RetentionReport {
  checkedAt: Date;
  dryRun: boolean;
  /** Erased (or, in a dry run, due): member id, the rule, when the membership ended and when the period ran out. */
  erased: Array<{ memberId: string; rule: RetentionRule; endedAt: Date; dueAt: Date; erasureId: string | null }>;
  /** Past the period but kept, and why. */
  kept: Array<{ memberId: string; rule: RetentionRule; reason: 'RESTRICTED' }>;
  /** Reporters' contacts erased (or due, in a dry run): resolved reports past REPORT_CONTACT. */
  reportContacts: { reportIds: string[] };
  /** Report texts erased (or due): descriptions and resolutions past REPORT_TEXT, and lifted flags' sealed reasons. */
  reportTexts: { reportIds: string[]; flagIds: string[]; phoneKeysForgotten: string[] };
  /** Idempotency records deleted (or due): stored more than IDEMPOTENCY days ago. */
  idempotencyRecords: number;
  /** Erasure counts published to the log (whole past UTC days; none in a dry run). */
  erasureCounts: ErasureCount[];
  /** Members erased earlier whose phone account keys or stored attestation copies this run forgot (or would). */
  earlierErasuresCompleted: string[];
}

/**
 * @example const report = await runRetention(ctx, { dryRun: true });
 */
export async function runRetention(ctx: RegistryContext, options: { dryRun?: boolean } = {}, actor: Actor = SYSTEM_ACTOR): Promise<RetentionReport> {
  const checkedAt = ctx.now();
  const report: RetentionReport = {
    checkedAt, dryRun: options.dryRun === true, erased: [], kept: [], reportContacts: { reportIds: [] }, reportTexts: { reportIds: [], flagIds: [], phoneKeysForgotten: [] }, erasureCounts: [], earlierErasuresCompleted: [], idempotencyRecords: 0,
  };
  const ended = await ctx.prisma.member.findMany({
    where: { status: { in: ['WITHDRAWN', 'EXPELLED'] }, erasedAt: null },
    select: { id: true, status: true, restrictedAt: true, statusEvents: { select: { status: true, at: true }, orderBy: { at: 'asc' } } },
    orderBy: { id: 'asc' },
  });
  for (const m of ended) {
    const end = [...m.statusEvents].reverse().find((e) => e.status === m.status);
    if (!end) continue;
    const rule: RetentionRule = m.statusEvents.some((e) => e.status === 'ACTIVE') ? (m.status as 'WITHDRAWN' | 'EXPELLED') : 'REFUSED';
    const dueAt = new Date(end.at.getTime() + RETENTION_DAYS[rule] * DAY_MS);
    if (dueAt > checkedAt) continue;
    if (m.restrictedAt) {
      report.kept.push({ memberId: m.id, rule, reason: 'RESTRICTED' });
      continue;
    }
    const erasureId = report.dryRun ? null : (await eraseMemberPersonalData(ctx, { memberId: m.id, ground: 'RETENTION_EXPIRED' }, actor)).erasureId;
    report.erased.push({ memberId: m.id, rule, endedAt: end.at, dueAt, erasureId });
  }
  const contactsDue = { reporterContact: { not: null }, status: { not: 'OPEN' as const }, resolvedAt: { lte: new Date(checkedAt.getTime() - RETENTION_DAYS.REPORT_CONTACT * DAY_MS) } };
  const reports = await ctx.prisma.report.findMany({ where: contactsDue, select: { id: true }, orderBy: { id: 'asc' } });
  report.reportContacts.reportIds = reports.map((r) => r.id);
  if (!report.dryRun && reports.length > 0) {
    // Not in the public log: a reporter's contact was never a public fact.
    await write(ctx, async (tx) => {
      await tx.report.updateMany({ where: { id: { in: report.reportContacts.reportIds }, ...contactsDue }, data: { reporterContact: null } });
      return { result: null, events: [] };
    });
  }
  await reportTexts(ctx, report);
  const retriesDue = { createdAt: { lte: new Date(checkedAt.getTime() - RETENTION_DAYS.IDEMPOTENCY * DAY_MS) } };
  report.idempotencyRecords = report.dryRun
    ? await ctx.prisma.idempotencyRecord.count({ where: retriesDue })
    : (await ctx.prisma.idempotencyRecord.deleteMany({ where: retriesDue })).count;
  await completeEarlierErasures(ctx, report);
  if (!report.dryRun) report.erasureCounts = (await publishErasureCounts(ctx)).days;
  return report;
}

/** Report descriptions, resolutions and lifted flags' reasons past REPORT_TEXT (not behind a flag still standing or lifted within it). */
async function reportTexts(ctx: RegistryContext, report: RetentionReport): Promise<void> {
  const cutoff = new Date(report.checkedAt.getTime() - RETENTION_DAYS.REPORT_TEXT * DAY_MS);
  const reportsDue = {
    status: { not: 'OPEN' as const }, resolvedAt: { lte: cutoff },
    OR: [{ description: { not: ERASED_REPORT_TEXT } }, { resolution: { not: null } }],
    flags: { none: { OR: [{ liftedAt: null }, { liftedAt: { gt: cutoff } }] } },
  };
  const flagsDue = { liftReason: { not: null }, liftedAt: { lte: cutoff } };
  const [reports, flags] = await Promise.all([
    ctx.prisma.report.findMany({ where: reportsDue, select: { id: true, accountKey: true }, orderBy: { id: 'asc' } }),
    ctx.prisma.flag.findMany({ where: flagsDue, select: { id: true }, orderBy: { id: 'asc' } }),
  ]);
  // A phone number reported about (a Zalo number no member registered) is the reported person's
  // data too: once the report's texts go, its key becomes the pseudonym the log always showed.
  // Not while the number is a registered account (public already) or under a flag that stands.
  const phoneKeys = new Set(reports.map((r) => r.accountKey).filter((k) => !isPseudonymKey(k) && phoneNumbersIn(k).length > 0));
  // Two queries for the whole run (not two per report): which of those keys are public or flagged.
  const [registered, standing] = phoneKeys.size === 0 ? [[], []] : await Promise.all([
    ctx.prisma.accountIdentifier.findMany({ where: { key: { in: [...phoneKeys] } }, select: { key: true } }),
    ctx.prisma.flag.findMany({ where: { accountKey: { in: [...phoneKeys] }, liftedAt: null }, select: { accountKey: true } }),
  ]);
  const kept = new Set([...registered.map((r) => r.key), ...standing.map((f) => f.accountKey)]);
  const phoneReports = reports
    .filter((r) => phoneKeys.has(r.accountKey) && !kept.has(r.accountKey))
    .map((r) => ({ id: r.id, from: r.accountKey, to: publicAccountKey(ctx.pseudonyms, r.accountKey) }));
  report.reportTexts = { reportIds: reports.map((r) => r.id), flagIds: flags.map((f) => f.id), phoneKeysForgotten: phoneReports.map((r) => r.id) };
  if (report.dryRun || (reports.length === 0 && flags.length === 0)) return;
  // Not in the public log: these texts never were public facts.
  await write(ctx, async (tx) => {
    await tx.report.updateMany({ where: { id: { in: report.reportTexts.reportIds }, ...reportsDue }, data: { description: ERASED_REPORT_TEXT, resolution: null } });
    await tx.flag.updateMany({ where: { id: { in: report.reportTexts.flagIds }, ...flagsDue }, data: { liftReason: null } });
    for (const r of phoneReports) {
      await tx.report.updateMany({ where: { id: r.id, accountKey: r.from }, data: { accountKey: r.to } });
      // Lifted flags of the same number, past the period (a standing one kept the key above).
      await tx.flag.updateMany({ where: { accountKey: r.from, liftedAt: { lte: cutoff } }, data: { accountKey: r.to } });
    }
    return { result: null, events: [] };
  }, { changesAnswers: phoneReports.length > 0 });
}

/** Members erased before phone keys and attestation copies were erased with them: finished now, one transaction each. */
async function completeEarlierErasures(ctx: RegistryContext, report: RetentionReport): Promise<void> {
  // A digit run of 9 or more is a prefilter; phone-accounts.ts decides what is a phone number.
  const rows = await ctx.prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT m.id FROM "Member" m WHERE m."erasedAt" IS NOT NULL AND (
       EXISTS (SELECT 1 FROM "AccountAdmin" aa JOIN "Account" a ON a.id = aa."accountId" WHERE aa."memberId" = m.id AND a.key ~ '[0-9]{9}' AND a.key NOT LIKE '%~%')
       OR EXISTS (SELECT 1 FROM "Attestation" t JOIN "Badge" b ON b.id = t."badgeId" WHERE b."memberId" = m.id AND t.jws <> $1))
     ORDER BY m.id`,
    ERASED_ATTESTATION,
  );
  const complete = async (tx: Tx, id: string, at: Date) => (await forgetPhoneAccounts(tx, ctx.pseudonyms, id)).forgotten + (await blankAttestations(tx, id, at)) > 0;
  for (const { id } of rows) {
    // A dry run does the work and rolls it back: the prefilter alone would list numeric ids and shared accounts.
    const done = report.dryRun
      ? await ctx.prisma.$transaction(async (tx) => { throw new DryRun(await complete(tx, id, report.checkedAt)); }).catch((e: unknown) => { if (e instanceof DryRun) return e.done; throw e; })
      : await write(ctx, async (tx, at) => ({ result: await complete(tx, id, at), events: [] }));
    if (done) report.earlierErasuresCompleted.push(id);
  }
}

/** Rolls a dry run's transaction back, carrying its answer out. */
class DryRun extends Error {
  constructor(readonly done: boolean) {
    super('dry run');
  }
}
