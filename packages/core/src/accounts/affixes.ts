/**
 * Impersonators rarely copy a verified handle letter for letter: they add a support word, a
 * year or digits before or after it (`tinnhiemso.cantho.hotro`, `cskh-tinnhiemsocantho`,
 * `tinnhiemso.cantho2024`), or put its words in another order (`cantho.tinnhiemso`). Skeletons
 * (accounts/skeleton.ts) catch spelling tricks only, so this module derives, from the handle
 * asked about, the candidate "cores" a verified name could hide behind: the handle with known
 * affix words and digits stripped at either end, and its separator-delimited words permuted.
 * Each core is then looked up by exact skeleton, an index lookup in the same batched query, so
 * the cost stays per probe, never per verified account.
 *
 * False alarms are kept rare by construction: a core only counts when it is at least
 * {@link MIN_CORE_LENGTH} characters long, is not one common word alone ({@link GENERIC_WORDS}:
 * place names and page topics such as `cantho`, `dulich`), and equals a verified account's
 * skeleton on the same platform exactly. Words that are not in {@link AFFIX_WORDS} are never
 * stripped, so `cantho.news` can never reach `tinnhiemso.cantho`.
 */
import { handleSkeleton } from './skeleton.ts';
import type { NormalizedAccount } from './platform.ts';

/**
 * Words scammers add to a verified name to look like its support desk or its "real" page,
 * written without diacritics as they appear in handles, each with a gloss.
 */
// Stryker disable StringLiteral: the glosses are notes for readers; only the keys (the words) are rules. Restored after GENERIC_WORDS.
export const AFFIX_WORDS: Readonly<Record<string, string>> = {
  // Vietnamese: support and customer care
  hotro: 'hỗ trợ, support',
  cskh: 'chăm sóc khách hàng (abbreviation), customer care',
  chamsockhachhang: 'chăm sóc khách hàng, customer care',
  khachhang: 'khách hàng, customers',
  hotrokhachhang: 'hỗ trợ khách hàng, customer support',
  tuvan: 'tư vấn, advice',
  trogiup: 'trợ giúp, help',
  lienhe: 'liên hệ, contact',
  giaidap: 'giải đáp, answers to questions',
  khieunai: 'khiếu nại, complaints',
  tongdai: 'tổng đài, call centre',
  dichvu: 'dịch vụ, service',
  xacminh: 'xác minh, verification',
  xacthuc: 'xác thực, authentication',
  khoiphuc: 'khôi phục, account recovery',
  hoantien: 'hoàn tiền, refund',
  baomat: 'bảo mật, security',
  // Vietnamese: "the real one"
  chinhthuc: 'chính thức, official',
  chinhchu: 'chính chủ, the owner’s own',
  chinhhang: 'chính hãng, genuine',
  that: 'thật, real',
  quantri: 'quản trị, administration',
  kenh: 'kênh, channel',
  // Vietnamese: the bait of prize, gift and job scams
  trungthuong: 'trúng thưởng, prize won',
  quatang: 'quà tặng, gifts',
  nhanqua: 'nhận quà, claim a gift',
  khuyenmai: 'khuyến mãi, promotion',
  uudai: 'ưu đãi, special offer',
  tritan: 'tri ân, thanking customers',
  sukien: 'sự kiện, event',
  tuyendung: 'tuyển dụng, recruitment',
  // English: support and customer care
  support: 'support',
  help: 'help',
  helpdesk: 'help desk',
  hotline: 'hotline',
  care: 'customer care',
  customercare: 'customer care',
  service: 'service',
  services: 'services',
  contact: 'contact',
  info: 'information',
  center: 'centre',
  verify: 'verification',
  verified: 'verified',
  security: 'security',
  recovery: 'account recovery',
  refund: 'refund',
  giveaway: 'giveaway',
  minigame: 'minigame, a prize quiz',
  event: 'event',
  // English: "the real one"
  official: 'official',
  offical: 'a common misspelling of official',
  ofc: 'official (abbreviation)',
  real: 'real',
  the: 'as in "therealname"',
  admin: 'administrator',
  page: 'page',
  fanpage: 'fan page',
  team: 'team',
  channel: 'channel',
  tv: 'television, used for channels',
  '24h': '24 giờ, around the clock',
  shop: 'shop',
  store: 'store',
  mall: 'mall, as in an official store',
  // The platform's own name, as if the page were its official presence there
  fb: 'Facebook',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  youtube: 'YouTube',
  yt: 'YouTube',
  zalo: 'Zalo',
  ig: 'Instagram',
  // Country
  vn: 'Vietnam (country code)',
  vietnam: 'Vietnam',
};

/**
 * Words that, alone, name a place or a topic rather than someone: a core that is just one of
 * them never ties an account to a verified one, whatever the verified handle is.
 */
export const GENERIC_WORDS: Readonly<Record<string, string>> = {
  cantho: 'Cần Thơ',
  saigon: 'Sài Gòn',
  hanoi: 'Hà Nội',
  danang: 'Đà Nẵng',
  haiphong: 'Hải Phòng',
  angiang: 'An Giang',
  vinhlong: 'Vĩnh Long',
  soctrang: 'Sóc Trăng',
  kiengiang: 'Kiên Giang',
  dongthap: 'Đồng Tháp',
  haugiang: 'Hậu Giang',
  baclieu: 'Bạc Liêu',
  travinh: 'Trà Vinh',
  tiengiang: 'Tiền Giang',
  mientay: 'miền Tây, the Mekong delta',
  mekong: 'Mekong',
  vietnam: 'Vietnam',
  dulich: 'du lịch, travel',
  amthuc: 'ẩm thực, food',
  tintuc: 'tin tức, news',
  review: 'review',
  travel: 'travel',
  online: 'online',
  fanclub: 'fan club',
  thoitrang: 'thời trang, fashion',
  congnghe: 'công nghệ, technology',
  giaitri: 'giải trí, entertainment',
};
// Stryker restore StringLiteral

/** Shorter cores match too much by chance to be worth a warning. */
export const MIN_CORE_LENGTH = 6;
/** Handles with more words than this are not permuted (the permutations grow factorially). */
const MAX_PERMUTED_WORDS = 3;
/** Most cores probed per account, so a long handle cannot blow up a batch's query. */
export const MAX_CORES = 24;
/** Most strip states explored per handle. */
const MAX_STATES = 32;
/** Longer handles are not page names anyone reads; they get no cores. */
const MAX_FOLDED_LENGTH = 96;

/**
 * Shorter affix words are stripped only as whole words: glued on, they would cut Vietnamese
 * syllables (`the` from `thethao`, `that` from `thatlung`). These short ones cannot start or end
 * a Vietnamese syllable, so they are stripped glued on too.
 */
const GLUED_MIN_LENGTH = 5;
const GLUED_SHORT = new Set(['cskh', 'vn', '24h']);

const affixSkeletons = new Set(Object.keys(AFFIX_WORDS).map(handleSkeleton));
const genericSkeletons = new Set(Object.keys(GENERIC_WORDS).map(handleSkeleton));
// Longest first, so `chamsockhachhang` is stripped whole before `khachhang` is tried.
const gluedAffixes = Object.keys(AFFIX_WORDS)
  .filter((w) => w.length >= GLUED_MIN_LENGTH || GLUED_SHORT.has(w))
  .sort((a, b) => b.length - a.length);

/** Lower case, no diacritics, đ as d, every run of separators as one dot. */
function fold(handle: string): string {
  return handle
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/[^\p{L}\p{N}]+/gu, '.')
    .replace(/^\.+|\.+$/g, '');
}

const words = (s: string): string[] => s.split('.').filter(Boolean);
const affixWords = new Set(Object.keys(AFFIX_WORDS));
// Compared as skeletons too, so `h0tro` and `offlcial` count.
const isAffix = (word: string): boolean => affixWords.has(word) || affixSkeletons.has(handleSkeleton(word));
const isAffixOrDigits = (word: string): boolean => /^\d+$/.test(word) || isAffix(word);
const trimDots = (s: string): string => s.replace(/^\.+|\.+$/g, '');

/** The states one strip away from `s`: an affix word or a run of digits removed at either end. */
function stripOnce(s: string): string[] {
  const out: string[] = [];
  const parts = words(s);
  if (parts.length === 0) return out;
  // A whole word at either end that reads as an affix (skeleton-compared, so `h0tro` counts).
  if (parts.length > 1 && isAffix(parts[0]!)) out.push(parts.slice(1).join('.'));
  if (parts.length > 1 && isAffix(parts.at(-1)!)) out.push(parts.slice(0, -1).join('.'));
  // Digits (a year, a counter) at either end, glued on or not.
  out.push(trimDots(s.replace(/^\d+/, '')), trimDots(s.replace(/\d+$/, '')));
  // An affix word glued on without a separator (`hotrotinnhiemso`, `tinnhiemsocskh`).
  const [first, last] = [parts[0]!, parts.at(-1)!];
  for (const word of gluedAffixes) {
    if (first.length > word.length && first.startsWith(word)) out.push(trimDots(s.slice(word.length)));
    if (last.length > word.length && last.endsWith(word)) out.push(trimDots(s.slice(0, -word.length)));
  }
  return out.filter((t) => t !== s && t.length > 0);
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * The skeletons a verified handle could hide behind in this handle: affix words and digits
 * stripped at either end (every combination), affix words dropped anywhere, and the remaining
 * words in every order. Excludes the handle's own skeleton (the typo search covers it), cores
 * shorter than {@link MIN_CORE_LENGTH} and single generic words. Platform-prefixed like
 * `Account.skeleton`.
 *
 * @example impersonationCores(normalizeAccount('fb.com/tinnhiemso.cantho.hotro'))
 * // ['facebook:tlnnhlemsocantho', 'facebook:canthotlnnhlemso', …]
 */
export function impersonationCores(account: Pick<NormalizedAccount, 'platform' | 'handle' | 'idKind'>): string[] {
  if (account.idKind !== 'handle' && account.idKind !== 'group' && account.idKind !== 'domain') return [];
  const start = fold(account.handle);
  if (start.length === 0 || start.length > MAX_FOLDED_LENGTH) return [];
  // Every combination of strips from either end, breadth first.
  const states = [start];
  const seen = new Set(states);
  for (let i = 0; i < states.length && states.length < MAX_STATES; i++) {
    for (const next of stripOnce(states[i]!)) {
      if (!seen.has(next) && states.length < MAX_STATES) {
        seen.add(next);
        states.push(next);
      }
    }
  }
  // Affix and digit words in the middle too (`tinnhiemso.hotro.cantho`).
  const kept = words(start).filter((w) => !isAffixOrDigits(w));
  if (kept.length > 0 && !seen.has(kept.join('.'))) states.push(kept.join('.'));

  const own = handleSkeleton(account.handle);
  const prefix = `${account.platform.toLowerCase()}:`;
  const cores = new Set<string>();
  const add = (parts: readonly string[]): boolean => {
    const core = handleSkeleton(parts.join(''));
    if (core !== own && core.length >= MIN_CORE_LENGTH && !genericSkeletons.has(core) && !affixSkeletons.has(core)) cores.add(prefix + core);
    return cores.size >= MAX_CORES;
  };
  // Stripped cores first (the common scam), then the words of each affix-free state in other
  // orders (an affix word moved about is covered by stripping it).
  for (const state of states) if (add(words(state))) return [...cores];
  for (const state of states) {
    const parts = words(state);
    if (parts.length < 2 || parts.length > MAX_PERMUTED_WORDS || parts.some(isAffixOrDigits)) continue;
    for (const order of permutations(parts)) if (add(order)) return [...cores];
  }
  return [...cores];
}
