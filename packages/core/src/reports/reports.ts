/**
 * Reports about accounts from anyone, and their resolution by officers. A confirmed report can
 * put the account on the flag list, which `verify` shows as FLAGGED even for accounts the
 * registry never registered (a scam page impersonating a verified one).
 *
 * A report is an allegation: until an officer confirms it, the transparency log holds only a
 * keyed commitment to it (report id, account, category; see privacy/commitments.ts), never
 * the account, the category or the text. A confirmed report's log entry names the account (in
 * its public form) and the category, and opens the commitment; a dismissed one stays closed.
 */
import type { Flag, Report, ReportCategory } from '../generated/prisma/client.ts';
import { InvalidTransitionError, NotFoundError } from '../errors.ts';
import { lockRow, write, type Actor, type RegistryContext } from '../kernel/context.ts';
import { REPORT_CATEGORIES, requireEnum, requireText } from '../kernel/validation.ts';
import { normalizeAccount } from '../accounts/normalize.ts';
import type { AccountInput } from '../accounts/platform.ts';
import { reattestAccount } from '../signing/attestations.ts';
import { commit, commitmentOpening } from '../privacy/commitments.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import { publicAccountKey } from '../privacy/public-account.ts';
import type { LogEvent } from '../kernel/log-append.ts';

/**
 * The fields a report's log commitment binds: its id, the account's public key, the category.
 * @example checkCommitment(filed.data.commitment, resolved.data.opening, reportCommitmentFields(id, resolved.data.key, resolved.data.category))
 */
export function reportCommitmentFields(reportId: string, publicKey: string, category: string): ['report', string, string, string] {
  return ['report', reportId, publicKey, category];
}

/** The `report.filed` event: a commitment only. */
function filedEvent(pseudonyms: Pseudonyms, report: Pick<Report, 'id' | 'accountKey' | 'category'>): LogEvent {
  const opening = commitmentOpening(pseudonyms, 'report', report.id);
  const commitment = commit(opening, reportCommitmentFields(report.id, publicAccountKey(pseudonyms, report.accountKey), report.category));
  return { kind: 'report.filed', subject: report.id, data: { commitment } };
}

/** The `report.resolved` event: a confirmed report is named and opened, a dismissed one is not. */
function resolvedEvent(pseudonyms: Pseudonyms, report: Pick<Report, 'id' | 'accountKey' | 'category' | 'status'>, flagged: boolean): LogEvent {
  if (report.status !== 'CONFIRMED') return { kind: 'report.resolved', subject: report.id, data: { decision: report.status } };
  const key = publicAccountKey(pseudonyms, report.accountKey);
  const opening = commitmentOpening(pseudonyms, 'report', report.id);
  return { kind: 'report.resolved', subject: report.id, data: { decision: report.status, key, category: report.category, flagged, opening } };
}

export interface ReportAccountInput {
  account: AccountInput;
  category: ReportCategory;
  description: string;
  /** How to reach the reporter: personal data, sealed, officers only. */
  reporterContact?: string | null;
}

/** Files a report (anyone may). */
export async function reportAccount(ctx: RegistryContext, input: ReportAccountInput, _actor: Actor): Promise<Report> {
  const normalized = normalizeAccount(input.account);
  const category = requireEnum(input.category, REPORT_CATEGORIES, 'category');
  const description = requireText(input.description, 'description', 5000);
  return write(ctx, async (tx, at) => {
    const id = crypto.randomUUID();
    const contact = input.reporterContact ? ctx.personal.seal(requireText(input.reporterContact, 'reporterContact', 300), `report:${id}:contact`) : null;
    const report = await tx.report.create({
      data: { id, accountKey: normalized.key, platform: normalized.platform, category, description, reporterContact: contact, createdAt: at },
    });
    return { result: report, events: [filedEvent(ctx.pseudonyms, report)] };
  });
}

export interface ResolveReportInput {
  reportId: string;
  decision: 'CONFIRMED' | 'DISMISSED';
  resolution: string;
  /** Put the account on the flag list (only with CONFIRMED). */
  flagAccount?: boolean;
}

/** Resolves an open report; a confirmed one may flag the account. */
export async function resolveReport(ctx: RegistryContext, input: ResolveReportInput, actor: Actor): Promise<{ report: Report; flag: Flag | null }> {
  const decision = requireEnum(input.decision, ['CONFIRMED', 'DISMISSED'] as const, 'decision');
  const resolution = requireText(input.resolution, 'resolution', 5000);
  return write(ctx, async (tx, at) => {
    if (!(await lockRow(tx, 'Report', input.reportId))) throw new NotFoundError('Report', input.reportId, 'reportId');
    const current = await tx.report.findUniqueOrThrow({ where: { id: input.reportId } });
    if (current.status !== 'OPEN') throw new InvalidTransitionError('Report', current.status, decision);
    const report = await tx.report.update({ where: { id: current.id }, data: { status: decision, resolvedAt: at, resolvedBy: actor.id, resolution } });
    let flag: Flag | null = null;
    if (decision === 'CONFIRMED' && input.flagAccount) {
      flag = await tx.flag.create({ data: { accountKey: current.accountKey, platform: current.platform, category: current.category, reportId: current.id, createdAt: at } });
      // Every channel at once: attestations naming the account are re-signed without it.
      await reattestAccount(ctx, tx, current.accountKey, at);
    }
    return {
      result: { report, flag },
      events: [resolvedEvent(ctx.pseudonyms, report, flag !== null)],
    };
  });
}

/** Reports, newest first, optionally by status. */
export function listReports(ctx: RegistryContext, filter: { status?: Report['status']; take?: number; skip?: number } = {}): Promise<Report[]> {
  return ctx.prisma.report.findMany({ where: filter.status ? { status: filter.status } : {}, orderBy: { createdAt: 'desc' }, take: Math.min(filter.take ?? 50, 100), skip: filter.skip ?? 0 });
}
