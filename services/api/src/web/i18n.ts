/**
 * The web pages' one message catalogue, Vietnamese (the default) and English side by side: every
 * text a page shows comes from here (the reason messages and the report and reason categories'
 * labels come from core's catalogue, by code: `m.category`),
 * so no template writes a string twice in two languages. The language of a page is `?lang=vi|en`
 * when given (the visible switch), else `Accept-Language` (core's `pickLang`).
 */
import { LANGS, categoryLabel, pickLang, type Lang } from '@trust-alliance/core';

export type { Lang } from '@trust-alliance/core';

type Text = Readonly<Record<Lang, string>>;
type Fn<A extends unknown[]> = Readonly<Record<Lang, (...args: A) => string>>;

const CATALOGUE = {
  siteName: { vi: 'Sổ đăng ký Liên minh Tín nhiệm số', en: 'Trust Alliance Registry' },
  siteShort: { vi: 'Tín nhiệm số', en: 'Trust Alliance' },
  skipToContent: { vi: 'Chuyển đến nội dung chính', en: 'Skip to main content' },
  navCheck: { vi: 'Kiểm tra tài khoản', en: 'Check an account' },
  navWarnings: { vi: 'Danh sách cảnh báo', en: 'Warning list' },
  navReport: { vi: 'Báo cáo tài khoản', en: 'Report an account' },
  navPrograms: { vi: 'Chương trình', en: 'Programs' },
  navAbout: { vi: 'Giới thiệu', en: 'About' },
  langSwitchLabel: { vi: 'Ngôn ngữ', en: 'Language' },
  otherLangName: { vi: 'English', en: 'Tiếng Việt' },
  footer: {
    vi: 'Trang này chỉ hiển thị thông tin công khai. Câu trả lời giống hệt API xác minh của Sổ đăng ký.',
    en: 'This page shows public information only. Its answers are exactly those of the registry’s verification API.',
  },
  apiLink: { vi: 'API cho nhà phát triển', en: 'API for developers' },

  // The check page
  checkTitle: { vi: 'Kiểm tra một trang hoặc tài khoản', en: 'Check a page or account' },
  checkIntro: {
    vi: 'Dán đường dẫn hoặc tên tài khoản (Facebook, Zalo, TikTok, YouTube…) để biết đó có phải thành viên đã xác minh của Liên minh Tín nhiệm số hay không.',
    en: 'Paste a link or account name (Facebook, Zalo, TikTok, YouTube…) to see whether it is a verified member of the Trust Alliance.',
  },
  checkInputLabel: { vi: 'Đường dẫn hoặc tài khoản', en: 'Link or account' },
  checkInputHint: { vi: 'Ví dụ: https://www.facebook.com/tinnhiemso.cantho', en: 'For example: https://www.facebook.com/tinnhiemso.cantho' },
  checkAtLabel: { vi: 'Vào ngày (không bắt buộc, để hỏi về quá khứ, ví dụ ngày của một bài đăng cũ)', en: 'On date (optional, to ask about the past, e.g. the date of an old post)' },
  checkButton: { vi: 'Kiểm tra', en: 'Check' },
  checkHowTo: { vi: 'Liên minh là gì, cách đọc kết quả và cách báo cáo', en: 'What the alliance is, how to read an answer and how to report' },
  answerTitle: { vi: 'Kết quả kiểm tra', en: 'Answer' },
  answerFor: { vi: 'Tài khoản được kiểm tra', en: 'Account checked' },
  answerAsOf: { vi: 'Tại thời điểm', en: 'As of' },
  answerShare: { vi: 'Đường dẫn để chia sẻ kết quả này', en: 'Link to share this answer' },
  answerWhy: { vi: 'Lý do', en: 'Why' },
  answerMember: { vi: 'Thành viên', en: 'Member' },
  answerPrograms: { vi: 'Chương trình và huy hiệu', en: 'Programs and badges' },
  answerNoPrograms: { vi: 'Không có huy hiệu nào.', en: 'No badges.' },
  answerReportLink: { vi: 'Báo cáo tài khoản này', en: 'Report this account' },
  answerProfileLink: { vi: 'Xem hồ sơ công khai', en: 'See the public profile' },
  answerBadgeLink: { vi: 'Xem huy hiệu', en: 'See the badge' },
  answerError: { vi: 'Không kiểm tra được', en: 'Could not check' },
  flaggedTitle: { vi: 'Cảnh báo: tài khoản bị gắn cờ', en: 'Warning: flagged account' },
  flaggedText: Object.freeze({
    vi: (category: string, since: string) => `Tài khoản này nằm trong danh sách cảnh báo (${category}) từ ${since}. Đừng chuyển tiền hoặc cung cấp thông tin cá nhân.`,
    en: (category: string, since: string) => `This account is on the warning list (${category}) since ${since}. Do not send money or personal information.`,
  }),
  lookalikeTitle: { vi: 'Cảnh báo: có thể là tài khoản giả mạo', en: 'Warning: this may be an impersonator' },
  lookalikeText: Object.freeze({
    vi: (name: string) => `Tài khoản này trông giống tài khoản đã xác minh của “${name}”, nhưng không phải là nó. Tài khoản thật:`,
    en: (name: string) => `This account looks like the verified account of “${name}”, but it is not that account. The real account:`,
  }),
  lookalikeSpelling: { vi: 'cách viết gần giống', en: 'similar spelling' },
  lookalikeNameReused: { vi: 'dùng lại tên', en: 'name reused' },
  checkRealAccount: { vi: 'Kiểm tra tài khoản thật', en: 'Check the real account' },
  since: { vi: 'Từ', en: 'Since' },
  until: { vi: 'Đến', en: 'Until' },

  // Statuses (words, never colour alone)
  status_VERIFIED: { vi: 'Đã xác minh', en: 'Verified' },
  status_NOT_FOUND: { vi: 'Không có trong sổ đăng ký', en: 'Not in the registry' },
  status_PENDING: { vi: 'Chưa được xác minh', en: 'Not yet verified' },
  status_SUSPENDED: { vi: 'Đang bị tạm đình chỉ', en: 'Suspended' },
  status_REVOKED: { vi: 'Đã bị thu hồi', en: 'Revoked' },
  status_EXPIRED: { vi: 'Đã hết hạn', en: 'Expired' },
  status_FLAGGED: { vi: 'Bị cảnh báo', en: 'Flagged' },
  status_INVALID_INPUT: { vi: 'Không nhận ra tài khoản', en: 'Not recognised' },
  status_ACTIVE: { vi: 'Còn hiệu lực', en: 'Active' },
  statusHeadline_VERIFIED: { vi: 'Đây là thành viên đã xác minh của Liên minh Tín nhiệm số.', en: 'This is a verified member of the Trust Alliance.' },
  statusHeadline_NOT_FOUND: { vi: 'Tài khoản này không phải thành viên đã xác minh.', en: 'This account is not a verified member.' },
  statusHeadline_PENDING: { vi: 'Tài khoản này chưa được xác minh.', en: 'This account is not verified yet.' },
  statusHeadline_SUSPENDED: { vi: 'Huy hiệu của tài khoản này đang bị tạm đình chỉ.', en: 'This account’s badge is suspended.' },
  statusHeadline_REVOKED: { vi: 'Huy hiệu của tài khoản này đã bị thu hồi.', en: 'This account’s badge was revoked.' },
  statusHeadline_EXPIRED: { vi: 'Huy hiệu của tài khoản này đã hết hạn.', en: 'This account’s badge has expired.' },
  statusHeadline_FLAGGED: { vi: 'Cảnh báo: tài khoản này bị xác định là lừa đảo hoặc giả mạo.', en: 'Warning: this account is a confirmed scam or impersonator.' },
  statusHeadline_INVALID_INPUT: { vi: 'Không nhận ra tài khoản từ dữ liệu đã nhập.', en: 'The input could not be placed as an account.' },
  badgeShort_VERIFIED: { vi: 'ĐÃ XÁC MINH', en: 'VERIFIED' },
  badgeShort_SUSPENDED: { vi: 'TẠM ĐÌNH CHỈ', en: 'SUSPENDED' },
  badgeShort_EXPIRED: { vi: 'HẾT HẠN', en: 'EXPIRED' },
  badgeShort_REVOKED: { vi: 'THU HỒI', en: 'REVOKED' },
  badgeShort_FLAGGED: { vi: 'CẢNH BÁO', en: 'FLAGGED' },
  badgeShort_NOT_FOUND: { vi: 'CHƯA XÁC MINH', en: 'NOT VERIFIED' },
  badgeShort_PENDING: { vi: 'CHƯA XÁC MINH', en: 'NOT VERIFIED' },
  badgeShort_INVALID_INPUT: { vi: 'KHÔNG RÕ', en: 'UNKNOWN' },
  badgeLabel: { vi: 'Tín nhiệm số', en: 'Trust Alliance' },

  // Kinds, programs, platforms
  kind_KOL: { vi: 'Người có ảnh hưởng (KOL)', en: 'Influencer (KOL)' },
  kind_PAGE_ADMIN: { vi: 'Quản trị trang', en: 'Page administrator' },
  kind_GROUP_ADMIN: { vi: 'Quản trị nhóm', en: 'Group administrator' },
  kind_BUSINESS: { vi: 'Doanh nghiệp', en: 'Business' },
  kind_AGENCY: { vi: 'Cơ quan, tổ chức', en: 'Agency or organisation' },
  program_KOL_TRUST: { vi: 'Tín nhiệm KOL', en: 'KOL Trust' },
  program_ALLIANCE_MEMBER: { vi: 'Thành viên Liên minh', en: 'Alliance Member' },
  program_OFFICIAL_CHANNEL: { vi: 'Kênh chính thức', en: 'Official Channel' },
  programAbout_KOL_TRUST: {
    vi: 'Chứng nhận rằng một người có ảnh hưởng hoặc người quản trị trang, nhóm đã được xác minh danh tính, chứng minh quyền sở hữu tài khoản, ký bản cam kết và đạt đánh giá theo bộ tiêu chí của Liên minh.',
    en: 'Certifies that an influencer or page or group administrator has had their identity checked, proven ownership of their accounts, signed the pledge and passed the alliance’s criteria assessment.',
  },
  programAbout_ALLIANCE_MEMBER: {
    vi: 'Chứng nhận rằng một doanh nghiệp hoặc tổ chức là thành viên của Liên minh, đã ký bản cam kết và đạt đánh giá theo bộ tiêu chí.',
    en: 'Certifies that a business or organisation is a member of the alliance, has signed the pledge and passed the criteria assessment.',
  },
  programAbout_OFFICIAL_CHANNEL: {
    vi: 'Chứng nhận rằng tài khoản là kênh chính thức của Liên minh hoặc của một cơ quan thành viên.',
    en: 'Certifies that the account is an official channel of the alliance or of a member agency.',
  },
  platform_FACEBOOK: { vi: 'Facebook', en: 'Facebook' },
  platform_ZALO: { vi: 'Zalo', en: 'Zalo' },
  platform_TIKTOK: { vi: 'TikTok', en: 'TikTok' },
  platform_YOUTUBE: { vi: 'YouTube', en: 'YouTube' },
  platform_INSTAGRAM: { vi: 'Instagram', en: 'Instagram' },
  platform_X: { vi: 'X', en: 'X' },
  platform_THREADS: { vi: 'Threads', en: 'Threads' },
  platform_TELEGRAM: { vi: 'Telegram', en: 'Telegram' },
  platform_WEBSITE: { vi: 'Trang web', en: 'Website' },
  group_LEGAL_COMPLIANCE: { vi: 'Tuân thủ pháp luật', en: 'Legal compliance' },
  group_CONTENT_QUALITY: { vi: 'Chất lượng nội dung', en: 'Content quality' },
  group_TRANSPARENCY: { vi: 'Minh bạch', en: 'Transparency' },
  group_COMMUNITY_IMPACT: { vi: 'Tác động cộng đồng', en: 'Community impact' },
  group_CONDUCT_HISTORY: { vi: 'Lịch sử ứng xử', en: 'Conduct history' },

  // Badge page
  badgePageTitle: Object.freeze({ vi: (program: string) => `Huy hiệu ${program}`, en: (program: string) => `${program} badge` }),
  badgeLiveStatus: { vi: 'Trạng thái hiện tại', en: 'Current status' },
  badgeProgram: { vi: 'Chương trình', en: 'Program' },
  badgeHolder: { vi: 'Người giữ huy hiệu', en: 'Held by' },
  badgeAccounts: { vi: 'Tài khoản đã xác minh', en: 'Verified accounts' },
  badgeIssued: { vi: 'Cấp ngày', en: 'Issued' },
  badgeExpires: { vi: 'Hết hạn ngày', en: 'Expires' },
  badgeNoAccount: {
    vi: 'Thành viên không còn tài khoản đã xác minh nào, nên huy hiệu không xác nhận tài khoản nào.',
    en: 'The member has no verified account left, so the badge vouches for no account.',
  },
  qrCaption: { vi: 'Mã QR của trang này: quét bằng điện thoại để kiểm tra.', en: 'QR code of this page: scan it with a phone to check.' },
  qrLabel: Object.freeze({ vi: (url: string) => `Mã QR dẫn đến ${url}`, en: (url: string) => `QR code pointing to ${url}` }),
  notFoundTitle: { vi: 'Không tìm thấy', en: 'Not found' },
  notFoundText: { vi: 'Không có trang nào ở địa chỉ này trong sổ đăng ký.', en: 'The registry has no page at this address.' },

  // Member page
  memberKind: { vi: 'Loại thành viên', en: 'Kind' },
  memberProvince: { vi: 'Tỉnh, thành phố', en: 'Province' },
  memberStanding: { vi: 'Trạng thái', en: 'Status' },
  memberAccounts: { vi: 'Tài khoản đã xác minh', en: 'Verified accounts' },
  memberNoAccounts: { vi: 'Chưa có tài khoản nào được xác minh.', en: 'No verified accounts yet.' },
  memberBadges: { vi: 'Huy hiệu', en: 'Badges' },
  memberPledge: { vi: 'Bản cam kết', en: 'Pledge' },
  memberPledgeSigned: Object.freeze({
    vi: (version: string, date: string) => `Đã ký phiên bản ${version} ngày ${date}.`,
    en: (version: string, date: string) => `Signed version ${version} on ${date}.`,
  }),
  memberPledgeNone: { vi: 'Chưa ký bản cam kết.', en: 'Has not signed the pledge.' },
  memberEmbed: { vi: 'Gắn huy hiệu trực tiếp lên trang web của bạn', en: 'Embed the live badge on your website' },
  memberEmbedHelp: {
    vi: 'Sao chép đoạn HTML này. Huy hiệu luôn hiển thị trạng thái hiện tại và dẫn về trang này.',
    en: 'Copy this HTML. The badge always shows the current status and links back to this page.',
  },
  memberEmbedAlt: Object.freeze({ vi: (name: string) => `Trạng thái tín nhiệm của ${name}`, en: (name: string) => `Trust status of ${name}` }),
  memberOpenAccount: { vi: 'mở tài khoản', en: 'open the account' },

  // Program page
  programCertifies: { vi: 'Chương trình chứng nhận điều gì', en: 'What the program certifies' },
  programCriteria: { vi: 'Tiêu chí và cách chấm điểm', en: 'Criteria and scoring' },
  programCriteriaIntro: Object.freeze({
    vi: (version: string, from: string) => `Theo chính sách chứng nhận phiên bản ${version}, có hiệu lực từ ${from}.`,
    en: (version: string, from: string) => `Under certification policy version ${version}, in force since ${from}.`,
  }),
  programGroup: { vi: 'Nhóm tiêu chí', en: 'Criteria group' },
  programMax: { vi: 'Điểm tối đa', en: 'Maximum' },
  programMin: { vi: 'Điểm tối thiểu', en: 'Minimum' },
  programPassing: Object.freeze({
    vi: (score: string, max: string) => `Điểm đạt: ${score} trên ${max}, và đạt tối thiểu ở mọi nhóm.`,
    en: (score: string, max: string) => `Passing score: ${score} of ${max}, with every group at or above its minimum.`,
  }),
  programNoAssessment: { vi: 'Chương trình này không yêu cầu đánh giá chấm điểm.', en: 'This program needs no scored assessment.' },
  programValidity: { vi: 'Thời hạn hiệu lực', en: 'Validity' },
  programValidityText: Object.freeze({
    vi: (months: string) => `Huy hiệu có hiệu lực tối đa ${months} tháng, sau đó phải được đánh giá lại và gia hạn.`,
    en: (months: string) => `A badge is valid for at most ${months} months; then it must be reassessed and renewed.`,
  }),
  programPledge: { vi: 'Bản cam kết hiện hành', en: 'The pledge in force' },
  programPledgeVersion: Object.freeze({ vi: (version: string, date: string) => `Phiên bản ${version}, có hiệu lực từ ${date}.`, en: (version: string, date: string) => `Version ${version}, in force since ${date}.` }),
  programPledgeNone: { vi: 'Chưa có bản cam kết nào được công bố.', en: 'No pledge has been published yet.' },
  pledgeInVietnamese: { vi: 'Tiếng Việt', en: 'Vietnamese' },
  pledgeInEnglish: { vi: 'Tiếng Anh', en: 'English' },

  // Programs list
  programsTitle: { vi: 'Các chương trình chứng nhận', en: 'Certification programs' },
  programsIntro: {
    vi: 'Mỗi huy hiệu thuộc một chương trình. Mở một chương trình để xem điều nó chứng nhận, tiêu chí chấm điểm và bản cam kết hiện hành.',
    en: 'Every badge belongs to a program. Open a program to see what it certifies, its scoring criteria and the pledge in force.',
  },

  // About page
  aboutTitle: { vi: 'Giới thiệu Liên minh Tín nhiệm số', en: 'About the Digital Trust Alliance' },
  aboutAllianceTitle: { vi: 'Liên minh Tín nhiệm số là gì?', en: 'What is the Digital Trust Alliance?' },
  aboutAllianceText: {
    vi: 'Liên minh Tín nhiệm số tập hợp cơ quan, doanh nghiệp, người có ảnh hưởng (KOL) và người quản trị trang, kênh, nhóm cam kết tuân thủ pháp luật và bộ quy tắc ứng xử trên không gian mạng. Sổ đăng ký này là nơi ghi nhận chính thức: ai là thành viên, tài khoản nào đã được xác minh và huy hiệu nào đang còn hiệu lực.',
    en: 'The Digital Trust Alliance brings together agencies, businesses, influencers (KOLs) and administrators of pages, channels and groups who commit to obeying the law and a code of conduct online. This registry is its system of record: who is a member, which accounts are verified and which badges are in force.',
  },
  aboutProgramTitle: { vi: 'Chương trình Tín nhiệm KOL trên không gian mạng', en: 'The Cyber KOL Trust Program' },
  aboutProgramText: {
    vi: 'Người có ảnh hưởng và người quản trị trang, kênh, nhóm ký bản cam kết, được xác minh danh tính và quyền sở hữu tài khoản, được đánh giá theo bộ tiêu chí công khai, rồi nhận huy hiệu tín nhiệm có thời hạn. Huy hiệu có thể bị tạm đình chỉ hoặc thu hồi khi vi phạm; mọi thay đổi hiện ngay khi kiểm tra.',
    en: 'Influencers and administrators of pages, channels and groups sign a pledge, have their identity and account ownership verified, are assessed against public criteria, and then receive a trust badge for a limited time. A badge can be suspended or revoked after a breach; every change shows at once when you check.',
  },
  aboutProgramsLink: { vi: 'Xem các chương trình và tiêu chí', en: 'See the programs and their criteria' },
  aboutCheckTitle: { vi: 'Cách kiểm tra một tài khoản', en: 'How to check an account' },
  aboutCheckStep1: {
    vi: 'Sao chép đường dẫn của trang, kênh hoặc tài khoản (cách viết nào cũng được, kể cả đường dẫn chia sẻ trên điện thoại).',
    en: 'Copy the link of the page, channel or account (any spelling works, phone share links included).',
  },
  aboutCheckStep2: { vi: 'Dán vào ô trên trang Kiểm tra tài khoản rồi bấm Kiểm tra.', en: 'Paste it into the box on the Check an account page and press Check.' },
  aboutCheckStep3: {
    vi: 'Đọc kết quả: chỉ “Đã xác minh” mới là thành viên có huy hiệu còn hiệu lực. Cảnh báo màu đỏ nghĩa là tài khoản lừa đảo hoặc giả mạo: đừng chuyển tiền hay cung cấp thông tin.',
    en: 'Read the answer: only “Verified” means a member with a badge in force. A red warning means a scam or an impersonator: do not send money or information.',
  },
  aboutBadgeText: {
    vi: 'Huy hiệu gắn trên trang web của thành viên là hình ảnh trực tiếp từ Sổ đăng ký, luôn hiện trạng thái hiện tại; nhấn vào để xem trang xác minh. Mã QR trên trang huy hiệu cũng dẫn về đây.',
    en: 'A badge on a member’s website is a live image from this registry that always shows the current status; click it to see its verification page. The QR code on a badge page leads here too.',
  },
  aboutCheckLink: { vi: 'Kiểm tra một tài khoản ngay', en: 'Check an account now' },
  aboutReportTitle: { vi: 'Cách báo cáo', en: 'How to report' },
  aboutReportText: {
    vi: 'Nếu gặp tài khoản mạo danh, lừa đảo, đưa tin sai lệch hoặc quảng cáo không công khai, hãy gửi báo cáo (không cần tài khoản). Cán bộ của Liên minh xem xét mọi báo cáo; tài khoản được xác nhận vi phạm sẽ vào danh sách cảnh báo.',
    en: 'If you meet an account that impersonates, scams, spreads misinformation or advertises without saying so, send a report (no account needed). Alliance officers review every report; confirmed accounts go on the warning list.',
  },
  aboutReportLink: { vi: 'Báo cáo một tài khoản', en: 'Report an account' },
  aboutWarningsLink: { vi: 'Xem danh sách cảnh báo', en: 'See the warning list' },
  aboutDevelopersTitle: { vi: 'Cho nền tảng và nhà phát triển', en: 'For platforms and developers' },
  aboutDevelopersText: {
    vi: 'Mọi câu trả lời ở đây cũng có qua API (GET /v1/verify, GraphQL) và qua chứng thực có chữ ký để kiểm tra ngoại tuyến. Tài liệu mô tả dịch vụ:',
    en: 'Every answer here is also available through the API (GET /v1/verify, GraphQL) and as signed attestations to check offline. The service description:',
  },

  // Warnings page
  warningsTitle: { vi: 'Danh sách cảnh báo', en: 'Warning list' },
  warningsIntro: {
    vi: 'Các tài khoản đã được xác nhận là lừa đảo hoặc mạo danh. Đừng chuyển tiền hay cung cấp thông tin cho các tài khoản này.',
    en: 'Accounts confirmed as scams or impersonators. Do not send money or information to them.',
  },
  warningsSearch: { vi: 'Tìm tài khoản', en: 'Search accounts' },
  warningsSearchButton: { vi: 'Tìm', en: 'Search' },
  warningsPlatform: { vi: 'Nền tảng', en: 'Platform' },
  warningsAccount: { vi: 'Tài khoản', en: 'Account' },
  warningsCategory: { vi: 'Loại vi phạm', en: 'Category' },
  warningsSince: { vi: 'Từ ngày', en: 'Since' },
  warningsNone: { vi: 'Không có tài khoản nào phù hợp.', en: 'No matching accounts.' },
  warningsDownloads: { vi: 'Tải xuống toàn bộ danh sách', en: 'Download the whole list' },
  warningsPrev: { vi: 'Trang trước', en: 'Previous page' },
  warningsNext: { vi: 'Trang sau', en: 'Next page' },
  warningsPageOf: Object.freeze({ vi: (page: string, total: string) => `Trang ${page} / ${total}`, en: (page: string, total: string) => `Page ${page} of ${total}` }),
  warningsCheck: { vi: 'kiểm tra', en: 'check' },

  // Report page
  reportTitle: { vi: 'Báo cáo một tài khoản', en: 'Report an account' },
  reportIntro: {
    vi: 'Báo cho Liên minh về một tài khoản mạo danh, lừa đảo, đưa tin sai lệch hoặc quảng cáo không công khai. Không cần tài khoản. Cán bộ của Liên minh sẽ xem xét mọi báo cáo.',
    en: 'Tell the alliance about an account that impersonates, scams, spreads misinformation or advertises without saying so. No account needed. Alliance officers review every report.',
  },
  reportAccount: { vi: 'Đường dẫn hoặc tài khoản bị báo cáo', en: 'Link or account being reported' },
  reportCategory: { vi: 'Loại vi phạm', en: 'Category' },
  reportDescription: { vi: 'Mô tả (điều gì đã xảy ra?)', en: 'Description (what happened?)' },
  reportContact: { vi: 'Cách liên hệ với bạn (không bắt buộc; chỉ cán bộ xem được)', en: 'How to reach you (optional; only officers can read it)' },
  reportSend: { vi: 'Gửi báo cáo', en: 'Send the report' },
  reportSentTitle: { vi: 'Đã nhận báo cáo', en: 'Report received' },
  reportSentText: Object.freeze({
    vi: (ref: string) => `Cảm ơn bạn. Báo cáo đã được ghi nhận với mã ${ref}. Cán bộ của Liên minh sẽ xem xét; nếu được xác nhận, tài khoản sẽ xuất hiện trong danh sách cảnh báo.`,
    en: (ref: string) => `Thank you. The report was filed with reference ${ref}. Alliance officers will review it; if confirmed, the account will appear on the warning list.`,
  }),
  reportAnother: { vi: 'Gửi báo cáo khác', en: 'Send another report' },
  reportErrors: { vi: 'Vui lòng sửa các lỗi sau:', en: 'Please fix the following:' },
  reportRequired: { vi: 'Trường này là bắt buộc.', en: 'This field is required.' },
  reportTooLong: Object.freeze({ vi: (n: string) => `Tối đa ${n} ký tự.`, en: (n: string) => `At most ${n} characters.` }),
  reportBadAccount: { vi: 'Không nhận ra tài khoản: hãy dán đường dẫn đầy đủ.', en: 'The account was not recognised: paste the full link.' },
  reportExpired: { vi: 'Biểu mẫu đã hết hạn; vui lòng gửi lại.', en: 'The form has expired; please send it again.' },
  reportForbidden: { vi: 'Biểu mẫu phải được gửi từ chính trang này.', en: 'The form must be sent from this site’s own page.' },
  reportBadRequest: { vi: 'Không đọc được biểu mẫu.', en: 'The form could not be read.' },
} as const;

type Catalogue = typeof CATALOGUE;
type TextKey = { [K in keyof Catalogue]: Catalogue[K] extends Text ? (Catalogue[K]['vi'] extends string ? K : never) : never }[keyof Catalogue];
type FnKey = Exclude<keyof Catalogue, TextKey>;

/** The messages of one language: `m.text('checkTitle')`, `m.fn('flaggedText')(category, since)`. */
export interface Messages {
  lang: Lang;
  text(key: TextKey): string;
  /** A key built from a code (`status_VERIFIED`); the code itself when the catalogue lacks it. */
  code(prefix: string, code: string): string;
  /** A report or reason category as people read it (core's `categoryLabel`). */
  category(code: string): string;
  fn<K extends FnKey>(key: K): Catalogue[K] extends Fn<infer A> ? (...args: A) => string : never;
  /** A date as people of this language write it (Vietnam's time zone). */
  date(value: Date): string;
  dateTime(value: Date): string;
}

const DATE_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: 'numeric', month: 'long', year: 'numeric' }),
};
const DATE_TIME_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }),
};

const cache = new Map<Lang, Messages>();

/** @example messages('en').text('checkTitle') // 'Check a page or account' */
export function messages(lang: Lang): Messages {
  let found = cache.get(lang);
  if (found) return found;
  found = {
    lang,
    text: (key) => (CATALOGUE[key] as Text)[lang],
    code: (prefix, code) => ((CATALOGUE as Record<string, unknown>)[`${prefix}_${code}`] as Text | undefined)?.[lang] ?? code,
    category: (code) => categoryLabel(code, lang),
    fn: ((key: FnKey) => (CATALOGUE[key] as Fn<unknown[]>)[lang]) as Messages['fn'],
    date: (value) => DATE_FORMATS[lang].format(value),
    dateTime: (value) => DATE_TIME_FORMATS[lang].format(value),
  };
  cache.set(lang, found);
  return found;
}

/** The page's language: `?lang=` when it names one, else `Accept-Language` (Vietnamese unless English is preferred). */
export function pageLang(request: Request, url: URL): Lang {
  const asked = url.searchParams.get('lang');
  if (asked !== null && (LANGS as readonly string[]).includes(asked)) return asked as Lang;
  return pickLang(request.headers.get('accept-language'));
}

/** The other language (the switch's target). */
export const otherLang = (lang: Lang): Lang => (lang === 'vi' ? 'en' : 'vi');

/** Every key of the catalogue (tests check both languages are filled). */
export const CATALOGUE_KEYS = Object.keys(CATALOGUE) as Array<keyof Catalogue>;
export const catalogueEntry = (key: keyof Catalogue): Record<Lang, unknown> => CATALOGUE[key];
