/**
 * Telegram: public users, channels, groups and bots at `t.me/<username>` (also
 * `telegram.me`, `telegram.dog` and the `<username>.t.me` form), with a message id
 * (`t.me/<username>/123`) or the web preview `t.me/s/<username>`.
 *
 * Username rules, from Telegram FAQ "What can I use as my username?" and the client's checks:
 * a–z, 0–9 and underscores, 5 to 32 characters, starting with a letter; case-insensitive.
 * Collectible usernames sold on Fragment can be 4 characters long, so 4 is accepted.
 *
 * Key: `telegram:<username lowercased>`. Invite links (`t.me/joinchat/…`, `t.me/+…`) and
 * private-chat links (`t.me/c/…`) name no public account, so they are invalid.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

const USERNAME = /^[a-z][a-z0-9_]{3,31}$/;
const SUBDOMAIN_HOST = /^([a-z0-9_-]+)\.t\.me$/;

/** Top-level t.me paths that are Telegram features, not accounts. */
const RESERVED: ReadonlySet<string> = new Set([
  'joinchat', 'addstickers', 'addemoji', 'addtheme', 'addlist', 'share', 'proxy', 'socks', 'setlanguage',
  'login', 'c', 'iv', 'bg', 'confirmphone', 'invoice', 'boost', 'contact', 'm', 'giftcode', 'k', 'a', 'z',
]);

function byUsername(raw: string): NormalizedAccount {
  const handle = raw.toLowerCase();
  if (!USERNAME.test(handle)) {
    throw new InvalidAccountError(
      `"${raw.slice(0, 60)}" is not a valid Telegram username (5 to 32 letters a–z, digits and underscores — 4 for collectible names — starting with a letter).`,
    );
  }
  return { platform: 'TELEGRAM', key: `telegram:${handle}`, url: `https://t.me/${handle}`, handle, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const sub = SUBDOMAIN_HOST.exec(parts.host);
  if (sub?.[1] !== undefined && sub[1] !== 'www') return byUsername(sub[1]);
  const [first, second] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone names no Telegram account; paste t.me/<username>.`);
  if (first.startsWith('+')) {
    throw new InvalidAccountError('A t.me/+… link is a private invite or a phone number link, not a public account; paste t.me/<username>.');
  }
  const head = first.toLowerCase();
  if (head === 's' && second !== undefined) return byUsername(second);
  if (head === 'joinchat') throw new InvalidAccountError('A t.me/joinchat/… link is a private invite, not a public account; paste t.me/<username>.');
  if (head === 'c') throw new InvalidAccountError('A t.me/c/… link points into a private chat and names no public account.');
  if (RESERVED.has(head)) throw new InvalidAccountError(`t.me/${head} is a Telegram feature link, not an account.`);
  return byUsername(first.startsWith('@') ? first.slice(1) : first);
}

function fromHandle(handle: string): NormalizedAccount {
  const bare = handle.startsWith('@') ? handle.slice(1) : handle;
  if (RESERVED.has(bare.toLowerCase())) throw new InvalidAccountError(`"${bare.slice(0, 60)}" is a Telegram feature link, not an account.`);
  return byUsername(bare);
}

/**
 * Telegram's rules.
 *
 * @example
 * telegram.fromHandle('@Durov').key // → 'telegram:durov'
 */
export const telegram: PlatformRules = {
  platform: 'TELEGRAM',
  label: 'Telegram',
  canonicalHost: 't.me',
  shortLinkHosts: new Set(),
  domains: ['t.me', 'telegram.me', 'telegram.dog', 'telegram.org'],
  isAccountHost: (host) =>
    // www.t.me is matched by SUBDOMAIN_HOST (fromUrl reads no username from `www`).
    host === 't.me' || host === 'telegram.me' || host === 'www.telegram.me' ||
    host === 'telegram.dog' || SUBDOMAIN_HOST.test(host),
  fromUrl,
  fromHandle,
};
