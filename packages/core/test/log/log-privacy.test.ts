/**
 * Nothing personal or unproven in the transparency log: the whole lifecycle of two members
 * (every personal field, a Zalo phone account, a handle with a phone number in it, pledge,
 * assessment, badge, suspensions, renames, reports open, confirmed and dismissed, flags set and
 * lifted, withdrawals) runs, and then every log entry is scanned for phone numbers in any
 * form, report and reason texts, and every personal value. Uses only the registry's public
 * operations, so it runs unchanged against older code (where it fails).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/index.ts';
import { CERTIFICATION_STEPS } from '../../src/index.ts';
import { MEMBERSHIP_BASES, PASSING_SCORES, registryInternals } from '../../src/testing/index.ts';
import { uniqueFacebookUrl, useFileRegistry } from '../helpers.ts';

let registry: Registry;
useFileRegistry((t) => ({ registry } = t));

const OFFICER = { id: 'officer-log-privacy', role: 'OFFICER' } as const;

/** Distinctive personal values of two members (a search for them cannot hit by accident). */
const PEOPLE = [
  { legalName: 'Lê Thị Riêng Tư', idNumber: '079 204 123 456', phone: '0911 222 333', email: 'le.rieng.tu@example.vn', address: '7 Hẻm Kín, Phường Vắng, Quận Ẩn' },
  { legalName: 'Công ty TNHH Giấu Tên', idNumber: '001205987654', phone: '+84 86-444-5555', email: 'giau.ten.cty@example.vn', address: '99 Đường Khuất, Huyện Xa' },
];

/** Phone numbers used anywhere: members' phones, Zalo accounts, a TikTok handle, report texts. */
const PHONES = {
  zaloOwn: '0912 345 678',
  zaloRenamed: '+84 98 765 4321',
  tiktokHandle: '0938111222',
  reportedOpen: '+84 977 888 999',
  reportedConfirmed: '0355 666 777',
  inReportText: '0703.123.987',
};

const TEXTS = {
  openReport: `Nghi lừa đảo, người tên Phạm Văn Bị Tố gọi từ ${PHONES.inReportText}`,
  dismissedReport: 'Trang này đăng tin sai về ông Trịnh Vô Can',
  confirmedReport: 'Giả mạo trang của Công an tỉnh, chiếm đoạt tiền của bà Hồ Nạn Nhân',
  confirmedZaloReport: 'Số Zalo này nhắn tin đòi chuyển khoản đặt cọc',
  reporterContact: 'nguoi.to.giac.an.danh@example.vn',
  resolution: 'Đã xác minh với anh Đoàn Cán Bộ',
  dismissal: 'Không đủ căn cứ, chị Vũ Thẩm Tra kết luận',
  liftReason: 'Chủ tài khoản thật, ông Mai Chính Chủ, đã lấy lại số',
  badgeReason: 'Đang điều tra khiếu nại của bà Tạ Khiếu Nại',
  memberReason: 'Tạm ngừng theo đơn của ông Lý Đơn Từ',
};

/** The 9 national digits of a Vietnamese mobile number written any way. */
function nationalDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('840') ? digits.slice(3) : digits.startsWith('84') ? digits.slice(2) : digits.slice(1);
  expect(national).toMatch(/^[35789][0-9]{8}$/);
  return national;
}

let payloads: Array<{ idx: number; kind: string; payload: string }>;
const unconfirmed: { keys: string[]; reportIds: string[] } = { keys: [], reportIds: [] };
const confirmed: { keys: string[] } = { keys: [] };

beforeAll(async () => {
  // Member 1: a KOL with every personal field, a Facebook page and a Zalo phone account.
  const kol = await registry.registerMember({ kind: 'KOL', displayName: 'Kênh Kiểm Tra Nhật Ký', province: 'Cần Thơ', personal: PEOPLE[0], bases: [...MEMBERSHIP_BASES] }, OFFICER);
  const page = uniqueFacebookUrl('nhatky.kiemtra');
  const { account: fb } = await registry.addAccount({ memberId: kol.id, account: page }, OFFICER);
  const { account: zalo } = await registry.addAccount({ memberId: kol.id, account: { platform: 'ZALO', handle: PHONES.zaloOwn } }, OFFICER);
  for (const account of [fb, zalo]) {
    const challenge = await registry.startOwnershipChallenge({ accountId: account.id, memberId: kol.id }, OFFICER);
    await registry.confirmOwnership({ challengeId: challenge.id, observedCode: challenge.code }, OFFICER);
  }
  await registry.changeMemberStatus({ memberId: kol.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }, OFFICER);
  await registry.signPledge({ memberId: kol.id, method: 'IN_PERSON' }, OFFICER);
  await registry.recordAssessment({ memberId: kol.id, program: 'KOL_TRUST', steps: [...CERTIFICATION_STEPS], scores: { ...PASSING_SCORES } }, OFFICER);
  const badge = await registry.issueBadge({ memberId: kol.id, program: 'KOL_TRUST' }, OFFICER);
  await registry.suspendBadge({ badgeId: badge.id, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: TEXTS.badgeReason }, OFFICER);
  await registry.reinstateBadge({ badgeId: badge.id, reasonCategory: 'REINSTATED' }, OFFICER);
  await registry.changeMemberStatus({ memberId: kol.id, status: 'SUSPENDED', reasonCategory: 'MEMBER_REQUEST', reasonPrivate: TEXTS.memberReason }, OFFICER);
  await registry.changeMemberStatus({ memberId: kol.id, status: 'ACTIVE', reasonCategory: 'REINSTATED' }, OFFICER);
  await registry.updateMember({ memberId: kol.id, displayName: 'Kênh Kiểm Tra Nhật Ký (mới)', personal: { phone: PEOPLE[0]!.phone, address: PEOPLE[0]!.address } }, OFFICER);
  await registry.renameAccount({ accountId: fb.id, account: uniqueFacebookUrl('nhatky.moi') }, OFFICER);
  await registry.renameAccount({ accountId: zalo.id, account: { platform: 'ZALO', handle: PHONES.zaloRenamed } }, OFFICER);

  // Member 2: a business with every personal field and a TikTok handle that holds a phone number.
  const shop = await registry.registerMember({ kind: 'BUSINESS', displayName: 'Cửa Hàng Kiểm Tra', personal: PEOPLE[1], bases: [...MEMBERSHIP_BASES] }, OFFICER);
  await registry.addAccount({ memberId: shop.id, account: { platform: 'TIKTOK', handle: `@shop${PHONES.tiktokHandle}` } }, OFFICER);
  await registry.changeMemberStatus({ memberId: shop.id, status: 'ACTIVE', reasonCategory: 'ADMINISTRATIVE' }, OFFICER);
  await registry.signPledge({ memberId: shop.id, method: 'ONLINE' }, OFFICER);
  await registry.withdrawPledge({ memberId: shop.id, reason: 'Tự nguyện rút' }, OFFICER);
  await registry.changeMemberStatus({ memberId: shop.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' }, OFFICER);

  // Reports: one left open (a Zalo phone), one dismissed, two confirmed with flags, one flag lifted.
  const anonymous = { id: 'anonymous', role: 'PUBLIC' } as const;
  const open = await registry.reportAccount({ account: `https://zalo.me/${PHONES.reportedOpen.replace(/\D/g, '')}`, category: 'SCAM', description: TEXTS.openReport, reporterContact: TEXTS.reporterContact }, anonymous);
  const dismissedUrl = uniqueFacebookUrl('bi.to.oan');
  const dismissed = await registry.reportAccount({ account: dismissedUrl, category: 'MISINFORMATION', description: TEXTS.dismissedReport }, anonymous);
  await registry.resolveReport({ reportId: dismissed.id, decision: 'DISMISSED', resolution: TEXTS.dismissal }, OFFICER);
  unconfirmed.keys.push(open.accountKey, dismissed.accountKey);
  unconfirmed.reportIds.push(open.id, dismissed.id);

  const impostorUrl = uniqueFacebookUrl('congan.gia');
  const impostor = await registry.reportAccount({ account: impostorUrl, category: 'IMPERSONATION', description: TEXTS.confirmedReport, reporterContact: TEXTS.reporterContact }, anonymous);
  await registry.resolveReport({ reportId: impostor.id, decision: 'CONFIRMED', resolution: TEXTS.resolution, flagAccount: true }, OFFICER);
  confirmed.keys.push(impostor.accountKey);
  const scamZalo = await registry.reportAccount({ account: { platform: 'ZALO', handle: PHONES.reportedConfirmed }, category: 'SCAM', description: TEXTS.confirmedZaloReport }, anonymous);
  const { flag } = await registry.resolveReport({ reportId: scamZalo.id, decision: 'CONFIRMED', resolution: TEXTS.resolution, flagAccount: true }, OFFICER);
  await registry.liftFlag({ flagId: flag!.id, reason: TEXTS.liftReason }, OFFICER);

  // Finally the KOL withdraws.
  await registry.withdrawPledge({ memberId: kol.id }, OFFICER);
  await registry.changeMemberStatus({ memberId: kol.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' }, OFFICER);

  payloads = await registryInternals(registry).db.prisma.logEntry.findMany({ orderBy: { idx: 'asc' }, select: { idx: true, kind: true, payload: true } });
}, 300_000); // some forty writes: minutes on a busy machine

/** Entries whose payload contains `needle` (exactly, or with separators dropped from both). */
function hits(needle: string): string[] {
  const squeeze = (s: string) => s.replace(/[\s.\-()+]/g, '');
  return payloads.filter((e) => e.payload.includes(needle) || squeeze(e.payload).includes(squeeze(needle))).map((e) => `#${e.idx} ${e.kind}: ${needle}`);
}

describe('the transparency log after a whole lifecycle', () => {
  it('covers every kind of event the lifecycle made', () => {
    const kinds = new Set(payloads.map((e) => e.kind));
    for (const kind of ['member.registered', 'member.updated', 'member.status', 'account.linked', 'account.renamed', 'ownership.verified', 'pledge.signed', 'pledge.withdrawn', 'assessment.recorded', 'badge.issued', 'badge.suspend', 'badge.reinstate', 'report.filed', 'report.resolved', 'flag.lifted']) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('holds no phone number in any form: 84…, 0…, +84…, with or without separators', () => {
    const phones = [...Object.values(PHONES), ...PEOPLE.map((p) => p.phone)];
    const found = phones.flatMap((phone) => {
      const national = nationalDigits(phone);
      return [`84${national}`, `0${national}`, `+84${national}`, national, phone].flatMap(hits);
    });
    expect(found).toEqual([]);
  });

  it('holds no report, resolution or reason text, nor any reporter contact', () => {
    const fragments = Object.values(TEXTS).flatMap((text) => [text, ...text.split(/[,.]/).map((s) => s.trim()).filter((s) => s.length >= 12)]);
    expect(fragments.flatMap(hits)).toEqual([]);
  });

  it('holds no personal field value of any member', () => {
    const values = PEOPLE.flatMap((p) => [...Object.values(p), p.idNumber.replace(/\D/g, ''), p.email.split('@')[0]!]);
    expect(values.flatMap(hits)).toEqual([]);
  });

  it('does not name the account or the category of a report no officer confirmed', () => {
    const found = unconfirmed.keys.flatMap(hits);
    // Their entries say that a report exists (and a dismissal), never what it alleges.
    for (const id of unconfirmed.reportIds) {
      for (const entry of payloads.filter((e) => e.payload.includes(id))) {
        for (const category of ['IMPERSONATION', 'SCAM', 'MISINFORMATION', 'UNDISCLOSED_ADVERTISING']) {
          if (entry.payload.includes(category)) found.push(`#${entry.idx} ${entry.kind}: ${category}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('still names a confirmed report: its account and category', () => {
    for (const key of confirmed.keys) expect(hits(key).length).toBeGreaterThan(0);
    expect(payloads.some((e) => e.kind === 'report.resolved' && e.payload.includes('"IMPERSONATION"'))).toBe(true);
  });
});
