/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/verify/badge/<id>`: the page an attestation's `ref` names (core's `verificationPageUri`):
 * the badge, its program, its member, the member's verified accounts, its validity, its live
 * status (core's answer for this program, see standing.ts: suspended, revoked, expired in
 * words) and a QR code of this page.
 */
import { verificationPageUri, type Registry } from '@trust-alliance/core';
import { messages, pageLang } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, notFoundPage, type PageMeta } from './page.tsx';
import { AnswerBox, StatusTag } from './status.tsx';
import { ID_PATTERN, memberStanding } from './standing.ts';
import { QrFigure, qrSvg } from './qr.tsx';
import { AccountList } from './member-page.tsx';

export const BADGE_PAGE_PREFIX = '/verify/badge/';


export async function badgePage(registry: Registry, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const id = decodeURIComponent(url.pathname.slice(BADGE_PAGE_PREFIX.length));
  const badge = ID_PATTERN.test(id) ? await registry.getBadge(id) : null;
  const member = badge ? await registry.getMember(badge.memberId) : null;
  if (!badge || !member) return notFoundPage(request, url, m, registry.issuer);
  const standing = await memberStanding(registry, member.id, m.lang, badge.program);
  const answer = standing.answer;
  const shown = answer?.badges.find((b) => b.id === badge.id);
  const pageUrl = verificationPageUri(registry.issuer, badge.id);
  const programName = m.code('program', badge.program);
  const meta: PageMeta = {
    title: `${m.fn('badgePageTitle')(programName)}: ${member.displayName}`,
    description: answer ? `${m.code('status', answer.status)}. ${answer.reason?.message ?? m.code('statusHeadline', answer.status)}` : m.text('badgeNoAccount'),
    canonical: pageUrl,
    image: `${registry.issuer}/card/badge/${badge.id}.png?lang=${m.lang}`,
  };
  const svg = await qrSvg(pageUrl);
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.fn('badgePageTitle')(programName)}</h1>
      <h2>{m.text('badgeLiveStatus')}</h2>
      {answer ? (
        <AnswerBox m={m} answer={answer} />
      ) : (
        <section class="answer answer-neutral">
          <p>{m.text('badgeNoAccount')}</p>
          <p>
            <StatusTag m={m} status={badge.status} />
          </p>
        </section>
      )}
      <dl class="facts">
        <dt>{m.text('badgeProgram')}</dt>
        <dd>
          <a href={hrefIn(m, `/programs/${badge.program}`)}>{programName}</a>
        </dd>
        <dt>{m.text('badgeHolder')}</dt>
        <dd>
          <a href={hrefIn(m, `/members/${member.id}`)}><bdi>{member.displayName}</bdi></a> · {m.code('kind', member.kind)}
          {member.province ? <> · <bdi>{member.province}</bdi></> : ''}
        </dd>
        <dt>{m.text('badgeIssued')}</dt>
        <dd>
          <time dateTime={(shown?.issuedAt ?? badge.issuedAt).toISOString()}>{m.date(shown?.issuedAt ?? badge.issuedAt)}</time>
        </dd>
        <dt>{m.text('badgeExpires')}</dt>
        <dd>
          <time dateTime={(shown?.expiresAt ?? badge.expiresAt).toISOString()}>{m.date(shown?.expiresAt ?? badge.expiresAt)}</time>
        </dd>
      </dl>
      <h2>{m.text('badgeAccounts')}</h2>
      <AccountList m={m} accounts={standing.accounts} />
      <QrFigure m={m} url={pageUrl} svg={svg} />
    </Layout>,
    { lang: m.lang },
  );
}
