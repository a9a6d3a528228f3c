/**
 * The public form of an account key. A Zalo personal account is a phone number
 * (`zalo:phone:84…`), and a handle may carry one (`tiktok:@shop0901234567`): both are personal
 * data, so the transparency log and every public answer that names an account the caller did
 * not give themselves show such keys only as a keyed pseudonym (`zalo:phone:~<32 hex>`).
 * The pseudonym is stable under one data key, so the log still shows that two events concern
 * the same account, and no one without the key can find the number by trying them all.
 * Every other key is public as it is.
 */
import type { Pseudonyms } from './pseudonyms.ts';

/** The pseudonym purpose of account keys (a pseudonym of another purpose never equals it). */
const PURPOSE = 'account-key';

/** A Vietnamese mobile number as a digit run: 0, 84 or 0084, then 3/5/7/8/9 and 8 digits (see accounts/phone.ts). */
const MOBILE_RUN = /^(?:0|84|0084)[35789][0-9]{8}$/;

/**
 * True when `text` holds a Vietnamese mobile number as a whole run of digits (a longer run,
 * like a 15-digit Facebook id, is not a phone number).
 *
 * @example
 * containsPhoneNumber('zalo:phone:84901234567') // → true
 * containsPhoneNumber('tiktok:@shop0901234567') // → true
 * containsPhoneNumber('facebook:100064123456789') // → false
 */
export function containsPhoneNumber(text: string): boolean {
  return phoneNumbersIn(text).length > 0;
}

/**
 * The Vietnamese mobile numbers `text` holds as whole digit runs, each as its 9-digit national
 * number (the part every written form of the number shares: 09…, 849…, +849…).
 *
 * @example phoneNumbersIn('zalo:phone:84901234567') // → ['901234567']
 */
export function phoneNumbersIn(text: string): string[] {
  return (text.match(/[0-9]+/g) ?? []).filter((run) => MOBILE_RUN.test(run)).map((run) => run.slice(-9));
}

/** True for a key already replaced by its pseudonym (`zalo:phone:~…`): an erased phone account. */
export function isPseudonymKey(key: string): boolean {
  return /(^|:)~[0-9a-f]{32}$/.test(key);
}

/**
 * The key as the public may see it: unchanged, or `<platform>:phone:~<pseudonym>` for a phone
 * account and `<platform>:~<pseudonym>` for another key holding a phone number.
 *
 * @example
 * publicAccountKey(pseudonyms, 'facebook:tinnhiemsocantho') // → 'facebook:tinnhiemsocantho'
 * publicAccountKey(pseudonyms, 'zalo:phone:84901234567') // → 'zalo:phone:~3f9a…' (32 hex digits)
 */
export function publicAccountKey(pseudonyms: Pseudonyms, key: string): string {
  if (!containsPhoneNumber(key)) return key;
  const colon = key.indexOf(':');
  const platform = colon < 0 ? '' : key.slice(0, colon + 1);
  const kind = key.startsWith(`${platform}phone:`) ? 'phone:' : '';
  return `${platform}${kind}~${pseudonyms.of(PURPOSE, key)}`;
}

/** An account as the public may see it. */
export interface PublicAccountForm {
  key: string;
  /** The handle, or `~<pseudonym>` when the key is hidden. */
  handle: string;
  /** The URL, or null when the key is hidden (every URL of such an account names the number). */
  url: string | null;
  /** True when the key held personal data and was replaced by its pseudonym. */
  hidden: boolean;
}

/**
 * Key, handle and URL of an account as the public may see them.
 *
 * @example
 * publicAccount(pseudonyms, { key: 'zalo:phone:84901234567', handle: '84901234567', url: 'https://zalo.me/84901234567' })
 * // → { key: 'zalo:phone:~3f9a…', handle: '~3f9a…', url: null, hidden: true }
 */
export function publicAccount(pseudonyms: Pseudonyms, account: { key: string; handle: string; url: string }): PublicAccountForm {
  const key = publicAccountKey(pseudonyms, account.key);
  // A key erasure replaced by its pseudonym (data-rights/phone-accounts.ts) is hidden as well: it has no URL left.
  if (key === account.key && !isPseudonymKey(key)) return { key, handle: account.handle, url: account.url, hidden: false };
  return { key, handle: key.slice(key.lastIndexOf('~')), url: null, hidden: true };
}
