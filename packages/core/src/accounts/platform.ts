/** The platforms an account can live on. Mirrors the `Platform` enum of prisma/schema.prisma. */
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
