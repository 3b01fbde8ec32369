import { renderMarkdownReport } from './markdown';
import type { ReportInput } from './report-input';

function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** A heading's anchor, as GitHub makes it (lowercase, spaces to dashes, other punctuation dropped): links work in both renderings. */
export function headingAnchor(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9 _-]/g, '').trim().replace(/ /g, '-');
}

/** Inline Markdown of our own reports: bold, code, and links to anchors in the same report. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`(.+?)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((#[a-z0-9_-]+)\)/g, '<a href="$2">$1</a>');
}

/**
 * The HTML of one of our own Markdown reports (`text`, with its chart `files` inline as SVG):
 * headings (with their anchors), tables, lists, quotes, code blocks, images — what the report
 * writers produce, not Markdown at large. Everything else is escaped.
 */
export function markdownToHtml(title: string, text: string, files: readonly { readonly path: string; readonly content: string }[]): string {
  const svgByPath = new Map(files.map((f) => [f.path, f.content]));
  const body: string[] = [];
  let table: string[] = [];
  let code: string[] | undefined;
  const flushTable = () => {
    if (table.length === 0) return;
    const [head, , ...rows] = table;
    const cells = (row: string) => row.split('|').slice(1, -1).map((c) => c.trim());
    body.push('<table>', `<tr>${cells(head ?? '').map((c) => `<th>${inline(c)}</th>`).join('')}</tr>`, ...rows.map((r) => `<tr>${cells(r).map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`), '</table>');
    table = [];
  };
  for (const line of text.split('\n')) {
    if (code !== undefined) {
      if (line.startsWith('```')) {
        body.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
        code = undefined;
      } else code.push(line);
      continue;
    }
    if (line.startsWith('|')) {
      table.push(line);
      continue;
    }
    flushTable();
    const image = /^!\[(.*)\]\((.+)\)$/.exec(line);
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (line.startsWith('```')) code = [];
    else if (heading !== null) {
      const level = heading[1]?.length ?? 1;
      const words = heading[2] ?? '';
      body.push(`<h${level} id="${headingAnchor(words)}">${inline(words)}</h${level}>`);
    } else if (line.startsWith('- ')) body.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.startsWith('> ')) body.push(`<blockquote>${inline(line.slice(2))}</blockquote>`);
    else if (image !== null) body.push(`<figure>${svgByPath.get(image[2] ?? '') ?? ''}</figure>`);
    else if (line.trim() !== '') body.push(`<p>${inline(line)}</p>`);
  }
  flushTable();
  if (code !== undefined) body.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)} — QEMU Lab report</title>`,
    '<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#111827}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left}th{background:#f3f4f6}figure{margin:1em 0}blockquote{color:#92400e;border-left:4px solid #f59e0b;margin:1em 0;padding-left:1em}pre{background:#f3f4f6;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}</style>',
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * A self-contained HTML report: the Markdown report's content with the charts inline as SVG —
 * one file to open in a browser or attach to an assignment.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { text, files } = renderMarkdownReport(input);
  return markdownToHtml(input.experiment, text, files);
}
