/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * QR codes of our own pages (the `qrcode` package, SVG), inlined in the page so a printed poster
 * or a livestream overlay can be checked with a phone camera. Only URLs under the issuer are ever
 * encoded; the SVG is the library's output from that URL alone (paths, no text), kept in a small cache.
 */
import type { VNode } from 'preact';
import QRCode from 'qrcode';
import type { Messages } from './i18n.ts';

const cache = new Map<string, string>();
const MAX_CACHED = 500;

/** The QR code of `url` as an SVG document (black on white, a quiet zone of 2 modules). */
export async function qrSvg(url: string): Promise<string> {
  let svg = cache.get(url);
  if (svg === undefined) {
    svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(url, svg);
  }
  return svg;
}

/** A figure with the QR code (an image with a text alternative naming the URL) and its caption. */
export function QrFigure({ m, url, svg }: { m: Messages; url: string; svg: string }): VNode {
  // The SVG is generated from `url` by qrcode (no text from anyone), so it is inserted as is.
  const labelled = svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(m.fn('qrLabel')(url))}" `);
  return (
    <figure class="qr">
      <div class="qr-code" data-qr-for={url} dangerouslySetInnerHTML={{ __html: labelled }} />
      <figcaption>{m.text('qrCaption')}</figcaption>
    </figure>
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
