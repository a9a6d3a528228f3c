/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/members/<id>`: a member's public profile: display name, kind, province, standing (core's
 * answer, see standing.ts), verified accounts, badges, the pledge version signed and when, the
 * live badge's HTML snippet to copy and a QR code of the page. No personal data, ever: only the
 * public member fields (core's `getMember`) and public account forms (`publicAccount`).
 */
import type { VNode } from 'preact';
import type { Registry } from '@trust-alliance/core';
import { messages, pageLang, type Messages } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, notFoundPage, type PageMeta } from './page.tsx';
import { AnswerBox, StatusTag } from './status.tsx';
import { ID_PATTERN, memberStanding, type AccountStanding } from './standing.ts';
import { QrFigure, qrSvg } from './qr.tsx';

export const MEMBER_PAGE_PREFIX = '/members/';

/** The verified accounts with each one's answer. */
export function AccountList({ m, accounts }: { m: Messages; accounts: AccountStanding[] }): VNode {
  if (accounts.length === 0) return <p>{m.text('memberNoAccounts')}</p>;
  return (
    <ul class="accounts">
      {accounts.map((a) => (
        <li>
          {m.code('platform', a.platform)}:{' '}
          {a.url ? (
            <a href={a.url} rel="nofollow noopener noreferrer">
              {a.url}
            </a>
          ) : (
            <span>{a.key}</span>
          )}{' '}
          <StatusTag m={m} status={a.result.status} />
        </li>
      ))}
    </ul>
  );
}

/** The HTML a member copies to embed the live badge. */
export function embedSnippet(issuer: string, memberId: string, alt: string): string {
  const escapedAlt = alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<a href="${issuer}/members/${memberId}"><img src="${issuer}/badge/members/${memberId}.svg" alt="${escapedAlt}"></a>`;
}

export async function memberPage(registry: Registry, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const id = decodeURIComponent(url.pathname.slice(MEMBER_PAGE_PREFIX.length));
  const member = ID_PATTERN.test(id) ? await registry.getMember(id) : null;
  if (!member) return notFoundPage(request, url, m, registry.issuer);
  const [standing, badges, signature] = await Promise.all([
    memberStanding(registry, member.id, m.lang),
    registry.reads.badge.findMany({ where: { memberId: member.id }, orderBy: [{ issuedAt: 'desc' }, { id: 'asc' }], select: { id: true, program: true, status: true, issuedAt: true, expiresAt: true } }),
    registry.reads.pledgeSignature.findFirst({ where: { memberId: member.id, withdrawnAt: null }, orderBy: { signedAt: 'desc' }, select: { signedAt: true, pledgeVersion: { select: { version: true } } } }),
  ]);
  const answer = standing.answer;
  const pageUrl = `${registry.issuer}/members/${member.id}`;
  const meta: PageMeta = {
    title: member.displayName,
    description: answer ? `${m.code('status', answer.status)}. ${m.code('kind', member.kind)}${member.province ? `, ${member.province}` : ''}.` : m.text('memberNoAccounts'),
    canonical: pageUrl,
    image: `${registry.issuer}/card/members/${member.id}.png?lang=${m.lang}`,
  };
  const svg = await qrSvg(pageUrl);
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>
        <bdi>{member.displayName}</bdi>
      </h1>
      <dl class="facts">
        <dt>{m.text('memberKind')}</dt>
        <dd>{m.code('kind', member.kind)}</dd>
        {member.province ? (
          <>
            <dt>{m.text('memberProvince')}</dt>
            <dd>
              <bdi>{member.province}</bdi>
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{m.text('memberStanding')}</h2>
      {answer ? (
        <AnswerBox m={m} answer={answer} />
      ) : (
        <p>{m.text('memberNoAccounts')}</p>
      )}
      <h2>{m.text('memberAccounts')}</h2>
      <AccountList m={m} accounts={standing.accounts} />
      <h2>{m.text('memberBadges')}</h2>
      {badges.length === 0 ? (
        <p>{m.text('answerNoPrograms')}</p>
      ) : (
        <ul class="badges">
          {badges.map((b) => {
            // The badge as core's answer shows it (member status and pledge folded in), when there is an answer.
            const shown = answer?.badges.find((x) => x.id === b.id);
            return (
              <li>
                <a href={hrefIn(m, `/verify/badge/${b.id}`)}>{m.code('program', b.program)}</a>: <StatusTag m={m} status={shown?.status ?? b.status} /> · {m.text('since')}{' '}
                <time dateTime={b.issuedAt.toISOString()}>{m.date(b.issuedAt)}</time> · {m.text('until')} <time dateTime={b.expiresAt.toISOString()}>{m.date(b.expiresAt)}</time>
              </li>
            );
          })}
        </ul>
      )}
      <h2>{m.text('memberPledge')}</h2>
      <p>{signature ? m.fn('memberPledgeSigned')(String(signature.pledgeVersion.version), m.date(signature.signedAt)) : m.text('memberPledgeNone')}</p>
      <h2>{m.text('memberEmbed')}</h2>
      <p>{m.text('memberEmbedHelp')}</p>
      <p>
        <img src={`/badge/members/${member.id}.svg?lang=${m.lang}`} alt={m.fn('memberEmbedAlt')(member.displayName)} />
      </p>
      <pre class="snippet">
        <code>{embedSnippet(registry.issuer, member.id, m.fn('memberEmbedAlt')(member.displayName))}</code>
      </pre>
      <QrFigure m={m} url={pageUrl} svg={svg} />
    </Layout>,
    { lang: m.lang },
  );
}
