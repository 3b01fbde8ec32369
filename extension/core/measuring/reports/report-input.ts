import type { CellSummary, Comparison } from '../experiments/summary';
import type { RunLog } from '../experiments/run-log';
import type { ResultMetadata, ResultRecord } from '../results/record';
import type { BarChart } from './svg-chart';
import { compareCells, directionWords, measureGroups, summarizeRun } from '../experiments/summary';

/** Everything a report of one experiment run shows. */
export interface ReportInput {
  readonly experiment: string;
  readonly labPath: string;
  readonly runId: string | undefined;
  readonly cells: readonly CellSummary[];
  readonly comparisons: readonly Comparison[];
  /** The run's plan notes (skipped and failed cells); absent for runs without a log. */
  readonly runLog: RunLog | undefined;
  /** The records of the run, for the raw values and the environment. */
  readonly records: readonly ResultRecord[];
}

/** Builds a report's input from the store's records (the newest run, or `runId`). */
export function reportInput(records: readonly ResultRecord[], experiment: string, labPath: string, runLog: RunLog | undefined, runId?: string): ReportInput {
  const cells = summarizeRun(records, experiment, runId);
  const run = runId ?? runLog?.runId ?? records.find((r) => r.experiment === experiment && r.metadata.cell === cells[0]?.cell)?.metadata.runId;
  return {
    experiment,
    labPath,
    runId: run,
    cells,
    comparisons: compareCells(cells),
    runLog,
    records: records.filter((r) => r.experiment === experiment && r.metadata.runId === run),
  };
}

/** "guest · tcg · virtio", "host": how a cell is named on charts and in tables. */
export function cellLabel(cell: CellSummary): string {
  const direction = cell.direction === undefined ? undefined : directionWords(cell.direction);
  return cell.target === 'host' ? 'host' : ['guest', cell.accel ?? cell.accelAsked, cell.nic, direction].filter((p) => p !== undefined).join(' · ');
}

/** One bar chart per measure (benchmark, and direction for iperf): a bar per cell, whiskers min–max, the comparisons as notes. */
export function chartsOf(input: ReportInput): { benchmark: string; chart: BarChart }[] {
  return measureGroups(input.cells).map(({ measure, cells }) => {
    const first = cells[0] as CellSummary;
    return {
      benchmark: measure,
      chart: {
        title: `${measure}: ${first.metric.name}`,
        unit: first.metric.unit,
        bars: cells.map((c) => ({ label: cellLabel(c), median: c.summary.median, low: c.summary.min, high: c.summary.max })),
        notes: input.comparisons.filter((c) => c.benchmark === measure && c.kind !== 'host-vs-guest').map((c) => c.label),
      },
    };
  });
}

/** The guest as configured, in words: `1 vCPU, 512 MiB, q35, image builtin`. */
export function guestWords(guest: ResultMetadata['guest']): string {
  if (guest === undefined) return 'none measured';
  return `${guest.cpus ?? '?'} vCPU, ${Math.round((guest.memoryBytes ?? 0) / 1024 ** 2)} MiB, ${guest.machine ?? '?'}, image ${guest.image ?? '?'}`;
}

/** What the guest saw of itself (kernel, CPU model), or undefined for records from before it was recorded. */
export function guestViewWords(guest: ResultMetadata['guest']): string | undefined {
  const parts = [guest?.kernel === undefined ? undefined : `kernel ${guest.kernel}`, guest?.cpu === undefined ? undefined : `CPU ${guest.cpu}`].filter((p) => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}
