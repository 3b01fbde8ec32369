/**
 * A COLO pair's section of the lab report: when it entered COLO, the checkpoints seen in a look
 * at the primary's STOP/RESUME events (QEMU counts none), the share of time the idle guest stood
 * still, the failover, and what COLO costs the guest under load (report-colo-cost.ts). No other
 * store holds these: the lab run's record does, and the records table names its entry.
 */
import { formatDuration } from '../migration/format';
import type { ColoPartResult, PartOutcome } from './outcome';
import { coloCostLines } from './report-colo-cost';
import { cell, notRunLines, recordsHeading, recordsLink, spreadWords, type ReportSection } from './report-common';

const range = (values: readonly number[]): string => (values.length === 0 ? '–' : `${Math.min(...values)}–${Math.max(...values)} ms`);
const mean = (values: readonly number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length);

/** The share of time the guest was paused: mean pause over mean interval; undefined without both. */
export function pausedShare(result: Pick<ColoPartResult, 'checkpoints'>): number | undefined {
  const pause = mean(result.checkpoints?.pausesMs ?? []);
  const interval = mean(result.checkpoints?.intervalsMs ?? []);
  return pause === undefined || interval === undefined || interval === 0 ? undefined : pause / interval;
}

/** The section of the COLO pair of VM `name`. */
export function coloSection(name: string, key: string, outcomes: readonly PartOutcome[], chartDir = 'charts'): ReportSection {
  const lines: string[] = [`## COLO pair of ${name}`, ''];
  for (const o of outcomes.filter((x) => x.status !== 'done')) lines.push(...notRunLines(o));
  const done = outcomes.flatMap((o) => (o.status === 'done' && o.result?.kind === 'colo' ? [{ outcome: o, result: o.result }] : []));
  const shown = done[done.length - 1];
  if (shown === undefined) return { lines: outcomes.length === 0 ? [...lines, 'Not run yet.', ''] : lines, files: [] };
  const r = shown.result;
  const ref = recordsLink('C1', key);
  const share = pausedShare(r);
  const c = r.checkpoints;
  lines.push(
    `QEMU ${cell(r.qemuVersion)}, checkpoint delay ${formatDuration(r.checkpointDelayMs)}.`,
    '',
    '| Figure | Value | Records |',
    '|---|---|---|',
    `| Entered COLO after \`migrate\` | ${r.enterColoMs === undefined ? '–' : formatDuration(r.enterColoMs)} | ${ref} |`,
    `| Checkpoints seen | ${c === undefined ? 'not watched (they come too seldom for a short look)' : `${c.count} in a ${(c.lookMs / 1000).toFixed(1)} s look`} | ${ref} |`,
    `| Interval (STOP → STOP) | ${range(c?.intervalsMs ?? [])} | ${ref} |`,
    `| Guest paused per checkpoint (STOP → RESUME) | ${range(c?.pausesMs ?? [])} | ${ref} |`,
    `| Paused share of the idle guest's time | ${share === undefined ? '–' : `${(share * 100).toFixed(0)} %`} | ${ref} |`,
    `| Failover to the ${cell(r.failover?.survivor ?? 'secondary')} | ${r.failover === undefined ? '–' : `${r.failover.durationMs} ms`} | ${ref} |`,
    '',
  );
  const cost = coloCostLines(r, key, ref, chartDir);
  lines.push(...cost.lines);
  if (done.length > 1) {
    const failovers = done.flatMap((d) => (d.result.failover === undefined ? [] : [d.result.failover.durationMs]));
    lines.push(`Failover over ${done.length} whole runs: ${failovers.map((v) => `${v} ms`).join(', ')}; spread ${spreadWords(failovers, 'ms') ?? '–'}.`, '');
  }
  lines.push(`### ${recordsHeading(key)}`, '', 'Kept in `.qemu-lab/reports/lab-run.json`, under the part and its run.', '', '| Ref | Part | Run | Started |', '|---|---|---|---|');
  for (const d of done) lines.push(`| ${d === shown ? 'C1' : '–'} | ${cell(key)} | ${d.outcome.run} | ${cell(d.outcome.startedAt)} |`);
  lines.push('');
  return { lines, files: cost.files };
}
