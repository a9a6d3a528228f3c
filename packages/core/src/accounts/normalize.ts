/**
 * Canonical identity of an account (packages/core/README.md): every way people write one account —
 * mobile hosts, short hosts like fb.com, `profile.php?id=`, trailing slashes, tracking
 * parameters, sub-pages (`/posts/…`, `/videos`), case, Unicode NFC/NFD, zero-width and bidi
 * characters — lands on one `key`.
 *
 * `normalizeAccount` cleans the input ({@link cleanInput}), parses it as a URL
 * ({@link parseUrl}), picks the platform from the host and hands the path to that platform's
 * rules in `./platforms/`. Anything it cannot place throws {@link InvalidAccountError} and
 * nothing else, whatever the input.
 *
 * @example
 * normalizeAccount('https://m.facebook.com/TinNhiemSo.CanTho/?ref=share').key
 * // → 'facebook:tinnhiemsocantho'
 */
import { InvalidAccountError } from '../errors.ts';
import { isPlatform, type AccountInput, type NormalizedAccount, type Platform, type PlatformRules } from './platform.ts';
import { cleanInput, hostOf, parseUrl, type UrlParts } from './text.ts';
import { facebook } from './platforms/facebook.ts';
import { zalo } from './platforms/zalo.ts';
import { tiktok } from './platforms/tiktok.ts';
import { youtube } from './platforms/youtube.ts';
import { instagram } from './platforms/instagram.ts';
import { x } from './platforms/x.ts';
import { threads } from './platforms/threads.ts';
import { telegram } from './platforms/telegram.ts';
import { website } from './platforms/website.ts';

/** The social platforms, in dispatch order. WEBSITE is the fallback for every other host. */
const SOCIAL: readonly PlatformRules[] = [facebook, zalo, tiktok, youtube, instagram, x, threads, telegram];

const BY_PLATFORM: Readonly<Record<Platform, PlatformRules>> = {
  FACEBOOK: facebook,
  ZALO: zalo,
  TIKTOK: tiktok,
  YOUTUBE: youtube,
  INSTAGRAM: instagram,
  X: x,
  THREADS: threads,
  TELEGRAM: telegram,
  WEBSITE: website,
};

type HostClass =
  | { readonly kind: 'account'; readonly rules: PlatformRules }
  | { readonly kind: 'short'; readonly rules: PlatformRules }
  | { readonly kind: 'service'; readonly rules: PlatformRules }
  | { readonly kind: 'website' };

function classifyHost(host: string): HostClass {
  for (const rules of SOCIAL) {
    if (rules.shortLinkHosts.has(host)) return { kind: 'short', rules };
    if (rules.isAccountHost(host)) return { kind: 'account', rules };
    if (rules.domains.some((d) => host === d || host.endsWith(`.${d}`))) return { kind: 'service', rules };
  }
  return { kind: 'website' };
}

function fromParts(parts: UrlParts): NormalizedAccount {
  const found = classifyHost(parts.host);
  switch (found.kind) {
    case 'account':
      return found.rules.fromUrl(parts);
    case 'short':
      throw new InvalidAccountError(
        `${parts.host} is a ${found.rules.label} short link; short links need the network to resolve, so paste the full URL of the account instead.`,
      );
    case 'service':
      throw new InvalidAccountError(`${parts.host} is a ${found.rules.label} service address, not an account page.`);
    case 'website':
      return website.fromUrl(parts);
  }
}

function fromString(text: string): NormalizedAccount {
  const clean = cleanInput(text);
  if (clean.startsWith('@')) {
    throw new InvalidAccountError(`"${clean.slice(0, 60)}" is a bare @handle, which does not say which platform it is on; give the platform too.`);
  }
  return fromParts(parseUrl(clean));
}

/** True when `text` must be read as a URL rather than as a handle of `rules`' platform. */
function isUrlLike(text: string): boolean {
  const host = hostOf(text);
  if (host === undefined) return false;
  if (/^https?:|^\/\//i.test(text)) return true;
  return classifyHost(host).kind !== 'website';
}

function fromHandleInput(platform: Platform, handleText: string): NormalizedAccount {
  const clean = cleanInput(handleText);
  const rules = BY_PLATFORM[platform];
  if (platform === 'WEBSITE' || isUrlLike(clean)) {
    const parts = parseUrl(clean);
    const found = classifyHost(parts.host);
    const linkPlatform = found.kind === 'website' ? 'WEBSITE' : found.rules.platform;
    if (linkPlatform !== platform) {
      throw new InvalidAccountError(
        `The link is on ${BY_PLATFORM[linkPlatform].label === 'website' ? 'a website' : BY_PLATFORM[linkPlatform].label} but the platform given is ${rules.label}.`,
        { field: 'platform' },
      );
    }
    return fromParts(parts);
  }
  if (clean.includes('/') || clean.includes('?')) {
    // A path on the platform, e.g. { platform: 'YOUTUBE', handle: 'channel/UC…' }.
    const path = clean.startsWith('/') ? clean.slice(1) : clean;
    return rules.fromUrl(parseUrl(`https://${rules.canonicalHost}/${path}`));
  }
  return rules.fromHandle(clean);
}

/** Reads a property without letting a throwing getter or Proxy escape as a non-registry error. */
function readField(input: object, name: 'platform' | 'handle'): unknown {
  try {
    return (input as Record<string, unknown>)[name];
  } catch {
    throw new InvalidAccountError(`Could not read "${name}" from the input.`, { field: name });
  }
}

/**
 * Places `input` on a platform and returns its canonical identity.
 *
 * `input` is either a string — a URL, with or without scheme (`fb.com/x`,
 * `www.tiktok.com/@x`, `zalo.me/0901234567`); a bare `@handle` is invalid because it names
 * no platform — or `{ platform, handle }`, where `handle` is a handle, `@handle`, a path on
 * the platform (`channel/UC…`, `g/abc`) or a full URL, which must then be on that platform.
 *
 * Throws {@link InvalidAccountError} (and never anything else) with an English message when
 * the input cannot be placed: too long (over 2048 characters), not a URL, a short link, a
 * page that is not an account (login, search, a post with no account in it…), or a handle
 * that breaks the platform's rules.
 *
 * @example
 * normalizeAccount('https://m.facebook.com/TinNhiemSo.CanTho/?ref=share')
 * // → { platform: 'FACEBOOK', key: 'facebook:tinnhiemsocantho',
 * //     url: 'https://www.facebook.com/tinnhiemso.cantho', handle: 'tinnhiemso.cantho', idKind: 'handle' }
 * normalizeAccount({ platform: 'TIKTOK', handle: '@Some.User' }).key // → 'tiktok:@some.user'
 * normalizeAccount('zalo.me/+84 90 123 4567').key // → 'zalo:phone:84901234567'
 */
export function normalizeAccount(input: AccountInput): NormalizedAccount {
  if (typeof input === 'string') return fromString(input);
  if (typeof input !== 'object' || input === null) {
    throw new InvalidAccountError('Input must be a URL string or an object { platform, handle }.');
  }
  const platformValue = readField(input, 'platform');
  const handleValue = readField(input, 'handle');
  const platform = typeof platformValue === 'string' ? platformValue.trim().toUpperCase() : platformValue;
  if (!isPlatform(platform)) {
    throw new InvalidAccountError(
      `Unknown platform ${typeof platformValue === 'string' ? `"${platformValue.slice(0, 40)}"` : typeof platformValue}; expected one of FACEBOOK, ZALO, TIKTOK, YOUTUBE, INSTAGRAM, X, THREADS, TELEGRAM, WEBSITE.`,
      { field: 'platform' },
    );
  }
  if (typeof handleValue !== 'string') {
    throw new InvalidAccountError('The handle must be a string.', { field: 'handle' });
  }
  try {
    return fromHandleInput(platform, handleValue);
  } catch (error) {
    if (error instanceof InvalidAccountError && error.field === undefined) {
      throw new InvalidAccountError(error.message, { field: 'handle' });
    }
    throw error;
  }
}
