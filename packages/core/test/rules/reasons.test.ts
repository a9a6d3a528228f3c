/**
 * Why an answer is not VERIFIED, as people read it: the stable reason codes every channel
 * carries, a message for each in Vietnamese and English, the public category in brackets, and
 * the answer language picked from `lang` or an Accept-Language header (Vietnamese unless
 * English is preferred).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, describeReason, LANGS, pickLang, REASON_CODES, reasonMessage, type Lang } from '../../src/rules/reasons.ts';
import { table } from '../table.ts';

describe('reason codes and their messages', () => {
  it('the reason codes are the stable public list, in the order of the rule table', () => {
    // API clients switch on these strings (GraphQL enum, GET /v1/verify, signed answers): a code renamed or dropped breaks them.
    expect(REASON_CODES).toEqual([
      'ACCOUNT_FLAGGED', 'OWNERSHIP_UNPROVEN', 'MEMBER_EXPELLED', 'MEMBER_WITHDRAWN', 'MEMBER_SUSPENDED', 'MEMBER_PENDING', 'BADGE_REVOKED',
      'BADGE_EXPIRED', 'BADGE_SUSPENDED', 'PLEDGE_LAPSED', 'PLEDGE_WITHDRAWN', 'NO_BADGE', 'ACCOUNT_UNKNOWN', 'INVALID_INPUT',
    ]);
  });

  it('answers are in Vietnamese by default, or in English', () => {
    expect(LANGS).toEqual(['vi', 'en']);
    expect(DEFAULT_LANG).toBe('vi');
  });

  it('every code has its own message in each language, a sentence, and the two languages differ', () => {
    const seen = new Set<string>();
    for (const code of REASON_CODES) {
      const vi = reasonMessage({ code, category: null }, 'vi');
      const en = reasonMessage({ code, category: null }, 'en');
      for (const text of [vi, en]) {
        expect(text, code).toMatch(/^\S.{10,}\.$/);
        expect(seen.has(text), `${code}: "${text}" is also another code's message`).toBe(false);
        seen.add(text);
      }
      expect(vi, code).not.toBe(en);
      // The default language is Vietnamese.
      expect(reasonMessage({ code, category: null }), code).toBe(vi);
    }
  });

  it('the English messages say what happened', () => {
    expect(reasonMessage({ code: 'MEMBER_WITHDRAWN', category: null }, 'en')).toContain('withdrawn');
    expect(reasonMessage({ code: 'ACCOUNT_FLAGGED', category: null }, 'en')).toContain('flag');
    expect(reasonMessage({ code: 'BADGE_EXPIRED', category: null }, 'en')).toContain('expired');
    expect(reasonMessage({ code: 'PLEDGE_LAPSED', category: null }, 'en')).toContain('grace period');
    expect(reasonMessage({ code: 'ACCOUNT_UNKNOWN', category: null }, 'en')).toContain('not in the Trust Alliance Registry');
  });

  // [category, Vietnamese name, English name]: report categories and badge reason categories.
  table([
    ['IMPERSONATION', 'mạo danh', 'impersonation'],
    ['SCAM', 'lừa đảo', 'scam'],
    ['MISINFORMATION', 'tin sai lệch', 'misinformation'],
    ['UNDISCLOSED_ADVERTISING', 'quảng cáo không công khai', 'undisclosed advertising'],
    ['UNDER_INVESTIGATION', 'đang được xem xét', 'under investigation'],
    ['CODE_OF_CONDUCT_VIOLATION', 'vi phạm bộ quy tắc ứng xử', 'code of conduct violation'],
    ['LEGAL_VIOLATION', 'vi phạm pháp luật', 'legal violation'],
    ['PLEDGE_NOT_RENEWED', 'không ký lại cam kết', 'pledge not renewed'],
    ['MEMBER_REQUEST', 'theo yêu cầu của thành viên', 'at the member’s request'],
    ['ACCOUNT_COMPROMISED', 'tài khoản bị chiếm quyền', 'account compromised'],
    ['ADMINISTRATIVE', 'lý do hành chính', 'administrative'],
    ['OTHER', 'lý do khác', 'other'],
  ])('every public category is named in brackets at the end of the message, in the asked language', (category, vi, en) => {
    const plainVi = reasonMessage({ code: 'BADGE_REVOKED', category: null }, 'vi');
    const plainEn = reasonMessage({ code: 'BADGE_REVOKED', category: null }, 'en');
    expect(reasonMessage({ code: 'BADGE_REVOKED', category }, 'vi')).toBe(`${plainVi.slice(0, -1)} (${vi}).`);
    expect(reasonMessage({ code: 'BADGE_REVOKED', category }, 'en')).toBe(`${plainEn.slice(0, -1)} (${en}).`);
    expect(reasonMessage({ code: 'BADGE_REVOKED', category })).toBe(`${plainVi.slice(0, -1)} (${vi}).`);
  });

  it('a category with no public name adds nothing (an internal category is never shown raw)', () => {
    expect(reasonMessage({ code: 'BADGE_SUSPENDED', category: 'ISSUED' }, 'en')).toBe('The trust badge is suspended.');
    expect(reasonMessage({ code: 'BADGE_REVOKED', category: 'LEGAL_VIOLATION' }, 'en')).toBe('The trust badge was revoked (legal violation).');
  });

  it('an answer carries the code, the category and the message; no reason stays null', () => {
    expect(describeReason({ code: 'ACCOUNT_FLAGGED', category: 'SCAM' }, 'en')).toEqual({
      code: 'ACCOUNT_FLAGGED',
      category: 'SCAM',
      message: 'The account is on the flag list: confirmed as a scam or impersonator (scam).',
    });
    expect(describeReason({ code: 'NO_BADGE', category: null })).toEqual({ code: 'NO_BADGE', category: null, message: reasonMessage({ code: 'NO_BADGE', category: null }, 'vi') });
    expect(describeReason(null, 'en')).toBeNull();
  });
});

describe('the answer language', () => {
  table<readonly [string | null | undefined, Lang]>([
    [undefined, 'vi'],
    [null, 'vi'],
    ['', 'vi'],
    ['vi', 'vi'],
    ['en', 'en'],
    ['EN', 'en'],
    ['en-US', 'en'],
    ['en-US,en;q=0.9,vi;q=0.5', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    // Languages the registry does not speak are skipped.
    ['fr-FR,fr;q=0.9,en;q=0.5', 'en'],
    ['de', 'vi'],
    ['*', 'vi'],
    // The preference weight decides, not the order…
    ['vi;q=0.5,en;q=0.8', 'en'],
    ['en;q=0.5, vi', 'vi'],
    [' en ; q=0.7 , vi ; q=0.6 ', 'en'],
    ['en;level=1;q=0.9,vi;q=0.8', 'en'],
    // The weight is read from its own parameter, wherever it stands.
    ['vi;level=1;q=0.5,en;q=0.8', 'en'],
    // …and between equal weights, the first listed.
    ['en;q=0.5,vi;q=0.5', 'en'],
    ['vi;q=0.5,en;q=0.5', 'vi'],
    ['vi,en', 'vi'],
    ['en,vi', 'en'],
    // q=0 means "not acceptable".
    ['en;q=0', 'vi'],
    ['en;q=0.0,vi;q=0.1', 'vi'],
    ['en;q=0.001', 'en'],
  ])('pickLang: Vietnamese unless English is preferred', (header, lang) => {
    expect(pickLang(header)).toBe(lang);
  });
});
