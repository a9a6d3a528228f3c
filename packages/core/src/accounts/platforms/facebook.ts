/**
 * Facebook: profiles and pages (by username or numeric id) and groups.
 *
 * Username rules, from Facebook Help "What are the guidelines around creating a custom
 * username?": only letters A–Z, digits 0–9 and periods; at most 50 characters; and
 * "periods (.) and capitalization don't count toward a username" — johnsmith55, John.Smith55
 * and john.smith.55 are the same username. So the key is the username lowercased with its
 * dots removed, while `handle` and `url` keep the dots as given (lowercased); the URL with
 * dots normalizes back to the same key. Facebook requires 5 characters today, but early
 * vanity names are shorter (facebook.com/zuck), so we accept 2 and rely on the reserved list.
 * A username cannot be all digits, so an all-digit path is a numeric id.
 *
 * Keys: `facebook:<username without dots>`, `facebook:id:<digits>`, `facebook:group:<name or id>`.
 * Facebook cannot tell us whether a username and an id are the same account without the
 * network, so they are different keys.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

const USERNAME = /^[a-z0-9.]{2,50}$/;
const NUMERIC_ID = /^[1-9][0-9]{0,19}$/;
/** A page or profile URL without username: `Name-Words-100064123456789`; the id ends it. */
const TRAILING_ID = /-([1-9][0-9]{4,19})$/;
const GROUP = /^[a-z0-9._-]{1,100}$/;
const LOCALE_HOST = /^[a-z]{2}-[a-z]{2}\.facebook\.com$/;

/** Hosts serving Facebook profile and page URLs; m.me is Messenger's link to a page or profile. */
const ACCOUNT_HOSTS: ReadonlySet<string> = new Set([
  'facebook.com', 'www.facebook.com', 'm.facebook.com', 'mbasic.facebook.com', 'web.facebook.com',
  'touch.facebook.com', 'mobile.facebook.com', 'business.facebook.com', 'free.facebook.com',
  'd.facebook.com', 'x.facebook.com', 'iphone.facebook.com', 'p.facebook.com',
  'fb.com', 'www.fb.com', 'm.fb.com', 'm.me', 'www.m.me',
]);

/**
 * First path segments that are Facebook features, not accounts. Source: the site's own
 * top-level routes (login, marketplace, watch, help, settings, …).
 */
const RESERVED: ReadonlySet<string> = new Set([
  'login', 'login.php', 'logout', 'logout.php', 'marketplace', 'help', 'settings', 'home', 'home.php',
  'sharer', 'sharer.php', 'events', 'hashtag', 'search', 'notifications', 'messages', 'friends', 'gaming',
  'bookmarks', 'saved', 'memories', 'fundraisers', 'donate', 'ads', 'adsmanager', 'business', 'policies',
  'policy.php', 'privacy', 'terms', 'terms.php', 'legal', 'about', 'careers', 'developers', 'recover', 'reg',
  'r.php', 'dialog', 'plugins', 'tr', 'l.php', 'stories', 'story', 'reel', 'reels', 'photo', 'photo.php',
  'photos', 'video', 'video.php', 'videos', 'media', 'live', 'places', 'jobs', 'offers', 'games', 'apps',
  'me', 'composer', 'checkpoint', 'confirmemail', 'find-friends', 'feeds', 'latest', 'hacked', 'notes',
  'commerce', 'shops', 'ajax', 'api', 'lite', 'mobile', 'watchparty', 'directory', 'public', 'instantgames',
  'j', 'ch', 'ads_manager', 'business_help', 'communitystandards', 'community', 'campaign', 'index.php',
  'privacy_center', 'pages_reaction_units', 'page', 'profile', 'username', 'messenger_media', 'dating',
]);

/** Second segments of /groups/ that are Facebook features. */
const RESERVED_GROUP: ReadonlySet<string> = new Set(['feed', 'discover', 'joins', 'create', 'search', 'notifications', 'your_groups']);

function byUsername(raw: string): NormalizedAccount {
  const handle = raw.toLowerCase();
  if (!USERNAME.test(handle) || !/[a-z0-9]/.test(handle)) {
    throw new InvalidAccountError(
      `"${raw.slice(0, 60)}" is not a valid Facebook username (only letters, digits and periods, 2 to 50 characters).`,
    );
  }
  if (handle.endsWith('.php')) throw new InvalidAccountError(`facebook.com/${raw.slice(0, 60)} is a Facebook page, not an account.`);
  const dotless = handle.replaceAll('.', '');
  if (/^[0-9]+$/.test(dotless)) {
    throw new InvalidAccountError(`"${raw.slice(0, 60)}" is not a valid Facebook username (a username cannot be only digits).`);
  }
  return { platform: 'FACEBOOK', key: `facebook:${dotless}`, url: `https://www.facebook.com/${handle}`, handle, idKind: 'handle' };
}

function byId(raw: string): NormalizedAccount {
  if (!NUMERIC_ID.test(raw)) throw new InvalidAccountError(`"${raw.slice(0, 40)}" is not a valid Facebook numeric id.`);
  return { platform: 'FACEBOOK', key: `facebook:id:${raw}`, url: `https://www.facebook.com/profile.php?id=${raw}`, handle: raw, idKind: 'id' };
}

function byGroup(raw: string | undefined): NormalizedAccount {
  if (raw === undefined) throw new InvalidAccountError('The Facebook groups link names no group.');
  const name = raw.toLowerCase();
  if (RESERVED_GROUP.has(name)) throw new InvalidAccountError(`facebook.com/groups/${name} is a Facebook page, not a group.`);
  if (!GROUP.test(name)) throw new InvalidAccountError(`"${raw.slice(0, 60)}" is not a valid Facebook group name or id.`);
  return { platform: 'FACEBOOK', key: `facebook:group:${name}`, url: `https://www.facebook.com/groups/${name}`, handle: name, idKind: 'group' };
}

/** `Name-Words-100064123456789` → the id, if the segment has that shape. */
function trailingId(segment: string | undefined): NormalizedAccount | undefined {
  if (segment === undefined) return undefined;
  const match = TRAILING_ID.exec(segment);
  return match?.[1] === undefined ? undefined : byId(match[1]);
}

function idParam(parts: UrlParts, page: string): NormalizedAccount {
  const id = parts.query.get('id');
  if (id === null) throw new InvalidAccountError(`facebook.com/${page} without an "id=" parameter names no account.`);
  return byId(id.trim());
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first, second, third, fourth] = parts.segments;
  if (first === undefined) {
    throw new InvalidAccountError(`${parts.host} alone is Facebook's home page; paste the link of the page, profile or group.`);
  }
  const head = first.toLowerCase();
  switch (head) {
    case 'profile.php':
    case 'permalink.php':
    case 'story.php':
      // profile.php?id=<id>, and post links that carry their owner: permalink.php?story_fbid=…&id=<page id>.
      return idParam(parts, head);
    case 'people':
      // /people/<Name>/<id>
      if (third !== undefined && NUMERIC_ID.test(third)) return byId(third);
      throw new InvalidAccountError('A facebook.com/people/ link must end with the numeric id: /people/<name>/<id>.');
    case 'pages': {
      // /pages/<Name>/<id> and /pages/category/<Category>/<Name-id>
      if (third !== undefined && NUMERIC_ID.test(third)) return byId(third);
      const found = second?.toLowerCase() === 'category' ? trailingId(fourth) : trailingId(second);
      if (found !== undefined) return found;
      throw new InvalidAccountError('A facebook.com/pages/ link must carry the numeric page id: /pages/<name>/<id>.');
    }
    case 'p': {
      // /p/<Name>-<id>: profiles without a username.
      const found = trailingId(second);
      if (found !== undefined) return found;
      throw new InvalidAccountError('A facebook.com/p/ link must end with the numeric id: /p/<name>-<id>.');
    }
    case 'pg':
      if (second === undefined) throw new InvalidAccountError('facebook.com/pg/ names no page.');
      return NUMERIC_ID.test(second) ? byId(second) : byUsername(second);
    case 'groups':
      return byGroup(second);
    case 'watch':
      // /watch/<page>/ is a page's video tab; /watch?v=… and /watch/live are videos.
      if (second !== undefined && USERNAME.test(second.toLowerCase()) && !['live', 'latest', 'saved', 'search'].includes(second.toLowerCase())) {
        return NUMERIC_ID.test(second) ? byId(second) : byUsername(second);
      }
      throw new InvalidAccountError('A Facebook Watch link names a video, not an account; paste the page link.');
    case 'share':
      throw new InvalidAccountError('facebook.com/share/… is a short link; short links need the network to resolve, so paste the full URL of the account instead.');
  }
  if (RESERVED.has(head)) throw new InvalidAccountError(`facebook.com/${head} is a Facebook feature page, not an account.`);
  if (NUMERIC_ID.test(first)) return byId(first);
  const fromTrailing = first.includes('-') ? trailingId(first) : undefined;
  if (fromTrailing !== undefined) return fromTrailing;
  return byUsername(first);
}

function fromHandle(handle: string): NormalizedAccount {
  const bare = handle.startsWith('@') ? handle.slice(1) : handle;
  if (NUMERIC_ID.test(bare)) return byId(bare);
  if (RESERVED.has(bare.toLowerCase())) throw new InvalidAccountError(`"${bare.slice(0, 60)}" is a Facebook feature page, not an account.`);
  return byUsername(bare);
}

/**
 * Facebook's rules.
 *
 * @example
 * facebook.fromHandle('John.Smith55').key // → 'facebook:johnsmith55'
 */
export const facebook: PlatformRules = {
  platform: 'FACEBOOK',
  label: 'Facebook',
  canonicalHost: 'www.facebook.com',
  shortLinkHosts: new Set(['fb.me', 'www.fb.me', 'fb.watch', 'www.fb.watch', 'on.fb.me', 'fb.gg']),
  domains: ['facebook.com', 'fb.com', 'fb.me', 'fb.watch', 'm.me', 'messenger.com', 'fbcdn.net'],
  isAccountHost: (host) => ACCOUNT_HOSTS.has(host) || LOCALE_HOST.test(host),
  fromUrl,
  fromHandle,
};
