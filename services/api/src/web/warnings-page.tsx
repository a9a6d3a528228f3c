/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/warnings`: the public list of flagged scam and impersonation accounts (platform, account,
 * category, since), searchable (`q`) and paged (`page`), with `/warnings.csv` and
 * `/warnings.json` downloads of the whole list for platforms and journalists. Only standing
 * flags (not lifted); accounts in their public form (a phone number is a pseudonym). A flagged
 * account is never a link: people are not sent to a scam page from here, only to our check page.
 */
import { foldForSearch, normalizeAccount, type Registry } from '@trust-alliance/core';
import { cacheable, weakEtag } from '../http/respond.ts';
import { messages, pageLang, type Messages } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, type PageMeta } from './page.tsx';

export const WARNINGS_PATH = '/warnings';
export const WARNINGS_CSV_PATH = '/warnings.csv';
export const WARNINGS_JSON_PATH = '/warnings.json';
export const WARNINGS_PAGE_SIZE = 20;
/** The downloads hold at most this many rows. */
const MAX_DOWNLOAD_ROWS = 50_000;
const DOWNLOAD_MAX_AGE_SECONDS = 300;
const MAX_QUERY_LENGTH = 200;

export interface WarningRow {
  platform: string;
  account: string;
  category: string;
  since: Date;
}

function whereOf(q: string) {
  const folded = foldForSearch(q).replace(/\s+/g, '');
  if (folded === '') return { liftedAt: null };
  const keys: string[] = [];
  try {
    keys.push(normalizeAccount(q).key);
  } catch {
    // Not a whole account: a part of one.
  }
  return { liftedAt: null, OR: [{ accountKey: { contains: folded } }, ...keys.map((key) => ({ accountKey: key }))] };
}

async function rows(registry: Registry, q: string, skip: number, take: number): Promise<{ rows: WarningRow[]; total: number }> {
  const where = whereOf(q);
  const [flags, total] = await Promise.all([
    registry.reads.flag.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip, take, select: { platform: true, accountKey: true, category: true, createdAt: true } }),
    registry.reads.flag.count({ where }),
  ]);
  return { rows: flags.map((f) => ({ platform: f.platform, account: registry.publicAccountKey(f.accountKey), category: f.category, since: f.createdAt })), total };
}

/** The check page's link for a flagged account (by platform and handle: the key's part after the platform). */
function checkHref(m: Messages, row: WarningRow): string | null {
  if (row.account.includes('~')) return null;
  const handle = row.account.slice(row.account.indexOf(':') + 1);
  return hrefIn(m, '/', { platform: row.platform, handle });
}

export async function warningsPage(registry: Registry, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const q = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY_LENGTH).trim();
  const asked = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  const page = Number.isFinite(asked) && asked >= 1 ? Math.min(asked, 10_000) : 1;
  const { rows: list, total } = await rows(registry, q, (page - 1) * WARNINGS_PAGE_SIZE, WARNINGS_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / WARNINGS_PAGE_SIZE));
  const meta: PageMeta = { title: m.text('warningsTitle'), description: m.text('warningsIntro'), canonical: `${registry.issuer}${WARNINGS_PATH}?lang=${m.lang}`, image: `${registry.issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.text('warningsTitle')}</h1>
      <p>{m.text('warningsIntro')}</p>
      <form class="search" method="get" action={WARNINGS_PATH} role="search">
        <input type="hidden" name="lang" value={m.lang} />
        <label for="warnings-q">{m.text('warningsSearch')}</label>
        <input id="warnings-q" name="q" type="search" maxLength={MAX_QUERY_LENGTH} value={q} />
        <button type="submit">{m.text('warningsSearchButton')}</button>
      </form>
      {list.length === 0 ? (
        <p>{m.text('warningsNone')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{m.text('warningsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{m.text('warningsPlatform')}</th>
                <th scope="col">{m.text('warningsAccount')}</th>
                <th scope="col">{m.text('warningsCategory')}</th>
                <th scope="col">{m.text('warningsSince')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((row) => {
                const href = checkHref(m, row);
                return (
                  <tr>
                    <td>{m.code('platform', row.platform)}</td>
                    <td>
                      {row.account}
                      {href ? (
                        <>
                          {' '}
                          (<a href={href}>{m.text('warningsCheck')}</a>)
                        </>
                      ) : null}
                    </td>
                    <td>{m.category(row.category)}</td>
                    <td>
                      <time dateTime={row.since.toISOString()}>{m.date(row.since)}</time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={m.fn('warningsPageOf')(String(page), String(pages))}>
        {page > 1 ? <a href={hrefIn(m, WARNINGS_PATH, { q, page: String(page - 1) })}>{m.text('warningsPrev')}</a> : null}
        <span>{m.fn('warningsPageOf')(String(page), String(pages))}</span>
        {page < pages ? <a href={hrefIn(m, WARNINGS_PATH, { q, page: String(page + 1) })}>{m.text('warningsNext')}</a> : null}
      </nav>
      <h2>{m.text('warningsDownloads')}</h2>
      <ul>
        <li>
          <a href={WARNINGS_CSV_PATH} download="warnings.csv">
            CSV
          </a>
        </li>
        <li>
          <a href={WARNINGS_JSON_PATH} download="warnings.json">
            JSON
          </a>
        </li>
      </ul>
    </Layout>,
    { lang: m.lang },
  );
}

/** A CSV cell: quoted, and a leading = + - @ made inert for spreadsheets (formula injection). */
function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${inert.replace(/"/g, '""')}"`;
}

export async function warningsDownload(registry: Registry, request: Request, url: URL, format: 'csv' | 'json'): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const q = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY_LENGTH).trim();
  const { rows: list } = await rows(registry, q, 0, MAX_DOWNLOAD_ROWS);
  const body =
    format === 'csv'
      ? `${['platform', 'account', 'category', 'since'].join(',')}\r\n${list.map((r) => [r.platform, r.account, r.category, r.since.toISOString()].map(csvCell).join(',')).join('\r\n')}${list.length ? '\r\n' : ''}`
      : JSON.stringify({ generatedBy: registry.issuer, count: list.length, warnings: list.map((r) => ({ platform: r.platform, account: r.account, category: r.category, since: r.since.toISOString() })) });
  return cacheable(request, {
    body,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    etag: weakEtag(body),
    maxAgeSeconds: DOWNLOAD_MAX_AGE_SECONDS,
    headers: { 'content-disposition': `attachment; filename="warnings.${format}"`, 'x-content-type-options': 'nosniff' },
  });
}
