/**
 * Why an answer is not VERIFIED: stable reason codes and their one message catalogue, in
 * Vietnamese and English. Every channel (verify, verifyMany, GET /v1/verify, signed answers)
 * carries the same codes, decided once by rules/decision.ts; messages are written here only,
 * so no text is written twice and a translation cannot drift from its code.
 */

/** The stable reason codes, in the order of the rule table (packages/core/README.md). */
export const REASON_CODES = [
  'ACCOUNT_FLAGGED',
  'OWNERSHIP_UNPROVEN',
  'MEMBER_EXPELLED',
  'MEMBER_WITHDRAWN',
  'MEMBER_SUSPENDED',
  'MEMBER_PENDING',
  'BADGE_REVOKED',
  'BADGE_EXPIRED',
  'BADGE_SUSPENDED',
  'PLEDGE_LAPSED',
  'PLEDGE_WITHDRAWN',
  'NO_BADGE',
  'ACCOUNT_UNKNOWN',
  'INVALID_INPUT',
] as const;

/**
 * One reason code.
 * @example const code: ReasonCode = 'PLEDGE_LAPSED';
 */
export type ReasonCode = (typeof REASON_CODES)[number];

/** Languages answers are given in (Vietnamese is the default). */
export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
export const DEFAULT_LANG: Lang = 'vi';

/**
 * A reason as decided: its code and, for flags and badge changes, the public category
 * (a report category such as SCAM, or a badge event's reason category such as
 * CODE_OF_CONDUCT_VIOLATION). Never the private reason text.
 */
export interface Reason {
  code: ReasonCode;
  category: string | null;
}

/** A reason as answered: with its message in the asked language. */
export interface ReasonView extends Reason {
  message: string;
}

const MESSAGES: Record<ReasonCode, Record<Lang, string>> = {
  ACCOUNT_FLAGGED: {
    vi: 'Tài khoản nằm trong danh sách cảnh báo: đã được xác nhận là lừa đảo hoặc giả mạo.',
    en: 'The account is on the flag list: confirmed as a scam or impersonator.',
  },
  OWNERSHIP_UNPROVEN: {
    vi: 'Chưa có thành viên nào chứng minh quyền sở hữu tài khoản này.',
    en: 'No member has proven ownership of this account.',
  },
  MEMBER_EXPELLED: {
    vi: 'Thành viên quản lý tài khoản đã bị khai trừ khỏi Liên minh.',
    en: 'The member behind the account was expelled from the alliance.',
  },
  MEMBER_WITHDRAWN: {
    vi: 'Thành viên quản lý tài khoản đã rút khỏi Liên minh.',
    en: 'The member behind the account has withdrawn from the alliance.',
  },
  MEMBER_SUSPENDED: {
    vi: 'Tư cách thành viên của chủ tài khoản đang bị tạm đình chỉ.',
    en: "The account holder's membership is suspended.",
  },
  MEMBER_PENDING: {
    vi: 'Thành viên quản lý tài khoản chưa được kích hoạt.',
    en: 'The member behind the account is not yet active.',
  },
  BADGE_REVOKED: {
    vi: 'Huy hiệu tín nhiệm đã bị thu hồi.',
    en: 'The trust badge was revoked.',
  },
  BADGE_EXPIRED: {
    vi: 'Huy hiệu tín nhiệm đã hết hạn và chưa được gia hạn.',
    en: 'The trust badge has expired and was not renewed.',
  },
  BADGE_SUSPENDED: {
    vi: 'Huy hiệu tín nhiệm đang bị tạm đình chỉ.',
    en: 'The trust badge is suspended.',
  },
  PLEDGE_LAPSED: {
    vi: 'Thành viên chưa ký phiên bản cam kết hiện hành sau thời gian ân hạn.',
    en: 'The member has not signed the pledge version in force, and its grace period is over.',
  },
  PLEDGE_WITHDRAWN: {
    vi: 'Thành viên đã rút lại chữ ký bản cam kết.',
    en: 'The member withdrew their pledge signature.',
  },
  NO_BADGE: {
    vi: 'Tài khoản chưa có huy hiệu tín nhiệm của chương trình này.',
    en: 'The account holds no trust badge of this program.',
  },
  ACCOUNT_UNKNOWN: {
    vi: 'Tài khoản không có trong Sổ đăng ký Liên minh Tín nhiệm số.',
    en: 'The account is not in the Trust Alliance Registry.',
  },
  INVALID_INPUT: {
    vi: 'Không nhận ra tài khoản trên một nền tảng được hỗ trợ từ dữ liệu đã nhập.',
    en: 'The input could not be placed as an account on a supported platform.',
  },
};

/**
 * Public categories, as people read them (report categories and badge reason categories): the one
 * place their labels are written, for reason messages here and for the web pages (warning list,
 * report form, flagged answers), which show them through {@link categoryLabel}.
 */
export const CATEGORY_LABELS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  IMPERSONATION: { vi: 'mạo danh', en: 'impersonation' },
  SCAM: { vi: 'lừa đảo', en: 'scam' },
  MISINFORMATION: { vi: 'tin sai lệch', en: 'misinformation' },
  UNDISCLOSED_ADVERTISING: { vi: 'quảng cáo không công khai', en: 'undisclosed advertising' },
  UNDER_INVESTIGATION: { vi: 'đang được xem xét', en: 'under investigation' },
  CODE_OF_CONDUCT_VIOLATION: { vi: 'vi phạm bộ quy tắc ứng xử', en: 'code of conduct violation' },
  LEGAL_VIOLATION: { vi: 'vi phạm pháp luật', en: 'legal violation' },
  PLEDGE_NOT_RENEWED: { vi: 'không ký lại cam kết', en: 'pledge not renewed' },
  MEMBER_REQUEST: { vi: 'theo yêu cầu của thành viên', en: 'at the member’s request' },
  ACCOUNT_COMPROMISED: { vi: 'tài khoản bị chiếm quyền', en: 'account compromised' },
  ADMINISTRATIVE: { vi: 'lý do hành chính', en: 'administrative' },
  OTHER: { vi: 'lý do khác', en: 'other' },
};

/**
 * A public category (a report category such as SCAM, or a badge reason category) in a language;
 * the code itself when it has no label.
 * @example categoryLabel('UNDISCLOSED_ADVERTISING', 'en') // 'undisclosed advertising'
 */
export function categoryLabel(category: string, lang: Lang = DEFAULT_LANG): string {
  return CATEGORY_LABELS[category]?.[lang] ?? category;
}

/**
 * Picks the answer language: `vi` unless `en` is asked for, by a `lang` value or an
 * `Accept-Language` header whose first supported language is English.
 * @example pickLang('en-US,en;q=0.9,vi;q=0.5') // 'en'
 */
export function pickLang(value: string | null | undefined): Lang {
  if (!value) return DEFAULT_LANG;
  const ranked = value
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      // RFC 9110 allows spaces before the ";" of a weight: "en ;q=0.7".
      return { lang: tag!.trim().split('-')[0]!, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => (LANGS as readonly string[]).includes(r.lang) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Lang | undefined) ?? DEFAULT_LANG;
}

/**
 * A reason's message in a language, with its public category when it has one.
 * @example reasonMessage({ code: 'BADGE_REVOKED', category: 'LEGAL_VIOLATION' }, 'en') // 'The trust badge was revoked (legal violation).'
 */
export function reasonMessage(reason: Reason, lang: Lang = DEFAULT_LANG): string {
  const text = MESSAGES[reason.code][lang];
  const category = reason.category === null ? undefined : CATEGORY_LABELS[reason.category]?.[lang];
  return category ? `${text.slice(0, -1)} (${category}).` : text;
}

/**
 * A reason with its message, as answers carry it (null stays null).
 * @example describeReason({ code: 'NO_BADGE', category: null }, 'vi').message
 */
export function describeReason(reason: Reason | null, lang: Lang = DEFAULT_LANG): ReasonView | null {
  return reason === null ? null : { code: reason.code, category: reason.category, message: reasonMessage(reason, lang) };
}
