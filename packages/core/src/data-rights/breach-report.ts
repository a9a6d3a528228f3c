/**
 * Support for a personal data breach (Law 91/2025/QH15: the controller notifies the authority and
 * the people concerned): whose personal data one actor (e.g. a leaked officer token) read in a
 * period, which fields, how often and for which stated purposes, from the record of reads; and a
 * drafted notice in Vietnamese (and English) for the people concerned. No personal data is in the
 * report itself: member ids only (an officer looks up contacts through a logged read).
 */
import { ValidationError } from '../errors.ts';
import type { RegistryContext } from '../kernel/context.ts';
import { requireText } from '../kernel/validation.ts';

export interface BreachReport {
  actorId: string;
  since: Date;
  until: Date;
  totalReads: number;
  members: Array<{ memberId: string; fields: string[]; reads: number; firstAt: Date; lastAt: Date; purposes: string[] }>;
  noticeVi: string;
  noticeEn: string;
}

/**
 * @example const report = await breachReport(ctx, { actorId: 'officer-7', since: new Date('2026-12-01') });
 */
export async function breachReport(ctx: RegistryContext, input: { actorId: string; since: Date; until?: Date }): Promise<BreachReport> {
  const actorId = requireText(input.actorId, 'actorId', 200);
  const until = input.until ?? ctx.now();
  if (!(input.since instanceof Date) || Number.isNaN(input.since.getTime())) throw new ValidationError('since must be a time', 'since');
  if (!(until instanceof Date) || Number.isNaN(until.getTime()) || until < input.since) throw new ValidationError('until must be a time after since', 'until');
  const reads = await ctx.prisma.personalDataAccess.findMany({ where: { actorId, at: { gte: input.since, lte: until } }, orderBy: { at: 'asc' } });
  const byMember = new Map<string, BreachReport['members'][number]>();
  for (const r of reads) {
    const entry = byMember.get(r.memberId) ?? { memberId: r.memberId, fields: [], reads: 0, firstAt: r.at, lastAt: r.at, purposes: [] };
    entry.reads += 1;
    entry.lastAt = r.at;
    entry.fields = [...new Set([...entry.fields, ...r.fields])].sort();
    if (r.purpose && !entry.purposes.includes(r.purpose)) entry.purposes.push(r.purpose);
    byMember.set(r.memberId, entry);
  }
  const members = [...byMember.values()];
  const fields = [...new Set(members.flatMap((m) => m.fields))].sort();
  const from = input.since.toISOString();
  const to = until.toISOString();
  return {
    actorId, since: input.since, until, totalReads: reads.length, members,
    noticeVi:
      `THÔNG BÁO VỀ VI PHẠM DỮ LIỆU CÁ NHÂN (bản nháp)\n\n` +
      `Liên minh Tín nhiệm số thông báo: trong khoảng thời gian từ ${from} đến ${to}, một tài khoản truy cập nội bộ của hệ thống đăng ký ` +
      `có thể đã bị sử dụng trái phép để đọc dữ liệu cá nhân của ${members.length} thành viên. Các loại dữ liệu có thể bị ảnh hưởng: ${fields.join(', ') || '(không có)'}.\n` +
      `Chúng tôi đã thu hồi quyền truy cập của tài khoản này, rà soát nhật ký truy cập và thông báo cho cơ quan chuyên trách bảo vệ dữ liệu cá nhân theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.\n` +
      `Bạn nên cảnh giác với cuộc gọi, tin nhắn hoặc e-mail mạo danh Liên minh. Bạn có quyền yêu cầu xem nhật ký truy cập dữ liệu của mình, chỉnh sửa, xóa hoặc hạn chế xử lý dữ liệu, và khiếu nại.\n` +
      `Liên hệ: [điền đầu mối bảo vệ dữ liệu cá nhân].`,
    noticeEn:
      `NOTICE OF A PERSONAL DATA BREACH (draft)\n\n` +
      `The Digital Trust Alliance informs you that from ${from} to ${to} an internal access account of the registry may have been used without authorisation ` +
      `to read the personal data of ${members.length} members. Kinds of data that may be affected: ${fields.join(', ') || '(none)'}.\n` +
      `We have revoked that account's access, reviewed the access log and notified the personal data protection authority under Law No. 91/2025/QH15.\n` +
      `Be wary of calls, messages or e-mails impersonating the Alliance. You may ask to see the log of reads of your data, to correct, erase or restrict it, and complain.\n` +
      `Contact: [fill in the data protection contact].`,
  };
}
