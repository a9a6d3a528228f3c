/**
 * Input cleaning for account normalization: Unicode NFC, removal of invisible characters,
 * trimming, the input length limit, and URL parsing that never throws anything but
 * {@link InvalidAccountError}.
 *
 * Every regular expression here is a single character class or an anchored prefix, so
 * matching is linear in the input length (no catastrophic backtracking).
 */
import { InvalidAccountError } from '../errors.ts';

/**
 * Longest input accepted, in UTF-16 code units; longer input is rejected before any other work.
 *
 * @example
 * if (text.length > MAX_INPUT_LENGTH) reject();
 */
export const MAX_INPUT_LENGTH = 2048;

/**
 * Characters that render as nothing and are stripped everywhere: zero-width space, non-joiner
 * and joiner (U+200B..U+200D), word joiner (U+2060), invisible operators (U+2061..U+2064),
 * byte-order mark (U+FEFF), soft hyphen (U+00AD), and the bidi controls U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069.
 */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * NFC-normalizes `text`, strips invisible characters and trims surrounding whitespace.
 * NFC runs again after stripping because removing a zero-width character between a letter and
 * a combining mark makes a new composable pair.
 *
 * @example
 * cleanText(' \u200Bfacebook.com/Tin\u200DNhiem ') // → 'facebook.com/TinNhiem'
 */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').normalize('NFC').trim();
}

/**
 * Checks the length limit, then cleans `raw` with {@link cleanText}.
 * Throws {@link InvalidAccountError} when `raw` is too long or nothing is left after cleaning.
 *
 * @example
 * cleanInput('  https://t.me/durov\uFEFF ') // → 'https://t.me/durov'
 */
export function cleanInput(raw: string): string {
  if (raw.length > MAX_INPUT_LENGTH) {
    throw new InvalidAccountError(`Input is too long (${raw.length} characters; the limit is ${MAX_INPUT_LENGTH}).`);
  }
  const text = cleanText(raw);
  if (text === '') throw new InvalidAccountError('Input is empty.');
  return text;
}

/**
 * A parsed http(s) URL, reduced to what account rules need.
 *
 * @example
 * const parts: UrlParts = parseUrl('https://zalo.me/g/abc123');
 * // parts.host === 'zalo.me'; parts.segments → ['g', 'abc123']
 */
export interface UrlParts {
  /** Lowercased ASCII (punycode) host without a trailing dot, e.g. `m.facebook.com`. */
  readonly host: string;
  /** Non-empty path segments, percent-decoded and cleaned with {@link cleanText}; case kept. */
  readonly segments: readonly string[];
  /** The query parameters (decoded). Most rules ignore them. */
  readonly query: URLSearchParams;
}

const HTTP_SCHEME = /^https?:/i;
/** A URL scheme such as `mailto:` or `javascript:`. Anchored; linear. */
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const DIGIT = /^[0-9]/;

/** `new URL` that returns undefined instead of throwing. */
function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * `decodeURIComponent` that throws {@link InvalidAccountError} on malformed escapes.
 *
 * @example
 * decodeSegment('%2B84901234567') // → '+84901234567'
 */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidAccountError(`The link has a malformed percent-escape in "${segment.slice(0, 60)}".`);
  }
}

/**
 * True when `text` starts with a scheme, with `//`, or with something shaped like a host
 * name (`label.label`) followed by the end, `/`, `?`, `#` or `:`. Used to tell a URL from a
 * handle such as `john.smith` (the caller still checks the host is a known one).
 *
 * @example
 * hostOf('fb.com/x') // → 'fb.com'
 * hostOf('john.smith') // → 'john.smith'
 */
export function hostOf(text: string): string | undefined {
  if (HTTP_SCHEME.test(text) || text.startsWith('//')) {
    const url = tryUrl(text.startsWith('//') ? `https:${text}` : text);
    return url === undefined ? undefined : url.hostname.replace(/\.$/, '');
  }
  let end = text.length;
  for (const stop of ['/', '?', '#', ':']) {
    const i = text.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  const head = text.slice(0, end).toLowerCase().replace(/\.$/, '');
  return head.includes('.') ? head : undefined;
}

/**
 * Parses `text` (already cleaned) as an http(s) URL; a missing scheme means `https://`.
 * Rejects other schemes, embedded credentials (`user@host`, a phishing trick), explicit
 * non-default ports and empty hosts. Legacy hash-bang paths (`facebook.com/#!/name`, old
 * Facebook and Twitter links) are read as the path. Never throws anything but
 * {@link InvalidAccountError}.
 *
 * @example
 * parseUrl('M.FaceBook.com/TinNhiemSo/?ref=share').segments // → ['TinNhiemSo']
 */
export function parseUrl(text: string): UrlParts {
  let candidate = text;
  if (HTTP_SCHEME.test(candidate)) {
    // as is
  } else if (candidate.startsWith('//')) {
    candidate = `https:${candidate}`;
  } else {
    const scheme = OTHER_SCHEME.exec(candidate);
    if (scheme !== null && !DIGIT.test(candidate.slice(scheme[0].length))) {
      throw new InvalidAccountError(`Only web links (http or https) can name an account; "${scheme[0]}" links cannot.`);
    }
    candidate = `https://${candidate}`;
  }
  const url = tryUrl(candidate);
  if (url === undefined) throw new InvalidAccountError('Input is not a valid web address (URL).');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidAccountError('Only web links (http or https) can name an account.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidAccountError('The link contains a user name before "@" in its host, a common phishing trick; paste the plain address.');
  }
  if (url.port !== '') throw new InvalidAccountError(`The link has an explicit port (:${url.port}), which no account page uses.`);
  const host = url.hostname.replace(/\.$/, '');
  if (host === '') throw new InvalidAccountError('The link has no host name.');

  const path = url.pathname;
  if ((path === '/' || path === '') && url.hash.startsWith('#!/')) {
    // Legacy AJAX links: facebook.com/#!/name, twitter.com/#!/name.
    const fromHash = tryUrl(`https://${host}${url.hash.slice(2)}`);
    if (fromHash !== undefined) {
      return { host, segments: splitPath(fromHash.pathname), query: fromHash.searchParams };
    }
  }
  return { host, segments: splitPath(path), query: url.searchParams };
}

function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    const segment = cleanText(decodeSegment(raw));
    if (segment !== '') segments.push(segment);
  }
  return segments;
}
