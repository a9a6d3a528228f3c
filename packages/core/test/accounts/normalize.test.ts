import { describe, expect, it } from 'vitest';
import { InvalidAccountError } from '../../src/errors.ts';
import { normalizeAccount } from '../../src/accounts/normalize.ts';
import type { NormalizedAccount } from '../../src/accounts/platform.ts';
import { normalizeVietnamesePhone } from '../../src/accounts/phone.ts';
import { table } from '../table.ts';

type Input = Parameters<typeof normalizeAccount>[0];
/** `{ invalid: 'substring of the message' }` marks a row that must throw InvalidAccountError. */
type Expected = string | { readonly invalid: string };
const INVALID = (message: string): Expected => ({ invalid: message });

function failure(input: unknown): InvalidAccountError {
  try {
    normalizeAccount(input as Input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAccountError);
    return error as InvalidAccountError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const FB_ID = '100064123456789';
const CHANNEL = 'UCxC5Ls6DwqV0e-CYcAKkExQ';

const rows: ReadonlyArray<readonly [Input, Expected]> = [
  // ── Facebook: usernames (case and dots do not count) ───────────────────────────
  ['https://m.facebook.com/TinNhiemSo.CanTho/?ref=share', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemsocantho', 'facebook:tinnhiemsocantho'],
  ['facebook.com/Tin.Nhiem.So.Can.Tho', 'facebook:tinnhiemsocantho'],
  ['http://FACEBOOK.COM/tinnhiemso.cantho/', 'facebook:tinnhiemsocantho'],
  ['fb.com/tinnhiemso.cantho', 'facebook:tinnhiemsocantho'],
  ['mbasic.facebook.com/tinnhiemso.cantho?refid=17', 'facebook:tinnhiemsocantho'],
  ['https://web.facebook.com/tinnhiemso.cantho/?_rdc=1&_rdr', 'facebook:tinnhiemsocantho'],
  ['https://touch.facebook.com/tinnhiemso.cantho', 'facebook:tinnhiemsocantho'],
  ['https://business.facebook.com/tinnhiemso.cantho/', 'facebook:tinnhiemsocantho'],
  ['https://vi-vn.facebook.com/tinnhiemso.cantho', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/posts/pfbid02abcXYZ', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/posts/1234567890123456', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/about', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/videos/987654321/', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/photos', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho/reels/', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/tinnhiemso.cantho#section', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/pg/tinnhiemso.cantho/about/', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/#!/tinnhiemso.cantho', 'facebook:tinnhiemsocantho'],
  ['https://www.facebook.com/watch/tinnhiemso.cantho/', 'facebook:tinnhiemsocantho'],
  ['https://m.me/tinnhiemso.cantho', 'facebook:tinnhiemsocantho'],
  ['  https://www.facebook.com/CongAnTPHCM  ', 'facebook:congantphcm'],
  ['https://www.facebook.com/zuck', 'facebook:zuck'],
  // ── Facebook: numeric ids ──────────────────────────────────────────────────────
  [`https://www.facebook.com/profile.php?id=${FB_ID}`, `facebook:id:${FB_ID}`],
  [`https://m.facebook.com/profile.php?id=${FB_ID}&mibextid=ZbWKwL`, `facebook:id:${FB_ID}`],
  [`fb.com/profile.php?sk=about&id=${FB_ID}`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/${FB_ID}`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/people/Tin-Nhiem-So-Can-Tho/${FB_ID}/`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/pages/Tin-Nhiem-So/${FB_ID}`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/pages/category/Government-Organization/Tin-Nhiem-So-${FB_ID}/`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/p/Tin-Nhiem-So-Can-Tho-${FB_ID}/`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/Tin-Nhiem-So-Can-Tho-${FB_ID}/`, `facebook:id:${FB_ID}`],
  [`https://www.facebook.com/permalink.php?story_fbid=pfbid0abc&id=${FB_ID}`, `facebook:id:${FB_ID}`],
  [{ platform: 'FACEBOOK', handle: FB_ID }, `facebook:id:${FB_ID}`],
  // ── Facebook: groups ───────────────────────────────────────────────────────────
  ['https://www.facebook.com/groups/TinNhiemSoVN/', 'facebook:group:tinnhiemsovn'],
  ['https://m.facebook.com/groups/tinnhiemsovn/permalink/123456789/', 'facebook:group:tinnhiemsovn'],
  ['facebook.com/groups/1234567890123/posts/987', 'facebook:group:1234567890123'],
  // ── Facebook: not accounts ─────────────────────────────────────────────────────
  ['https://www.facebook.com/', INVALID("Facebook's home page")],
  ['facebook.com', INVALID("Facebook's home page")],
  ['https://www.facebook.com/login/', INVALID('feature page')],
  ['https://www.facebook.com/marketplace/item/123', INVALID('feature page')],
  ['https://www.facebook.com/watch/?v=123456', INVALID('Watch link')],
  ['https://www.facebook.com/help/1234', INVALID('feature page')],
  ['https://www.facebook.com/settings?tab=account', INVALID('feature page')],
  ['https://www.facebook.com/home.php', INVALID('feature page')],
  ['https://www.facebook.com/share/p/1AbCdEfGh/', INVALID('short link')],
  ['https://www.facebook.com/sharer/sharer.php?u=https://x.com', INVALID('feature page')],
  ['https://www.facebook.com/events/123456789/', INVALID('feature page')],
  ['https://www.facebook.com/hashtag/tinnhiemso', INVALID('feature page')],
  ['https://www.facebook.com/profile.php', INVALID('without an "id=" parameter')],
  ['https://www.facebook.com/profile.php?id=abc', INVALID('not a valid Facebook numeric id')],
  ['https://www.facebook.com/groups/', INVALID('names no group')],
  ['https://www.facebook.com/groups/feed/', INVALID('not a group')],
  ['https://www.facebook.com/tin_nhiem_so', INVALID('not a valid Facebook username')],
  ['https://fb.me/tinnhiemso', INVALID('short link')],
  ['https://fb.watch/abcDEF12/', INVALID('short link')],
  ['https://developers.facebook.com/docs', INVALID('service address')],
  // ── Zalo ───────────────────────────────────────────────────────────────────────
  ['https://zalo.me/0901234567', 'zalo:phone:84901234567'],
  ['zalo.me/84901234567', 'zalo:phone:84901234567'],
  ['zalo.me/+84901234567', 'zalo:phone:84901234567'],
  ['https://zalo.me/%2B84901234567', 'zalo:phone:84901234567'],
  ['zalo.me/84-90-123-4567', 'zalo:phone:84901234567'],
  ['zalo.me/090.123.4567', 'zalo:phone:84901234567'],
  ['zalo.me/0901 234 567', 'zalo:phone:84901234567'],
  ['https://zalo.me/0901%20234%20567?src=qr', 'zalo:phone:84901234567'],
  ['http://www.zalo.me/0084901234567', 'zalo:phone:84901234567'],
  ['zalo.me/0376543210', 'zalo:phone:84376543210'],
  [{ platform: 'ZALO', handle: '+84 (0) 90 123 4567' }, 'zalo:phone:84901234567'],
  [{ platform: 'ZALO', handle: '0901234567' }, 'zalo:phone:84901234567'],
  ['https://zalo.me/g/tsrsfm261', 'zalo:g:tsrsfm261'],
  ['https://zalo.me/g/TSRSFM261/', 'zalo:g:tsrsfm261'],
  [{ platform: 'ZALO', handle: 'g/stmbujxgboawdcem8wjk' }, 'zalo:g:stmbujxgboawdcem8wjk'],
  ['https://zalo.me/1336150047301360288', 'zalo:oa:1336150047301360288'],
  ['https://oa.zalo.me/1336150047301360288', 'zalo:oa:1336150047301360288'],
  ['zalo.me/090123456', INVALID('wrong length')],
  ['zalo.me/09012345678', INVALID('wrong length')],
  ['zalo.me/0241234567', INVALID('not a Vietnamese mobile number')],
  ['zalo.me/+14155550100', INVALID('country code must be +84')],
  ['zalo.me/g/', INVALID('no invite code')],
  ['zalo.me/g/ab!c', INVALID('not a valid Zalo group code')],
  ['zalo.me/tinnhiemso', INVALID('neither a phone number')],
  ['zalo.me/pc', INVALID('Zalo page')],
  ['https://oa.zalo.me/manage/oa', INVALID('Official Account site')],
  ['https://zalo.me', INVALID('names no Zalo account')],
  ['https://id.zalo.me/account/login', INVALID('service address')],
  // ── TikTok ─────────────────────────────────────────────────────────────────────
  ['https://www.tiktok.com/@tinnhiemso.vn', 'tiktok:@tinnhiemso.vn'],
  ['www.tiktok.com/@TinNhiemSo.VN?lang=vi', 'tiktok:@tinnhiemso.vn'],
  ['https://www.tiktok.com/@tinnhiemso.vn/video/7301234567890123456?is_from_webapp=1&sender_device=pc', 'tiktok:@tinnhiemso.vn'],
  ['https://m.tiktok.com/@tinnhiemso.vn/', 'tiktok:@tinnhiemso.vn'],
  ['https://www.tiktok.com/%40tinnhiemso.vn', 'tiktok:@tinnhiemso.vn'],
  ['https://www.tiktok.com/@tinnhiemso.vn/live', 'tiktok:@tinnhiemso.vn'],
  ['tiktok.com/@cong_an_tphcm', 'tiktok:@cong_an_tphcm'],
  [{ platform: 'TIKTOK', handle: '@Some.User' }, 'tiktok:@some.user'],
  [{ platform: 'tiktok', handle: 'some.user' }, 'tiktok:@some.user'],
  ['https://www.tiktok.com/@tinnhiemsovn?_t=8kXyZ&_r=1', 'tiktok:@tinnhiemsovn'],
  ['https://www.tiktok.com/@tinnhiemso.', INVALID('not ending with a period')],
  ['https://www.tiktok.com/@a', INVALID('not a valid TikTok username')],
  ['https://www.tiktok.com/foryou', INVALID('TikTok page')],
  ['https://www.tiktok.com/explore', INVALID('TikTok page')],
  ['https://www.tiktok.com/tinnhiemso', INVALID('tiktok.com/@name')],
  ['https://vt.tiktok.com/ZSabc123/', INVALID('short link')],
  ['https://vm.tiktok.com/ZMabc123/', INVALID('short link')],
  ['https://www.tiktok.com/t/ZTabc123/', INVALID('short link')],
  ['https://www.tiktok.com/', INVALID("TikTok's home page")],
  // ── YouTube ────────────────────────────────────────────────────────────────────
  ['https://www.youtube.com/@TinNhiemSo', 'youtube:@tinnhiemso'],
  ['youtube.com/@tinnhiemso/videos', 'youtube:@tinnhiemso'],
  ['https://m.youtube.com/@TinNhiemSo/shorts?app=desktop', 'youtube:@tinnhiemso'],
  ['https://www.youtube.com/@tinnhiemso/featured#x', 'youtube:@tinnhiemso'],
  ['https://www.youtube.com/@Tiếng-Việt', 'youtube:@tiếng-việt'],
  [`https://www.youtube.com/channel/${CHANNEL}`, `youtube:channel:${CHANNEL}`],
  [`https://WWW.YOUTUBE.COM/channel/${CHANNEL}/videos`, `youtube:channel:${CHANNEL}`],
  [`https://music.youtube.com/channel/${CHANNEL}`, `youtube:channel:${CHANNEL}`],
  [{ platform: 'YOUTUBE', handle: CHANNEL }, `youtube:channel:${CHANNEL}`],
  [{ platform: 'YOUTUBE', handle: `channel/${CHANNEL}` }, `youtube:channel:${CHANNEL}`],
  ['https://www.youtube.com/c/VTV24', 'youtube:c:vtv24'],
  ['https://www.youtube.com/VTV24', 'youtube:c:vtv24'],
  ['https://www.youtube.com/user/BoCongAnVN', 'youtube:user:boconganvn'],
  [`https://www.youtube.com/channel/${CHANNEL.slice(0, 20)}`, INVALID('not a YouTube channel id')],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', INVALID('names no channel')],
  ['https://youtu.be/dQw4w9WgXcQ', INVALID('names no channel')],
  ['https://www.youtube.com/shorts/abc123XYZ', INVALID('names no channel')],
  ['https://www.youtube.com/results?search_query=tin+nhiem', INVALID('not a channel')],
  ['https://www.youtube.com/@ab', INVALID('not a valid YouTube handle')],
  ['https://studio.youtube.com/channel/x', INVALID('service address')],
  // ── Instagram ──────────────────────────────────────────────────────────────────
  ['https://www.instagram.com/tinnhiemso.vn/', 'instagram:tinnhiemso.vn'],
  ['instagram.com/TinNhiemSo.VN?igsh=MWQ1ZGUxMzBkMA==', 'instagram:tinnhiemso.vn'],
  ['https://www.instagram.com/tinnhiemso.vn/reels/', 'instagram:tinnhiemso.vn'],
  ['https://www.instagram.com/tinnhiemso.vn/p/C1a2B3c4D5e/', 'instagram:tinnhiemso.vn'],
  ['https://www.instagram.com/stories/tinnhiemso.vn/3301234567890/', 'instagram:tinnhiemso.vn'],
  ['https://instagr.am/tinnhiemso.vn', 'instagram:tinnhiemso.vn'],
  ['https://www.instagram.com/tinnhiemsovn/', 'instagram:tinnhiemsovn'],
  ['https://www.instagram.com/p/C1a2B3c4D5e/', INVALID('post with no account')],
  ['https://www.instagram.com/reel/C1a2B3c4D5e/', INVALID('post with no account')],
  ['https://www.instagram.com/explore/tags/vietnam/', INVALID('Instagram page')],
  ['https://www.instagram.com/accounts/login/', INVALID('Instagram page')],
  ['https://www.instagram.com/tin..nhiem/', INVALID('twice in a row')],
  ['https://www.instagram.com/.tinnhiem/', INVALID('not a valid Instagram username')],
  // ── X / Twitter ────────────────────────────────────────────────────────────────
  ['https://x.com/BoCongAn', 'x:bocongan'],
  ['https://twitter.com/BoCongAn', 'x:bocongan'],
  ['https://mobile.twitter.com/bocongan/status/1234567890', 'x:bocongan'],
  ['www.x.com/bocongan/with_replies?s=20', 'x:bocongan'],
  ['https://twitter.com/#!/bocongan', 'x:bocongan'],
  ['https://twitter.com/intent/user?screen_name=BoCongAn', 'x:bocongan'],
  [{ platform: 'X', handle: '@BoCongAn' }, 'x:bocongan'],
  ['https://x.com/home', INVALID('X page')],
  ['https://x.com/search?q=abc', INVALID('X page')],
  ['https://x.com/i/lists/123', INVALID('X page')],
  ['https://x.com/this_is_way_too_long_name', INVALID('not a valid X username')],
  ['https://x.com/bo.cong.an', INVALID('not a valid X username')],
  ['https://t.co/AbCdEf', INVALID('short link')],
  // ── Threads ────────────────────────────────────────────────────────────────────
  ['https://www.threads.net/@tinnhiemso.vn', 'threads:tinnhiemso.vn'],
  ['https://www.threads.com/@TinNhiemSo.VN/post/C1a2B3c4D5e', 'threads:tinnhiemso.vn'],
  ['threads.net/@tinnhiemso.vn?hl=vi', 'threads:tinnhiemso.vn'],
  ['https://www.threads.net/tinnhiemso.vn', INVALID('threads.com/@name')],
  ['https://www.threads.net/login', INVALID('Threads page')],
  // ── Telegram ───────────────────────────────────────────────────────────────────
  ['https://t.me/TinNhiemSo', 'telegram:tinnhiemso'],
  ['t.me/tinnhiemso/1234', 'telegram:tinnhiemso'],
  ['https://t.me/s/tinnhiemso', 'telegram:tinnhiemso'],
  ['https://telegram.me/tinnhiemso', 'telegram:tinnhiemso'],
  ['https://tinnhiemso.t.me', 'telegram:tinnhiemso'],
  [{ platform: 'TELEGRAM', handle: '@TinNhiemSo' }, 'telegram:tinnhiemso'],
  ['https://t.me/joinchat/AAAAAEabc123', INVALID('private invite')],
  ['https://t.me/+AbCdEf123456', INVALID('private invite')],
  ['https://t.me/c/1234567890/55', INVALID('private chat')],
  ['https://t.me/addstickers/funny', INVALID('feature link')],
  ['https://t.me/abc', INVALID('not a valid Telegram username')],
  ['https://t.me/1tinnhiemso', INVALID('starting with a letter')],
  // ── Websites ───────────────────────────────────────────────────────────────────
  ['https://tinnhiemmang.vn', 'website:tinnhiemmang.vn'],
  ['https://www.TinNhiemMang.vn/danh-sach?page=2#top', 'website:tinnhiemmang.vn'],
  ['http://tinnhiemmang.vn/', 'website:tinnhiemmang.vn'],
  ['canhbao.khonggianmang.vn', 'website:canhbao.khonggianmang.vn'],
  ['https://bộcôngan.vn/', 'website:xn--bcngan-jxa6332d.vn'],
  ['http://www.Bücher.de/', 'website:xn--bcher-kva.de'],
  [{ platform: 'WEBSITE', handle: 'tinnhiemmang.vn' }, 'website:tinnhiemmang.vn'],
  ['https://192.168.1.1/admin', INVALID('IP address')],
  ['http://localhost/', INVALID('local host name')],
  ['https://intranet/', INVALID('not a valid public domain')],
  ['https://bit.ly/3abcDEF', INVALID('short links need the network')],
  ['https://tinyurl.com/abc123', INVALID('short links need the network')],
  ['https://linktr.ee/tinnhiemso', INVALID('cannot identify one account')],
  ['https://example.com:8443/', INVALID('explicit port')],
  // ── Garbage and malformed input ────────────────────────────────────────────────
  ['', INVALID('empty')],
  ['   \u200B\u200E  ', INVALID('empty')],
  ['@tinnhiemso', INVALID('bare @handle')],
  ['mailto:contact@tinnhiemmang.vn', INVALID('Only web links')],
  ['javascript:alert(1)', INVALID('Only web links')],
  ['ftp://tinnhiemmang.vn/file', INVALID('Only web links')],
  ['https://', INVALID('not a valid web address')],
  ['https://facebook.com@evil.example/tinnhiemso', INVALID('phishing')],
  ['https://www.facebook.com/%E0%A4%A', INVALID('malformed percent-escape')],
  ['tin nhiem so', INVALID('not a valid web address')],
  ['x'.repeat(2049), INVALID('too long')],
  [{ platform: 'MYSPACE', handle: 'tom' }, INVALID('Unknown platform')],
  [{ platform: 'FACEBOOK', handle: 'https://www.tiktok.com/@tinnhiemso' }, INVALID('platform given is Facebook')],
  [{ platform: 'TIKTOK', handle: 'https://tinnhiemmang.vn' }, INVALID('a website but the platform given is TikTok')],
  [{ platform: 'WEBSITE', handle: 'https://t.me/tinnhiemso' }, INVALID('platform given is website')],
];

describe('normalizeAccount: table of real-looking inputs', () => {
  it('has a large table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(120);
  });

  table(rows)('every row', (input, expected) => {
    if (typeof expected === 'string') {
      const account = normalizeAccount(input);
      expect(account.key).toBe(expected);
      expect(account.platform.toLowerCase()).toBe(expected.slice(0, expected.indexOf(':')));
      // Idempotence: the canonical URL is another spelling of the same account.
      expect(normalizeAccount(account.url).key).toBe(expected);
      expect(account.url.startsWith('https://')).toBe(true);
    } else {
      const error = failure(input);
      expect(error.code).toBe('INVALID_ACCOUNT');
      expect(error.message).toContain(expected.invalid);
    }
  });
});

describe('normalizeAccount: the full result', () => {
  it('matches the documented Facebook example, dots kept in handle and url, dropped from the key', () => {
    expect(normalizeAccount('https://m.facebook.com/TinNhiemSo.CanTho/?ref=share')).toEqual<NormalizedAccount>({
      platform: 'FACEBOOK',
      key: 'facebook:tinnhiemsocantho',
      url: 'https://www.facebook.com/tinnhiemso.cantho',
      handle: 'tinnhiemso.cantho',
      idKind: 'handle',
    });
  });

  table<readonly [Input, NormalizedAccount]>([
    [`fb.com/profile.php?id=${FB_ID}`, { platform: 'FACEBOOK', key: `facebook:id:${FB_ID}`, url: `https://www.facebook.com/profile.php?id=${FB_ID}`, handle: FB_ID, idKind: 'id' }],
    ['facebook.com/groups/TinNhiemSoVN', { platform: 'FACEBOOK', key: 'facebook:group:tinnhiemsovn', url: 'https://www.facebook.com/groups/tinnhiemsovn', handle: 'tinnhiemsovn', idKind: 'group' }],
    ['zalo.me/0901234567', { platform: 'ZALO', key: 'zalo:phone:84901234567', url: 'https://zalo.me/84901234567', handle: '84901234567', idKind: 'phone' }],
    ['zalo.me/g/AbC123x', { platform: 'ZALO', key: 'zalo:g:abc123x', url: 'https://zalo.me/g/abc123x', handle: 'abc123x', idKind: 'group' }],
    [{ platform: 'TIKTOK', handle: '@Some.User' }, { platform: 'TIKTOK', key: 'tiktok:@some.user', url: 'https://www.tiktok.com/@some.user', handle: 'some.user', idKind: 'handle' }],
    [`youtube.com/channel/${CHANNEL}`, { platform: 'YOUTUBE', key: `youtube:channel:${CHANNEL}`, url: `https://www.youtube.com/channel/${CHANNEL}`, handle: CHANNEL, idKind: 'channel' }],
    ['x.com/BoCongAn', { platform: 'X', key: 'x:bocongan', url: 'https://x.com/bocongan', handle: 'bocongan', idKind: 'handle' }],
    ['https://www.threads.net/@Tin.Nhiem', { platform: 'THREADS', key: 'threads:tin.nhiem', url: 'https://www.threads.com/@tin.nhiem', handle: 'tin.nhiem', idKind: 'handle' }],
    ['WWW.Example.COM/about', { platform: 'WEBSITE', key: 'website:example.com', url: 'https://example.com/', handle: 'example.com', idKind: 'domain' }],
  ])('full results', (input, expected) => {
    expect(normalizeAccount(input)).toEqual(expected);
  });

  it('keeps the case of YouTube channel ids: two ids differing only by case are two channels', () => {
    const a = normalizeAccount(`https://www.youtube.com/channel/${CHANNEL}`);
    const b = normalizeAccount(`https://www.youtube.com/channel/${CHANNEL.replace('xC5', 'XC5')}`);
    expect(a.key).not.toBe(b.key);
  });

  it('tells Instagram dots apart, unlike Facebook', () => {
    expect(normalizeAccount('instagram.com/tin.nhiem').key).not.toBe(normalizeAccount('instagram.com/tinnhiem').key);
    expect(normalizeAccount('facebook.com/tin.nhiem').key).toBe(normalizeAccount('facebook.com/tinnhiem').key);
    expect(normalizeAccount('tiktok.com/@tin_nhiem').key).not.toBe(normalizeAccount('tiktok.com/@tinnhiem').key);
  });
});

describe('normalizeAccount: many spellings, one key', () => {
  const groups: ReadonlyArray<readonly [string, readonly Input[]]> = [
    ['facebook:tinnhiemsocantho', [
      'https://m.facebook.com/TinNhiemSo.CanTho/?ref=share',
      'facebook.com/tinnhiemsocantho',
      'FB.COM/TINNHIEMSO.CANTHO',
      'https://www.facebook.com/tinnhiemso.cantho/posts/123456',
      '\u200Bhttps://www.facebook.com/tinnhiemso\u200C.cantho\uFEFF',
      '\u202Ehttps://mbasic.facebook.com/tinnhiemso.cantho/about?refid=1\u202C',
      'https://www.facebook.com/t%69nnhiemso.cantho',
      '\tfacebook.com/tinnhiemso.cantho\n',
      { platform: 'FACEBOOK', handle: 'TinNhiemSo.CanTho' },
      { platform: 'FACEBOOK', handle: '@tinnhiemsocantho' },
      { platform: 'FACEBOOK', handle: 'https://web.facebook.com/tinnhiemso.cantho' },
    ]],
    ['zalo:phone:84901234567', [
      'zalo.me/0901234567', 'zalo.me/84901234567', 'zalo.me/+84901234567', 'zalo.me/%2B84901234567',
      'zalo.me/84-90-123-4567', 'zalo.me/090.123.4567', 'zalo.me/0901 234 567', 'https://zalo.me/(+84) 90 123 4567',
      { platform: 'ZALO', handle: '090-123-4567' }, { platform: 'ZALO', handle: 'https://zalo.me/0901234567' },
    ]],
    ['tiktok:@tinnhiemso.vn', [
      'https://www.tiktok.com/@tinnhiemso.vn', 'tiktok.com/@TinNhiemSo.VN', 'm.tiktok.com/@tinnhiemso.vn/video/1?lang=vi',
      { platform: 'TIKTOK', handle: 'tinnhiemso.vn' }, { platform: 'TIKTOK', handle: '@TINNHIEMSO.VN' },
    ]],
    // NFC (precomposed "ế") and NFD ("e" + U+0302 + U+0301) spell the same handle.
    ['youtube:@tiếngviệt', [
      'https://www.youtube.com/@Tiếngviệt', 'https://www.youtube.com/@Tie\u0302\u0301ngvie\u0323\u0302t/videos',
      'youtube.com/@TI%E1%BA%BENGVI%E1%BB%86T', { platform: 'YOUTUBE', handle: '@tiếngviệt' },
    ]],
    ['website:tinnhiemmang.vn', [
      'tinnhiemmang.vn', 'http://TINNHIEMMANG.VN/', 'https://www.tinnhiemmang.vn/ve-chung-toi?utm_source=fb', 'tinnhiemmang.vn.',
    ]],
  ];

  table(groups)('each group', (key, spellings) => {
    for (const spelling of spellings) expect(normalizeAccount(spelling).key, JSON.stringify(spelling)).toBe(key);
  });
});

describe('normalizeAccount: bad input types', () => {
  it.each([null, undefined, 42, true, Symbol('x'), () => 'facebook.com/x', ['facebook.com/x']])('rejects %s with InvalidAccountError', (input) => {
    expect(failure(input).code).toBe('INVALID_ACCOUNT');
  });

  it('rejects objects without a string handle, naming the field', () => {
    expect(failure({ platform: 'FACEBOOK' }).field).toBe('handle');
    expect(failure({ platform: 'FACEBOOK', handle: 12 }).field).toBe('handle');
    expect(failure({ handle: 'x' }).field).toBe('platform');
  });

  it('survives a throwing getter', () => {
    const evil = { platform: 'FACEBOOK', get handle(): string { throw new TypeError('boom'); } };
    expect(failure(evil).field).toBe('handle');
  });
});

describe('normalizeVietnamesePhone', () => {
  it.each([
    ['0901234567', '84901234567'], ['84901234567', '84901234567'], ['+84901234567', '84901234567'],
    ['0084 90 123 4567', '84901234567'], ['+84 (0) 90 123 4567', '84901234567'], ['0981.234.567', '84981234567'],
    ['0321234567', '84321234567'], ['0521234567', '84521234567'], ['0701234567', '84701234567'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeVietnamesePhone(input)).toBe(expected);
  });

  it.each([['090123456', 'wrong length'], ['8490123456', 'wrong length'], ['0123456789', 'not a Vietnamese mobile'], ['+1 415 555 0100', 'country code'], ['0901abc567', 'not a phone number'], ['901234567', 'leading 0, 84 or +84']])(
    '%s is rejected (%s)',
    (input, message) => {
      expect(() => normalizeVietnamesePhone(input)).toThrow(message);
    },
  );
});
