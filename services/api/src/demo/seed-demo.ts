/**
 * The demo data set: a small, realistic alliance in Cần Thơ and the neighbouring Mekong delta
 * provinces. Members in every status (PENDING, ACTIVE, SUSPENDED, EXPELLED, WITHDRAWN), badges
 * in every stored status (ACTIVE, SUSPENDED, REVOKED), Facebook pages, profiles and groups,
 * Zalo groups and Official Accounts, TikTok and YouTube channels, the published pledge in
 * Vietnamese and English, an open report, and a flagged scam page impersonating the alliance's
 * own fan page. The alliance's channels (`facebook.com/tinnhiemso.cantho`,
 * `zalo.me/g/tinnhiemsocantho`) are VERIFIED with an OFFICIAL_CHANNEL badge.
 *
 * Names, phone numbers and ID numbers are invented.
 */
import type { Actor, BasisInput, Registry } from '@trust-alliance/core';
import { currentPrivacyNotice, ensurePledge, onboardMember } from '@trust-alliance/core';
import type { BadgeProgram, MemberKind } from '@trust-alliance/core/prisma';

/** The alliance's own channels. */
export const ALLIANCE_CHANNELS = ['https://www.facebook.com/tinnhiemso.cantho', 'https://zalo.me/g/tinnhiemsocantho'] as const;
/** The scam page impersonating the alliance's fan page. */
export const SCAM_PAGE = 'https://www.facebook.com/tinnhiemso.cantho.hotro';

const OFFICER: Actor = { id: 'demo-officer', role: 'OFFICER' };

/**
 * The legal bases each demo member's personal data is held on (Law 91/2025/QH15): the signed
 * membership agreement for certification and the one-record check, and consent, given in person on
 * the privacy notice in force (an applicant's, online), to be contacted and to have a public profile.
 */
function demoBases(method: 'IN_PERSON' | 'ONLINE'): BasisInput[] {
  const noticeVersion = currentPrivacyNotice().version;
  return [
    { purpose: 'CERTIFICATION', basis: 'CONTRACT' },
    { purpose: 'IDENTITY_CHECK', basis: 'CONTRACT' },
    { purpose: 'CONTACT', basis: 'CONSENT', noticeVersion, method },
    { purpose: 'PUBLIC_PROFILE', basis: 'CONSENT', noticeVersion, method },
  ];
}

interface DemoMember {
  displayName: string;
  kind: MemberKind;
  province: string;
  categories: string[];
  personal: { legalName: string; phone: string; email: string; idNumber: string; address: string };
  accounts: string[];
  program: BadgeProgram;
}

const ACTIVE_MEMBERS: DemoMember[] = [
  {
    displayName: 'Nguyễn Thị Thu Hà',
    kind: 'KOL',
    province: 'Cần Thơ',
    categories: ['ẩm thực', 'du lịch'],
    personal: { legalName: 'Nguyễn Thị Thu Hà', phone: '0292 3831 201', email: 'thuha.review@example.vn', idNumber: '092190001234', address: 'Phường Tân An, Ninh Kiều, Cần Thơ' },
    accounts: ['https://www.facebook.com/thuha.amthuc.cantho', 'https://www.tiktok.com/@thuha.cantho'],
    program: 'KOL_TRUST',
  },
  {
    displayName: 'Trần Minh Khôi',
    kind: 'KOL',
    province: 'Vĩnh Long',
    categories: ['nông nghiệp', 'giáo dục'],
    personal: { legalName: 'Trần Minh Khôi', phone: '0270 3822 415', email: 'minhkhoi@example.vn', idNumber: '086188004321', address: 'Phường 1, TP Vĩnh Long' },
    accounts: ['https://www.youtube.com/@MinhKhoiMienTay', 'https://www.facebook.com/profile.php?id=100012345678901'],
    program: 'KOL_TRUST',
  },
  {
    displayName: 'Lê Hoàng Phúc',
    kind: 'PAGE_ADMIN',
    province: 'An Giang',
    categories: ['tin tức địa phương'],
    personal: { legalName: 'Lê Hoàng Phúc', phone: '0296 3841 778', email: 'phuc.angiang@example.vn', idNumber: '089187005678', address: 'Phường Mỹ Bình, Long Xuyên, An Giang' },
    accounts: ['https://www.facebook.com/tintuc.angiang24h', 'https://zalo.me/1783926754892173025'],
    program: 'KOL_TRUST',
  },
  {
    displayName: 'Phạm Ngọc Trâm',
    kind: 'GROUP_ADMIN',
    province: 'Sóc Trăng',
    categories: ['cộng đồng', 'chợ online'],
    personal: { legalName: 'Phạm Ngọc Trâm', phone: '0299 3825 330', email: 'ngoctram.st@example.vn', idNumber: '094192007788', address: 'Phường 2, TP Sóc Trăng' },
    accounts: ['https://www.facebook.com/groups/chosoctrangonline', 'https://zalo.me/g/chosoctrang'],
    program: 'KOL_TRUST',
  },
  {
    displayName: 'Công ty TNHH Du lịch Mekong Xanh',
    kind: 'BUSINESS',
    province: 'Kiên Giang',
    categories: ['du lịch'],
    personal: { legalName: 'Công ty TNHH Du lịch Mekong Xanh', phone: '0297 3866 999', email: 'lienhe@mekongxanh.example.vn', idNumber: '091185009999', address: 'Phường Vĩnh Thanh Vân, Rạch Giá, Kiên Giang' },
    accounts: ['https://www.facebook.com/mekongxanh.travel', 'https://www.tiktok.com/@mekongxanh'],
    program: 'ALLIANCE_MEMBER',
  },
];

export interface SeedSummary {
  seeded: boolean;
  members: number;
  badges: number;
  reason?: string;
}

/** True when the demo data (or anything else) is already there. */
export async function hasMembers(registry: Registry): Promise<boolean> {
  return (await registry.reads.member.count()) > 0;
}

/** A member of the demo taken the whole way to a badge by the demo officer. */
async function verifiedMember(registry: Registry, m: DemoMember) {
  const { member, badge } = await onboardMember(registry, { member: { kind: m.kind, displayName: m.displayName, province: m.province, categories: m.categories, personal: m.personal, bases: demoBases('IN_PERSON') }, accounts: m.accounts, program: m.program }, OFFICER);
  return { member, badge: badge! };
}

/**
 * Loads the demo data unless the alliance's fan page is already registered. All or nothing: the
 * whole set is written in one transaction, so a failure half way leaves nothing and a rerun starts
 * afresh (a wrong data key is refused earlier, when the registry opens).
 *
 * @example await seedDemo(registry); // then verify https://m.facebook.com/TinNhiemSo.CanTho/?ref=share → VERIFIED
 */
export async function seedDemo(registry: Registry, options: { log?: (message: string) => void } = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  const existing = await registry.verify({ url: ALLIANCE_CHANNELS[0] });
  if (existing.status !== 'NOT_FOUND') return { seeded: false, members: 0, badges: 0, reason: 'the demo data is already there' };
  return registry.inOneTransaction((scoped) => loadDemo(scoped, log));
}

async function loadDemo(registry: Registry, log: (message: string) => void): Promise<SeedSummary> {
  await ensurePledge(registry);
  log('pledge version 1 published (Vietnamese and English; the system bootstrap: later versions take two ADMINs)');

  // The alliance itself: its fan page and Zalo group, OFFICIAL_CHANNEL.
  await onboardMember(registry, { member: { kind: 'AGENCY', displayName: 'Liên minh Tín nhiệm số Cần Thơ', province: 'Cần Thơ' }, accounts: [...ALLIANCE_CHANNELS], program: 'OFFICIAL_CHANNEL' }, OFFICER);
  let members = 1;
  let badges = 1;

  for (const m of ACTIVE_MEMBERS) {
    await verifiedMember(registry, m);
    members++;
    badges++;
  }

  // A suspended badge (member still ACTIVE): under investigation.
  const huy = await verifiedMember(registry, {
    displayName: 'Ngô Gia Huy',
    kind: 'KOL',
    province: 'Hậu Giang',
    categories: ['công nghệ'],
    personal: { legalName: 'Ngô Gia Huy', phone: '0293 3870 112', email: 'giahuy.tech@example.vn', idNumber: '093195001122', address: 'Phường 5, Vị Thanh, Hậu Giang' },
    accounts: ['https://www.tiktok.com/@giahuy.congnghe'],
    program: 'KOL_TRUST',
  });
  await registry.suspendBadge({ badgeId: huy.badge.id, reasonCategory: 'UNDER_INVESTIGATION', reasonPrivate: 'Quảng cáo không công khai, đang xác minh.' }, OFFICER);
  members++;
  badges++;

  // A SUSPENDED member.
  const bao = await verifiedMember(registry, {
    displayName: 'Đặng Quốc Bảo',
    kind: 'PAGE_ADMIN',
    province: 'Đồng Tháp',
    categories: ['giải trí'],
    personal: { legalName: 'Đặng Quốc Bảo', phone: '0277 3851 456', email: 'quocbao.dt@example.vn', idNumber: '087190003344', address: 'Phường 1, Cao Lãnh, Đồng Tháp' },
    accounts: ['https://www.facebook.com/giaitri.dongthap'],
    program: 'KOL_TRUST',
  });
  await registry.changeMemberStatus({ memberId: bao.member.id, status: 'SUSPENDED', reasonCategory: 'CODE_OF_CONDUCT_VIOLATION' }, OFFICER);
  members++;
  badges++;

  // An EXPELLED member whose badge was REVOKED.
  const tai = await verifiedMember(registry, {
    displayName: 'Huỳnh Văn Tài',
    kind: 'KOL',
    province: 'Cần Thơ',
    categories: ['tài chính'],
    personal: { legalName: 'Huỳnh Văn Tài', phone: '0292 3899 007', email: 'vantai.finance@example.vn', idNumber: '092189006677', address: 'Phường An Khánh, Ninh Kiều, Cần Thơ' },
    accounts: ['https://www.youtube.com/@TaiChinhMienTay'],
    program: 'KOL_TRUST',
  });
  await registry.revokeBadge({ badgeId: tai.badge.id, reasonCategory: 'LEGAL_VIOLATION', reasonPrivate: 'Quảng cáo sàn đầu tư trái phép.' }, OFFICER);
  await registry.changeMemberStatus({ memberId: tai.member.id, status: 'EXPELLED', reasonCategory: 'LEGAL_VIOLATION' }, OFFICER);
  members++;
  badges++;

  // A WITHDRAWN member.
  const tam = await verifiedMember(registry, {
    displayName: 'Bùi Thanh Tâm',
    kind: 'GROUP_ADMIN',
    province: 'Vĩnh Long',
    categories: ['cộng đồng'],
    personal: { legalName: 'Bùi Thanh Tâm', phone: '0270 3866 221', email: 'thanhtam.vl@example.vn', idNumber: '086194008899', address: 'Phường 8, TP Vĩnh Long' },
    accounts: ['https://zalo.me/g/hoidanvinhlong'],
    program: 'KOL_TRUST',
  });
  await registry.changeMemberStatus({ memberId: tam.member.id, status: 'WITHDRAWN', reasonCategory: 'MEMBER_REQUEST' }, OFFICER);
  members++;
  badges++;

  // A PENDING applicant: account added, ownership not yet proven.
  const lan = await onboardMember(
    registry,
    {
      member: {
        kind: 'KOL',
        displayName: 'Võ Thị Lan',
        province: 'Hậu Giang',
        categories: ['làm đẹp'],
        personal: { legalName: 'Võ Thị Lan', phone: '0293 3855 789', email: 'volan.beauty@example.vn', idNumber: '093198002233', address: 'Ngã Bảy, Hậu Giang' },
        bases: demoBases('ONLINE'),
      },
      accounts: ['https://www.tiktok.com/@volan.lamdep'],
      prove: false,
      activate: false,
      sign: false,
      scores: false,
      badge: false,
    },
    OFFICER,
  );
  await registry.startOwnershipChallenge({ accountId: lan.accountIds[0]!, memberId: lan.member.id }, OFFICER);
  members++;

  // A scam page impersonating the alliance's fan page: reported, confirmed, flagged.
  const scam = await registry.reportAccount(
    { account: SCAM_PAGE, category: 'IMPERSONATION', description: 'Trang giả mạo Liên minh Tín nhiệm số Cần Thơ, thu phí "xác minh tích xanh".' },
    { id: 'anonymous', role: 'PUBLIC' },
  );
  await registry.resolveReport({ reportId: scam.id, decision: 'CONFIRMED', resolution: 'Đã xác minh: trang mạo danh, lừa đảo thu phí.', flagAccount: true }, OFFICER);
  // An open report, for officers to see.
  await registry.reportAccount(
    { account: 'https://www.tiktok.com/@giahuy.congnghe', category: 'UNDISCLOSED_ADVERTISING', description: 'Video review điện thoại không ghi rõ là quảng cáo.' },
    { id: 'anonymous', role: 'PUBLIC' },
  );
  log(`${members} members, ${badges} badges, 1 flagged scam page, 2 reports`);
  return { seeded: true, members, badges };
}
