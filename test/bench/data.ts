/**
 * Deterministic bench data, bulk-loaded straight into the registry's tables (the ones the
 * migrator created from packages/core/prisma/schema.prisma) with multi-row `INSERT … SELECT FROM unnest(…)`
 * in chunks of `chunk` rows.
 *
 * Every value is a pure function of (seed, table, row index) through `uniform`, so the same
 * seed gives the same rows in any order of generation; only the dates move with the day of the
 * run (everything is placed relative to `anchor`, the start of the current UTC day, so that
 * badges are valid whenever the bench runs).
 *
 * Shape, for A accounts and M members (default 300,000 and 100,000):
 * - Member: M rows, ~88% ACTIVE, 5% PENDING, 3% SUSPENDED, 1% EXPELLED, 3% WITHDRAWN, each with
 *   its MemberStatusEvent history (PENDING → ACTIVE → final status);
 * - one published PledgeVersion, one PledgeSignature per member that was ever activated;
 * - Badge: one per activated member (15% have a second program), with BadgeEvent rows: ISSUE,
 *   then for some SUSPEND or REVOKE (mostly ACTIVE); badges of suspended/expelled members follow
 *   the member;
 * - Account: A rows across the nine platforms (Facebook 40%, TikTok 20%, YouTube 12% …), account
 *   i administered by member i mod M; its AccountIdentifier (`key` and `activeKey` exactly as
 *   `normalizeAccount(url).key` gives them; 1% were renamed and keep a retired identifier);
 *   AccountAdmin with ownership VERIFIED for 95% (plus an OwnershipEvent history), and for 2% a
 *   second, unverified admin;
 * - Flag: A/300 flagged scam pages (no account), 10% of them lifted.
 */
import { foldForSearch, normalizeAccount, type Platform } from '@trust-alliance/core';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, hash32, uniform, weighted } from './common.ts';

export interface DataShape {
  accounts: number;
  members: number;
  seed: number;
}

/** What the generator needs to run SQL: the registry's raw executor (`registryInternals(registry).db.sql` of `@trust-alliance/core/testing`). */
export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface LoadReport {
  rows: Record<string, number>;
  totalRows: number;
  /** Inserting the rows (secondary indexes dropped). */
  loadMs: number;
  /** Re-creating the secondary indexes, exactly as the migrations defined them. */
  indexMs: number;
  indexes: number;
  analyzeMs: number;
  anchor: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

// Salts: one per decision, so decisions are independent.
const S = {
  memberKind: 1, memberStatus: 2, memberCreated: 3, memberActivated: 4, memberEnd: 5, memberName: 6, memberProvince: 7,
  badgeCount: 10, badgeIssued: 11, badgeFate: 12, badgeFateAt: 13,
  platform: 20, accountCreated: 21, renamed: 22, ownership: 23, ownershipAt: 24, secondAdmin: 25,
  flagCategory: 30, flagCreated: 31, flagLifted: 32,
  query: 40, queryPick: 41, querySpelling: 42,
  zipf: 50, zipfSpelling: 51,
} as const;

const PLATFORM_WEIGHTS: ReadonlyArray<readonly [Platform, number]> = [
  ['FACEBOOK', 40], ['TIKTOK', 20], ['YOUTUBE', 12], ['INSTAGRAM', 8], ['ZALO', 8], ['X', 4], ['THREADS', 3], ['TELEGRAM', 3], ['WEBSITE', 2],
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Hữu', 'Thanh', 'Đức', 'Thu', 'Quốc', 'Bảo'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Phương', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy'];
const PROVINCES = ['Hà Nội', 'TP. Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Huế', 'Khánh Hòa', 'Lâm Đồng', 'Nghệ An', 'Quảng Ninh', 'Đồng Nai', 'Bình Dương'];

/** Deterministic UUID-shaped ids: table tag and row index (time-ordered like uuid v7 in a batch). */
export function benchId(tag: number, index: number): string {
  const t = tag.toString(16).padStart(4, '0');
  const n = index.toString(16).padStart(12, '0');
  return `0197${t}-0000-7000-8000-${n}`;
}

function stamp(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace('Z', '');
}

/** The start of the current UTC day: every date of the data is placed relative to it. */
export function dataAnchor(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

// ---------------------------------------------------------------- members

type MemberStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPELLED' | 'WITHDRAWN';
interface MemberFacts {
  id: string;
  kind: string;
  displayName: string;
  province: string | null;
  status: MemberStatus;
  createdAt: number;
  activatedAt: number | null;
  endAt: number | null;
}

function memberFacts(shape: DataShape, anchor: number, m: number): MemberFacts {
  const u = (salt: number, draw = 0) => uniform(shape.seed, salt, m, draw);
  const kind = weighted(u(S.memberKind), [['KOL', 50], ['PAGE_ADMIN', 25], ['GROUP_ADMIN', 10], ['BUSINESS', 10], ['AGENCY', 5]] as const);
  const status = weighted<MemberStatus>(u(S.memberStatus), [['ACTIVE', 88], ['PENDING', 5], ['SUSPENDED', 3], ['EXPELLED', 1], ['WITHDRAWN', 3]]);
  const createdAt = anchor - (60 + u(S.memberCreated) * 640) * DAY;
  const activatedAt = status === 'PENDING' ? null : createdAt + (3 + u(S.memberActivated) * 27) * DAY;
  const endAt = status === 'SUSPENDED' || status === 'EXPELLED' || status === 'WITHDRAWN' ? activatedAt! + DAY + u(S.memberEnd) * (anchor - activatedAt! - 2 * DAY) : null;
  const name = `${FAMILY[Math.floor(u(S.memberName, 0) * FAMILY.length)]} ${MIDDLE[Math.floor(u(S.memberName, 1) * MIDDLE.length)]} ${GIVEN[Math.floor(u(S.memberName, 2) * GIVEN.length)]}`;
  const displayName = kind === 'BUSINESS' ? `Công ty ${GIVEN[Math.floor(u(S.memberName, 3) * GIVEN.length)]} ${m}` : `${name} ${m}`;
  const p = u(S.memberProvince);
  const province = p < 0.1 ? null : PROVINCES[Math.floor(p * PROVINCES.length)]!;
  return { id: benchId(1, m), kind, displayName, province, status, createdAt, activatedAt, endAt };
}

// ---------------------------------------------------------------- accounts and query URLs

/**
 * The URL an account was registered with: `https://www.facebook.com/kol.<i><abc>` and so on.
 * The three letters (a hash of i) keep handles from being one edit apart from their neighbours
 * (kol.12 / kol.123), which real handles rarely are and which the lookalike search would find.
 */
export function accountUrl(shape: DataShape, i: number, previous = false): { platform: Platform; url: string } {
  const platform = weighted(uniform(shape.seed, S.platform, i), PLATFORM_WEIGHTS);
  const h = hash32(shape.seed, 99, i);
  // A previous handle ends in a digit instead, so it is no one's current handle.
  const tag = String.fromCharCode(97 + (h % 26), 97 + ((h >>> 8) % 26)) + (previous ? '9' : String.fromCharCode(97 + ((h >>> 16) % 26)));
  switch (platform) {
    case 'FACEBOOK': return { platform, url: `https://www.facebook.com/kol.${i}${tag}` };
    case 'TIKTOK': return { platform, url: `https://www.tiktok.com/@kol.${i}${tag}` };
    case 'YOUTUBE': return { platform, url: `https://www.youtube.com/@kol${i}${tag}` };
    case 'INSTAGRAM': return { platform, url: `https://www.instagram.com/kol.${i}${tag}` };
    case 'ZALO': return { platform, url: `https://zalo.me/09${String(i).padStart(8, '0')}` };
    case 'X': return { platform, url: `https://x.com/kol_${i}_${tag}` };
    case 'THREADS': return { platform, url: `https://www.threads.net/@kol.${i}${tag}` };
    case 'TELEGRAM': return { platform, url: `https://t.me/kol_${i}_${tag}` };
    default: return { platform, url: `https://kol${i}-${tag}.example.vn` };
  }
}

/** Another usual spelling of the same account (mobile host, capitals, tracking parameters). */
function respelled(url: string, platform: Platform): string {
  if (platform === 'FACEBOOK') return url.replace('https://www.facebook.com/kol.', 'https://m.facebook.com/Kol.') + '/?ref=share';
  if (platform === 'TIKTOK') return url.replace('https://www.tiktok.com/', 'tiktok.com/') + '?lang=vi';
  if (platform === 'YOUTUBE') return url + '/videos';
  if (platform === 'INSTAGRAM') return url + '/?igsh=abc';
  return url;
}

function flagUrl(f: number): string {
  return `https://www.facebook.com/scam.page.${f}`;
}
export function flagCount(shape: DataShape): number {
  return Math.max(10, Math.floor(shape.accounts / 300));
}

export type QueryKind = 'member' | 'unknown' | 'flagged';
export interface QueryUrl {
  url: string;
  kind: QueryKind;
}

/**
 * `count` URLs to ask about, deterministic for (seed, salt): 85% registered accounts (a third
 * of them spelled another usual way), 10% unknown pages, 5% flagged scam pages.
 */
export function queryUrls(shape: DataShape, count: number, salt = 0): QueryUrl[] {
  const out: QueryUrl[] = [];
  const flags = flagCount(shape);
  for (let k = 0; k < count; k++) {
    const u = uniform(shape.seed, S.query, k, salt);
    const pick = uniform(shape.seed, S.queryPick, k, salt);
    if (u < 0.85) {
      const i = Math.floor(pick * shape.accounts);
      const { platform, url } = accountUrl(shape, i);
      const spelled = uniform(shape.seed, S.querySpelling, k, salt) < 0.33 ? respelled(url, platform) : url;
      out.push({ url: spelled, kind: 'member' });
    } else if (u < 0.95) {
      out.push({ url: pick < 0.5 ? `https://www.facebook.com/nobody.${salt}.${k}` : `https://www.tiktok.com/@nobody.${salt}.${k}`, kind: 'unknown' });
    } else {
      out.push({ url: flagUrl(Math.floor(pick * flags)), kind: 'flagged' });
    }
  }
  return out;
}

/** The exponent of the Zipf workload (`pnpm bench` states it in the report). */
export const ZIPF_EXPONENT = 1.0;

/**
 * `count` requests drawn from ALL registered accounts with a Zipf distribution (rank r asked
 * with probability ∝ 1 / r^exponent), deterministic for (seed, salt): the popularity of
 * accounts at national scale, where a few pages are checked very often and most rarely. Ranks
 * are spread over the account indexes by a fixed permutation (i → (i·a + b) mod N), so the
 * popular accounts are not simply the first ones loaded; a third are spelled another usual way.
 */
export function zipfUrls(shape: DataShape, count: number, exponent = ZIPF_EXPONENT, salt = 0): string[] {
  const n = shape.accounts;
  // Cumulative weights of the ranks (n floats: 80 MB at 10 million accounts).
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cdf[r] = total += 1 / Math.pow(r + 1, exponent);
  let a = 2_654_435_761 % n || 1;
  while (gcd(a, n) !== 1) a++;
  const b = hash32(shape.seed, S.zipf, salt) % n;
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const target = uniform(shape.seed, S.zipf, k, salt) * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    const i = Number((BigInt(lo) * BigInt(a) + BigInt(b)) % BigInt(n));
    const { platform, url } = accountUrl(shape, i);
    out.push(uniform(shape.seed, S.zipfSpelling, k, salt) < 0.33 ? respelled(url, platform) : url);
  }
  return out;
}

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

// ---------------------------------------------------------------- bulk insert

type ColType = 'text' | 'timestamp' | 'int' | 'textarray';
interface Column {
  name: string;
  type: ColType;
  /** An enum type to cast the text to. */
  cast?: string;
}

/** Separator of the elements of a text[] value, passed as one text (unnest cannot zip 2-D arrays). */
const ARRAY_SEP = '\u001f';

class Batch {
  readonly table: string;
  readonly columns: Column[];
  data: unknown[][];
  inserted = 0;
  readonly #sqlText: string;

  constructor(table: string, columns: Column[]) {
    this.table = table;
    this.columns = columns;
    this.data = columns.map(() => []);
    const arrayType = (t: ColType) => (t === 'timestamp' ? 'timestamp(3)[]' : t === 'int' ? 'int4[]' : 'text[]');
    const unnest = columns.map((c, k) => `$${k + 1}::${arrayType(c.type)}`).join(', ');
    const select = columns
      .map((c, k) => (c.type === 'textarray' ? `COALESCE(string_to_array(c${k}, chr(31)), ARRAY[]::text[])` : c.cast ? `c${k}::"${c.cast}"` : `c${k}`))
      .join(', ');
    this.#sqlText = `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) SELECT ${select} FROM unnest(${unnest}) AS u(${columns.map((_, k) => `c${k}`).join(', ')})`;
  }

  get length(): number {
    return this.data[0]!.length;
  }

  push(...values: unknown[]): void {
    for (let k = 0; k < values.length; k++) this.data[k]!.push(values[k]);
  }

  /** Takes the rows gathered so far (synchronously) and returns the insert to run. */
  take(): { rows: number; run: (sql: SqlRunner) => Promise<number> } {
    const rows = this.length;
    const params = this.data;
    this.data = this.columns.map(() => []);
    return {
      rows,
      run: async (sql) => {
        if (rows > 0) await sql.query(this.#sqlText, params);
        this.inserted += rows;
        return rows;
      },
    };
  }

  /** Checks that the table has no required column this batch does not fill (the schema moves). */
  async checkSchema(sql: SqlRunner): Promise<void> {
    const required = await sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 AND is_nullable = 'NO' AND column_default IS NULL`,
      [this.table],
    );
    const filled = new Set(this.columns.map((c) => c.name));
    const missing = required.map((r) => r.column_name).filter((c) => !filled.has(c));
    if (missing.length) throw new Error(`test/bench/data.ts does not fill the required column(s) ${missing.map((c) => `"${this.table}"."${c}"`).join(', ')}: the schema changed, update the generator`);
  }
}

/** Lets pending I/O callbacks run (the insert in flight sends its next statement). */
const yieldToIo = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs the inserts of one group of batches in order (a group's later tables reference its
 * earlier ones) while the next group is being generated: at most one group in flight.
 */
class Pipeline {
  #pending: Promise<void> = Promise.resolve();
  readonly #sql: SqlRunner;
  readonly #progress: (table: string, n: number) => void;
  constructor(sql: SqlRunner, progress: (table: string, n: number) => void) {
    this.#sql = sql;
    this.#progress = progress;
  }
  async flush(batches: Batch[]): Promise<void> {
    const jobs = batches.map((b) => ({ table: b.table, job: b.take() }));
    await this.#pending;
    this.#pending = (async () => {
      for (const { table, job } of jobs) this.#progress(table, await job.run(this.#sql));
    })();
  }
  drain(): Promise<void> {
    return this.#pending;
  }
}

const col = (name: string, type: ColType = 'text', cast?: string): Column => (cast ? { name, type, cast } : { name, type });

const LOADED_TABLES = ['PledgeVersion', 'Member', 'MemberStatusEvent', 'PledgeSignature', 'Badge', 'BadgeEvent', 'Account', 'AccountIdentifier', 'AccountAdmin', 'OwnershipEvent', 'Flag'];

/** Rough number of rows the load will write (for progress). */
export function expectedRows(shape: DataShape): number {
  return Math.round(shape.members * 5.9 + shape.accounts * 4.1 + flagCount(shape));
}

/**
 * Loads the data into an empty, migrated registry database. `onProgress(table, rowsDone,
 * rowsExpected)` is called after every chunk.
 */
export async function loadData(
  sql: SqlRunner,
  shape: DataShape,
  options: { chunk?: number; onProgress?: (table: string, done: number, expected: number) => void } = {},
): Promise<LoadReport> {
  const chunk = options.chunk ?? 10_000;
  const anchor = dataAnchor();
  const expected = expectedRows(shape);
  let done = 0;
  const progress = (table: string, n: number) => {
    done += n;
    options.onProgress?.(table, done, expected);
  };
  const started = performance.now();

  // Bulk-load trick: drop the secondary indexes of the tables we fill (building an index once is
  // far cheaper than updating it row by row, above all the GIN ones) and re-create them from
  // their own definitions afterwards. Primary keys stay (foreign keys need them).
  const indexes = await sql.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x'))`,
    [LOADED_TABLES],
  );
  for (const index of indexes) await sql.exec(`DROP INDEX "${index.indexname}"`);

  // Pledge: one published version, in force long before any member joined.
  const pledgeId = benchId(3, 1);
  await sql.query(
    `INSERT INTO "PledgeVersion" (id, version, "titleVi", "titleEn", "textVi", "textEn", "contentHash", status, "effectiveAt", "publishedAt", "createdAt")
     VALUES ($1, 1, 'Cam kết tin nhiệm số', 'Digital trust pledge', 'Tôi cam kết…', 'I pledge…', 'bench-content-hash', 'PUBLISHED', $2::timestamp, $2::timestamp, $2::timestamp)`,
    [pledgeId, stamp(anchor - 800 * DAY)],
  );
  progress('PledgeVersion', 1);

  const members = new Batch('Member', [col('id'), col('kind', 'text', 'MemberKind'), col('status', 'text', 'MemberStatus'), col('displayName'), col('searchText'), col('province'), col('createdAt', 'timestamp'), col('updatedAt', 'timestamp')]);
  const memberEvents = new Batch('MemberStatusEvent', [col('id'), col('memberId'), col('status', 'text', 'MemberStatus'), col('at', 'timestamp'), col('reasonCategory', 'text', 'ReasonCategory')]);
  const signatures = new Batch('PledgeSignature', [col('id'), col('memberId'), col('pledgeVersionId'), col('signedAt', 'timestamp'), col('method', 'text', 'SignatureMethod'), col('withdrawnAt', 'timestamp')]);
  const badges = new Batch('Badge', [col('id'), col('memberId'), col('program', 'text', 'BadgeProgram'), col('status', 'text', 'BadgeStatus'), col('issuedAt', 'timestamp'), col('expiresAt', 'timestamp'), col('version', 'int'), col('updatedAt', 'timestamp')]);
  const badgeEvents = new Batch('BadgeEvent', [col('id'), col('badgeId'), col('action'), col('status', 'text', 'BadgeStatus'), col('expiresAt', 'timestamp'), col('at', 'timestamp'), col('reasonCategory', 'text', 'ReasonCategory')]);
  const memberBatches = [members, memberEvents, signatures, badges, badgeEvents];

  const pipeline = new Pipeline(sql, progress);
  for (const batch of memberBatches) await batch.checkSchema(sql);
  const memberCreated = new Float64Array(shape.members);
  for (let m = 0; m < shape.members; m++) {
    const f = memberFacts(shape, anchor, m);
    memberCreated[m] = f.createdAt;
    const lastChange = f.endAt ?? f.activatedAt ?? f.createdAt;
    members.push(f.id, f.kind, f.status, f.displayName, foldForSearch(f.displayName), f.province, stamp(f.createdAt), stamp(lastChange));
    memberEvents.push(benchId(2, m * 3), f.id, 'PENDING', stamp(f.createdAt), 'ADMINISTRATIVE');
    if (f.activatedAt !== null) {
      memberEvents.push(benchId(2, m * 3 + 1), f.id, 'ACTIVE', stamp(f.activatedAt), 'ADMINISTRATIVE');
      if (f.endAt !== null) {
        const reason = f.status === 'SUSPENDED' ? 'UNDER_INVESTIGATION' : f.status === 'EXPELLED' ? 'CODE_OF_CONDUCT_VIOLATION' : 'MEMBER_REQUEST';
        memberEvents.push(benchId(2, m * 3 + 2), f.id, f.status, stamp(f.endAt), reason);
      }
      signatures.push(benchId(4, m), f.id, pledgeId, stamp(f.activatedAt - HOUR), m % 3 === 0 ? 'IN_PERSON' : 'ONLINE', f.status === 'WITHDRAWN' ? stamp(f.endAt!) : null);

      const count = uniform(shape.seed, S.badgeCount, m) < 0.15 ? 2 : 1;
      for (let k = 0; k < count; k++) {
        const b = m * 2 + k;
        const program = k === 1 ? 'OFFICIAL_CHANNEL' : f.kind === 'KOL' ? 'KOL_TRUST' : 'ALLIANCE_MEMBER';
        const badgeId = benchId(5, b);
        let issuedAt: number;
        const events: Array<[string, string, number, string]> = []; // action, status, at, reason
        if (f.endAt !== null) {
          issuedAt = f.activatedAt + HOUR;
          events.push(['ISSUE', 'ACTIVE', issuedAt, 'ISSUED']);
          if (f.endAt > issuedAt) {
            if (f.status === 'SUSPENDED') events.push(['SUSPEND', 'SUSPENDED', f.endAt, 'UNDER_INVESTIGATION']);
            else events.push(['REVOKE', 'REVOKED', f.endAt, f.status === 'EXPELLED' ? 'CODE_OF_CONDUCT_VIOLATION' : 'MEMBER_REQUEST']);
          }
        } else {
          // A recent issue or renewal, a few years old enough to have expired.
          const back = uniform(shape.seed, S.badgeIssued, b) < 0.03 ? 370 + uniform(shape.seed, S.badgeIssued, b, 1) * 100 : 5 + uniform(shape.seed, S.badgeIssued, b, 1) * 330;
          issuedAt = Math.max(f.activatedAt + HOUR, anchor - back * DAY);
          events.push(['ISSUE', 'ACTIVE', issuedAt, 'ISSUED']);
          const fate = uniform(shape.seed, S.badgeFate, b);
          const fateAt = issuedAt + HOUR + uniform(shape.seed, S.badgeFateAt, b) * (anchor - issuedAt - 2 * HOUR);
          if (fate < 0.04) events.push(['SUSPEND', 'SUSPENDED', fateAt, 'UNDER_INVESTIGATION']);
          else if (fate < 0.06) events.push(['REVOKE', 'REVOKED', fateAt, 'CODE_OF_CONDUCT_VIOLATION']);
        }
        const expiresAt = issuedAt + 365 * DAY;
        const last = events[events.length - 1]!;
        badges.push(badgeId, f.id, program, last[1], stamp(issuedAt), stamp(expiresAt), events.length - 1, stamp(last[2]));
        events.forEach(([action, status, at, reason], e) => badgeEvents.push(benchId(6, b * 2 + e), badgeId, action, status, stamp(expiresAt), stamp(at), reason));
      }
    }
    if (members.length >= chunk || m === shape.members - 1) await pipeline.flush(memberBatches);
    else if (m % 2000 === 1999) await yieldToIo();
  }

  // Members must all be in before accounts point at them.
  await pipeline.drain();

  // Lookalike search columns (added by a later migration): filled with core's own function when present.
  const accountColumns = new Set((await sql.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'Account'`)).map((r) => r.column_name));
  type SkeletonFn = (a: { platform: string; handle: string; idKind: string }) => { skeleton: string; variants: string[] } | null;
  let accountSkeleton: SkeletonFn | null = null;
  if (accountColumns.has('skeleton')) {
    const mod = (await import(pathToFileURL(join(REPO_ROOT, 'packages/core/src/accounts/skeleton.ts')).href)) as { accountSkeleton?: SkeletonFn };
    if (typeof mod.accountSkeleton !== 'function') throw new Error('Account.skeleton exists but packages/core/src/accounts/skeleton.ts exports no accountSkeleton');
    accountSkeleton = mod.accountSkeleton;
  }
  const withVariants = accountSkeleton !== null && accountColumns.has('skeletonVariants');
  const accounts = new Batch('Account', [
    col('id'), col('platform', 'text', 'Platform'), col('key'), col('handle'), col('url'), col('displayName'), col('createdAt', 'timestamp'), col('updatedAt', 'timestamp'),
    ...(accountSkeleton ? [col('skeleton')] : []),
    ...(withVariants ? [col('skeletonVariants', 'textarray')] : []),
  ]);
  const identifiers = new Batch('AccountIdentifier', [col('id'), col('accountId'), col('key'), col('activeKey'), col('handle'), col('url'), col('validFrom', 'timestamp'), col('validTo', 'timestamp')]);
  const admins = new Batch('AccountAdmin', [col('id'), col('accountId'), col('memberId'), col('ownership', 'text', 'OwnershipStatus'), col('verifiedAt', 'timestamp'), col('createdAt', 'timestamp')]);
  const ownership = new Batch('OwnershipEvent', [col('id'), col('accountAdminId'), col('ownership', 'text', 'OwnershipStatus'), col('at', 'timestamp'), col('reason')]);
  const accountBatches = [accounts, identifiers, admins, ownership];
  for (const batch of accountBatches) await batch.checkSchema(sql);

  for (let i = 0; i < shape.accounts; i++) {
    const { url, platform } = accountUrl(shape, i);
    const n = normalizeAccount(url);
    const m = i % shape.members;
    const accountId = benchId(10, i);
    const createdAt = memberCreated[m]! + uniform(shape.seed, S.accountCreated, i) * 5 * DAY;
    // 1% were renamed: their previous handle keeps a retired identifier.
    const renamed = uniform(shape.seed, S.renamed, i) < 0.01 && platform !== 'ZALO';
    let currentFrom = createdAt;
    if (renamed) {
      const old = normalizeAccount(accountUrl(shape, i, true).url);
      currentFrom = createdAt + 30 * DAY;
      identifiers.push(benchId(11, i * 2 + 1), accountId, old.key, null, old.handle, old.url, stamp(createdAt), stamp(currentFrom));
    }
    const row: unknown[] = [accountId, n.platform, n.key, n.handle, n.url, null, stamp(createdAt), stamp(currentFrom)];
    if (accountSkeleton) {
      const sk = accountSkeleton(n);
      row.push(sk?.skeleton ?? null);
      if (withVariants) row.push(sk ? sk.variants.join(ARRAY_SEP) : null);
    }
    accounts.push(...row);
    identifiers.push(benchId(11, i * 2), accountId, n.key, n.key, n.handle, n.url, stamp(currentFrom), null);

    const adminId = benchId(12, i * 2);
    const o = uniform(shape.seed, S.ownership, i);
    const verifiedAt = createdAt + DAY;
    if (o < 0.95) {
      admins.push(adminId, accountId, benchId(1, m), 'VERIFIED', stamp(verifiedAt), stamp(createdAt));
      ownership.push(benchId(13, i * 4), adminId, 'VERIFIED', stamp(verifiedAt), 'challenge confirmed');
    } else if (o < 0.99) {
      admins.push(adminId, accountId, benchId(1, m), 'UNVERIFIED', null, stamp(createdAt));
      ownership.push(benchId(13, i * 4), adminId, 'UNVERIFIED', stamp(createdAt), 'added');
    } else {
      admins.push(adminId, accountId, benchId(1, m), 'REVOKED', stamp(verifiedAt), stamp(createdAt));
      ownership.push(benchId(13, i * 4), adminId, 'VERIFIED', stamp(verifiedAt), 'challenge confirmed');
      ownership.push(benchId(13, i * 4 + 1), adminId, 'REVOKED', stamp(verifiedAt + uniform(shape.seed, S.ownershipAt, i) * 30 * DAY), 'lost control');
    }
    if (shape.members > 1 && uniform(shape.seed, S.secondAdmin, i) < 0.02) {
      const second = benchId(12, i * 2 + 1);
      admins.push(second, accountId, benchId(1, (m + 1) % shape.members), 'UNVERIFIED', null, stamp(createdAt + HOUR));
      ownership.push(benchId(13, i * 4 + 2), second, 'UNVERIFIED', stamp(createdAt + HOUR), 'added');
    }
    if (accounts.length >= chunk || i === shape.accounts - 1) await pipeline.flush(accountBatches);
    else if (i % 2000 === 1999) await yieldToIo();
  }

  const flags = new Batch('Flag', [col('id'), col('accountKey'), col('platform', 'text', 'Platform'), col('category', 'text', 'ReportCategory'), col('createdAt', 'timestamp'), col('liftedAt', 'timestamp')]);
  await flags.checkSchema(sql);
  const nFlags = flagCount(shape);
  for (let f = 0; f < nFlags; f++) {
    const n = normalizeAccount(flagUrl(f));
    const createdAt = anchor - (1 + uniform(shape.seed, S.flagCreated, f) * 200) * DAY;
    const lifted = uniform(shape.seed, S.flagLifted, f) < 0.1 ? stamp(createdAt + DAY) : null;
    flags.push(benchId(14, f), n.key, n.platform, uniform(shape.seed, S.flagCategory, f) < 0.7 ? 'SCAM' : 'IMPERSONATION', stamp(createdAt), lifted);
    if (flags.length >= chunk || f === nFlags - 1) await pipeline.flush([flags]);
  }
  await pipeline.drain();
  const loadMs = performance.now() - started;

  const indexStarted = performance.now();
  for (const index of indexes) {
    options.onProgress?.(`index ${index.indexname}`, done, expected);
    await sql.exec(index.indexdef);
  }
  const indexMs = performance.now() - indexStarted;

  const analyzeStarted = performance.now();
  await sql.exec('ANALYZE');
  const analyzeMs = performance.now() - analyzeStarted;

  const rows: Record<string, number> = { PledgeVersion: 1 };
  for (const batch of [...memberBatches, ...accountBatches, flags]) rows[batch.table] = batch.inserted;
  const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
  return { rows, totalRows, loadMs, indexMs, indexes: indexes.length, analyzeMs, anchor: new Date(anchor).toISOString() };
}
