import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidAccountError } from '../../src/errors.ts';
import { normalizeAccount } from '../../src/accounts/normalize.ts';
import { PLATFORMS } from '../../src/accounts/platform.ts';

/** Characters that must make no difference anywhere in the input. */
const INVISIBLES = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

/** A generated account: some spelling of it, and the key a model of the platform rules predicts. */
interface Generated {
  readonly input: string;
  readonly key: string;
}

const tail = fc.constantFrom('', '/', '?ref=share', '/?utm_source=zalo&fbclid=IwAR0abc', '#top', '/?lang=vi#x');
const scheme = fc.constantFrom('https://', 'http://', '', 'HTTPS://', '//');

/** Randomly upper-cases letters of `s` (for hosts and case-insensitive names). */
const mixCase = (s: string): fc.Arbitrary<string> => fc.mixedCase(fc.constant(s));

const facebookName = fc.stringMatching(/^[a-z][a-z0-9]{3,15}(\.[a-z0-9]{1,8}){0,2}$/);
const facebook: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('facebook.com', 'www.facebook.com', 'm.facebook.com', 'mbasic.facebook.com', 'web.facebook.com', 'fb.com'), facebookName, fc.constantFrom('', '/posts/123', '/about', '/videos/456/', '/reels/'), tail)
  .chain(([s, host, name, sub, t]) =>
    fc.tuple(mixCase(host), mixCase(name)).map(([h, n]) => ({ input: `${s}${h}/${n}${sub}${t}`, key: `facebook:${name.replaceAll('.', '')}` })),
  );

const facebookId: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.stringMatching(/^[1-9][0-9]{4,16}$/), fc.constantFrom('profile', 'people', 'pages', 'bare', 'p'))
  .map(([s, id, form]) => {
    const path = { profile: `profile.php?id=${id}`, people: `people/Tin-Nhiem/${id}/`, pages: `pages/Tin-Nhiem/${id}`, bare: id, p: `p/Tin-Nhiem-${id}/` }[form];
    return { input: `${s}www.facebook.com/${path}`, key: `facebook:id:${id}` };
  });

const mobile = fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^[0-9]{8}$/)).map(([a, b]) => `${a}${b}`);
const zaloPhone: fc.Arbitrary<Generated> = fc
  .tuple(scheme, mobile, fc.constantFrom('0', '84', '+84', '%2B84', '0084'), fc.constantFrom('', '-', '.', ' ', '%20'))
  .map(([s, national, prefix, sep]) => {
    const written = `${prefix}${national.slice(0, 2)}${sep}${national.slice(2, 5)}${sep}${national.slice(5)}`;
    return { input: `${s}zalo.me/${written}`, key: `zalo:phone:84${national}` };
  });

const zaloGroup: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.stringMatching(/^[a-z0-9]{6,20}$/))
  .chain(([s, code]) => mixCase(code).map((c) => ({ input: `${s}zalo.me/g/${c}`, key: `zalo:g:${code}` })));

const tiktok: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('tiktok.com', 'www.tiktok.com', 'm.tiktok.com'), fc.stringMatching(/^[a-z0-9_][a-z0-9._]{0,20}[a-z0-9_]$/), fc.constantFrom('', '/video/7301234567890', '/live'), tail)
  .chain(([s, host, name, sub, t]) => mixCase(name).map((n) => ({ input: `${s}${host}/@${n}${sub}${t}`, key: `tiktok:@${name}` })));

const youtubeHandle: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('youtube.com', 'www.youtube.com', 'm.youtube.com'), fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{2,28}$/), fc.constantFrom('', '/videos', '/shorts', '/featured'), tail)
  .chain(([s, host, name, sub, t]) => mixCase(name).map((n) => ({ input: `${s}${host}/@${n}${sub}${t}`, key: `youtube:@${name}` })));

const youtubeChannel: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.stringMatching(/^UC[A-Za-z0-9_-]{22}$/), fc.constantFrom('', '/videos', '/about'), tail)
  .map(([s, id, sub, t]) => ({ input: `${s}www.youtube.com/channel/${id}${sub}${t}`, key: `youtube:channel:${id}` }));

const instagram: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.stringMatching(/^[a-z_][a-z0-9_]{3,12}(\.[a-z0-9_]{1,8})?$/), fc.constantFrom('', '/reels/', '/tagged/', '/p/C1a2B3c4D5e/'), tail)
  .chain(([s, name, sub, t]) => mixCase(name).map((n) => ({ input: `${s}www.instagram.com/${n}${sub}${t}`, key: `instagram:${name}` })));

const xAccount: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('x.com', 'twitter.com', 'mobile.twitter.com', 'www.x.com'), fc.stringMatching(/^[a-z_][a-z0-9_]{4,14}$/), fc.constantFrom('', '/status/123', '/media'), tail)
  .chain(([s, host, name, sub, t]) => mixCase(name).map((n) => ({ input: `${s}${host}/${n}${sub}${t}`, key: `x:${name}` })));

const threadsAccount: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('threads.net', 'www.threads.net', 'threads.com', 'www.threads.com'), fc.stringMatching(/^[a-z_][a-z0-9_]{3,12}(\.[a-z0-9_]{1,8})?$/), tail)
  .map(([s, host, name, t]) => ({ input: `${s}${host}/@${name}${t}`, key: `threads:${name}` }));

const telegramAccount: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('t.me/', 't.me/s/', 'telegram.me/'), fc.stringMatching(/^[a-z][a-z0-9_]{5,30}$/), fc.constantFrom('', '/123'))
  .chain(([s, prefix, name, sub]) => mixCase(name).map((n) => ({ input: `${s}${prefix}${n}${sub}`, key: `telegram:${name}` })));

const websiteAccount: fc.Arbitrary<Generated> = fc
  .tuple(scheme, fc.constantFrom('', 'www.'), fc.stringMatching(/^[a-z][a-z0-9]{2,12}(-[a-z0-9]{1,8})?$/), fc.constantFrom('vn', 'com.vn', 'gov.vn', 'org', 'net'), fc.constantFrom('', '/gioi-thieu', '/a/b?c=d'))
  .map(([s, www, label, tld, path]) => ({ input: `${s}${www}${label}.${tld}${path}`, key: `website:${label}.${tld}` }));

const anyAccount = fc.oneof(facebook, facebookId, zaloPhone, zaloGroup, tiktok, youtubeHandle, youtubeChannel, instagram, xAccount, threadsAccount, telegramAccount, websiteAccount);

/** Calls normalizeAccount; fails the property if it throws anything but InvalidAccountError. */
function attempt(input: unknown): ReturnType<typeof normalizeAccount> | undefined {
  try {
    return normalizeAccount(input as Parameters<typeof normalizeAccount>[0]);
  } catch (error) {
    if (!(error instanceof InvalidAccountError)) throw new Error(`threw a non-InvalidAccountError for ${JSON.stringify(input)}: ${String(error)}`);
    return undefined;
  }
}

describe('normalizeAccount properties', () => {
  it('(1) generated spellings land on the key the platform rules predict, and the canonical url gives it back', () => {
    fc.assert(
      fc.property(anyAccount, ({ input, key }) => {
        const account = normalizeAccount(input);
        expect(account.key).toBe(key);
        const again = normalizeAccount(account.url);
        expect(again).toEqual(account);
      }),
      { numRuns: 2000 },
    );
  });

  it('(2) no string input throws anything but InvalidAccountError, and any accepted input is idempotent', () => {
    const prefixes = fc.constantFrom('', 'https://', 'http://', 'facebook.com/', 'm.facebook.com/profile.php?id=', 'zalo.me/', 'zalo.me/g/', 'tiktok.com/@', 'youtube.com/', 'youtube.com/channel/', 'instagram.com/', 'x.com/', 'threads.net/@', 't.me/', '//', 'www.', '@', 'https://xn--', 'https://[', 'https://a@b/');
    const invisible = fc.constantFrom(...INVISIBLES);
    const junk = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.tuple(prefixes, fc.string({ unit: 'binary', maxLength: 40 })).map(([p, s]) => p + s),
      fc.tuple(prefixes, fc.array(fc.oneof(fc.string({ maxLength: 6 }), invisible, fc.constantFrom('%', '%2', '%E0%A4', '/', '.', '?id=', '#!/', '+84', ':80', '%00')), { maxLength: 12 })).map(([p, parts]) => p + parts.join('')),
    );
    fc.assert(
      fc.property(junk, (input) => {
        const account = attempt(input);
        if (account !== undefined) {
          expect(account.key.startsWith(`${account.platform.toLowerCase()}:`)).toBe(true);
          expect(normalizeAccount(account.url).key).toBe(account.key);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('(2b) no object input throws anything but InvalidAccountError', () => {
    const objects = fc.oneof(
      fc.record({ platform: fc.constantFrom(...PLATFORMS, 'facebook', 'junk', ''), handle: fc.oneof(fc.string({ unit: 'binary' }), fc.webUrl(), fc.stringMatching(/^@?[a-zA-Z0-9._]{0,20}$/)) }),
      fc.record({ platform: fc.anything(), handle: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    fc.assert(fc.property(objects, (input) => void attempt(input)), { numRuns: 3000 });
  });

  it('(3) zero-width and bidi characters anywhere, and the case of the host, do not change the key', () => {
    fc.assert(
      fc.property(anyAccount, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { minLength: 1, maxLength: 6 }), fc.boolean(), ({ input, key }, inserts, upperHost) => {
        let spelled = input;
        if (upperHost) {
          const start = spelled.indexOf('//') >= 0 ? spelled.indexOf('//') + 2 : 0;
          const end = spelled.indexOf('/', start) >= 0 ? spelled.indexOf('/', start) : spelled.length;
          spelled = spelled.slice(0, start) + spelled.slice(start, end).toUpperCase() + spelled.slice(end);
        }
        for (const [at, char] of inserts) {
          const i = at % (spelled.length + 1);
          spelled = spelled.slice(0, i) + char + spelled.slice(i);
        }
        expect(normalizeAccount(spelled).key).toBe(key);
      }),
      { numRuns: 1500 },
    );
  });

  it('(4) very long input is rejected quickly', () => {
    const bodies = fc.constantFrom('a', '.', '%', '%2', '@', '/', '\u200B', 'ế', 'e\u0301', '0', 'a.');
    fc.assert(
      fc.property(bodies, fc.constantFrom('', 'https://www.facebook.com/', 'zalo.me/', 'https://'), (body, prefix) => {
        const input = prefix + body.repeat(Math.ceil(100_000 / body.length));
        const started = performance.now();
        expect(() => normalizeAccount(input)).toThrow(/too long/);
        expect(() => normalizeAccount({ platform: 'FACEBOOK', handle: input })).toThrow(/too long/);
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 50 },
    );
  });

  it('(4b) input just under the limit is handled quickly whatever it holds', () => {
    const bodies = fc.constantFrom('a', '.', '%', '@', '/', '\u200B', 'ế', '0', 'a.', '-1', '_');
    fc.assert(
      fc.property(bodies, fc.constantFrom('', 'https://www.facebook.com/', 'https://www.youtube.com/@', 'zalo.me/', 'https://a.b/', 'https://'), (body, prefix) => {
        const input = (prefix + body.repeat(2048)).slice(0, 2048);
        const started = performance.now();
        attempt(input);
        expect(performance.now() - started).toBeLessThan(50);
      }),
      { numRuns: 80 },
    );
  });
});
