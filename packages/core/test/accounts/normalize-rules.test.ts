/**
 * The account rules people rely on, one row per rule: each platform read the same in both
 * input forms, every service domain and link shortener refused as a "website", every reserved
 * page refused as an account, id patterns matched whole (no trailing junk), and which field an
 * error names. `normalize.test.ts` holds the table of real-looking inputs; this file holds the
 * rows that make each rule and each list entry matter, so that dropping a check or a list entry
 * fails a test (see docs/MUTATION-TESTING.md).
 */
import { describe, expect, it } from 'vitest';
import { InvalidAccountError } from '../../src/errors.ts';
import { normalizeAccount } from '../../src/accounts/normalize.ts';
import type { AccountInput } from '../../src/accounts/platform.ts';
import { table } from '../table.ts';

/** The error `input` is refused with; fails the test when it is accepted or throws anything else. */
function refusal(input: unknown): InvalidAccountError {
  let accepted: string | undefined;
  try {
    accepted = normalizeAccount(input as AccountInput).key;
  } catch (error) {
    expect(error, `${JSON.stringify(input)} threw something other than InvalidAccountError`).toBeInstanceOf(InvalidAccountError);
    return error as InvalidAccountError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused, but it was accepted as ${accepted}`);
}

const keyOf = (input: AccountInput): string => normalizeAccount(input).key;

describe('each platform reads the same in both input forms', () => {
  // [platform, key, spellings in the { platform, handle } form]; the URL spellings are the handles that are links.
  const rows: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ['FACEBOOK', 'facebook:someone', ['someone', '@someone', 'fb.com/someone', 'www.facebook.com/someone', 'https://m.facebook.com/someone', '/someone/about']],
    ['ZALO', 'zalo:phone:84901234567', ['0901234567', 'zalo.me/0901234567', 'https://zalo.me/84901234567']],
    ['TIKTOK', 'tiktok:@some.one', ['some.one', '@some.one', 'tiktok.com/@some.one', 'https://www.tiktok.com/@some.one/video/1', '@some.one/live']],
    ['YOUTUBE', 'youtube:@someone', ['someone', '@someone', 'youtube.com/@someone', 'https://m.youtube.com/@someone']],
    ['INSTAGRAM', 'instagram:some.one', ['some.one', '@some.one', 'instagram.com/some.one', 'https://www.instagram.com/some.one/reels/', 'instagr.am/some.one']],
    ['X', 'x:someone', ['someone', '@someone', 'x.com/someone', 'twitter.com/someone', 'https://mobile.twitter.com/someone']],
    ['THREADS', 'threads:some.one', ['some.one', '@some.one', 'threads.net/@some.one', 'threads.com/@some.one', 'https://www.threads.com/@some.one/post/1']],
    ['TELEGRAM', 'telegram:someone', ['someone', '@someone', 't.me/someone', 'telegram.me/someone', 'https://t.me/s/someone']],
    ['WEBSITE', 'website:example.org', ['example.org', 'www.example.org/about', 'https://example.org/']],
  ];

  table(rows)('each platform: every spelling of the handle form gives the key of the URL form', (platform, key, spellings) => {
    for (const handle of spellings) expect(keyOf({ platform, handle }), handle).toBe(key);
    // The string form of the canonical URL agrees.
    expect(keyOf(normalizeAccount({ platform, handle: spellings[0]! }).url)).toBe(key);
  });

  // A scheme-less link to another platform, given in the { platform, handle } form, is refused,
  // never read as a handle (fb.com/someone must not become the Facebook user "fbcom").
  table([
    ['FACEBOOK', 'instagram.com/someone'],
    ['FACEBOOK', 'tiktok.com/@someone'],
    ['INSTAGRAM', 'fb.com/someone'],
    ['INSTAGRAM', 'threads.net/@someone'],
    ['THREADS', 'instagram.com/someone'],
    ['THREADS', 'fb.com/someone'],
    ['TIKTOK', 'youtube.com/@someone'],
    ['YOUTUBE', 't.me/someone'],
    ['X', 'zalo.me/0901234567'],
    ['ZALO', 'x.com/someone'],
    ['TELEGRAM', 'fb.com/someone'],
    ['WEBSITE', 'fb.com/someone'],
    ['WEBSITE', 'instagram.com/someone'],
  ])('a link to another platform in the { platform, handle } form is refused, naming the platform field', (platform, handle) => {
    const error = refusal({ platform, handle });
    expect(error.field).toBe('platform');
    expect(error.message).toContain('but the platform given is');
  });

  it('a link to a website given for a social platform names "a website"', () => {
    expect(refusal({ platform: 'TIKTOK', handle: 'https://example.org/someone' }).message).toContain('on a website but');
  });

  it('fb.com/someone given for Facebook is the user "someone", not "fbcom"', () => {
    expect(keyOf({ platform: 'FACEBOOK', handle: 'fb.com/someone' })).toBe('facebook:someone');
    expect(keyOf({ platform: 'FACEBOOK', handle: 'FB.COM/SomeOne' })).toBe('facebook:someone');
  });

  it('a path on the platform (with or without a leading slash, or a query) is read on that platform', () => {
    expect(keyOf({ platform: 'FACEBOOK', handle: 'profile.php?id=100064123456789' })).toBe('facebook:id:100064123456789');
    expect(keyOf({ platform: 'YOUTUBE', handle: '/channel/UCxC5Ls6DwqV0e-CYcAKkExQ' })).toBe('youtube:channel:UCxC5Ls6DwqV0e-CYcAKkExQ');
    expect(keyOf({ platform: 'ZALO', handle: 'g/abcd1234' })).toBe('zalo:g:abcd1234');
  });

  it('the platform name is trimmed and case-insensitive', () => {
    expect(keyOf({ platform: ' instagram ', handle: 'some.one' })).toBe('instagram:some.one');
    expect(keyOf({ platform: 'Threads', handle: '@some.one' })).toBe('threads:some.one');
  });
});

describe('the whole answer: platform, key, canonical URL, handle and kind of id', () => {
  table([
    ['https://www.facebook.com/John.Smith55', 'FACEBOOK', 'facebook:johnsmith55', 'https://www.facebook.com/john.smith55', 'john.smith55', 'handle'],
    ['fb.com/profile.php?id=100064123456789', 'FACEBOOK', 'facebook:id:100064123456789', 'https://www.facebook.com/profile.php?id=100064123456789', '100064123456789', 'id'],
    ['facebook.com/groups/SomeGroup', 'FACEBOOK', 'facebook:group:somegroup', 'https://www.facebook.com/groups/somegroup', 'somegroup', 'group'],
    ['zalo.me/0901234567', 'ZALO', 'zalo:phone:84901234567', 'https://zalo.me/84901234567', '84901234567', 'phone'],
    ['zalo.me/1336150047301360288', 'ZALO', 'zalo:oa:1336150047301360288', 'https://zalo.me/1336150047301360288', '1336150047301360288', 'id'],
    ['zalo.me/g/ABCD1234', 'ZALO', 'zalo:g:abcd1234', 'https://zalo.me/g/abcd1234', 'abcd1234', 'group'],
    ['tiktok.com/@Some.One', 'TIKTOK', 'tiktok:@some.one', 'https://www.tiktok.com/@some.one', 'some.one', 'handle'],
    ['youtube.com/@SomeOne', 'YOUTUBE', 'youtube:@someone', 'https://www.youtube.com/@someone', 'someone', 'handle'],
    ['youtube.com/channel/UCxC5Ls6DwqV0e-CYcAKkExQ', 'YOUTUBE', 'youtube:channel:UCxC5Ls6DwqV0e-CYcAKkExQ', 'https://www.youtube.com/channel/UCxC5Ls6DwqV0e-CYcAKkExQ', 'UCxC5Ls6DwqV0e-CYcAKkExQ', 'channel'],
    ['youtube.com/c/SomeOne', 'YOUTUBE', 'youtube:c:someone', 'https://www.youtube.com/c/someone', 'someone', 'handle'],
    ['youtube.com/user/SomeOne', 'YOUTUBE', 'youtube:user:someone', 'https://www.youtube.com/user/someone', 'someone', 'handle'],
    ['instagram.com/Some.One', 'INSTAGRAM', 'instagram:some.one', 'https://www.instagram.com/some.one', 'some.one', 'handle'],
    ['twitter.com/SomeOne', 'X', 'x:someone', 'https://x.com/someone', 'someone', 'handle'],
    ['threads.net/@Some.One', 'THREADS', 'threads:some.one', 'https://www.threads.com/@some.one', 'some.one', 'handle'],
    ['t.me/SomeOne', 'TELEGRAM', 'telegram:someone', 'https://t.me/someone', 'someone', 'handle'],
    ['WWW.Example.com/about', 'WEBSITE', 'website:example.com', 'https://example.com/', 'example.com', 'domain'],
  ])('every kind of account gets its full answer, and its canonical URL reads back to it', (input, platform, key, url, handle, idKind) => {
    expect(normalizeAccount(input)).toEqual({ platform, key, url, handle, idKind });
    expect(normalizeAccount(url)).toEqual({ platform, key, url, handle, idKind });
  });

  // [platform given, link, the link's platform]: the refusal says where the link is, and what was given.
  table([
    ['INSTAGRAM', 'fb.com/someone', 'Facebook', 'Instagram'],
    ['FACEBOOK', 'instagram.com/some.one', 'Instagram', 'Facebook'],
    ['TIKTOK', 'zalo.me/0901234567', 'Zalo', 'TikTok'],
    ['ZALO', 'tiktok.com/@some.one', 'TikTok', 'Zalo'],
    ['TELEGRAM', 'youtube.com/@someone', 'YouTube', 'Telegram'],
    ['YOUTUBE', 't.me/someone', 'Telegram', 'YouTube'],
    ['THREADS', 'x.com/someone', 'X', 'Threads'],
    ['X', 'threads.com/@some.one', 'Threads', 'X'],
  ])('a link given for another platform: the refusal names both platforms', (platform, handle, linkLabel, givenLabel) => {
    expect(refusal({ platform, handle }).message).toContain(`on ${linkLabel} but the platform given is ${givenLabel}.`);
  });

  // A path on the platform, given in the { platform, handle } form, is read on the platform's own host.
  table([
    ['FACEBOOK', 'someone/about/', 'facebook:someone'],
    // An old #! link pasted from its path.
    ['FACEBOOK', '/#!/someone', 'facebook:someone'],
    ['INSTAGRAM', 'some.one/reels', 'instagram:some.one'],
    ['THREADS', '@some.one/post/1', 'threads:some.one'],
    ['X', 'someone/status/1', 'x:someone'],
    ['TELEGRAM', 'someone/123', 'telegram:someone'],
    ['YOUTUBE', '@someone/videos', 'youtube:@someone'],
    ['TIKTOK', '@some.one/video/1', 'tiktok:@some.one'],
  ])('every platform: a path in the handle form is read on that platform', (platform, handle, key) => {
    expect(keyOf({ platform, handle })).toBe(key);
  });
});

describe('every host that serves account pages is read as that platform', () => {
  table([
    ...['facebook.com', 'www.facebook.com', 'm.facebook.com', 'mbasic.facebook.com', 'web.facebook.com', 'touch.facebook.com',
      'mobile.facebook.com', 'business.facebook.com', 'free.facebook.com', 'd.facebook.com', 'x.facebook.com', 'iphone.facebook.com',
      'p.facebook.com', 'fb.com', 'www.fb.com', 'm.fb.com', 'm.me', 'www.m.me', 'vi-vn.facebook.com', 'en-gb.facebook.com']
      .map((host) => [host, 'someone', 'facebook:someone']),
    ...['instagram.com', 'www.instagram.com', 'm.instagram.com', 'instagr.am', 'www.instagr.am'].map((host) => [host, 'some.one', 'instagram:some.one']),
    ...['t.me', 'www.t.me', 'telegram.me', 'www.telegram.me', 'telegram.dog'].map((host) => [host, 'someone', 'telegram:someone']),
    ...['threads.net', 'www.threads.net', 'threads.com', 'www.threads.com'].map((host) => [host, '@some.one', 'threads:some.one']),
    ...['tiktok.com', 'www.tiktok.com', 'm.tiktok.com', 'vi.tiktok.com'].map((host) => [host, '@some.one', 'tiktok:@some.one']),
    ...['x.com', 'www.x.com', 'mobile.x.com', 'm.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com', 'm.twitter.com']
      .map((host) => [host, 'someone', 'x:someone']),
    ...['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com', 'www.youtube-nocookie.com']
      .map((host) => [host, '@someone', 'youtube:@someone']),
    ...['zalo.me', 'www.zalo.me'].map((host) => [host, '0901234567', 'zalo:phone:84901234567']),
    ['oa.zalo.me', '1336150047301360288', 'zalo:oa:1336150047301360288'],
  ])('every account host: <host>/<name> is that platform\'s account', (host, path, key) => {
    expect(keyOf(`https://${host}/${path}`)).toBe(key);
  });

  table(['youtu.be', 'www.youtu.be'])('youtu.be links are videos, which name no channel', (host) => {
    expect(refusal(`https://${host}/someone`).message).toContain('names no channel');
  });

  it('a username sub-domain of t.me is that Telegram account, but www.t.me is not a username', () => {
    expect(keyOf('https://someone.t.me')).toBe('telegram:someone');
    expect(keyOf('https://www.t.me/someone')).toBe('telegram:someone');
  });

  it('host patterns are matched whole', () => {
    // Not a locale host of Facebook: a Facebook sub-domain that serves no accounts.
    expect(refusal('https://abc-vi-vn.facebook.com/someone').message).toContain('service address');
    // Another site whose name starts like a Facebook or t.me host.
    expect(keyOf('https://vi-vn.facebook.com.example.net/someone')).toBe('website:vi-vn.facebook.com.example.net');
    expect(keyOf('https://someone.t.me.example.net/')).toBe('website:someone.t.me.example.net');
    // Two labels before t.me: not a username host.
    expect(refusal('https://a.someone.t.me/').message).toContain('service address');
  });
});

describe('service domains of the platforms are not websites', () => {
  // One row per entry of each platform's domain list: the bare domain and a sub-domain of it.
  const domains: ReadonlyArray<readonly [string, string]> = [
    ['FACEBOOK', 'facebook.com'], ['FACEBOOK', 'fb.com'], ['FACEBOOK', 'fb.me'], ['FACEBOOK', 'fb.watch'], ['FACEBOOK', 'm.me'],
    ['FACEBOOK', 'messenger.com'], ['FACEBOOK', 'fbcdn.net'],
    ['ZALO', 'zalo.me'], ['ZALO', 'zalo.vn'], ['ZALO', 'zaloapp.com'],
    ['TIKTOK', 'tiktok.com'], ['TIKTOK', 'tiktokv.com'], ['TIKTOK', 'tiktokcdn.com'],
    ['YOUTUBE', 'youtube.com'], ['YOUTUBE', 'youtu.be'], ['YOUTUBE', 'youtube-nocookie.com'], ['YOUTUBE', 'ytimg.com'],
    ['INSTAGRAM', 'instagram.com'], ['INSTAGRAM', 'instagr.am'], ['INSTAGRAM', 'ig.me'], ['INSTAGRAM', 'cdninstagram.com'],
    ['X', 'x.com'], ['X', 'twitter.com'], ['X', 't.co'], ['X', 'twimg.com'],
    ['THREADS', 'threads.net'], ['THREADS', 'threads.com'],
    ['TELEGRAM', 't.me'], ['TELEGRAM', 'telegram.me'], ['TELEGRAM', 'telegram.dog'], ['TELEGRAM', 'telegram.org'],
  ];

  table(domains)('every service domain and its sub-domains are refused as websites', (platform, domain) => {
    for (const host of [domain, `static.cdn.${domain}`]) {
      refusal(host);
      const asWebsite = refusal({ platform: 'WEBSITE', handle: host });
      expect(asWebsite.field, host).toBe('platform');
    }
    expect(refusal(`https://static.cdn.${domain}/someone`).message).toMatch(/service address|short link/);
    // Given for its own platform, it is that platform's service: the handle is wrong, not the platform.
    expect(refusal({ platform, handle: `static.cdn.${domain}/someone` }).field).toBe('handle');
  });

  // Short-link hosts: the path is a code only the network can resolve.
  table(['fb.me', 'www.fb.me', 'fb.watch', 'www.fb.watch', 'on.fb.me', 'fb.gg', 'ig.me', 'vt.tiktok.com', 'vm.tiktok.com', 't.co'])(
    'every short-link host of a platform is a short link',
    (host) => {
      expect(refusal(`https://${host}/AbC123`).message).toContain('short link');
    },
  );
});

describe('websites: link shorteners and shared hosts name no one account', () => {
  table([
    'bit.ly', 'bitly.com', 'tinyurl.com', 'goo.gl', 'ow.ly', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'tiny.cc',
    'rb.gy', 's.id', 'lnkd.in', 't.ly', 'v.gd', 'shorten.asia', 'maps.app.goo.gl', 'forms.gle', 'g.co', 'surl.li', 'tinyurl.vn', 'urlgo.vn',
  ])('every link shortener is refused', (host) => {
    expect(refusal(`https://${host}/AbC123`).message).toContain('short link');
    expect(refusal({ platform: 'WEBSITE', handle: host }).message).toContain('short link');
  });

  table([
    'linktr.ee', 'beacons.ai', 'sites.google.com', 'docs.google.com', 'drive.google.com', 'google.com', 'maps.google.com', 'github.com',
    'gitlab.com', 'medium.com', 'linkedin.com', 'vn.linkedin.com', 'pinterest.com', 'reddit.com', 'discord.gg', 'discord.com',
    'shopee.vn', 'lazada.vn', 'tiki.vn', 'sendo.vn', 'vimeo.com', 'twitch.tv', 'soundcloud.com', 'open.spotify.com', 'spotify.com',
    'snapchat.com', 'wa.me', 'whatsapp.com', 'line.me', 'viber.com', 'patreon.com', 'substack.com', 'wordpress.com',
    'blogspot.com', 'tumblr.com', 'behance.net', 'dribbble.com', 'linkbio.co', 'bio.link', 'lnk.bio', 'taplink.cc', 'about.me',
    'notion.site', 'canva.site', 'web.app', 'firebaseapp.com', 'github.io', 'vercel.app', 'netlify.app', 'pages.dev', 'bsky.app',
  ])('every shared host names no one account', (host) => {
    expect(refusal(`https://${host}/someone`).message).toContain('cannot identify one account');
    expect(refusal(`https://www.${host}/someone`).message).toContain('cannot identify one account');
  });

  it('messenger.com is refused (a Facebook service)', () => {
    refusal('https://www.messenger.com/t/someone');
  });

  it('a sub-domain of a shortener or shared host is a website of its own', () => {
    expect(keyOf('https://shop.bit.ly.example.net/')).toBe('website:shop.bit.ly.example.net');
    expect(keyOf('https://someone.github.io.example.net/')).toBe('website:someone.github.io.example.net');
  });
});

describe('websites: only public domain names', () => {
  table([
    ['ex_ample.com', 'not a valid public domain'],
    ['a..b.com', 'not a valid public domain'],
    ['-example.com', 'not a valid public domain'],
    ['example-.com', 'not a valid public domain'],
    ['example.c', 'not a valid public domain'],
    ['example.123', 'not a valid'],
    ['example.xn--', 'not a valid'],
    // A top-level domain is letters (or punycode), all of it.
    ['example.com1', 'not a valid public domain'],
    ['example.1com', 'not a valid public domain'],
    [`${'a'.repeat(64)}.com`, 'not a valid public domain'],
    [`${`${'a'.repeat(60)}.`.repeat(5)}com`, 'not a valid public domain'],
    ['intranet', 'not a valid public domain'],
    ['printer.local', 'local host name'],
    ['db.internal', 'local host name'],
    ['app.localhost', 'local host name'],
    ['localhost', 'local host name'],
    ['10.0.0.1', 'IP address'],
    ['[::1]', 'IP address'],
    ['[2001:db8::1]', 'IP address'],
  ])('hosts that are not public domain names are refused', (host, reason) => {
    expect(refusal(`https://${host}/`).message).toContain(reason);
    expect(refusal({ platform: 'WEBSITE', handle: `https://${host}/` }).field).toBe('handle');
  });

  table([
    ['example.com', 'website:example.com'],
    ['www.example.com', 'website:example.com'],
    ['a.example.com', 'website:a.example.com'],
    ['a-b.example.com', 'website:a-b.example.com'],
    ['1.example.com', 'website:1.example.com'],
    [`${'a'.repeat(63)}.com`, `website:${'a'.repeat(63)}.com`],
    ['example.xn--p1ai', 'website:example.xn--p1ai'],
    ['www.local.vn', 'website:local.vn'],
    ['internal.example.com', 'website:internal.example.com'],
    ['localhost.vn', 'website:localhost.vn'],
  ])('public domain names are websites', (host, key) => {
    expect(keyOf(`https://${host}/any/path?q=1`)).toBe(key);
    expect(keyOf({ platform: 'WEBSITE', handle: host })).toBe(key);
  });

  it('a host of 253 characters is a website, one of 254 is not', () => {
    const host = (length: number) => `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'e'.repeat(60)}.${'d'.repeat(length - 248)}.com`;
    expect(host(253)).toHaveLength(253);
    expect(keyOf(`https://${host(253)}/`)).toBe(`website:${host(253)}`);
    expect(refusal(`https://${host(254)}/`).message).toContain('not a valid public domain');
  });

  it('an http link of a website given for a social platform is refused as a link, not read as a path', () => {
    expect(refusal({ platform: 'TIKTOK', handle: 'http://example.org/someone' }).field).toBe('platform');
    expect(refusal({ platform: 'FACEBOOK', handle: 'HTTP://example.org/someone' }).field).toBe('platform');
  });

  it('a website handle must be a domain name or a URL', () => {
    expect(refusal({ platform: 'WEBSITE', handle: 'tin nhiem so' }).field).toBe('handle');
    expect(refusal({ platform: 'WEBSITE', handle: 'someone' }).message).toContain('not a valid public domain');
    expect(refusal({ platform: 'WEBSITE', handle: 'tin nhiem so' }).message).toContain('not a valid web address');
  });
});

describe('reserved pages are not accounts', () => {
  const facebook = [
    'login', 'login.php', 'logout', 'logout.php', 'marketplace', 'help', 'settings', 'home', 'home.php', 'sharer', 'sharer.php', 'events',
    'hashtag', 'search', 'notifications', 'messages', 'friends', 'gaming', 'bookmarks', 'saved', 'memories', 'fundraisers', 'donate',
    'ads', 'adsmanager', 'business', 'policies', 'policy.php', 'privacy', 'terms', 'terms.php', 'legal', 'about', 'careers', 'developers',
    'recover', 'reg', 'r.php', 'dialog', 'plugins', 'tr', 'l.php', 'stories', 'story', 'reel', 'reels', 'photo', 'photo.php', 'photos',
    'video', 'video.php', 'videos', 'media', 'live', 'places', 'jobs', 'offers', 'games', 'apps', 'me', 'composer', 'checkpoint',
    'confirmemail', 'find-friends', 'feeds', 'latest', 'hacked', 'notes', 'commerce', 'shops', 'ajax', 'api', 'lite', 'mobile',
    'watchparty', 'directory', 'public', 'instantgames', 'j', 'ch', 'ads_manager', 'business_help', 'communitystandards', 'community',
    'campaign', 'index.php', 'privacy_center', 'pages_reaction_units', 'page', 'profile', 'username', 'messenger_media', 'dating',
  ];
  table(facebook)('facebook.com/<reserved word> is a feature page', (word) => {
    expect(refusal(`https://www.facebook.com/${word}`).message).toContain('Facebook feature page');
    expect(refusal(`https://www.facebook.com/${word.toUpperCase()}/`).message).toContain('Facebook feature page');
    const asHandle = refusal({ platform: 'FACEBOOK', handle: word });
    expect(asHandle.message).toContain('Facebook feature page');
    expect(asHandle.field).toBe('handle');
  });

  table(['feed', 'discover', 'joins', 'create', 'search', 'notifications', 'your_groups'])('facebook.com/groups/<reserved word> is not a group', (word) => {
    expect(refusal(`https://www.facebook.com/groups/${word}/`).message).toContain('not a group');
  });

  table([
    'p', 'reel', 'reels', 'tv', 'explore', 'accounts', 'direct', 'about', 'legal', 'developer', 'web', 'challenge', 'emails', 'session',
    'privacy', 'terms', 'ar', 'create', 'graphql', 'api', 'static', 'oauth', 's', 'invites', 'login', 'signup', 'nametag', 'lite',
    'directory', 'press', 'jobs', 'help', 'stories', 'your_activity', 'notifications', 'topics', 'popular',
  ])('instagram.com/<reserved word> is an Instagram page', (word) => {
    refusal(`https://www.instagram.com/${word}/`);
    expect(refusal({ platform: 'INSTAGRAM', handle: `@${word}` }).message).toContain('Instagram page');
  });

  table(['p', 'reel', 'tv'])('instagram.com/<p, reel or tv>/<code> is a post, which names no account', (word) => {
    expect(refusal(`https://www.instagram.com/${word}/AbC123/`).message).toContain('post with no account');
  });

  table([
    'joinchat', 'addstickers', 'addemoji', 'addtheme', 'addlist', 'share', 'proxy', 'socks', 'setlanguage', 'login', 'c', 'iv', 'bg',
    'confirmphone', 'invoice', 'boost', 'contact', 'm', 'giftcode', 'k', 'a', 'z',
  ])('t.me/<reserved word> is a Telegram feature link', (word) => {
    refusal(`https://t.me/${word}`);
    expect(refusal({ platform: 'TELEGRAM', handle: word }).message).toContain('Telegram feature link');
  });

  table(['login', 'search', 'activity', 'settings', 't', 'intent', 'privacy', 'terms', 'about', 'legal'])('threads.com/<reserved word> is a Threads page', (word) => {
    expect(refusal(`https://www.threads.com/${word}`).message).toContain('Threads page');
  });

  table([
    'foryou', 'explore', 'discover', 'tag', 'music', 'trending', 'following', 'friends', 'live', 'search', 'login', 'signup', 'upload',
    'messages', 'setting', 'settings', 'coin', 'business', 'legal', 'about', 'embed', 'share', 'v', 'inbox', 'channel', 'effect', 'place',
    'topics', 'creators', 'feedback', 'node',
  ])('tiktok.com/<reserved word> is a TikTok page', (word) => {
    expect(refusal(`https://www.tiktok.com/${word}`).message).toContain('TikTok page');
  });

  table([
    'home', 'search', 'explore', 'i', 'intent', 'share', 'settings', 'messages', 'notifications', 'login', 'logout', 'signup', 'tos',
    'privacy', 'compose', 'hashtag', 'who_to_follow', 'account', 'download', 'jobs', 'about', 'help', 'lists', 'topics', 'communities',
    'premium', 'verified-orgs', 'status', 'bookmarks', 'connect_people', 'following', 'followers', 'rules', 'en', 'vi', 'oauth',
    'jack_is_here',
  ])('x.com/<reserved word> is an X page', (word) => {
    expect(refusal(`https://x.com/${word}`).message).toContain('X page');
    expect(refusal({ platform: 'X', handle: `@${word}` }).message).toContain('X page');
  });

  table([
    'results', 'feed', 'e', 'redirect', 'account', 'premium', 'kids', 'gaming', 'signin', 'logout', 'upload', 'hashtag', 'source',
    'attribution_link', 'post', 'clip', 'oembed', 's', 'yt', 'about', 'howyoutubeworks', 'creators', 'ads', 't', 'new', 'trends', 'jobs',
    'red', 'tv', 'education', 'music', 'movies', 'sports', 'news', 'fashion', 'learning', 'podcasts', 'storefront', 'view_play_list',
    'supported_browsers', 'index', 'channels', 'subscription_manager',
  ])('youtube.com/<reserved word> is a YouTube page', (word) => {
    expect(refusal(`https://www.youtube.com/${word}`).message).toContain('YouTube page');
  });

  table(['watch', 'shorts', 'live', 'embed', 'v', 'playlist'])('youtube.com/<video path>/… names no channel', (word) => {
    expect(refusal(`https://www.youtube.com/${word}/abc`).message).toContain('names no channel');
  });

  table(['pc', 'download', 'blog', 'about', 'login', 'help', 'policy', 's', 'app', 'zalo', 'web'])('zalo.me/<reserved word> is a Zalo page', (word) => {
    expect(refusal(`https://zalo.me/${word}`).message).toContain('Zalo page');
  });

  table(['manage', 'home', 'chat', 'login', 'register', 'api', 'docs'])('oa.zalo.me/<reserved word> is a page of the OA site', (word) => {
    expect(refusal(`https://oa.zalo.me/${word}`).message).toContain('Official Account site');
  });

  it('a name that merely starts or ends like a reserved word is an account', () => {
    expect(keyOf('https://www.facebook.com/loginpage')).toBe('facebook:loginpage');
    expect(keyOf('https://x.com/homer')).toBe('x:homer');
    expect(keyOf('https://www.instagram.com/explorer')).toBe('instagram:explorer');
    expect(keyOf('https://t.me/joinchatter')).toBe('telegram:joinchatter');
    expect(keyOf('https://www.youtube.com/newsroom')).toBe('youtube:c:newsroom');
    expect(keyOf('https://www.facebook.com/groups/feeds')).toBe('facebook:group:feeds');
  });
});

describe('ids and names are matched whole: trailing or leading junk is refused', () => {
  table([
    // Facebook numeric ids: the whole parameter or path, digits only, no leading zero.
    ['https://www.facebook.com/profile.php?id=12345abc', 'not a valid Facebook numeric id'],
    ['https://www.facebook.com/profile.php?id=abc12345', 'not a valid Facebook numeric id'],
    ['https://www.facebook.com/profile.php?id=012345', 'not a valid Facebook numeric id'],
    [`https://www.facebook.com/profile.php?id=${'1'.repeat(21)}`, 'not a valid Facebook numeric id'],
    ['https://www.facebook.com/people/Some-One/12345abc', 'must end with the numeric id'],
    ['https://www.facebook.com/people/Some-One/', 'must end with the numeric id'],
    ['https://www.facebook.com/p/Some-One-100064123456789x/', 'must end with the numeric id'],
    ['https://www.facebook.com/p/Some-One-1234/', 'must end with the numeric id'],
    ['https://www.facebook.com/pages/Some-One/', 'must carry the numeric page id'],
    ['https://www.facebook.com/pages', 'must carry the numeric page id'],
    ['https://www.facebook.com/Some-One-100064123456789x', 'not a valid Facebook username'],
    ['https://www.facebook.com/someone!', 'not a valid Facebook username'],
    ['https://www.facebook.com/!someone', 'not a valid Facebook username'],
    [`https://www.facebook.com/${'a'.repeat(51)}`, 'not a valid Facebook username'],
    ['https://www.facebook.com/a', 'not a valid Facebook username'],
    ['https://www.facebook.com/...', 'not a valid Facebook username'],
    ['https://www.facebook.com/somepage.php', 'is a Facebook page'],
    ['https://www.facebook.com/1.2.3', 'cannot be only digits'],
    ['https://www.facebook.com/groups/some!group', 'not a valid Facebook group'],
    [`https://www.facebook.com/groups/${'a'.repeat(101)}`, 'not a valid Facebook group'],
    ['https://www.facebook.com/pg/', 'names no page'],
    ['https://www.facebook.com/watch/live/', 'names a video'],
    ['https://www.facebook.com/watch/latest/', 'names a video'],
    ['https://www.facebook.com/watch/saved/', 'names a video'],
    ['https://www.facebook.com/watch/search/', 'names a video'],
    ['https://www.facebook.com/watch/some!page/', 'names a video'],
    // TikTok usernames.
    ['https://www.tiktok.com/@some.one!', 'not a valid TikTok username'],
    ['https://www.tiktok.com/@!some.one', 'not a valid TikTok username'],
    [`https://www.tiktok.com/@${'a'.repeat(25)}`, 'not a valid TikTok username'],
    // Instagram and Threads usernames.
    ['https://www.instagram.com/some.one!', 'not a valid Instagram username'],
    ['https://www.instagram.com/!some.one', 'not a valid Instagram username'],
    [`https://www.instagram.com/${'a'.repeat(31)}`, 'not a valid Instagram username'],
    ['https://www.instagram.com/some.one.', 'not a valid Instagram username'],
    ['https://www.threads.com/@some..one', 'not a valid Threads username'],
    ['https://www.threads.com/@', 'not a valid Threads username'],
    // Telegram usernames.
    ['https://t.me/someone!', 'not a valid Telegram username'],
    ['https://t.me/!someone', 'not a valid Telegram username'],
    [`https://t.me/a${'b'.repeat(32)}`, 'not a valid Telegram username'],
    ['https://t.me/s/some!one', 'not a valid Telegram username'],
    // YouTube channel ids and handles.
    ['https://www.youtube.com/channel/UCxC5Ls6DwqV0e-CYcAKkExQx', 'not a YouTube channel id'],
    ['https://www.youtube.com/channel/xUCxC5Ls6DwqV0e-CYcAKkExQ', 'not a YouTube channel id'],
    ['https://www.youtube.com/channel/', 'not a YouTube channel id'],
    ['https://www.youtube.com/@some!one', 'not a valid YouTube handle'],
    ['https://www.youtube.com/@!someone', 'not a valid YouTube handle'],
    [`https://www.youtube.com/@${'a'.repeat(31)}`, 'not a valid YouTube handle'],
    ['https://www.youtube.com/c/some!one', 'not a valid YouTube custom name'],
    ['https://www.youtube.com/c/', 'not a valid YouTube custom name'],
    ['https://www.youtube.com/user/some!one', 'not a valid YouTube user name'],
    [`https://www.youtube.com/user/${'a'.repeat(101)}`, 'not a valid YouTube user name'],
    // Zalo group codes and Official Account ids.
    ['https://zalo.me/g/abcd1234!', 'not a valid Zalo group code'],
    ['https://zalo.me/g/!abcd1234', 'not a valid Zalo group code'],
    ['https://zalo.me/g/abc', 'not a valid Zalo group code'],
    [`https://zalo.me/g/${'a'.repeat(65)}`, 'not a valid Zalo group code'],
    [`https://oa.zalo.me/${'1'.repeat(21)}`, 'not a numeric Zalo Official Account id'],
    ['https://oa.zalo.me/1336150047301360288x', 'not a numeric Zalo Official Account id'],
    ['https://oa.zalo.me/01336150047301360288', 'not a numeric Zalo Official Account id'],
    ['https://oa.zalo.me/1234567890123', 'not a numeric Zalo Official Account id'],
    ['https://oa.zalo.me', 'names no Zalo account'],
    // X usernames.
    ['https://x.com/some!one', 'not a valid X username'],
    ['https://x.com/!someone', 'not a valid X username'],
  ])('ids and names with junk, or of the wrong length, are refused', (input, reason) => {
    expect(refusal(input).message).toContain(reason);
  });

  table([
    [`https://www.facebook.com/profile.php?id=${'1'.repeat(20)}`, `facebook:id:${'1'.repeat(20)}`],
    ['https://www.facebook.com/profile.php?id=%2012345%20', 'facebook:id:12345'],
    ['https://www.facebook.com/people/Some-One/100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/p/Some-One-12345/', 'facebook:id:12345'],
    ['https://www.facebook.com/pages/Some-One/100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/pages/Some-One-100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/pages/category/Shop/Some-One-100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/pg/100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/pg/some.one/about', 'facebook:someone'],
    ['https://www.facebook.com/watch/100064123456789/', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/watch/some.one/', 'facebook:someone'],
    ['https://www.facebook.com/story.php?story_fbid=1&id=100064123456789', 'facebook:id:100064123456789'],
    ['https://www.facebook.com/some-one', 'INVALID'],
    [`https://www.facebook.com/${'a'.repeat(50)}`, `facebook:${'a'.repeat(50)}`],
    ['https://www.facebook.com/ab', 'facebook:ab'],
    // A username may start or end with digits; only an all-digit one is not a username.
    ['https://www.facebook.com/john.smith55', 'facebook:johnsmith55'],
    ['https://www.facebook.com/55john', 'facebook:55john'],
    [`https://www.facebook.com/groups/${'a'.repeat(100)}`, `facebook:group:${'a'.repeat(100)}`],
    ['https://www.facebook.com/groups/a', 'facebook:group:a'],
    [`https://www.tiktok.com/@${'a'.repeat(24)}`, `tiktok:@${'a'.repeat(24)}`],
    ['https://www.tiktok.com/@ab', 'tiktok:@ab'],
    [`https://www.instagram.com/${'a'.repeat(30)}`, `instagram:${'a'.repeat(30)}`],
    ['https://www.instagram.com/a', 'instagram:a'],
    ['https://www.instagram.com/@some.one', 'instagram:some.one'],
    ['https://www.instagram.com/stories/highlights/123/', 'INVALID'],
    [`https://t.me/a${'b'.repeat(31)}`, `telegram:a${'b'.repeat(31)}`],
    ['https://t.me/abcd', 'telegram:abcd'],
    ['https://t.me/@someone', 'telegram:someone'],
    ['https://t.me/s', 'INVALID'],
    [`https://www.youtube.com/@${'a'.repeat(30)}`, `youtube:@${'a'.repeat(30)}`],
    ['https://www.youtube.com/@abc', 'youtube:@abc'],
    [`https://www.youtube.com/c/${'a'.repeat(100)}`, `youtube:c:${'a'.repeat(100)}`],
    ['https://www.youtube.com/user/a', 'youtube:user:a'],
    ['https://zalo.me/g/abcd', 'zalo:g:abcd'],
    [`https://zalo.me/g/${'a'.repeat(64)}`, `zalo:g:${'a'.repeat(64)}`],
    ['https://zalo.me/13361500473013', 'zalo:oa:13361500473013'],
    [`https://zalo.me/1${'2'.repeat(19)}`, `zalo:oa:1${'2'.repeat(19)}`],
    ['https://oa.zalo.me/13361500473013', 'zalo:oa:13361500473013'],
    ['https://x.com/a', 'x:a'],
    [`https://x.com/${'a'.repeat(15)}`, `x:${'a'.repeat(15)}`],
    ['https://x.com/@someone', 'x:someone'],
    ['https://x.com/intent/follow?screen_name=SomeOne', 'x:someone'],
    ['https://x.com/intent/user?screen_name=%20SomeOne%20', 'x:someone'],
    // screen_name counts on the intent links only.
    ['https://x.com/someone?screen_name=other', 'x:someone'],
  ])('ids and names at their limits are accepted', (input, expected) => {
    if (expected === 'INVALID') refusal(input);
    else expect(keyOf(input)).toBe(expected);
  });

  it('handle forms check the same patterns', () => {
    expect(keyOf({ platform: 'FACEBOOK', handle: '100064123456789' })).toBe('facebook:id:100064123456789');
    expect(keyOf({ platform: 'FACEBOOK', handle: '@100064123456789' })).toBe('facebook:id:100064123456789');
    expect(refusal({ platform: 'FACEBOOK', handle: '012345' }).field).toBe('handle');
    expect(keyOf({ platform: 'YOUTUBE', handle: 'UCxC5Ls6DwqV0e-CYcAKkExQ' })).toBe('youtube:channel:UCxC5Ls6DwqV0e-CYcAKkExQ');
    expect(keyOf({ platform: 'YOUTUBE', handle: 'UCxC5Ls6DwqV0e-CYcAKkExQx' })).toBe('youtube:@ucxc5ls6dwqv0e-cycakkexqx');
    expect(keyOf({ platform: 'ZALO', handle: '13361500473013' })).toBe('zalo:oa:13361500473013');
    expect(refusal({ platform: 'ZALO', handle: 'someone' }).message).toContain('not a Zalo phone number');
    expect(keyOf({ platform: 'THREADS', handle: 'Some.One' })).toBe('threads:some.one');
    expect(refusal({ platform: 'THREADS', handle: '@some..one' }).message).toContain('Threads username');
    expect(refusal({ platform: 'TIKTOK', handle: '@some.one.' }).field).toBe('handle');
  });
});

describe('X intent links', () => {
  table(['https://x.com/intent/user', 'https://x.com/intent/follow', 'https://twitter.com/intent/user?user_id=12'])(
    'an intent link without screen_name is refused with InvalidAccountError, never a TypeError',
    (url) => {
      expect(refusal(url).message).toContain('X page');
    },
  );

  it('only the user and follow intents carry an account', () => {
    expect(refusal('https://x.com/intent/tweet?screen_name=someone').message).toContain('X page');
    expect(refusal('https://x.com/intent?screen_name=someone').message).toContain('X page');
  });
});

describe('which field an error names', () => {
  it('object input: the platform field for a platform problem, the handle field for a handle problem', () => {
    expect(refusal({ platform: 'MYSPACE', handle: 'tom' }).field).toBe('platform');
    expect(refusal({ platform: 42, handle: 'tom' }).field).toBe('platform');
    expect(refusal({ platform: 'FACEBOOK', handle: 'instagram.com/someone' }).field).toBe('platform');
    expect(refusal({ platform: 'FACEBOOK', handle: 'login' }).field).toBe('handle');
    expect(refusal({ platform: 'FACEBOOK', handle: '' }).field).toBe('handle');
    expect(refusal({ platform: 'TIKTOK', handle: 'tiktok.com/foryou' }).field).toBe('handle');
    expect(refusal({ platform: 'ZALO', handle: 'zalo.me/0241234567' }).field).toBe('handle');
    expect(refusal({ platform: 'X', handle: 'https://t.co/abc' }).field).toBe('handle');
    expect(refusal({ platform: 'FACEBOOK', handle: 'https://t.co/abc' }).field).toBe('platform');
    expect(refusal({ platform: 'WEBSITE', handle: 'https://bit.ly/abc' }).field).toBe('handle');
  });

  it('the platform problem is named even when the handle is bad too', () => {
    expect(refusal({ platform: 'MYSPACE', handle: 12 }).field).toBe('platform');
    expect(refusal({ platform: 'MYSPACE', handle: 'x' }).message).toContain('"MYSPACE"');
    expect(refusal({ platform: null, handle: 'x' }).message).toContain('object');
  });

  it('input that is neither a string nor an object names no field: there is no platform or handle to blame', () => {
    for (const input of [null, undefined, 42, true, Symbol('x')]) {
      const error = refusal(input);
      expect(error.field, String(input)).toBeUndefined();
      expect(error.message).toContain('a URL string or an object');
    }
  });

  it('string input names no field', () => {
    expect(refusal('https://www.facebook.com/login').field).toBeUndefined();
    expect(refusal('@someone').field).toBeUndefined();
    expect(refusal('not a url').field).toBeUndefined();
  });

  it('a bare @handle string names no platform', () => {
    expect(refusal('@someone').message).toContain('bare @handle');
    expect(refusal('  @someone  ').message).toContain('bare @handle');
  });
});

describe('cleaning and parsing the text', () => {
  table(['\u00AD', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202C', '\u202E', '\u2060', '\u2062', '\u2064', '\u2066', '\u2068', '\u2069', '\uFEFF'])(
    'every invisible character (soft hyphen, zero-width, bidi controls, BOM) is removed wherever it is',
    (char) => {
      expect(keyOf(`${char}https://fb.com/some${char}one${char}`)).toBe('facebook:someone');
      expect(keyOf({ platform: 'TIKTOK', handle: `@some${char}.one` })).toBe('tiktok:@some.one');
      expect(keyOf(`https://www.facebook.com/${encodeURIComponent(char)}/someone`)).toBe('facebook:someone');
    },
  );

  it('visible characters next to the invisible ranges are kept (and so refused in a username)', () => {
    for (const char of ['\u00AE', '\u2010', '\u2029', '\u2065', '\u206A', '\uFEFE']) {
      refusal(`https://www.tiktok.com/@some${char}one`);
    }
  });

  it('accepts input of exactly the length limit and refuses one character more', () => {
    const base = 'https://example.com/';
    expect(keyOf(base + 'a'.repeat(2048 - base.length))).toBe('website:example.com');
    expect(refusal(base + 'a'.repeat(2049 - base.length)).message).toContain('too long');
    expect(refusal({ platform: 'X', handle: 'a'.repeat(2049) }).message).toContain('too long');
  });

  it('reads scheme-less, protocol-relative and upper-case-scheme links', () => {
    expect(keyOf('//fb.com/someone')).toBe('facebook:someone');
    expect(keyOf({ platform: 'FACEBOOK', handle: '//fb.com/someone' })).toBe('facebook:someone');
    expect(keyOf('HTTPS://FB.COM/someone')).toBe('facebook:someone');
    expect(keyOf('fb.com./someone')).toBe('facebook:someone');
    expect(keyOf('https://fb.com./someone')).toBe('facebook:someone');
    expect(keyOf('https://www.facebook.com//someone//about')).toBe('facebook:someone');
  });

  it('the host of a scheme-less link ends at the first "/", "?" or "#", and a trailing dot does not count', () => {
    for (const handle of ['fb.com?ref=1', 'fb.com#top', 'fb.com./someone', 'FB.COM/someone', 'fb.com/a?b#c']) {
      expect(refusal({ platform: 'INSTAGRAM', handle }).field, handle).toBe('platform');
    }
  });

  it('refuses links that are not plain web addresses', () => {
    // A percent-escape that is not one, anywhere in the path or handle.
    expect(refusal('https://www.facebook.com/%E0%A4%A').message).toContain('malformed percent-escape');
    expect(refusal({ platform: 'FACEBOOK', handle: 'https://www.facebook.com/%ZZsomeone' }).field).toBe('handle');
    // A scheme with nothing valid after it.
    refusal({ platform: 'FACEBOOK', handle: 'https://' });
    refusal({ platform: 'INSTAGRAM', handle: 'http://exa mple.com/x' });
    expect(refusal('example.com:8080/someone').message).toContain('explicit port');
    expect(refusal('https://fb.com:8443/someone').message).toContain('explicit port');
    // The default port is no port at all.
    expect(keyOf('https://fb.com:443/someone')).toBe('facebook:someone');
    expect(refusal('https://user@fb.com/someone').message).toContain('phishing');
    expect(refusal('https://:secret@fb.com/someone').message).toContain('phishing');
    expect(refusal('https://./someone').message).toContain('no host name');
    // A scheme followed by a digit reads as host:port, which is not a valid address here.
    expect(refusal('tel:0901234567').message).toContain('not a valid web address');
    expect(refusal('data:text/html,hello').message).toContain('Only web links');
  });

  it('a link inside the query of a scheme-less link is not its scheme', () => {
    expect(keyOf('fb.com/someone?next=https://x.com/')).toBe('facebook:someone');
    expect(keyOf({ platform: 'TIKTOK', handle: '@some.one?ref=https://x.com/' })).toBe('tiktok:@some.one');
    expect(keyOf({ platform: 'TIKTOK', handle: '@some.one?ref=//x.com/' })).toBe('tiktok:@some.one');
  });

  it('legacy #!/ links are read from the part after #!, and only on the home path', () => {
    expect(keyOf('https://x.com/#!/someone')).toBe('x:someone');
    expect(keyOf('https://www.facebook.com/#!/someone?ref=1')).toBe('facebook:someone');
    expect(keyOf('https://x.com/someone#!/other')).toBe('x:someone');
    expect(refusal('https://x.com/#someone').message).toContain("X's home page");
    expect(refusal('https://x.com/#top/someone').message).toContain("X's home page");
  });
});

describe('Vietnamese phone numbers (Zalo)', () => {
  table(['03', '05', '07', '08', '09'])('mobile prefixes 03, 05, 07, 08 and 09 are accepted', (prefix) => {
    expect(keyOf(`zalo.me/${prefix}12345678`)).toBe(`zalo:phone:84${prefix.slice(1)}12345678`);
  });

  table(['01', '02', '04', '06', '00'])('other prefixes are not mobile numbers', (prefix) => {
    refusal(`zalo.me/${prefix}12345678`);
  });

  table([' ', '.', '-', '(', ')', '\u2010', '\u2012', '\u2013', '\u2014', '\u2015'])('spaces, dots, brackets and every dash separate digits', (sep) => {
    expect(keyOf({ platform: 'ZALO', handle: `090${sep}123${sep}4567` })).toBe('zalo:phone:84901234567');
  });

  it.each([
    ['+84901234567', 'zalo:phone:84901234567'],
    ['0084901234567', 'zalo:phone:84901234567'],
    ['84901234567', 'zalo:phone:84901234567'],
    ['840901234567', 'zalo:phone:84901234567'],
    ['+840901234567', 'zalo:phone:84901234567'],
    ['00840901234567', 'zalo:phone:84901234567'],
  ])('%s → %s', (handle, key) => {
    expect(keyOf({ platform: 'ZALO', handle })).toBe(key);
  });

  it.each([
    ['00901234567', 'wrong length'],
    ['+85901234567', 'country code must be +84'],
    ['+8', 'country code must be +84'],
    ['09+01234567', 'not a Zalo phone number'],
    ['0901234567+', 'not a Zalo phone number'],
    ['+84 90 123 456', 'wrong length'],
    ['8490123456789', 'wrong length'],
    ['849012345678', 'wrong length'],
  ])('%s is refused (%s)', (handle, reason) => {
    expect(refusal({ platform: 'ZALO', handle }).message).toContain(reason);
  });
});
