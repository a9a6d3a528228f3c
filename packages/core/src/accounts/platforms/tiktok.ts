/**
 * TikTok: accounts at `tiktok.com/@<username>`, with any sub-page (`/video/<id>`,
 * `/photo/<id>`, `/live`).
 *
 * Username rules, from TikTok Help "Changing your username": letters, numbers, underscores
 * and periods only, 2 to 24 characters, and it cannot end with a period. Usernames are
 * case-insensitive (TikTok shows and resolves them lowercase); dots and underscores count.
 *
 * Key: `tiktok:@<username lowercased>`.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

const USERNAME = /^[a-z0-9._]{2,24}$/;

/** Top-level TikTok pages that are not accounts (account paths always start with `@`). */
const RESERVED: ReadonlySet<string> = new Set([
  'foryou', 'explore', 'discover', 'tag', 'music', 'trending', 'following', 'friends', 'live', 'search',
  'login', 'signup', 'upload', 'messages', 'setting', 'settings', 'coin', 'business', 'legal', 'about',
  'embed', 'share', 'v', 'inbox', 'channel', 'effect', 'place', 'topics', 'creators', 'feedback', 'node',
]);

function byUsername(raw: string): NormalizedAccount {
  const handle = raw.toLowerCase();
  if (!USERNAME.test(handle) || handle.endsWith('.')) {
    throw new InvalidAccountError(
      `"${raw.slice(0, 60)}" is not a valid TikTok username (2 to 24 letters, digits, underscores and periods, not ending with a period).`,
    );
  }
  return { platform: 'TIKTOK', key: `tiktok:@${handle}`, url: `https://www.tiktok.com/@${handle}`, handle, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone is TikTok's home page; paste the link of the account (tiktok.com/@name).`);
  if (first.startsWith('@')) return byUsername(first.slice(1));
  const head = first.toLowerCase();
  if (head === 't') {
    throw new InvalidAccountError('tiktok.com/t/… is a TikTok short link; short links need the network to resolve, so paste the full URL of the account instead.');
  }
  if (RESERVED.has(head)) throw new InvalidAccountError(`tiktok.com/${head} is a TikTok page, not an account.`);
  throw new InvalidAccountError(`tiktok.com/${first.slice(0, 60)} is not an account link; TikTok account links look like tiktok.com/@name.`);
}

function fromHandle(handle: string): NormalizedAccount {
  return byUsername(handle.startsWith('@') ? handle.slice(1) : handle);
}

/**
 * TikTok's rules.
 *
 * @example
 * tiktok.fromHandle('@Some.User').key // → 'tiktok:@some.user'
 */
export const tiktok: PlatformRules = {
  platform: 'TIKTOK',
  label: 'TikTok',
  canonicalHost: 'www.tiktok.com',
  shortLinkHosts: new Set(['vt.tiktok.com', 'vm.tiktok.com']),
  domains: ['tiktok.com', 'tiktokv.com', 'tiktokcdn.com'],
  isAccountHost: (host) => host === 'tiktok.com' || host === 'www.tiktok.com' || host === 'm.tiktok.com' || host === 'vi.tiktok.com',
  fromUrl,
  fromHandle,
};
