/**
 * YouTube: channels by handle (`youtube.com/@handle`), by channel id (`/channel/UC…`) and by
 * the legacy custom and user names (`/c/<name>`, `/user/<name>`, and the bare
 * `youtube.com/<name>` custom URL, which YouTube serves like `/c/<name>`).
 *
 * Rules, from YouTube Help "Handle guidelines": a handle is 3 to 30 characters of letters
 * (of many scripts, including Vietnamese), digits, underscores, hyphens and periods, and is
 * case-insensitive. Channel ids are `UC` + 22 characters of base64url and ARE case-sensitive,
 * so their case is kept. Legacy custom (`/c/`) and user (`/user/`) names are case-insensitive.
 *
 * Keys: `youtube:@<handle lowercased>`, `youtube:channel:UC…`, `youtube:c:<name lowercased>`,
 * `youtube:user:<name lowercased>`. A video (`watch?v=`, `youtu.be/…`, `/shorts/…`) names no
 * channel, so it is invalid.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';

/** Letters and marks of any script, digits, `_`, `-`, `.`: a single class, so linear. */
const HANDLE = /^[\p{L}\p{M}\p{N}_.-]{3,30}$/u;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const LEGACY_NAME = /^[\p{L}\p{M}\p{N}_.-]{1,100}$/u;

/** Top-level YouTube pages that are not channels. */
const RESERVED: ReadonlySet<string> = new Set([
  'watch', 'results', 'feed', 'playlist', 'shorts', 'live', 'embed', 'v', 'e', 'redirect', 'account',
  'premium', 'kids', 'gaming', 'signin', 'logout', 'upload', 'hashtag', 'source', 'attribution_link',
  'post', 'clip', 'oembed', 's', 'yt', 'about', 'howyoutubeworks', 'creators', 'ads', 't', 'new',
  'trends', 'jobs', 'red', 'tv', 'education', 'music', 'movies', 'sports', 'news', 'fashion', 'learning',
  'podcasts', 'storefront', 'view_play_list', 'supported_browsers', 'index', 'channels', 'subscription_manager',
]);

function lowerName(raw: string): string {
  return raw.toLowerCase().normalize('NFC');
}

function byHandle(raw: string): NormalizedAccount {
  const handle = lowerName(raw);
  if (!HANDLE.test(handle)) {
    throw new InvalidAccountError(
      `"${raw.slice(0, 60)}" is not a valid YouTube handle (3 to 30 letters, digits, underscores, hyphens and periods).`,
    );
  }
  return { platform: 'YOUTUBE', key: `youtube:@${handle}`, url: `https://www.youtube.com/@${encodeURIComponent(handle)}`, handle, idKind: 'handle' };
}

function byChannelId(raw: string | undefined): NormalizedAccount {
  if (raw === undefined || !CHANNEL_ID.test(raw)) {
    throw new InvalidAccountError(`"${(raw ?? '').slice(0, 60)}" is not a YouTube channel id (UC followed by 22 letters, digits, "_" or "-").`);
  }
  return { platform: 'YOUTUBE', key: `youtube:channel:${raw}`, url: `https://www.youtube.com/channel/${raw}`, handle: raw, idKind: 'channel' };
}

function byLegacy(kind: 'c' | 'user', raw: string | undefined): NormalizedAccount {
  const name = raw === undefined ? '' : lowerName(raw);
  if (!LEGACY_NAME.test(name)) throw new InvalidAccountError(`"${(raw ?? '').slice(0, 60)}" is not a valid YouTube ${kind === 'c' ? 'custom' : 'user'} name.`);
  return { platform: 'YOUTUBE', key: `youtube:${kind}:${name}`, url: `https://www.youtube.com/${kind}/${encodeURIComponent(name)}`, handle: name, idKind: 'handle' };
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  if (parts.host === 'youtu.be' || parts.host === 'www.youtu.be') {
    throw new InvalidAccountError('A youtu.be link is a video, which names no channel; paste the link of the channel (youtube.com/@handle).');
  }
  const [first, second] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone is YouTube's home page; paste the link of the channel.`);
  if (first.startsWith('@')) return byHandle(first.slice(1));
  const head = first.toLowerCase();
  switch (head) {
    case 'channel':
      return byChannelId(second);
    case 'c':
      return byLegacy('c', second);
    case 'user':
      return byLegacy('user', second);
    case 'watch':
    case 'shorts':
    case 'live':
    case 'embed':
    case 'v':
    case 'playlist':
      throw new InvalidAccountError(`A YouTube ${head === 'playlist' ? 'playlist' : 'video'} link names no channel; paste the link of the channel (youtube.com/@handle).`);
  }
  if (RESERVED.has(head)) throw new InvalidAccountError(`youtube.com/${head} is a YouTube page, not a channel.`);
  // youtube.com/<name>: the legacy custom URL without /c/.
  return byLegacy('c', first);
}

function fromHandle(handle: string): NormalizedAccount {
  if (CHANNEL_ID.test(handle)) return byChannelId(handle);
  return byHandle(handle.startsWith('@') ? handle.slice(1) : handle);
}

/**
 * YouTube's rules.
 *
 * @example
 * youtube.fromHandle('@TinNhiemSo').key // → 'youtube:@tinnhiemso'
 */
export const youtube: PlatformRules = {
  platform: 'YOUTUBE',
  label: 'YouTube',
  canonicalHost: 'www.youtube.com',
  shortLinkHosts: new Set(),
  domains: ['youtube.com', 'youtu.be', 'youtube-nocookie.com', 'ytimg.com'],
  isAccountHost: (host) =>
    host === 'youtube.com' || host === 'www.youtube.com' || host === 'm.youtube.com' || host === 'music.youtube.com' ||
    host === 'www.youtube-nocookie.com' || host === 'youtube-nocookie.com' || host === 'youtu.be' || host === 'www.youtu.be',
  fromUrl,
  fromHandle,
};
