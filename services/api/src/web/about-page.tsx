/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/about`: the page a person lands on when they want to know what they are looking at: what the
 * Digital Trust Alliance and its Cyber KOL Trust Program are, how to check an account (and read a
 * badge), how to report one, and where platforms find the API (the discovery document). Text only
 * from the catalogue, in Vietnamese and English; no data, so it renders without the database.
 */
import type { Registry } from '@trust-alliance/core';
import { DISCOVERY_PATH } from '../http/well-known.ts';
import { messages, pageLang } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, type PageMeta } from './page.tsx';
import { PROGRAMS_PATH } from './program-page.tsx';
import { REPORT_PATH } from './report-page.tsx';
import { WARNINGS_PATH } from './warnings-page.tsx';

export const ABOUT_PATH = '/about';

export function aboutPage(registry: Registry, request: Request, url: URL): Response {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const meta: PageMeta = { title: m.text('aboutTitle'), description: m.text('aboutAllianceText'), canonical: `${registry.issuer}${ABOUT_PATH}?lang=${m.lang}`, image: `${registry.issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.text('aboutTitle')}</h1>
      <section aria-labelledby="about-alliance">
        <h2 id="about-alliance">{m.text('aboutAllianceTitle')}</h2>
        <p>{m.text('aboutAllianceText')}</p>
      </section>
      <section aria-labelledby="about-program">
        <h2 id="about-program">{m.text('aboutProgramTitle')}</h2>
        <p>{m.text('aboutProgramText')}</p>
        <p>
          <a href={hrefIn(m, PROGRAMS_PATH)}>{m.text('aboutProgramsLink')}</a>
        </p>
      </section>
      <section aria-labelledby="about-check">
        <h2 id="about-check">{m.text('aboutCheckTitle')}</h2>
        <ol>
          <li>{m.text('aboutCheckStep1')}</li>
          <li>{m.text('aboutCheckStep2')}</li>
          <li>{m.text('aboutCheckStep3')}</li>
        </ol>
        <p>{m.text('aboutBadgeText')}</p>
        <p>
          <a href={hrefIn(m, '/')}>{m.text('aboutCheckLink')}</a>
        </p>
      </section>
      <section aria-labelledby="about-report">
        <h2 id="about-report">{m.text('aboutReportTitle')}</h2>
        <p>{m.text('aboutReportText')}</p>
        <ul>
          <li>
            <a href={hrefIn(m, REPORT_PATH)}>{m.text('aboutReportLink')}</a>
          </li>
          <li>
            <a href={hrefIn(m, WARNINGS_PATH)}>{m.text('aboutWarningsLink')}</a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="about-developers">
        <h2 id="about-developers">{m.text('aboutDevelopersTitle')}</h2>
        <p>
          {m.text('aboutDevelopersText')} <a href={DISCOVERY_PATH}>{DISCOVERY_PATH}</a>
        </p>
      </section>
    </Layout>,
    { lang: m.lang },
  );
}
