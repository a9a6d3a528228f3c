/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The programs: `/programs` lists every program a badge can belong to (core's PROGRAMS: name,
 * what it certifies, its mark, a link), and `/programs/<program>` is the page an attestation's
 * `trust_mark_type` names (core's `programUri`):
 * what the program certifies, the criteria groups and scoring of the certification policy in
 * force (`registry.certificationPolicy()`), the validity, and the current pledge text in both
 * languages with its version (`registry.currentPledgeVersion()`).
 */
import { CRITERIA_GROUPS, PROGRAMS, programUri, type Registry } from '@trust-alliance/core';
import { messages, pageLang } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, notFoundPage, type PageMeta } from './page.tsx';

export const PROGRAM_PAGE_PREFIX = '/programs/';
export const PROGRAMS_PATH = '/programs';

/** `/programs`: every program, each with its mark, what it certifies and a link to its page. */
export function programsPage(registry: Registry, request: Request, url: URL): Response {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const meta: PageMeta = { title: m.text('programsTitle'), description: m.text('programsIntro'), canonical: `${registry.issuer}${PROGRAMS_PATH}?lang=${m.lang}`, image: `${registry.issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.text('programsTitle')}</h1>
      <p>{m.text('programsIntro')}</p>
      <ul class="program-list">
        {PROGRAMS.map((program) => (
          <li>
            <h2>
              <a href={hrefIn(m, `${PROGRAM_PAGE_PREFIX}${program}`)}>{m.code('program', program)}</a>
            </h2>
            <p>
              <img src={`/badge/${program}.svg?lang=${m.lang}`} alt="" />
            </p>
            <p>{m.code('programAbout', program)}</p>
          </li>
        ))}
      </ul>
    </Layout>,
    { lang: m.lang },
  );
}

export async function programPage(registry: Registry, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const program = url.pathname.slice(PROGRAM_PAGE_PREFIX.length);
  if (!PROGRAMS.includes(program)) return notFoundPage(request, url, m, registry.issuer);
  const [policy, pledge] = await Promise.all([registry.certificationPolicy(), registry.currentPledgeVersion()]);
  const name = m.code('program', program);
  const maxScore = Object.values(CRITERIA_GROUPS).reduce((a, b) => a + b, 0);
  const assessed = policy.assessmentPrograms.includes(program as never);
  const meta: PageMeta = { title: name, description: m.code('programAbout', program), canonical: programUri(registry.issuer, program), image: `${registry.issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{name}</h1>
      <p>
        <img src={`/badge/${program}.svg?lang=${m.lang}`} alt={name} />
      </p>
      <h2>{m.text('programCertifies')}</h2>
      <p>{m.code('programAbout', program)}</p>
      <h2>{m.text('programCriteria')}</h2>
      <p>{m.fn('programCriteriaIntro')(String(policy.version), m.date(policy.effectiveFrom))}</p>
      {assessed ? (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.text('programGroup')}</th>
                  <th scope="col">{m.text('programMax')}</th>
                  <th scope="col">{m.text('programMin')}</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(CRITERIA_GROUPS) as Array<keyof typeof CRITERIA_GROUPS>).map((group) => (
                  <tr>
                    <th scope="row">{m.code('group', group)}</th>
                    <td>{CRITERIA_GROUPS[group]}</td>
                    <td>{policy.groupMinimums[group]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{m.fn('programPassing')(String(policy.passingScore), String(maxScore))}</p>
        </>
      ) : (
        <p>{m.text('programNoAssessment')}</p>
      )}
      <h2>{m.text('programValidity')}</h2>
      <p>{m.fn('programValidityText')(String(policy.validityMonths))}</p>
      <h2>{m.text('programPledge')}</h2>
      {pledge ? (
        <>
          <p>{m.fn('programPledgeVersion')(String(pledge.version), m.date(pledge.effectiveAt ?? pledge.publishedAt ?? pledge.createdAt))}</p>
          <section lang="vi" aria-labelledby="pledge-vi">
            <h3 id="pledge-vi">
              {m.text('pledgeInVietnamese')}: {pledge.titleVi}
            </h3>
            <div class="pledge">{pledge.textVi}</div>
          </section>
          <section lang="en" aria-labelledby="pledge-en">
            <h3 id="pledge-en">
              {m.text('pledgeInEnglish')}: {pledge.titleEn}
            </h3>
            <div class="pledge">{pledge.textEn}</div>
          </section>
        </>
      ) : (
        <p>{m.text('programPledgeNone')}</p>
      )}
    </Layout>,
    { lang: m.lang },
  );
}
