/**
 * An experiment's section of the lab report: the experiment report's own table, ratios, charts
 * and notes (measuring/reports), each row linked to its records (run id, cell, repetition →
 * record id in results.jsonl), and with several whole runs the spread of each cell's median.
 */
import { safeFileName } from '../infrastructure/files/safe-name';
import type { RunLog } from '../measuring/experiments/run-log';
import { summarizeRun } from '../measuring/experiments/summary';
import { medianTable } from '../measuring/reports/markdown';
import { cellLabel, chartsOf, reportInput } from '../measuring/reports/report-input';
import { renderBarChartSvg } from '../measuring/reports/svg-chart';
import type { ResultRecord } from '../measuring/results/record';
import type { PartOutcome } from './outcome';
import { cell, notRunLines, recordsHeading, recordsLink, spreadWords, type ReportSection } from './report-common';

/** The run ids of a part's done outcomes, by whole run. */
function doneRuns(outcomes: readonly PartOutcome[]): { run: number; runId: string }[] {
  return outcomes.flatMap((o) => (o.status === 'done' && o.result?.kind === 'experiment' ? [{ run: o.run, runId: o.result.runId }] : []));
}

/** The section of experiment `name`: `outcomes` are its part's (one per whole run), the newest done one shown in full. */
export function experimentSection(name: string, key: string, outcomes: readonly PartOutcome[], records: readonly ResultRecord[], runLogs: ReadonlyMap<string, RunLog>, labPath: string, chartDir: string): ReportSection {
  const lines: string[] = [`## Experiment ${name}`, ''];
  for (const o of outcomes.filter((x) => x.status !== 'done')) lines.push(...notRunLines(o));
  const runs = doneRuns(outcomes);
  const shown = runs[runs.length - 1];
  if (shown === undefined) return { lines: outcomes.length === 0 ? [...lines, 'Not run yet.', ''] : lines, files: [] };
  const input = reportInput(records, name, labPath, runLogs.get(shown.runId), shown.runId);
  if (input.cells.length === 0) return { lines: [...lines, `> Run ${shown.runId} left no records in results.jsonl.`, ''], files: [] };

  const refs = input.cells.map((_, i) => `E${i + 1}`);
  const [head, rule, ...rows] = medianTable(input);
  lines.push(
    `Run ${cell(shown.runId)}${runs.length > 1 ? ` (the last of ${runs.length} whole runs)` : ''}; network: ${cell(input.records[0]?.metadata.network ?? 'unknown')}.`,
    '',
    `${head} Records |`,
    `${rule}---|`,
    ...rows.map((row, i) => `${row} ${recordsLink(refs[i] as string, key)} |`),
    '',
  );
  if (input.comparisons.length > 0) lines.push('Ratios (by medians):', '', ...input.comparisons.map((c) => `- **${c.benchmark}**: ${c.label}`), '');
  const charts = chartsOf(input);
  const files = charts.map(({ benchmark, chart }) => ({ path: `${chartDir}/${safeFileName(`${key}-${benchmark}`, 'chart')}.svg`, content: renderBarChartSvg(chart) }));
  lines.push(...files.map((f, i) => `![${charts[i]?.chart.title ?? ''}](${f.path})`), '');
  const notDone = input.runLog?.notDone ?? [];
  if (notDone.length > 0) lines.push('Not measured:', '', ...notDone.map((n) => `- \`${cell(n.cell)}\` — ${n.status}: ${cell(n.reason)}`), '');

  if (runs.length > 1) {
    const perRun = runs.map((r) => new Map(summarizeRun(records, name, r.runId).map((c) => [c.cell, c.summary.median])));
    lines.push(`Spread between ${runs.length} whole runs (each run's median per cell):`, '', `| Cell | ${runs.map((r) => `run ${r.run}`).join(' | ')} | Spread |`, `|---|${runs.map(() => '---|').join('')}---|`);
    for (const c of input.cells) {
      const values = perRun.map((m) => m.get(c.cell));
      const known = values.filter((v): v is number => v !== undefined);
      lines.push(`| ${c.benchmark} · ${cellLabel(c)} | ${values.map((v) => (v === undefined ? '–' : v.toPrecision(4))).join(' | ')} | ${spreadWords(known, c.metric.unit) ?? '–'} |`);
    }
    lines.push('');
  }

  lines.push(`### ${recordsHeading(key)}`, '', 'Every run in `.qemu-lab/results/results.jsonl`, by its id (repetition: record id).', '', '| Ref | Run | Cell | Repetitions |', '|---|---|---|---|');
  input.cells.forEach((c, i) => {
    const mine = input.records.filter((r) => r.metadata.cell === c.cell).sort((a, b) => (a.metadata.repetition ?? 0) - (b.metadata.repetition ?? 0));
    lines.push(`| ${refs[i]} | ${cell(shown.runId)} | \`${cell(c.cell)}\` | ${mine.map((r) => `${r.metadata.repetition ?? '?'}: ${cell(r.id)}`).join(', ')} |`);
  });
  lines.push('');
  return { lines, files };
}
