/**
 * The one stylesheet of the pages, served from /assets/site.css (the CSP allows styles from
 * 'self' only: no inline style). Colours pass WCAG AA on their backgrounds (4.5:1 or more).
 */
import { weakEtag } from '../http/respond.ts';
import { cacheable } from '../http/respond.ts';
import type { Route } from '../http/route.ts';

export const STYLESHEET_PATH = '/assets/site.css';

const CSS = `
:root { --ink: #1a1a1a; --muted: #4a4a4a; --link: #0b57d0; --line: #c8c8c8; --bg: #ffffff; --soft: #f4f6f8;
  --ok: #1b5e20; --ok-bg: #e8f5e9; --warn: #6b4700; --warn-bg: #fff4d6; --danger: #a30000; --danger-bg: #ffebee; --neutral: #3d3d3d; --neutral-bg: #efefef; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f9a825; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header.site .brand { font-weight: 700; color: var(--ink); text-decoration: none; font-size: 1.1rem; }
header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.site .lang-switch { margin: 0 0 0 auto; }
header.site .lang-switch a { font-weight: 600; border: 1px solid var(--link); border-radius: 4px; padding: .15rem .6rem; text-decoration: none; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
footer.site { max-width: 52rem; margin: 2rem auto 0; padding: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
form.check, form.report, form.search { display: grid; gap: .5rem; margin: 1rem 0; }
label { font-weight: 600; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
input, select, textarea { font: inherit; padding: .55rem .6rem; border: 1px solid #767676; border-radius: 4px; width: 100%; background: #fff; color: var(--ink); }
textarea { min-height: 8rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border: 0; border-radius: 4px; background: #0b57d0; color: #fff; cursor: pointer; justify-self: start; }
.answer { border: 2px solid; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.answer-status { font-size: 1.5rem; margin: 0; }
.answer-symbol { display: inline-block; width: 2rem; height: 2rem; line-height: 2rem; text-align: center; border-radius: 50%; color: #fff; font-weight: 700; }
.answer-headline { font-size: 1.1rem; margin: .25rem 0 .5rem; }
.answer-ok { border-color: var(--ok); background: var(--ok-bg); color: var(--ok); } .answer-ok .answer-symbol { background: var(--ok); }
.answer-warn { border-color: var(--warn); background: var(--warn-bg); color: var(--warn); } .answer-warn .answer-symbol { background: var(--warn); }
.answer-danger { border-color: var(--danger); background: var(--danger-bg); color: var(--danger); } .answer-danger .answer-symbol { background: var(--danger); }
.answer-neutral { border-color: var(--neutral); background: var(--neutral-bg); color: var(--neutral); } .answer-neutral .answer-symbol { background: var(--neutral); }
.answer a { color: inherit; }
.warning { border-left: 6px solid var(--danger); background: var(--danger-bg); color: var(--danger); padding: .75rem 1rem; margin: 1rem 0; border-radius: 4px; }
.warning h2 { margin-top: 0; }
.warning a { color: var(--danger); font-weight: 600; }
.tag { display: inline-block; padding: .05rem .5rem; border-radius: 4px; font-weight: 600; font-size: .95rem; }
.tag-ok { background: var(--ok-bg); color: var(--ok); } .tag-warn { background: var(--warn-bg); color: var(--warn); }
.tag-danger { background: var(--danger-bg); color: var(--danger); } .tag-neutral { background: var(--neutral-bg); color: var(--neutral); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
.qr { max-width: 12rem; margin: 1rem 0; }
.qr svg { width: 100%; height: auto; display: block; }
.qr figcaption { font-size: .9rem; color: var(--muted); }
pre.snippet { background: var(--soft); padding: .75rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); }
.pledge { border: 1px solid var(--line); padding: .5rem 1rem; margin: .5rem 0; white-space: pre-line; }
.errors { border: 2px solid var(--danger); color: var(--danger); padding: .5rem 1rem; border-radius: 4px; }
.field-error { color: var(--danger); font-weight: 600; margin: 0; }
.pager { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; }
.share { overflow-wrap: anywhere; }
@media (max-width: 30rem) { h1 { font-size: 1.35rem; } dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; } header.site .lang-switch { margin-left: 0; } }
`;

const ETAG = weakEtag(CSS);

/** `/assets/site.css`, cacheable for a day. */
export function assetRoutes(): Route[] {
  return [{ path: STYLESHEET_PATH, handle: (request) => cacheable(request, { body: CSS, contentType: 'text/css; charset=utf-8', etag: ETAG, maxAgeSeconds: 86_400, headers: { 'x-content-type-options': 'nosniff' } }) }];
}
