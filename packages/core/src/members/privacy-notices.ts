/**
 * The privacy notice a member is shown before giving consent, versioned, in Vietnamese and English
 * (Law 91/2025/QH15, Art. 9: consent is valid only when the person knows what data, for which
 * purpose, who controls it, and their rights). A consent records the version it was given on; a
 * new text is a new version here, never an edit of an old one (test/members/legal-basis.test.ts
 * pins each version's hash).
 */
import { createHash } from 'node:crypto';

export interface PrivacyNotice {
  version: number;
  publishedAt: string;
  textVi: string;
  textEn: string;
}

export const PRIVACY_NOTICES: readonly PrivacyNotice[] = [
  {
    version: 1,
    publishedAt: '2026-12-20',
    textVi:
      'Liên minh Tín nhiệm số (bên kiểm soát dữ liệu) xử lý họ tên theo giấy tờ, số CMND/CCCD, số điện thoại, e-mail và địa chỉ của bạn ' +
      'để: xét cấp chứng nhận (CERTIFICATION), kiểm tra mỗi người chỉ một hồ sơ (IDENTITY_CHECK), liên hệ với bạn (CONTACT); ' +
      'và công khai tên hiển thị, tỉnh/thành, lĩnh vực trong hồ sơ thành viên (PUBLIC_PROFILE). Dữ liệu được mã hóa, chỉ cán bộ được giao mới đọc, ' +
      'mỗi lần đọc đều ghi lại kèm mục đích. Bạn có quyền biết, đồng ý hoặc rút lại sự đồng ý, xem, yêu cầu chỉnh sửa, xóa, hạn chế xử lý, ' +
      'phản đối, nhận bản sao dữ liệu, khiếu nại và yêu cầu bồi thường theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15. ' +
      'Rút lại sự đồng ý không ảnh hưởng việc xử lý đã làm trước đó; việc xử lý dựa trên căn cứ khác (hợp đồng thành viên, nghĩa vụ pháp lý) vẫn tiếp tục.',
    textEn:
      'The Digital Trust Alliance (the data controller) processes your legal name, national ID number, phone number, e-mail and address ' +
      'to: decide on certification (CERTIFICATION), check that each person has one record (IDENTITY_CHECK), contact you (CONTACT); ' +
      'and publishes your display name, province and categories on your member profile (PUBLIC_PROFILE). The data is encrypted, read only by assigned officers, ' +
      'and every read is recorded with its purpose. You have the right to be informed, to consent or withdraw consent, to see, correct, erase, restrict, ' +
      'object to processing, to receive a copy, to complain and to claim damages under the Personal Data Protection Law No. 91/2025/QH15. ' +
      'Withdrawing consent does not affect processing done before; processing on another basis (the membership contract, a legal obligation) continues.',
  },
];

/** The notice of `version`, or undefined. */
export function privacyNotice(version: number): PrivacyNotice | undefined {
  return PRIVACY_NOTICES.find((n) => n.version === version);
}

/** The version in force (the newest). */
export function currentPrivacyNotice(): PrivacyNotice {
  return PRIVACY_NOTICES[PRIVACY_NOTICES.length - 1]!;
}

/** sha-256 of a notice's two texts, hex: what a consent record's version stands for. */
export function noticeHash(notice: PrivacyNotice): string {
  return createHash('sha256').update(`${notice.textVi}\n${notice.textEn}`).digest('hex');
}
