/**
 * Websites: any http(s) host that is not one of the social platforms.
 *
 * Decision: a website account is its host. The path, query and fragment are ignored
 * (`example.com/about?x=1` is `example.com`), `www.` is dropped, and the host is the ASCII
 * (punycode) form that `new URL` gives, lowercased: `Bücher.de` → `xn--bcher-kva.de`. We do
 * not cut the host down to its registrable domain (that needs the Public Suffix List):
 * `news.example.com` and `example.com` are different keys.
 *
 * Because the path is ignored, hosts that serve many people's pages under one host
 * (linktr.ee/<name>, github.com/<name>, sites.google.com/…) cannot name one account and are
 * rejected, as are link shorteners (bit.ly …), IP addresses, localhost and single-label hosts.
 *
 * Key: `website:<host>`; canonical URL `https://<host>/`.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import { hostOf, parseUrl, type UrlParts } from '../text.ts';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const IPV4 = /^[0-9.]+$/;

/** Link shorteners: their paths are codes only the network can resolve. */
const SHORTENERS: ReadonlySet<string> = new Set([
  'bit.ly', 'bitly.com', 'tinyurl.com', 'goo.gl', 'ow.ly', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly',
  'shorturl.at', 'tiny.cc', 'rb.gy', 's.id', 'lnkd.in', 't.ly', 'v.gd', 'shorten.asia', 'maps.app.goo.gl',
  'forms.gle', 'g.co', 'surl.li', 'tinyurl.vn', 'urlgo.vn',
]);

/**
 * Hosts that serve many people's pages (`host/<name>`), so the host names no one account.
 * (messenger.com is one too, but it never gets here: it is a Facebook service domain.)
 */
const SHARED_HOSTS: ReadonlySet<string> = new Set([
  'linktr.ee', 'beacons.ai', 'sites.google.com', 'docs.google.com', 'drive.google.com', 'google.com',
  'maps.google.com', 'github.com', 'gitlab.com', 'medium.com', 'linkedin.com', 'vn.linkedin.com',
  'pinterest.com', 'reddit.com', 'discord.gg', 'discord.com', 'shopee.vn', 'lazada.vn', 'tiki.vn',
  'sendo.vn', 'vimeo.com', 'twitch.tv', 'soundcloud.com', 'open.spotify.com', 'spotify.com',
  'snapchat.com', 'wa.me', 'whatsapp.com', 'line.me', 'viber.com', 'patreon.com',
  'substack.com', 'wordpress.com', 'blogspot.com', 'tumblr.com', 'behance.net', 'dribbble.com',
  'linkbio.co', 'bio.link', 'lnk.bio', 'taplink.cc', 'about.me', 'notion.site', 'canva.site',
  'web.app', 'firebaseapp.com', 'github.io', 'vercel.app', 'netlify.app', 'pages.dev', 'bsky.app',
]);

function fromUrl(parts: UrlParts): NormalizedAccount {
  const host = parts.host.startsWith('www.') ? parts.host.slice(4) : parts.host;
  if (host.startsWith('[') || IPV4.test(host)) {
    throw new InvalidAccountError(`${parts.host} is an IP address; a website account needs a domain name.`);
  }
  const labels = host.split('.');
  const tld = labels[labels.length - 1] ?? '';
  // `localhost` itself is its own last label.
  if (tld === 'localhost' || tld === 'local' || tld === 'internal') {
    throw new InvalidAccountError(`${parts.host} is a local host name, not a public website.`);
  }
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !TLD.test(tld) || host.length > 253) {
    throw new InvalidAccountError(`"${parts.host.slice(0, 80)}" is not a valid public domain name.`);
  }
  if (SHORTENERS.has(host)) {
    throw new InvalidAccountError(`${host} is a link shortener; short links need the network to resolve, so paste the full URL of the account instead.`);
  }
  if (SHARED_HOSTS.has(host)) {
    throw new InvalidAccountError(`${host} hosts pages of many people under one address, so it cannot identify one account; it is not a supported platform.`);
  }
  return { platform: 'WEBSITE', key: `website:${host}`, url: `https://${host}/`, handle: host, idKind: 'domain' };
}

function fromHandle(handle: string): NormalizedAccount {
  if (hostOf(handle) === undefined) throw new InvalidAccountError(`"${handle.slice(0, 60)}" is not a domain name or a website URL.`);
  return fromUrl(parseUrl(handle));
}

/**
 * Website rules (every host no social platform claims).
 *
 * @example
 * website.fromHandle('WWW.Example.com/about').key // → 'website:example.com'
 */
export const website: PlatformRules = {
  platform: 'WEBSITE',
  label: 'website',
  canonicalHost: '',
  shortLinkHosts: SHORTENERS,
  domains: [],
  isAccountHost: () => true,
  fromUrl,
  fromHandle,
};
