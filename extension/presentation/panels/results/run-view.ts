/**
 * One run of an experiment as the results panel shows it: a grouped bar chart per benchmark
 * (groups by accelerator, a series per NIC) with its ratios worded, the table of medians, what
 * was not measured, and where the numbers come from. Pure; the numbers are the core's own
 * (summarizeRun, compareCells), so the panel, the CLI and the reports agree.
 */
import { basename } from 'node:path';
import { formatBitsPerSecond } from '../../../core/measuring/workloads/text';
import type { RunLog } from '../../../core/measuring/experiments/run-log';
import { compareCells, experimentRuns, measureGroups, summarizeRun, type CellSummary, type Comparison } from '../../../core/measuring/experiments/summary';
import { cellLabel, guestViewWords, guestWords } from '../../../core/measuring/reports/report-input';
import { shortNumber } from '../../../core/measuring/reports/svg-chart';
import type { ResultRecord } from '../../../core/measuring/results/record';
import type { BarChartView, BarPoint, BarSeries, CellRow, FactView, NotDoneView, RunView } from '../../../../webview/results/model';

const ACCEL_NAMES: Readonly<Record<string, string>> = { kvm: 'KVM', tcg: 'TCG' };

const SLIRP_NOTE =
  'QEMU user networking: its throughput is bounded by SLIRP, so iperf compares SLIRP more than the NICs; use a bridge network to compare virtio and e1000.';

/** A value with its unit, for people: `2.52k events/s`, `21.1 Gbit/s`. */
export function formatValue(value: number, unit: string): string {
  return unit === 'bit/s' ? formatBitsPerSecond(value) : `${shortNumber(value)} ${unit}`;
}

function accelName(cell: CellSummary): string {
  const accel = cell.accel ?? cell.accelAsked;
  return accel === undefined ? 'guest' : (ACCEL_NAMES[accel] ?? accel);
}

/** The x-axis group of a cell: `host`, or the guest's accelerator in effect (`KVM`, `TCG`). */
export function groupOf(cell: CellSummary): string {
  return cell.target === 'host' ? 'host' : accelName(cell);
}

/** The dataset of a cell: `host`, or the guest's NIC (`virtio`, `e1000`). */
export function seriesOf(cell: CellSummary): string {
  return cell.target === 'host' ? 'host' : (cell.nic ?? 'guest');
}

/** The distinct values, in their first order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * The comparisons of {@link compareCells}, worded so each says what was held fixed when the
 * matrix has more than one value of it: KVM vs TCG per NIC ("KVM 9.6× faster than TCG
 * (virtio)"), virtio vs e1000 per accelerator, and the host against each guest configuration.
 */
export function comparisonsOf(cells: readonly CellSummary[]): Comparison[] {
  const guests = cells.filter((c) => c.target === 'guest');
  const nics = unique(guests.map((c) => c.nic));
  const accels = unique(guests.map((c) => c.accel));
  const accelComparisons = nics.flatMap((nic) =>
    compareCells(guests.filter((c) => c.nic === nic))
      .filter((c) => c.kind === 'accel')
      .map((c) => (nics.length > 1 ? { ...c, label: `${c.label} (${nic ?? '?'})` } : c)),
  );
  const nicComparisons = accels.flatMap((accel) =>
    compareCells(guests.filter((c) => c.accel === accel))
      .filter((c) => c.kind === 'nic')
      .map((c) => (accels.length > 1 ? { ...c, label: `${c.label} (${ACCEL_NAMES[accel ?? ''] ?? accel ?? '?'})` } : c)),
  );
  return [...accelComparisons, ...nicComparisons, ...compareCells(cells).filter((c) => c.kind === 'host-vs-guest')];
}

function chartId(benchmark: string): string {
  return `bar-${benchmark.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function barPoint(cell: CellSummary): BarPoint {
  const s = cell.summary;
  return { cell: cell.cell, median: s.median, min: s.min, max: s.max, count: s.count, outliers: cell.outliers.length };
}

/** The grouped bar chart of each benchmark of a run: groups by accelerator, a series per NIC. */
export function barCharts(cells: readonly CellSummary[], comparisons: readonly Comparison[]): BarChartView[] {
  return measureGroups(cells).map(({ measure: benchmark, cells: mine }) => {
    const first = mine[0] as CellSummary;
    // The host first: it is the reference every guest is compared with.
    const ordered = [...mine.filter((c) => c.target === 'host'), ...mine.filter((c) => c.target !== 'host')];
    const groups = unique(ordered.map(groupOf));
    const series: BarSeries[] = unique(ordered.map(seriesOf)).map((name) => ({
      name,
      points: groups.map((group) => {
        const cell = ordered.find((c) => groupOf(c) === group && seriesOf(c) === name);
        return cell === undefined ? null : barPoint(cell);
      }),
    }));
    const mineCompared = comparisons.filter((c) => c.benchmark === benchmark);
    return {
      id: chartId(benchmark),
      benchmark,
      title: `${benchmark}: ${first.metric.name}`,
      unit: first.metric.unit,
      higherIsBetter: first.metric.higherIsBetter,
      groups,
      series,
      ratios: mineCompared.filter((c) => c.kind !== 'host-vs-guest').map((c) => c.label),
      hostRatios: mineCompared.filter((c) => c.kind === 'host-vs-guest').map((c) => c.label),
    };
  });
}

/** The table of medians: one row per cell, in plan order. */
export function cellRows(cells: readonly CellSummary[]): CellRow[] {
  return cells.map((c) => {
    const s = c.summary;
    return {
      cell: c.cell,
      benchmark: c.benchmark,
      where: cellLabel(c),
      median: formatValue(s.median, c.metric.unit),
      cv: s.cv === undefined ? '–' : `${(s.cv * 100).toFixed(1)} %`,
      count: s.count,
      range: `${shortNumber(s.min)}–${shortNumber(s.max)}`,
      outliers: c.outliers.length,
      outlierValues: c.outliers.map((i) => shortNumber(s.values[i] ?? Number.NaN)).join(', '),
    };
  });
}

/** Where the numbers come from, as the Markdown report's environment table says it. */
export function factsOf(records: readonly ResultRecord[], labPath: string): FactView[] {
  const first = records[0]?.metadata;
  if (first === undefined) return [];
  const guest = records.find((r) => r.metadata.guest !== undefined)?.metadata.guest;
  const guestView = guestViewWords(guest);
  const tools = Object.entries(records.reduce<Record<string, string>>((all, r) => ({ ...all, ...(r.metadata.toolVersions ?? {}) }), {}))
    .map(([tool, version]) => `${tool} ${version}`)
    .join(', ');
  const facts: FactView[] = [
    { name: 'Host CPU', value: first.hostCpu ?? 'unknown' },
    { name: 'Host kernel', value: records.find((r) => r.target === 'host')?.metadata.kernel ?? first.kernel ?? 'unknown' },
    { name: 'QEMU', value: `${first.qemuVersion ?? 'unknown'}${typeof first.qemuBinary === 'string' ? ` (${first.qemuBinary})` : ''}` },
    { name: 'Guest', value: guestWords(guest) },
    ...(guestView === undefined ? [] : [{ name: "Guest's own view", value: guestView }]),
    { name: 'Tools', value: tools === '' ? 'unknown' : tools },
    { name: 'Lab file', value: `${basename(labPath)} (sha256 ${first.labFileHash?.slice(0, 12) ?? '?'}, git ${first.gitCommit?.slice(0, 10) ?? 'none'})` },
  ];
  return facts;
}

/** One run of an experiment, or undefined when it has no stored record. */
export function runView(records: readonly ResultRecord[], experiment: string, runId: string, runLog: RunLog | undefined, labPath: string): RunView | undefined {
  const mine = records.filter((r) => r.experiment === experiment && r.metadata.runId === runId);
  if (mine.length === 0) return undefined;
  const cells = summarizeRun(records, experiment, runId);
  const comparisons = comparisonsOf(cells);
  const started = experimentRuns(records, experiment).find((r) => r.runId === runId)?.started ?? (mine[0] as ResultRecord).timestamp;
  const network = mine.find((r) => r.metadata.network !== undefined)?.metadata.network ?? (runLog?.runId === runId ? runLog.network : undefined);
  const measuresIperf = cells.some((c) => c.benchmark === 'iperf' || c.benchmark === 'iperf3');
  const log = runLog?.runId === runId ? runLog : undefined;
  const notDone: NotDoneView[] = (log?.notDone ?? []).map((n) => ({ cell: n.cell, status: n.status, reason: n.reason }));
  return {
    experiment,
    runId,
    started,
    ...(network === undefined ? {} : { network }),
    ...(network?.includes('SLIRP') === true && measuresIperf ? { networkNote: SLIRP_NOTE } : {}),
    hasRunLog: log !== undefined,
    charts: barCharts(cells, comparisons),
    table: cellRows(cells),
    notDone,
    facts: factsOf(mine, labPath),
  };
}
