/**
 * The platforms an account can live on, and the types every platform's rules (`./platforms/`)
 * and the normalizer share, kept here so that neither imports the other for them.
 */
import type { UrlParts } from './text.ts';

/** The platforms an account can live on. Mirrors the `Platform` enum of packages/core/prisma/schema.prisma. */
export const Platform = {
  FACEBOOK: 'FACEBOOK',
  ZALO: 'ZALO',
  TIKTOK: 'TIKTOK',
  YOUTUBE: 'YOUTUBE',
  INSTAGRAM: 'INSTAGRAM',
  X: 'X',
  THREADS: 'THREADS',
  TELEGRAM: 'TELEGRAM',
  WEBSITE: 'WEBSITE',
} as const;

export type Platform = (typeof Platform)[keyof typeof Platform];

export const PLATFORMS: readonly Platform[] = Object.values(Platform);

/** True when `value` names a supported platform. */
export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
}

/**
 * What a key's canonical id is: a username/handle, a numeric platform id, a phone number,
 * a group, a channel id, or a web domain.
 *
 * @example
 * const kind: IdKind = 'phone';
 */
export type IdKind = 'handle' | 'id' | 'phone' | 'group' | 'channel' | 'domain';

/**
 * One account, in canonical form.
 *
 * @example
 * const a: NormalizedAccount = {
 *   platform: 'TIKTOK', key: 'tiktok:@some.user', url: 'https://www.tiktok.com/@some.user',
 *   handle: 'some.user', idKind: 'handle',
 * };
 */
export interface NormalizedAccount {
  readonly platform: Platform;
  /**
   * The canonical identity, `<platform lowercased>:<canonical id>`: two inputs name the same
   * account exactly when their keys are equal (as far as can be told without the network).
   */
  readonly key: string;
  /** The canonical https URL; normalizing it again gives the same key. */
  readonly url: string;
  /**
   * The id as people write it, without a leading `@`: the username lowercased (Facebook keeps
   * its dots here), the numeric id, the phone in `84…` form, the group code, the channel id
   * (case kept), or the domain.
   */
  readonly handle: string;
  readonly idKind: IdKind;
}

/**
 * What {@link normalizeAccount} accepts: a URL string, or a platform (case-insensitive name)
 * with a handle, `@handle`, path on that platform, or URL on that platform.
 *
 * @example
 * const a: AccountInput = 'https://zalo.me/0901234567';
 * const b: AccountInput = { platform: 'TIKTOK', handle: '@some.user' };
 */
export type AccountInput = string | { readonly platform: Platform | string; readonly handle: string };

/**
 * The rules of one platform, implemented in `./platforms/<platform>.ts`.
 *
 * @example
 * const rules: PlatformRules = facebook;
 * rules.fromHandle('TinNhiemSo.CanTho').key // → 'facebook:tinnhiemsocantho'
 */
export interface PlatformRules {
  readonly platform: Platform;
  /** The platform's name for messages, e.g. `Facebook`. */
  readonly label: string;
  /** The host used in canonical URLs and for `{ platform, handle: 'path/…' }` input. */
  readonly canonicalHost: string;
  /** Hosts that link to short codes that only the network can resolve. */
  readonly shortLinkHosts: ReadonlySet<string>;
  /** Registrable domains; their hosts that are not account hosts are the platform's services. */
  readonly domains: readonly string[];
  /** True when `host` serves this platform's account pages. */
  isAccountHost(host: string): boolean;
  /** Reads an account from a URL on one of this platform's account hosts. */
  fromUrl(parts: UrlParts): NormalizedAccount;
  /** Reads an account from a bare handle or id (`@name`, `name`, a phone number…). */
  fromHandle(handle: string): NormalizedAccount;
}
