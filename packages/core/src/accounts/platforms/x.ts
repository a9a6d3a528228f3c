/**
 * X (formerly Twitter): accounts at `x.com/<username>` or `twitter.com/<username>`, with any
 * sub-page (`/status/<id>`, `/with_replies`, `/media`), and the intent links
 * `/intent/user?screen_name=<username>` and `/intent/follow?screen_name=<username>`.
 *
 * Username rules, from X Help "Help with username registration": 1 to 15 characters of
 * letters A–Z, digits and underscores; case-insensitive.
 *
 * Key: `x:<username lowercased>`. Canonical URL on x.com.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

const USERNAME = /^[a-z0-9_]{1,15}$/;

/** Top-level X pages that are not accounts. */
const RESERVED: ReadonlySet<string> = new Set([
  'home', 'search', 'explore', 'i', 'intent', 'share', 'settings', 'messages', 'notifications', 'login',
  'logout', 'signup', 'tos', 'privacy', 'compose', 'hashtag', 'who_to_follow', 'account', 'download',
  'jobs', 'about', 'help', 'lists', 'topics', 'communities', 'premium', 'verified-orgs', 'status',
  'bookmarks', 'connect_people', 'following', 'followers', 'rules', 'en', 'vi', 'oauth', 'jack_is_here',
]);

function byUsername(raw: string): NormalizedAccount {
  const handle = raw.toLowerCase();
  if (!USERNAME.test(handle)) {
    throw new InvalidAccountError(`"${raw.slice(0, 60)}" is not a valid X username (1 to 15 letters, digits and underscores).`);
  }
  return { platform: 'X', key: `x:${handle}`, url: `https://x.com/${handle}`, handle, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first, second] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone is X's home page; paste the link of the account.`);
  const head = first.toLowerCase();
  if (head === 'intent' && (second === 'user' || second === 'follow')) {
    const name = parts.query.get('screen_name');
    if (name !== null) return byUsername(name.trim());
  }
  if (RESERVED.has(head)) throw new InvalidAccountError(`x.com/${head} is an X page, not an account.`);
  return byUsername(first.startsWith('@') ? first.slice(1) : first);
}

function fromHandle(handle: string): NormalizedAccount {
  const bare = handle.startsWith('@') ? handle.slice(1) : handle;
  if (RESERVED.has(bare.toLowerCase())) throw new InvalidAccountError(`"${bare.slice(0, 60)}" is an X page, not an account.`);
  return byUsername(bare);
}

/**
 * X's rules.
 *
 * @example
 * x.fromHandle('@BoCongAn').key // → 'x:bocongan'
 */
export const x: PlatformRules = {
  platform: 'X',
  label: 'X',
  canonicalHost: 'x.com',
  shortLinkHosts: new Set(['t.co']),
  domains: ['x.com', 'twitter.com', 't.co', 'twimg.com'],
  isAccountHost: (host) =>
    host === 'x.com' || host === 'www.x.com' || host === 'mobile.x.com' || host === 'm.x.com' ||
    host === 'twitter.com' || host === 'www.twitter.com' || host === 'mobile.twitter.com' || host === 'm.twitter.com',
  fromUrl,
  fromHandle,
};
