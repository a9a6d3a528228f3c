/**
 * Threads: accounts at `threads.com/@<username>` (and the older `threads.net`), with any
 * sub-page (`/post/<id>`, `/replies`).
 *
 * A Threads profile is an Instagram account, so the username rules are Instagram's (see
 * `./instagram.ts`): case-insensitive, periods count. Key: `threads:<username lowercased>`;
 * canonical URL on threads.com, where Meta moved the site in 2025.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';
import { instagramUsername } from './instagram.ts';

/** Top-level Threads pages (account paths always start with `@`). */
const RESERVED: ReadonlySet<string> = new Set(['login', 'search', 'activity', 'settings', 't', 'intent', 'privacy', 'terms', 'about', 'legal']);

function byUsername(raw: string): NormalizedAccount {
  const handle = instagramUsername(raw, 'Threads');
  return { platform: 'THREADS', key: `threads:${handle}`, url: `https://www.threads.com/@${handle}`, handle, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone is Threads' home page; paste the link of the account (threads.com/@name).`);
  if (first.startsWith('@')) return byUsername(first.slice(1));
  const head = first.toLowerCase();
  if (RESERVED.has(head)) throw new InvalidAccountError(`threads.com/${head} is a Threads page, not an account.`);
  throw new InvalidAccountError(`threads.com/${first.slice(0, 60)} is not an account link; Threads account links look like threads.com/@name.`);
}

function fromHandle(handle: string): NormalizedAccount {
  return byUsername(handle.startsWith('@') ? handle.slice(1) : handle);
}

/**
 * Threads' rules.
 *
 * @example
 * threads.fromHandle('@Some.User').key // → 'threads:some.user'
 */
export const threads: PlatformRules = {
  platform: 'THREADS',
  label: 'Threads',
  canonicalHost: 'www.threads.com',
  shortLinkHosts: new Set(),
  domains: ['threads.net', 'threads.com'],
  isAccountHost: (host) => host === 'threads.net' || host === 'www.threads.net' || host === 'threads.com' || host === 'www.threads.com',
  fromUrl,
  fromHandle,
};
