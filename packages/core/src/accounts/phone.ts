/**
 * Vietnamese mobile phone numbers, as used for Zalo accounts (`zalo.me/<phone>`).
 *
 * The canonical form is E.164 without the plus: `84` followed by the 9-digit national
 * significant number, e.g. `84901234567`. Since the 2018 renumbering by the Ministry of
 * Information and Communications, every Vietnamese mobile number is 0 + 9 digits whose first
 * digit is 3, 5, 7, 8 or 9 (prefixes 03x, 05x, 07x, 08x, 09x). Landlines (02xx, ten national
 * digits) cannot register Zalo, so they are rejected.
 */
import { InvalidAccountError } from '../errors.ts';

/** Separators people write inside phone numbers; removed before reading the digits. */
const SEPARATORS = /[\s.\-()\u2010-\u2015]/g;
const PHONE_CHARS = /^\+?[0-9]+$/;
const MOBILE_NATIONAL = /^[35789][0-9]{8}$/;

/**
 * True when `text` is made only of digits, an optional leading `+`, and separators
 * (spaces, dots, dashes, parentheses): the shape of a phone number, whether valid or not.
 *
 * @example
 * looksLikePhone('+84 90-123.4567') // → true
 * looksLikePhone('tinnhiemso') // → false
 */
export function looksLikePhone(text: string): boolean {
  return PHONE_CHARS.test(text.replace(SEPARATORS, ''));
}

/**
 * Normalizes a Vietnamese mobile number written any usual way (0901234567, 84901234567,
 * +84901234567, 0084901234567, +84 (0) 90 123 4567, 090.123.4567, 84-90-123-4567) to
 * `84` + 9 digits. Throws {@link InvalidAccountError} for anything else, saying why.
 *
 * @example
 * normalizeVietnamesePhone('+84 90 123 4567') // → '84901234567'
 * normalizeVietnamesePhone('0901234567') // → '84901234567'
 */
export function normalizeVietnamesePhone(text: string): string {
  const compact = text.replace(SEPARATORS, '');
  if (!PHONE_CHARS.test(compact)) {
    throw new InvalidAccountError(`"${text.slice(0, 40)}" is not a phone number (only digits, "+", spaces, dots and dashes are allowed).`);
  }
  let national: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+84')) throw new InvalidAccountError(`"${text.slice(0, 40)}" is not a Vietnamese number (country code must be +84).`);
    national = compact.slice(3);
  } else if (compact.startsWith('0084')) {
    national = compact.slice(4);
  } else if (compact.startsWith('84')) {
    national = compact.slice(2);
  } else if (compact.startsWith('0')) {
    national = compact.slice(1);
  } else {
    throw new InvalidAccountError(`"${text.slice(0, 40)}" is not a Vietnamese phone number: write it with a leading 0, 84 or +84.`);
  }
  // "+84 (0) 90 …": the trunk 0 written after the country code.
  if (national.length === 10 && national.startsWith('0') && compact !== `0${national}`) national = national.slice(1);
  if (national.length !== 9) {
    throw new InvalidAccountError(`"${text.slice(0, 40)}" has the wrong length for a Vietnamese mobile number (expected 10 digits starting with 0, or 84 + 9 digits).`);
  }
  if (!MOBILE_NATIONAL.test(national)) {
    throw new InvalidAccountError(`"${text.slice(0, 40)}" is not a Vietnamese mobile number (mobile numbers start with 03, 05, 07, 08 or 09).`);
  }
  return `84${national}`;
}
