/**
 * What COLO costs the guest, in a COLO pair's section of the lab report: sysbench cpu and memory
 * on the same VM without and with COLO, their ratio, the checkpoint pause and interval idle and
 * under load, and a bar chart per benchmark (the report's own SVG charts).
 */
import { hostTimeFigure, pausedShareUnderLoad, type ColoCost, type CostFigure } from '../colo/cost';
import { safeFileName } from '../infrastructure/files/safe-name';
import { renderBarChartSvg, shortNumber, type BarChart } from '../measuring/reports/svg-chart';
import type { ColoPartResult } from './outcome';
import type { ReportFile } from './report-common';

const range = (values: readonly number[]): string => (values.length === 0 ? '–' : `${Math.min(...values)}–${Math.max(...values)} ms`);

/** `0.62× (−38 %)`: with COLO over without. */
export function ratioWords(ratio: number): string {
  const change = Math.round((ratio - 1) * 100);
  return `${ratio.toFixed(2)}× (${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change)} %)`;
}

/** Where "without COLO" was measured, in words. */
export function baselineWords(cost: ColoCost): string {
  return cost.baseline === 'before-colo'
    ? 'the same QEMU process before COLO was added to it'
    : 'the survivor running alone after the failover (the pair was up already, so no run before COLO could be had)';
}

/** The chart of one benchmark: without COLO, with COLO by the guest's clock, and (with a paused share) in host time. */
export function costChart(figure: CostFigure, pausedShare: number | undefined): BarChart {
  const bar = (label: string, value: number) => ({ label, median: value, low: value, high: value });
  const host = pausedShare === undefined ? undefined : hostTimeFigure(figure.with, pausedShare);
  return {
    title: `${figure.benchmark} in the guest: without and with COLO`,
    unit: figure.unit,
    bars: [bar('without COLO', figure.without), bar('COLO (guest clock)', figure.with), ...(host === undefined ? [] : [bar('COLO (host time)', host)])],
    notes: [`with COLO: ${ratioWords(figure.ratio)} by the guest's clock${host === undefined || figure.without === 0 ? '' : `, ${ratioWords(host / figure.without)} in host time`}`],
  };
}

/** The cost's lines in the section (each figure linked by `ref`), and its charts under `chartDir`. */
export function coloCostLines(result: Pick<ColoPartResult, 'cost' | 'costError' | 'checkpoints'>, key: string, ref: string, chartDir: string): { lines: string[]; files: ReportFile[] } {
  const { cost } = result;
  if (cost === undefined) {
    const why = result.costError === undefined ? 'not measured in this run' : `not measured: ${result.costError.replace(/[|\n\r`*[\]]/g, ' ').trim()}`;
    return { lines: ['### What COLO costs the guest', '', `> ${why}`, ''], files: [] };
  }
  const share = pausedShareUnderLoad(cost.underLoad);
  const lines = [
    '### What COLO costs the guest',
    '',
    `sysbench in the guest, ${cost.seconds} s each, one run without COLO (${baselineWords(cost)}) and one as the COLO primary.`,
    "The guest's clock stands still while a checkpoint pauses it, so sysbench's own figure (guest clock) leaves the pauses out; " +
      (share === undefined ? 'no look under load reached the primary, so the host-time figure is missing.' : `in host time the guest stood still ${(share * 100).toFixed(0)} % of the time watched under load, taken off in the host-time columns.`),
    '',
    '| Benchmark | Without COLO | With COLO (guest clock) | With / without | With COLO (host time) | With / without | Records |',
    '|---|---|---|---|---|---|---|',
    ...cost.figures.map((f) => {
      const host = share === undefined ? undefined : hostTimeFigure(f.with, share);
      const hostCells = host === undefined ? '– | –' : `${shortNumber(host)} ${f.unit} | ${f.without === 0 ? '–' : ratioWords(host / f.without)}`;
      return `| ${f.benchmark} | ${shortNumber(f.without)} ${f.unit} | ${shortNumber(f.with)} ${f.unit} | ${ratioWords(f.ratio)} | ${hostCells} | ${ref} |`;
    }),
    '',
    '| Checkpoints | Idle | Under load | Records |',
    '|---|---|---|---|',
    `| Seen (in looks of) | ${result.checkpoints === undefined ? '–' : `${result.checkpoints.count} (${(result.checkpoints.lookMs / 1000).toFixed(1)} s)`} | ${cost.underLoad === undefined ? '–' : `${cost.underLoad.count} (${(cost.underLoad.lookMs / 1000).toFixed(1)} s)`} | ${ref} |`,
    `| Interval (STOP → STOP) | ${range(result.checkpoints?.intervalsMs ?? [])} | ${range(cost.underLoad?.intervalsMs ?? [])} | ${ref} |`,
    `| Guest paused per checkpoint (STOP → RESUME) | ${range(result.checkpoints?.pausesMs ?? [])} | ${range(cost.underLoad?.pausesMs ?? [])} | ${ref} |`,
    '',
  ];
  const files = cost.figures.map((f) => ({ path: `${chartDir}/${safeFileName(`${key}-${f.benchmark}`, 'chart')}.svg`, content: renderBarChartSvg(costChart(f, share)) }));
  lines.push(...files.map((file, i) => `![${cost.figures[i]?.benchmark ?? ''}: without and with COLO](${file.path})`), '');
  return { lines, files };
}
