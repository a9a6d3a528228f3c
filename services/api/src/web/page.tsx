/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * What every page shares: the HTML shell (lang attribute, skip link, navigation, the visible
 * language switch, Open Graph and Twitter card tags), rendering to a string with
 * preact-render-to-string (which escapes every text and attribute value), and the answer with
 * its security headers: a strict Content-Security-Policy (no script at all, styles from
 * /assets/site.css only), nosniff, a same-origin referrer policy and no framing.
 */
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { notModified, weakEtag, RouteResponse } from '../http/respond.ts';
import { DISCOVERY_PATH } from '../http/well-known.ts';
import { messages, otherLang, type Lang, type Messages } from './i18n.ts';
import { STYLESHEET_PATH } from './assets.ts';

/** Headers of every HTML page. `form-action 'self'`: the forms post and get here only. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on a form POST, and /report checks the Origin.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
});

/** Seconds a page may be cached (as long as a /v1/verify answer: a suspension shows within this time). */
export const PAGE_MAX_AGE_SECONDS = 30;

export interface PageMeta {
  /** The page's title (without the site name). */
  title: string;
  /** One line for link previews. */
  description: string;
  /** The page's own URL under the issuer (for og:url). */
  canonical: string;
  /** The PNG card of link previews (absolute URL). */
  image: string;
}

export interface LayoutProps {
  m: Messages;
  meta: PageMeta;
  /** The request URL: the language switch keeps its path and query. */
  url: URL;
  children: ComponentChildren;
}

/** The same URL in the other language. */
export function switchHref(url: URL, lang: Lang): string {
  const params = new URLSearchParams(url.search);
  params.set('lang', lang);
  return `${url.pathname}?${params.toString()}`;
}

/** A link to one of our pages in the page's language (the switch's choice carries over). */
export function hrefIn(m: Messages, path: string, params: Record<string, string | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(name, value);
  query.set('lang', m.lang);
  return `${path}?${query.toString()}`;
}

export function Layout({ m, meta, url, children }: LayoutProps): VNode {
  const other = otherLang(m.lang);
  const title = `${meta.title} · ${m.text('siteName')}`;
  return (
    <html lang={m.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={meta.description} />
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        {/* No favicon request (it would be a 404 on every page). */}
        <link rel="icon" href="data:," />
        <link rel="alternate" hreflang={other} href={switchHref(url, other)} />
        {/* Discovery: the machine-readable description of the service (RFC 8631), and the page that explains it. */}
        <link rel="service-desc" type="application/json" href={DISCOVERY_PATH} />
        <link rel="help" href={hrefIn(m, '/about')} />
        <meta property="og:type" content="website" />
        <meta property="og:site_name" content={m.text('siteName')} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={meta.canonical} />
        <meta property="og:image" content={meta.image} />
        <meta property="og:image:type" content="image/png" />
        <meta property="og:image:width" content="1200" />
        <meta property="og:image:height" content="630" />
        <meta property="og:locale" content={m.lang === 'vi' ? 'vi_VN' : 'en_GB'} />
        <meta name="twitter:card" content="summary_large_image" />
        <meta name="twitter:title" content={meta.title} />
        <meta name="twitter:description" content={meta.description} />
        <meta name="twitter:image" content={meta.image} />
      </head>
      <body>
        <a class="skip" href="#main">
          {m.text('skipToContent')}
        </a>
        <header class="site">
          <a class="brand" href={hrefIn(m, '/')}>
            {m.text('siteName')}
          </a>
          <nav aria-label={m.text('siteShort')}>
            <ul>
              <li>
                <a href={hrefIn(m, '/')}>{m.text('navCheck')}</a>
              </li>
              <li>
                <a href={hrefIn(m, '/warnings')}>{m.text('navWarnings')}</a>
              </li>
              <li>
                <a href={hrefIn(m, '/report')}>{m.text('navReport')}</a>
              </li>
              <li>
                <a href={hrefIn(m, '/programs')}>{m.text('navPrograms')}</a>
              </li>
              <li>
                <a href={hrefIn(m, '/about')}>{m.text('navAbout')}</a>
              </li>
            </ul>
          </nav>
          <p class="lang-switch">
            <span class="visually-hidden">{m.text('langSwitchLabel')}: </span>
            <a href={switchHref(url, other)} hreflang={other} lang={other}>
              {m.text('otherLangName')}
            </a>
          </p>
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          <p>{m.text('footer')}</p>
          <p>
            <a href="/graphql">{m.text('apiLink')}</a> · <a href={DISCOVERY_PATH}>{DISCOVERY_PATH}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

export interface HtmlOptions {
  status?: number;
  lang: Lang;
  /** Cacheable with an ETag (default true for 200). */
  cache?: boolean;
  headers?: Record<string, string>;
}

/** The rendered page with its security headers; a 200 is public for PAGE_MAX_AGE_SECONDS with an ETag (304 on If-None-Match). */
export function htmlResponse(request: Request, page: VNode, options: HtmlOptions): Response {
  const body = `<!DOCTYPE html>${renderToString(page)}`;
  const status = options.status ?? 200;
  const cache = options.cache ?? status === 200;
  const headers: Record<string, string> = {
    ...PAGE_SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-language': options.lang,
    vary: 'Accept-Language',
    'cache-control': cache ? `public, max-age=${PAGE_MAX_AGE_SECONDS}` : 'no-store',
    ...options.headers,
  };
  if (cache) {
    headers.etag = weakEtag(body);
    if (notModified(request, headers.etag)) return new RouteResponse(null, { status: 304, headers });
  }
  return new RouteResponse(request.method === 'HEAD' ? null : body, { status, headers });
}

/** The 404 page. */
export function notFoundPage(request: Request, url: URL, m: Messages, issuer: string): Response {
  const meta: PageMeta = { title: m.text('notFoundTitle'), description: m.text('notFoundText'), canonical: `${issuer}${url.pathname}`, image: `${issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.text('notFoundTitle')}</h1>
      <p>{m.text('notFoundText')}</p>
      <p>
        <a href={hrefIn(m, '/')}>{m.text('navCheck')}</a>
      </p>
    </Layout>,
    { status: 404, lang: m.lang },
  );
}

/** A 405 page for methods other than GET and HEAD (POST too, but for /report). */
export function methodNotAllowed(allow = 'GET, HEAD'): Response {
  return new RouteResponse('Method not allowed / Phương thức không được phép', { status: 405, headers: { ...PAGE_SECURITY_HEADERS, allow, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

export { messages };
