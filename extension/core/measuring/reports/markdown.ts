import { basename } from 'node:path';
import { safeFileName } from '../../infrastructure/files/safe-name';
import { cellLabel, chartsOf, guestViewWords, guestWords, type ReportInput } from './report-input';
import { renderBarChartSvg, shortNumber } from './svg-chart';

/** A rendered report: the main text and the chart files it refers to. */
export interface RenderedReport {
  readonly text: string;
  /** Files to write next to the report (relative path → content); names made by safeFileName, never leaving `chartDir`. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

/** The environment of a run as a two-column table: host and guest facts, tools, the lab file and the run. */
export function environment(input: ReportInput): string[] {
  const m = input.records[0]?.metadata;
  if (m === undefined) return ['No measured runs.'];
  const guest = input.records.find((r) => r.metadata.guest !== undefined)?.metadata.guest;
  const guestView = guestViewWords(guest);
  const tools = Object.entries(input.records.reduce<Record<string, string>>((all, r) => ({ ...all, ...(r.metadata.toolVersions ?? {}) }), {}))
    .map(([tool, version]) => `${tool} ${version}`)
    .join(', ');
  return [
    `| | |`,
    `|---|---|`,
    `| Host CPU | ${m.hostCpu ?? 'unknown'} |`,
    `| Host kernel | ${input.records.find((r) => r.target === 'host')?.metadata.kernel ?? m.kernel ?? 'unknown'} |`,
    `| QEMU | ${m.qemuVersion ?? 'unknown'}${typeof m.qemuBinary === 'string' ? ` (${m.qemuBinary.replaceAll('|', '\\|')})` : ''} |`,
    `| Guest | ${guestWords(guest)} |`,
    ...(guestView === undefined ? [] : [`| Guest's own view | ${guestView} |`]),
    `| Network | ${m.network ?? 'unknown'} |`,
    `| Tools | ${tools || 'unknown'} |`,
    `| Lab file | ${basename(input.labPath)} (sha256 ${m.labFileHash?.slice(0, 12) ?? '?'}, git ${m.gitCommit?.slice(0, 10) ?? 'none'}) |`,
    `| Run | ${input.runId ?? '?'} (${input.records[0]?.timestamp ?? '?'}) |`,
  ];
}

/** The table of a report: per cell the median and the spread, with n and outliers. */
export function medianTable(input: ReportInput): string[] {
  const rows = input.cells.map((c) => {
    const s = c.summary;
    return `| ${c.benchmark} | ${cellLabel(c)} | ${shortNumber(s.median)} ${c.metric.unit} | ${shortNumber(s.mean)} | ${shortNumber(s.stdDev)} | ${s.cv === undefined ? '–' : `${(s.cv * 100).toFixed(1)} %`} | ${shortNumber(s.min)}–${shortNumber(s.max)} | ${s.count}${c.outliers.length > 0 ? ` (${c.outliers.length} outlier${c.outliers.length > 1 ? 's' : ''})` : ''} |`;
  });
  return ['| Benchmark | Where | Median | Mean | Std dev | CV | Min–max | Runs |', '|---|---|---|---|---|---|---|---|', ...rows];
}

/**
 * A Markdown report like a course report: setup, environment, a table of medians, the ratios,
 * the charts (SVG files beside it), and notes on what was skipped or failed and why.
 */
export function renderMarkdownReport(input: ReportInput, options: { chartDir: string } = { chartDir: 'charts' }): RenderedReport {
  const charts = chartsOf(input);
  // The experiment's name may come from a results.jsonl someone else wrote: it names no folder.
  const files = charts.map(({ benchmark, chart }) => ({ path: `${options.chartDir}/${safeFileName(`${input.experiment}-${benchmark}`, 'chart')}.svg`, content: renderBarChartSvg(chart) }));
  const lines: string[] = [
    `# ${input.experiment}`,
    '',
    `Measured by QEMU Lab from \`${basename(input.labPath)}\`. Each cell: a warm-up run (discarded), then repetitions until the coefficient of variation is at most 3 % or twice the planned count. Outliers (outside 1.5 × IQR) are flagged, not dropped.`,
    '',
    '## Environment',
    '',
    ...environment(input),
    '',
    '## Results',
    '',
    ...(input.cells.length > 0 ? medianTable(input) : ['No measured cells.']),
    '',
  ];
  if (input.comparisons.length > 0) {
    lines.push('## Ratios (by medians)', '', ...input.comparisons.map((c) => `- **${c.benchmark}**: ${c.label}`), '');
  }
  if (files.length > 0) {
    lines.push('## Charts', '', ...files.map((f, i) => `![${charts[i]?.chart.title ?? ''}](${f.path})`), '');
  }
  const notDone = input.runLog?.notDone ?? [];
  if (notDone.length > 0) {
    lines.push('## Not measured', '', ...notDone.map((n) => `- \`${n.cell}\` — ${n.status}: ${n.reason}`), '');
  }
  if (input.records[0]?.metadata.network?.includes('SLIRP') === true) {
    lines.push('> Network: QEMU user networking. Its throughput is bounded by SLIRP, so iperf compares SLIRP more than the NICs; use a bridge network to compare virtio and e1000.', '');
  }
  return { text: lines.join('\n'), files };
}
