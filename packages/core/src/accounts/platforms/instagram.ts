/**
 * Instagram: accounts at `instagram.com/<username>`, with any sub-page (`/reels/`,
 * `/tagged/`, `/<username>/p/<code>`), and stories at `/stories/<username>/…`.
 *
 * Username rules, from Instagram's sign-up checks and Help Center: at most 30 characters;
 * letters, numbers, periods and underscores; not starting or ending with a period and no two
 * periods in a row. Usernames are case-insensitive; periods DO count (unlike Facebook).
 *
 * Key: `instagram:<username lowercased>`. `/p/<code>`, `/reel/<code>` and `/tv/<code>`
 * without a username name a post, not an account, so they are invalid.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

const USERNAME = /^[a-z0-9._]{1,30}$/;

/** Top-level Instagram pages that are not accounts. */
const RESERVED: ReadonlySet<string> = new Set([
  'p', 'reel', 'reels', 'tv', 'explore', 'accounts', 'direct', 'about', 'legal', 'developer', 'web',
  'challenge', 'emails', 'session', 'privacy', 'terms', 'ar', 'create', 'graphql', 'api', 'static',
  'oauth', 's', 'invites', 'login', 'signup', 'nametag', 'lite', 'directory', 'press', 'jobs', 'help',
  'stories', 'your_activity', 'notifications', 'topics', 'popular',
]);

/**
 * Validates an Instagram-style username (also used by Threads, which shares Instagram's
 * accounts) and returns it lowercased; throws {@link InvalidAccountError} naming `label`.
 *
 * @example
 * instagramUsername('Some.User', 'Instagram') // → 'some.user'
 */
export function instagramUsername(raw: string, label: string): string {
  const name = raw.toLowerCase();
  if (!USERNAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw new InvalidAccountError(
      `"${raw.slice(0, 60)}" is not a valid ${label} username (up to 30 letters, digits, periods and underscores; no period at the start, at the end or twice in a row).`,
    );
  }
  return name;
}

function byUsername(raw: string): NormalizedAccount {
  const handle = instagramUsername(raw, 'Instagram');
  return { platform: 'INSTAGRAM', key: `instagram:${handle}`, url: `https://www.instagram.com/${handle}`, handle, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first, second] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone is Instagram's home page; paste the link of the account.`);
  const head = first.toLowerCase();
  if (head === 'stories' && second !== undefined && second.toLowerCase() !== 'highlights') return byUsername(second);
  if (head === 'p' || head === 'reel' || head === 'tv') {
    throw new InvalidAccountError('This Instagram link is a post with no account in it; paste the link of the account (instagram.com/name).');
  }
  if (RESERVED.has(head)) throw new InvalidAccountError(`instagram.com/${head} is an Instagram page, not an account.`);
  return byUsername(first.startsWith('@') ? first.slice(1) : first);
}

function fromHandle(handle: string): NormalizedAccount {
  const bare = handle.startsWith('@') ? handle.slice(1) : handle;
  if (RESERVED.has(bare.toLowerCase())) throw new InvalidAccountError(`"${bare.slice(0, 60)}" is an Instagram page, not an account.`);
  return byUsername(bare);
}

/**
 * Instagram's rules.
 *
 * @example
 * instagram.fromHandle('@Some.User').key // → 'instagram:some.user'
 */
export const instagram: PlatformRules = {
  platform: 'INSTAGRAM',
  label: 'Instagram',
  canonicalHost: 'www.instagram.com',
  shortLinkHosts: new Set(['ig.me']),
  domains: ['instagram.com', 'instagr.am', 'ig.me', 'cdninstagram.com'],
  isAccountHost: (host) => host === 'instagram.com' || host === 'www.instagram.com' || host === 'm.instagram.com' ||
    // instagr.am is Instagram's alias domain: instagr.am/<name> redirects to instagram.com/<name>.
    host === 'instagr.am' || host === 'www.instagr.am',
  fromUrl,
  fromHandle,
};
