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
 * is kept 180 days after the report was resolved (REPORT_CONTACT), then nulled; the report itself
 * (the accused account, category, resolution) stays as the record behind flags.
 */
import type { RegistryContext, Actor } from '../kernel/context.ts';
import { SYSTEM_ACTOR, write } from '../kernel/context.ts';
import { eraseMemberPersonalData } from './erasure.ts';

export const RETENTION_DAYS = { REFUSED: 90, WITHDRAWN: 180, EXPELLED: 730, REPORT_CONTACT: 180 } as const;
export type RetentionRule = Exclude<keyof typeof RETENTION_DAYS, 'REPORT_CONTACT'>;

export interface RetentionReport {
  checkedAt: Date;
  dryRun: boolean;
  /** Erased (or, in a dry run, due): member id, the rule, when the membership ended and when the period ran out. */
  erased: Array<{ memberId: string; rule: RetentionRule; endedAt: Date; dueAt: Date; erasureId: string | null }>;
  /** Past the period but kept, and why. */
  kept: Array<{ memberId: string; rule: RetentionRule; reason: 'RESTRICTED' }>;
  /** Reporters' contacts erased (or due, in a dry run): resolved reports past REPORT_CONTACT. */
  reportContacts: { reportIds: string[] };
}

/**
 * @example const report = await runRetention(ctx, { dryRun: true });
 */
export async function runRetention(ctx: RegistryContext, options: { dryRun?: boolean } = {}, actor: Actor = SYSTEM_ACTOR): Promise<RetentionReport> {
  const checkedAt = ctx.now();
  const report: RetentionReport = { checkedAt, dryRun: options.dryRun === true, erased: [], kept: [], reportContacts: { reportIds: [] } };
  const ended = await ctx.prisma.member.findMany({
    where: { status: { in: ['WITHDRAWN', 'EXPELLED'] }, erasedAt: null },
    select: { id: true, status: true, restrictedAt: true, statusEvents: { select: { status: true, at: true }, orderBy: { at: 'asc' } } },
    orderBy: { id: 'asc' },
  });
  for (const m of ended) {
    const end = [...m.statusEvents].reverse().find((e) => e.status === m.status);
    if (!end) continue;
    const rule: RetentionRule = m.statusEvents.some((e) => e.status === 'ACTIVE') ? (m.status as 'WITHDRAWN' | 'EXPELLED') : 'REFUSED';
    const dueAt = new Date(end.at.getTime() + RETENTION_DAYS[rule] * 86_400_000);
    if (dueAt > checkedAt) continue;
    if (m.restrictedAt) {
      report.kept.push({ memberId: m.id, rule, reason: 'RESTRICTED' });
      continue;
    }
    const erasureId = report.dryRun ? null : (await eraseMemberPersonalData(ctx, { memberId: m.id, ground: 'RETENTION_EXPIRED' }, actor)).erasureId;
    report.erased.push({ memberId: m.id, rule, endedAt: end.at, dueAt, erasureId });
  }
  const contactsDue = { reporterContact: { not: null }, status: { not: 'OPEN' as const }, resolvedAt: { lte: new Date(checkedAt.getTime() - RETENTION_DAYS.REPORT_CONTACT * 86_400_000) } };
  const reports = await ctx.prisma.report.findMany({ where: contactsDue, select: { id: true }, orderBy: { id: 'asc' } });
  report.reportContacts.reportIds = reports.map((r) => r.id);
  if (!report.dryRun && reports.length > 0) {
    // Not in the public log: a reporter's contact was never a public fact.
    await write(ctx, async (tx) => {
      await tx.report.updateMany({ where: { id: { in: report.reportContacts.reportIds }, ...contactsDue }, data: { reporterContact: null } });
      return { result: null, events: [] };
    });
  }
  return report;
}
