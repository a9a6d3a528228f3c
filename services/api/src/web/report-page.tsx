/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * `/report`: a form that files core's `reportAccount` (account, category, description, an
 * optional contact that core seals for officers), without an account and without JavaScript:
 * a plain POST form, then a 303 to a confirmation (so a reload does not file twice).
 *
 * Cross-site posting is refused, with no cookie to steal in the first place:
 * - the browser's `Origin` must be ours (the request's own origin or the issuer's), or, without
 *   an `Origin`, `Sec-Fetch-Site` must be `same-origin` or `none`;
 * - the form carries a token signed with the registry's keyed pseudonym (valid 2 hours), so a
 *   post needs a form fetched from this page first.
 * The service's anonymous rate limit applies to /report (server/create-yoga.ts).
 */
import type { VNode } from 'preact';
import { RegistryError, type Registry } from '@trust-alliance/core';
import { ReportCategory } from '@trust-alliance/core/prisma';
import { messages, pageLang, type Messages } from './i18n.ts';
import { hrefIn, htmlResponse, Layout, methodNotAllowed, type PageMeta } from './page.tsx';
import { readTextWithin, RouteResponse } from '../http/respond.ts';

export const REPORT_PATH = '/report';
const TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;
const MAX_FORM_BYTES = 16 * 1024;
const LIMITS = { url: 2000, description: 5000, contact: 300 } as const;
const CATEGORIES = Object.values(ReportCategory) as string[];
const REPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A form token: when it was issued, and a keyed pseudonym of that moment. */
export function formToken(registry: Registry, issuedAt: number): string {
  return `${issuedAt}.${registry.pseudonym('web-report-form', String(issuedAt))}`;
}

function tokenIsValid(registry: Registry, token: string, now: number): boolean {
  const [issued, mac] = token.split('.');
  const issuedAt = Number(issued);
  if (!Number.isSafeInteger(issuedAt) || !mac || issuedAt > now + 60_000 || now - issuedAt > TOKEN_LIFETIME_MS) return false;
  return formToken(registry, issuedAt) === token;
}

/** Whether a POST comes from our own page (see the file's comment). */
export function sameOrigin(request: Request, url: URL, issuer: string): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === url.origin || origin === new URL(issuer).origin;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

interface FormValues {
  url: string;
  category: string;
  description: string;
  contact: string;
}
type FieldErrors = Partial<Record<keyof FormValues, string>>;

function ReportForm({ m, values, errors, token, notice }: { m: Messages; values: FormValues; errors: FieldErrors; token: string; notice: string | null }): VNode {
  const described = (field: keyof FormValues) => (errors[field] ? `report-${field}-error` : undefined);
  const fieldError = (field: keyof FormValues) =>
    errors[field] ? (
      <p class="field-error" id={`report-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const hasErrors = Object.keys(errors).length > 0 || notice !== null;
  return (
    <form class="report" method="post" action={`${REPORT_PATH}?lang=${m.lang}`}>
      {hasErrors ? (
        <div class="errors" role="alert">
          <p>{notice ?? m.text('reportErrors')}</p>
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <label for="report-url">{m.text('reportAccount')}</label>
      <input id="report-url" name="url" type="text" inputMode="url" required maxLength={LIMITS.url} value={values.url} aria-invalid={errors.url ? 'true' : undefined} aria-describedby={described('url')} />
      {fieldError('url')}
      <label for="report-category">{m.text('reportCategory')}</label>
      <select id="report-category" name="category" required aria-invalid={errors.category ? 'true' : undefined} aria-describedby={described('category')}>
        {CATEGORIES.map((c) => (
          <option value={c} selected={values.category === c}>
            {m.category(c)}
          </option>
        ))}
      </select>
      {fieldError('category')}
      <label for="report-description">{m.text('reportDescription')}</label>
      <textarea id="report-description" name="description" required maxLength={LIMITS.description} aria-invalid={errors.description ? 'true' : undefined} aria-describedby={described('description')}>
        {values.description}
      </textarea>
      {fieldError('description')}
      <label for="report-contact">{m.text('reportContact')}</label>
      <input id="report-contact" name="contact" type="text" maxLength={LIMITS.contact} autoComplete="email" value={values.contact} aria-invalid={errors.contact ? 'true' : undefined} aria-describedby={described('contact')} />
      {fieldError('contact')}
      <button type="submit">{m.text('reportSend')}</button>
    </form>
  );
}

function page(registry: Registry, request: Request, url: URL, m: Messages, body: VNode, status = 200): Response {
  const meta: PageMeta = { title: m.text('reportTitle'), description: m.text('reportIntro'), canonical: `${registry.issuer}${REPORT_PATH}?lang=${m.lang}`, image: `${registry.issuer}/card/site.png?lang=${m.lang}` };
  return htmlResponse(
    request,
    <Layout m={m} meta={meta} url={url}>
      {body}
    </Layout>,
    // The form carries a fresh token: never cached.
    { lang: m.lang, status, cache: false },
  );
}

function formPage(registry: Registry, request: Request, url: URL, m: Messages, values: FormValues, errors: FieldErrors, notice: string | null, status = 200): Response {
  return page(
    registry,
    request,
    url,
    m,
    <>
      <h1>{m.text('reportTitle')}</h1>
      <p>{m.text('reportIntro')}</p>
      <ReportForm m={m} values={values} errors={errors} token={formToken(registry, registry.now().getTime())} notice={notice} />
    </>,
    status,
  );
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  const text = await readTextWithin(request, MAX_FORM_BYTES);
  return text === null ? null : new URLSearchParams(text);
}

function validate(m: Messages, values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.url === '') errors.url = m.text('reportRequired');
  else if (values.url.length > LIMITS.url) errors.url = m.fn('reportTooLong')(String(LIMITS.url));
  if (!CATEGORIES.includes(values.category)) errors.category = m.text('reportRequired');
  if (values.description === '') errors.description = m.text('reportRequired');
  else if (values.description.length > LIMITS.description) errors.description = m.fn('reportTooLong')(String(LIMITS.description));
  if (values.contact.length > LIMITS.contact) errors.contact = m.fn('reportTooLong')(String(LIMITS.contact));
  for (const field of Object.keys(values) as Array<keyof FormValues>) if (values[field].includes('\u0000')) errors[field] = m.text('reportBadRequest');
  return errors;
}

export async function reportPage(registry: Registry, request: Request, url: URL): Promise<Response> {
  const m = messages(pageLang(request, url));
  const empty: FormValues = { url: (url.searchParams.get('url') ?? '').slice(0, LIMITS.url), category: 'IMPERSONATION', description: '', contact: '' };
  if (request.method === 'GET' || request.method === 'HEAD') {
    const sent = url.searchParams.get('sent');
    if (sent !== null && REPORT_ID.test(sent)) {
      return page(
        registry,
        request,
        url,
        m,
        <>
          <h1>{m.text('reportSentTitle')}</h1>
          <p role="status">{m.fn('reportSentText')(sent)}</p>
          <p>
            <a href={hrefIn(m, REPORT_PATH)}>{m.text('reportAnother')}</a> · <a href={hrefIn(m, '/warnings')}>{m.text('navWarnings')}</a>
          </p>
        </>,
      );
    }
    return formPage(registry, request, url, m, empty, {}, null);
  }
  if (request.method !== 'POST') return methodNotAllowed('GET, HEAD, POST');
  if (!sameOrigin(request, url, registry.issuer)) return formPage(registry, request, url, m, empty, {}, m.text('reportForbidden'), 403);
  const form = await readForm(request);
  if (form === null) return formPage(registry, request, url, m, empty, {}, m.text('reportBadRequest'), 400);
  const values: FormValues = {
    url: (form.get('url') ?? '').trim(),
    category: form.get('category') ?? '',
    description: (form.get('description') ?? '').trim(),
    contact: (form.get('contact') ?? '').trim(),
  };
  if (!tokenIsValid(registry, form.get('token') ?? '', registry.now().getTime())) return formPage(registry, request, url, m, values, {}, m.text('reportExpired'), 400);
  const errors = validate(m, values);
  if (Object.keys(errors).length > 0) return formPage(registry, request, url, m, values, errors, null, 400);
  let reportId: string;
  try {
    const report = await registry.reportAccount(
      { account: values.url, category: values.category as ReportCategory, description: values.description, reporterContact: values.contact === '' ? null : values.contact },
      { id: 'anonymous', role: 'PUBLIC' },
    );
    reportId = report.id;
  } catch (error) {
    // The account could not be placed, or core refused a field: shown at the field, the rest kept.
    if (error instanceof RegistryError && error.code === 'INVALID_ACCOUNT') return formPage(registry, request, url, m, values, { url: `${m.text('reportBadAccount')} (${error.message})` }, null, 400);
    if (error instanceof RegistryError && error.code === 'INVALID_INPUT') {
      const field = error.field === 'description' ? 'description' : error.field === 'reporterContact' ? 'contact' : error.field === 'category' ? 'category' : 'url';
      return formPage(registry, request, url, m, values, { [field]: error.message }, null, 400);
    }
    throw error;
  }
  return new RouteResponse(null, { status: 303, headers: { location: `${REPORT_PATH}?sent=${reportId}&lang=${m.lang}`, 'cache-control': 'no-store' } });
}
