/**
 * Zalo: personal accounts by phone number (`zalo.me/<phone>`), groups by invite code
 * (`zalo.me/g/<code>`) and Official Accounts by numeric id (`zalo.me/<id>`, `oa.zalo.me/<id>`).
 *
 * Keys: `zalo:phone:84xxxxxxxxx`, `zalo:g:<code>`, `zalo:oa:<id>`.
 *
 * A phone and an OA id are both digits: Vietnamese phone numbers have at most 13 digits even
 * written as 0084…, while OA ids seen in the wild are 16–19 digits (e.g.
 * zalo.me/1336150047301360288), so an all-digit path of 14 or more digits is an OA id and
 * anything shorter, or written with `+`, spaces, dots or dashes, is a phone number.
 *
 * Group invite codes: every code Zalo issues that we have seen is lowercase letters and
 * digits (zalo.me/g/tsrsfm261, zalo.me/g/stmbujxgboawdcem8wjk); no two issued codes differ
 * only by case, so folding to lowercase cannot merge two groups, while it does merge a code
 * someone retyped in capitals with the real one. Decision: case-insensitive, key lowercased.
 */
import { InvalidAccountError } from '../../errors.ts';
import type { NormalizedAccount, PlatformRules } from '../platform.ts';
import type { UrlParts } from '../text.ts';
import { looksLikePhone, normalizeVietnamesePhone } from '../phone.ts';

const GROUP_CODE = /^[a-z0-9]{4,64}$/;
const OA_ID = /^[1-9][0-9]{13,19}$/;

/** zalo.me first segments that are Zalo's own pages. */
const RESERVED: ReadonlySet<string> = new Set(['pc', 'download', 'blog', 'about', 'login', 'help', 'policy', 's', 'app', 'zalo', 'web']);
/** oa.zalo.me first segments of the Official Account console and site. */
const RESERVED_OA: ReadonlySet<string> = new Set(['manage', 'home', 'chat', 'login', 'register', 'api', 'docs']);

function byPhone(text: string): NormalizedAccount {
  const phone = normalizeVietnamesePhone(text);
  return { platform: 'ZALO', key: `zalo:phone:${phone}`, url: `https://zalo.me/${phone}`, handle: phone, idKind: 'phone' };
}

function byOa(id: string): NormalizedAccount {
  return { platform: 'ZALO', key: `zalo:oa:${id}`, url: `https://zalo.me/${id}`, handle: id, idKind: 'id' };
}

function byGroup(raw: string | undefined): NormalizedAccount {
  if (raw === undefined) throw new InvalidAccountError('The Zalo group link has no invite code (zalo.me/g/<code>).');
  const code = raw.toLowerCase();
  if (!GROUP_CODE.test(code)) throw new InvalidAccountError(`"${raw.slice(0, 60)}" is not a valid Zalo group code (4 to 64 letters and digits).`);
  return { platform: 'ZALO', key: `zalo:g:${code}`, url: `https://zalo.me/g/${code}`, handle: code, idKind: 'group' };
}

/** A phone number, or an OA id when it is a long run of plain digits. */
function byNumber(text: string): NormalizedAccount {
  return OA_ID.test(text) ? byOa(text) : byPhone(text);
}

function fromUrl(parts: UrlParts): NormalizedAccount {
  const [first, second] = parts.segments;
  if (first === undefined) throw new InvalidAccountError(`${parts.host} alone names no Zalo account; paste zalo.me/<phone>, zalo.me/g/<code> or the OA link.`);
  const head = first.toLowerCase();
  if (parts.host === 'oa.zalo.me') {
    if (OA_ID.test(first)) return byOa(first);
    if (RESERVED_OA.has(head)) throw new InvalidAccountError(`oa.zalo.me/${head} is a page of the Official Account site, not an account.`);
    throw new InvalidAccountError(`"${first.slice(0, 60)}" is not a numeric Zalo Official Account id; paste the zalo.me/<id> link of the OA.`);
  }
  if (head === 'g') return byGroup(second);
  if (looksLikePhone(first)) return byNumber(first);
  if (RESERVED.has(head)) throw new InvalidAccountError(`zalo.me/${head} is a Zalo page, not an account.`);
  throw new InvalidAccountError(`zalo.me/${first.slice(0, 60)} is neither a phone number, a group (zalo.me/g/<code>) nor an Official Account id.`);
}

function fromHandle(handle: string): NormalizedAccount {
  if (looksLikePhone(handle)) return byNumber(handle);
  throw new InvalidAccountError(`"${handle.slice(0, 60)}" is not a Zalo phone number or Official Account id; for a group give g/<code>.`);
}

/**
 * Zalo's rules.
 *
 * @example
 * zalo.fromHandle('090 123 4567').key // → 'zalo:phone:84901234567'
 */
export const zalo: PlatformRules = {
  platform: 'ZALO',
  label: 'Zalo',
  canonicalHost: 'zalo.me',
  shortLinkHosts: new Set(),
  domains: ['zalo.me', 'zalo.vn', 'zaloapp.com'],
  isAccountHost: (host) => host === 'zalo.me' || host === 'www.zalo.me' || host === 'oa.zalo.me',
  fromUrl,
  fromHandle,
};
