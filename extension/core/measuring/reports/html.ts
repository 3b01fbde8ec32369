import { renderMarkdownReport } from './markdown';
import type { ReportInput } from './report-input';

function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** Inline Markdown of our own reports (bold, code, links are not used): enough for a table and lists. */
function inline(text: string): string {
  return escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`(.+?)`/g, '<code>$1</code>');
}

/**
 * A self-contained HTML report: the Markdown report's content with the charts inline as SVG —
 * one file to open in a browser or attach to an assignment.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { text, files } = renderMarkdownReport(input);
  const svgByPath = new Map(files.map((f) => [f.path, f.content]));
  const body: string[] = [];
  let table: string[] = [];
  const flushTable = () => {
    if (table.length === 0) return;
    const [head, , ...rows] = table;
    const cells = (row: string) => row.split('|').slice(1, -1).map((c) => c.trim());
    body.push('<table>', `<tr>${cells(head ?? '').map((c) => `<th>${inline(c)}</th>`).join('')}</tr>`, ...rows.map((r) => `<tr>${cells(r).map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`), '</table>');
    table = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      table.push(line);
      continue;
    }
    flushTable();
    const image = /^!\[(.*)\]\((.+)\)$/.exec(line);
    if (line.startsWith('# ')) body.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith('## ')) body.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('- ')) body.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.startsWith('> ')) body.push(`<blockquote>${inline(line.slice(2))}</blockquote>`);
    else if (image !== null) body.push(`<figure>${svgByPath.get(image[2] ?? '') ?? ''}</figure>`);
    else if (line.trim() !== '') body.push(`<p>${inline(line)}</p>`);
  }
  flushTable();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(input.experiment)} — QEMU Lab report</title>`,
    '<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#111827}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left}th{background:#f3f4f6}figure{margin:1em 0}blockquote{color:#92400e;border-left:4px solid #f59e0b;margin:1em 0;padding-left:1em}</style>',
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
