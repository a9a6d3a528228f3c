/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/`: check a page or account. One box (any form core's `normalizeAccount` takes), an optional
 * date to ask about the past, and `GET /?url=…` (or `?platform=…&handle=…`, `&at=…`) as the
 * shareable answer. The answer is `registry.verify` itself (the same parameters and decision as
 * `GET /v1/verify`): status in words, the reason's message from core, member, programs and
 * badges with their dates, a red warning for a flagged account and for a lookalike of a
 * verified account (naming and linking the real one), and a link to report the account.
 */
import type { VNode } from 'preact';
import { ValidationError, type Registry, type VerificationResult } from '@trust-alliance/core';
import { parseVerifyQuery } from '../http/verify.ts';
import { toAccountInput } from '../verification/verification-view.ts';
import { messages, pageLang, type Messages } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, type PageMeta } from './page.tsx';
import { StatusBox, StatusTag } from './status.tsx';

/** The query parameters that ask a question (the rest, such as `lang`, only shape the page). */
const QUESTION_PARAMS = ['url', 'platform', 'handle', 'at'];

/**
 * The `at` of the form: a date alone (the date input) means the end of that day in Vietnam,
 * and never later than now; an ISO date-time is taken as it is.
 */
export function atFromForm(value: string, now: Date): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const end = new Date(`${value}T23:59:59.999+07:00`);
  if (Number.isNaN(end.getTime())) return value;
  return (end > now ? now : end).toISOString();
}

interface Question {
  params: URLSearchParams;
  /** What the person typed (shown back in the box). */
  typed: string;
  atTyped: string;
}

function questionOf(url: URL, now: Date): Question | null {
  if (!QUESTION_PARAMS.some((p) => url.searchParams.has(p))) return null;
  const params = new URLSearchParams();
  for (const name of ['url', 'platform', 'handle', 'program']) for (const v of url.searchParams.getAll(name)) params.append(name, v.trim());
  const atTyped = url.searchParams.get('at')?.trim() ?? '';
  if (atTyped !== '') params.set('at', atFromForm(atTyped, now));
  const typed = url.searchParams.get('url') ?? [url.searchParams.get('platform'), url.searchParams.get('handle')].filter(Boolean).join(' ');
  return { params, typed, atTyped };
}

type Outcome = { kind: 'answer'; result: VerificationResult } | { kind: 'error'; message: string };

async function ask(registry: Registry, question: Question, m: Messages): Promise<Outcome> {
  if ((question.params.get('url') ?? 'x') === '' && !question.params.has('platform')) return { kind: 'error', message: m.code('statusHeadline', 'INVALID_INPUT') };
  let query: ReturnType<typeof parseVerifyQuery>;
  try {
    query = parseVerifyQuery(question.params);
  } catch (error) {
    if (error instanceof Error && 'field' in error) return { kind: 'error', message: error.message };
    throw error;
  }
  try {
    const result = await registry.verify(toAccountInput(query.input), { ...(query.at ? { at: query.at } : {}), ...(query.program ? { program: query.program } : {}), lang: m.lang });
    return { kind: 'answer', result };
  } catch (error) {
    if (error instanceof ValidationError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function CheckForm({ m, typed, atTyped }: { m: Messages; typed: string; atTyped: string }): VNode {
  return (
    <form class="check" method="get" action="/" role="search">
      <input type="hidden" name="lang" value={m.lang} />
      <label for="check-url">{m.text('checkInputLabel')}</label>
      <p class="hint" id="check-url-hint">
        {m.text('checkInputHint')}
      </p>
      <input id="check-url" name="url" type="text" inputMode="url" autoComplete="off" spellcheck={false} required maxLength={2000} value={typed} aria-describedby="check-url-hint" />
      <label for="check-at">{m.text('checkAtLabel')}</label>
      <input id="check-at" name="at" type="date" value={/^\d{4}-\d{2}-\d{2}$/.test(atTyped) ? atTyped : ''} />
      <button type="submit">{m.text('checkButton')}</button>
    </form>
  );
}

function Answer({ m, result, shareUrl }: { m: Messages; result: VerificationResult; shareUrl: string }): VNode {
  const account = result.account;
  const reportHref = hrefIn(m, '/report', { url: account?.url ?? ('url' in result.input ? result.input.url : null) });
  return (
    <div class="result">
      <h2>{m.text('answerTitle')}</h2>
      <StatusBox m={m} status={result.status}>
        {result.reason ? (
          <p>
            <strong>{m.text('answerWhy')}:</strong> {result.reason.message}
          </p>
        ) : null}
      </StatusBox>
      {result.flags.length > 0 ? (
        <section class="warning" aria-labelledby="flag-title">
          <h2 id="flag-title">{m.text('flaggedTitle')}</h2>
          {result.flags.map((f) => (
            <p>{m.fn('flaggedText')(m.category(f.category), m.date(f.since))}</p>
          ))}
        </section>
      ) : null}
      {result.lookalikeOf.length > 0 ? (
        <section class="warning" aria-labelledby="lookalike-title">
          <h2 id="lookalike-title">{m.text('lookalikeTitle')}</h2>
          <ul>
            {result.lookalikeOf.map((l) => (
              <li>
                {m.fn('lookalikeText')('\u2068' + l.displayName + '\u2069')}{' '}
                {l.url ? (
                  <>
                    <a href={l.url} rel="nofollow noopener noreferrer">
                      {l.url}
                    </a>{' '}
                    (<a href={hrefIn(m, '/', { url: l.url })}>{m.text('checkRealAccount')}</a>)
                  </>
                ) : (
                  <span>{l.key}</span>
                )}{' '}
                <span class="hint">({m.text(l.match === 'SPELLING' ? 'lookalikeSpelling' : 'lookalikeNameReused')})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <dl class="facts">
        <dt>{m.text('answerFor')}</dt>
        <dd>{account ? `${m.code('platform', account.platform)}: ${account.url}` : 'url' in result.input ? result.input.url : `${result.input.platform} ${result.input.handle}`}</dd>
        <dt>{m.text('answerAsOf')}</dt>
        <dd>
          <time dateTime={result.at.toISOString()}>{m.dateTime(result.at)}</time>
        </dd>
        {result.member ? (
          <>
            <dt>{m.text('answerMember')}</dt>
            <dd>
              <a href={hrefIn(m, `/members/${encodeURIComponent(result.member.id)}`)}><bdi>{result.member.displayName}</bdi></a>
              {' · '}
              {m.code('kind', result.member.kind)}
              {result.member.province ? <> · <bdi>{result.member.province}</bdi></> : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {result.programs.length > 0 ? (
        <>
          <h3>{m.text('answerPrograms')}</h3>
          <ul class="programs">
            {result.programs.map((p) => {
              const badge = result.badges.find((b) => b.program === p.program);
              return (
                <li>
                  <a href={hrefIn(m, `/programs/${p.program}`)}>{m.code('program', p.program)}</a>: <StatusTag m={m} status={p.status} />
                  {badge ? (
                    <>
                      {' '}
                      · {m.text('since')} <time dateTime={badge.issuedAt.toISOString()}>{m.date(badge.issuedAt)}</time> · {m.text('until')}{' '}
                      <time dateTime={badge.expiresAt.toISOString()}>{m.date(badge.expiresAt)}</time> · <a href={hrefIn(m, `/verify/badge/${encodeURIComponent(badge.id)}`)}>{m.text('answerBadgeLink')}</a>
                    </>
                  ) : null}
                  {p.reason && p.status !== result.status ? <span class="hint"> — {p.reason.message}</span> : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <p>
        <a href={reportHref}>{m.text('answerReportLink')}</a>
      </p>
      <p class="share">
        {m.text('answerShare')}: <a href={shareUrl}>{shareUrl}</a>
      </p>
    </div>
  );
}

/** The `/` route. */
export async function checkPage(registry: Registry, request: Request, url: URL): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
  const m = messages(pageLang(request, url));
  const question = questionOf(url, registry.now());
  const outcome = question ? await ask(registry, question, m) : null;
  const issuer = registry.issuer;
  const shareParams = new URLSearchParams();
  if (question) for (const [k, v] of question.params) shareParams.append(k, v);
  shareParams.set('lang', m.lang);
  const shareUrl = `${issuer}/?${shareParams.toString()}`;
  const result = outcome?.kind === 'answer' ? outcome.result : null;
  const meta: PageMeta = result
    ? {
        title: `${m.code('status', result.status)}: ${result.account?.url ?? question!.typed}`,
        description: `${m.code('statusHeadline', result.status)}${result.member ? ` ${result.member.displayName}.` : ''}${result.reason ? ` ${result.reason.message}` : ''}`,
        canonical: shareUrl,
        image: `${issuer}/card/check.png?${shareParams.toString()}`,
      }
    : { title: m.text('checkTitle'), description: m.text('checkIntro'), canonical: `${issuer}/?lang=${m.lang}`, image: `${issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      <h1>{m.text('checkTitle')}</h1>
      <p>{m.text('checkIntro')}</p>
      <CheckForm m={m} typed={question?.typed ?? ''} atTyped={question?.atTyped ?? ''} />
      {question ? null : (
        <p>
          <a href={hrefIn(m, '/about')}>{m.text('checkHowTo')}</a>
        </p>
      )}
      {outcome?.kind === 'error' ? (
        <section class="answer answer-neutral" aria-labelledby="answer-error">
          <h2 id="answer-error">{m.text('answerError')}</h2>
          <p>{outcome.message}</p>
        </section>
      ) : null}
      {result ? <Answer m={m} result={result} shareUrl={shareUrl} /> : null}
    </Layout>,
    { lang: m.lang },
  );
}
