/**
 * The baseline: the naive hand-written lookup service a platform would write itself. A bare
 * `node:http` server; `GET /verify?url=…` places the URL with core's pure `normalizeAccount`
 * (the same parsing the service does), runs ONE indexed query (Account by its current key →
 * admins → member → badges, plus the flag list) and answers JSON with the same
 * information as the service: status, account, member, badges, flags. It reads the current
 * status columns (Member.status, Badge.status, AccountAdmin.ownership) instead of the event
 * histories, has no GraphQL, no auth, no "as of" and no cache.
 *
 * PostgreSQL: `pg.Pool` (max 10, like the service's pool), plain parameterised query.
 * PGlite: there is no server to connect to, so the same SQL runs in process through core's
 * `openDatabase({ dataDir }).sql.query` (a direct `pglite.query`, no Prisma on the path).
 *
 * Usage (started by run.ts): `node --import tsx baseline-server.ts postgres <url>` or
 * `… pglite <dataDir>`. Prints `{"port":N}` and answers IPC messages `stats` ({ rss, heapUsed, cpu }) and `stop`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizeAccount, openDatabase } from '@trust-alliance/core';
import { pg } from './common.ts';

const [kind, target] = process.argv.slice(2);
if ((kind !== 'postgres' && kind !== 'pglite') || !target) {
  console.error('usage: baseline-server.ts postgres|pglite <databaseUrl|dataDir>');
  process.exit(2);
}

const SQL = `
SELECT a.id, a.platform::text AS platform, a.key, a.url,
  (SELECT json_agg(json_build_object('category', f.category, 'since', f."createdAt"))
     FROM "Flag" f WHERE f."accountKey" = $1 AND f."liftedAt" IS NULL) AS flags,
  (SELECT json_agg(json_build_object(
      'memberId', m.id, 'displayName', m."displayName", 'kind', m.kind, 'province', m.province,
      'memberStatus', m.status, 'ownership', aa.ownership,
      'badges', (SELECT json_agg(json_build_object('id', b.id, 'program', b.program, 'status', b.status,
                                                   'issuedAt', b."issuedAt", 'expiresAt', b."expiresAt"))
                   FROM "Badge" b WHERE b."memberId" = m.id)))
     FROM "AccountAdmin" aa JOIN "Member" m ON m.id = aa."memberId" WHERE aa."accountId" = a.id) AS admins
FROM (SELECT $1::text AS k) q
LEFT JOIN "Account" a ON a.key = q.k`;

interface Row {
  id: string | null;
  platform: string | null;
  key: string | null;
  url: string | null;
  flags: Array<{ category: string; since: string }> | null;
  admins: Array<{
    memberId: string; displayName: string; kind: string; province: string | null; memberStatus: string; ownership: string;
    badges: Array<{ id: string; program: string; status: string; issuedAt: string; expiresAt: string }> | null;
  }> | null;
}

let query: (key: string) => Promise<Row | undefined>;
let close: () => Promise<void>;
if (kind === 'postgres') {
  const pool = new pg.Pool({ connectionString: target, max: 10 });
  pool.on('error', () => {});
  query = async (key) => (await pool.query<Row>(SQL, [key])).rows[0];
  close = () => pool.end();
} else {
  const db = await openDatabase({ dataDir: target, migrate: false });
  query = async (key) => (await db.sql.query<Row & Record<string, unknown>>(SQL, [key]))[0];
  close = () => db.close();
}

const RANK = ['VERIFIED', 'SUSPENDED', 'EXPIRED', 'REVOKED', 'PENDING'];

function answer(row: Row | undefined, account: { platform: string; key: string; url: string }) {
  const now = Date.now();
  const flags = (row?.flags ?? []).map((f) => ({ category: f.category, since: f.since }));
  if (!row?.id) return { status: flags.length ? 'FLAGGED' : 'NOT_FOUND', account, member: null, badges: [], flags };
  let best: { status: string; member: object; badges: object[] } | null = null;
  for (const a of row.admins ?? []) {
    if (a.ownership !== 'VERIFIED') continue;
    const badges = (a.badges ?? []).map((b) => ({
      id: b.id, program: b.program, issuedAt: b.issuedAt, expiresAt: b.expiresAt,
      status: b.status === 'REVOKED' ? 'REVOKED' : Date.parse(`${b.expiresAt}Z`) <= now ? 'EXPIRED' : b.status,
    }));
    const has = (s: string) => badges.some((b) => b.status === s);
    let status = 'PENDING';
    if (a.memberStatus === 'EXPELLED') status = 'REVOKED';
    else if (a.memberStatus === 'SUSPENDED') status = badges.length ? 'SUSPENDED' : 'PENDING';
    else if (a.memberStatus === 'ACTIVE') status = has('ACTIVE') ? 'VERIFIED' : has('SUSPENDED') ? 'SUSPENDED' : has('EXPIRED') ? 'EXPIRED' : has('REVOKED') ? 'REVOKED' : 'PENDING';
    if (best === null || RANK.indexOf(status) < RANK.indexOf(best.status)) {
      best = { status, member: { id: a.memberId, displayName: a.displayName, kind: a.kind, province: a.province }, badges };
    }
  }
  const found = { platform: row.platform!, key: row.key!, url: row.url! };
  if (flags.length) return { status: 'FLAGGED', account: found, member: best?.member ?? null, badges: best?.badges ?? [], flags };
  return best ? { ...best, account: found, flags } : { status: 'PENDING', account: found, member: null, badges: [], flags };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/verify') return send(res, 404, { error: 'not found' });
  const input = url.searchParams.get('url') ?? '';
  let account;
  try {
    const n = normalizeAccount(input);
    account = { platform: n.platform, key: n.key, url: n.url };
  } catch (error) {
    return send(res, 400, { status: 'INVALID_INPUT', error: (error as Error).message });
  }
  send(res, 200, answer(await query(account.key), account));
}

let errorsLogged = 0;
const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (errorsLogged++ < 3) console.error(error instanceof Error ? error.message : error);
    if (!res.headersSent) send(res, 500, { error: 'unexpected' });
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});

process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const m = process.memoryUsage();
    process.send?.({ rss: m.rss, heapUsed: m.heapUsed, cpu: process.cpuUsage(), cache: null });
  }
  if (message === 'stop') {
    server.close();
    server.closeAllConnections();
    void close().finally(() => process.exit(0));
  }
});
