/**
 * The lab report of `qemu-lab run`: one Markdown file (SVG charts beside it) and one HTML file
 * with a section per part, in the lab's order — the set-up as run, then each experiment,
 * migration and COLO pair from the stored records. Pure: the caller reads the stores and writes
 * the files.
 */
import { basename } from 'node:path';
import type { RunLog } from '../measuring/experiments/run-log';
import { markdownToHtml } from '../measuring/reports/html';
import { environment } from '../measuring/reports/markdown';
import { reportInput } from '../measuring/reports/report-input';
import type { ResultRecord } from '../measuring/results/record';
import type { MigrationRecord } from '../migration/store';
import { formatEta } from './eta';
import type { MigrationPartResult, PartOutcome } from './outcome';
import type { LabPart } from './parts';
import { cell, type ReportFile, type ReportSection } from './report-common';
import { coloSection } from './report-colo';
import { experimentSection } from './report-experiment';
import { migrationSection } from './report-migration';
import type { LabRunState } from './state';

/** What the report is made of. */
export interface LabReportInput {
  readonly labPath: string;
  /** The lab's parts now, in order: a part no longer in the lab is not reported. */
  readonly parts: readonly LabPart[];
  readonly state: LabRunState;
  readonly results: readonly ResultRecord[];
  /** Experiment run logs by run id. */
  readonly runLogs: ReadonlyMap<string, RunLog>;
  readonly migrations: readonly MigrationRecord[];
  /** ISO 8601. */
  readonly writtenAt: string;
}

/** The Markdown report and its chart files (paths relative to the report's folder). */
export interface LabReport {
  readonly markdown: string;
  readonly html: string;
  readonly files: readonly ReportFile[];
}

const STATUS_WORDS: Readonly<Record<PartOutcome['status'], string>> = { done: 'done', skipped: 'not run here', failed: 'failed' };

function partsTable(parts: readonly LabPart[], state: LabRunState): string[] {
  const rows = parts.map((p) => {
    const outcomes = state.parts[p.key] ?? [];
    if (outcomes.length === 0) return `| ${p.key} | not run yet | – | – | – |`;
    const statuses = [...new Set(outcomes.map((o) => STATUS_WORDS[o.status]))].join(', ');
    const seconds = outcomes.reduce((sum, o) => sum + o.seconds, 0);
    return `| ${p.key} | ${statuses} | ${outcomes.length} | ${cell(outcomes[0]?.startedAt ?? '–')} | ${formatEta(seconds)} |`;
  });
  return ['| Part | Status | Runs | Started | Took |', '|---|---|---|---|---|', ...rows];
}

function setUpSection(input: LabReportInput): ReportSection {
  const lines: string[] = ['## Set-up as run', ''];
  const experiment = input.parts.flatMap((p) => (input.state.parts[p.key] ?? []).flatMap((o) => (o.result?.kind === 'experiment' ? [{ name: p.name, runId: o.result.runId }] : []))).pop();
  if (experiment !== undefined) {
    const run = reportInput(input.results, experiment.name, input.labPath, input.runLogs.get(experiment.runId), experiment.runId);
    if (run.records.length > 0) lines.push(`From experiment ${experiment.name}'s records:`, '', ...environment(run), '');
  }
  const migration = input.parts.flatMap((p) => (input.state.parts[p.key] ?? []).flatMap((o) => (o.result?.kind === 'migration' ? [{ name: p.name, result: o.result }] : []))).pop();
  if (migration !== undefined) {
    const r: MigrationPartResult = migration.result;
    const view = [r.guest.kernel === undefined ? undefined : `kernel ${cell(r.guest.kernel)}`, r.guest.cpu === undefined ? undefined : `CPU ${cell(r.guest.cpu)}`].filter((x) => x !== undefined);
    lines.push(`The VM of migration ${migration.name}, as booted for it${view.length > 0 ? ` (the guest's own view: ${view.join(', ')})` : ''} — its QEMU arguments:`, '', '```', r.argv.join(' ').replace(/```/g, "'''"), '```', '');
  }
  if (lines.length === 2) lines.push('Nothing has run yet.', '');
  return { lines, files: [] };
}

/** Renders the report of `input` (pure); charts go under `chartDir` beside it. */
export function renderLabReport(input: LabReportInput, chartDir = 'charts'): LabReport {
  const title = `Lab report: ${basename(input.labPath)}`;
  const sections: ReportSection[] = [setUpSection(input)];
  for (const part of input.parts) {
    const outcomes = input.state.parts[part.key] ?? [];
    if (part.kind === 'experiment') sections.push(experimentSection(part.name, part.key, outcomes, input.results, input.runLogs, input.labPath, chartDir));
    else if (part.kind === 'migration') sections.push(migrationSection(part.name, part.key, outcomes, input.migrations, chartDir));
    else sections.push(coloSection(part.name, part.key, outcomes, chartDir));
  }
  const lines = [
    `# ${title}`,
    '',
    `Written by \`qemu-lab run\` from \`${basename(input.labPath)}\` at ${input.writtenAt}. Each part below is a lab entry; every figure links to the stored records it comes from (the "Records" table of its part). A part that cannot run here says why.`,
    '',
    ...partsTable(input.parts, input.state),
    '',
    ...sections.flatMap((s) => s.lines),
  ];
  const markdown = lines.join('\n');
  const files = sections.flatMap((s) => s.files);
  return { markdown, html: markdownToHtml(title, markdown, files), files };
}
