/**
 * Every panel's webview HTML: an empty page that loads the panel's bundle (dist/webview.js,
 * dist/migration.js, dist/colo.js), under a strict
 * Content-Security-Policy — nothing by default; the one script only with this load's nonce;
 * styles and images only from the extension's own resources (the webview's styles are a
 * constructed stylesheet, which needs no 'unsafe-inline'); images also as data: URLs.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one load of the webview: 128 random bits, base64. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** What the page needs from the webview: its resource origin and the script's webview URI. */
export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(…/dist/<bundle>.js)`, as a string. */
  readonly scriptUri: string;
  readonly nonce: string;
  readonly title: string;
}

/** The Content-Security-Policy of the page. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The whole page. */
export function panelHtml(options: PanelHtmlOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(options.cspSource, options.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${escapeAttribute(options.title)}</title>`,
    '</head>',
    '<body>',
    `<script type="module" nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
