import { findOutliers, summarize, type Summary } from '../workloads/stats';
import { cellOf, directionOf, type ResultRecord } from '../results/record';

/** The measurements of one cell of one experiment run, summarized. */
export interface CellSummary {
  /** `guest/tcg/virtio/sysbench-cpu`. */
  readonly cell: string;
  readonly benchmark: string;
  readonly target: string;
  /** The accelerator asked for (matrix) and the one in effect (from query-kvm). */
  readonly accelAsked: string | undefined;
  readonly accel: string | undefined;
  readonly nic: string | undefined;
  /** Which way a guest's iperf3/iperf sent; undefined for every other cell. */
  readonly direction: string | undefined;
  readonly metric: { readonly name: string; readonly unit: string; readonly higherIsBetter: boolean };
  readonly summary: Summary;
  /** Indexes into `summary.values` of the runs outside Tukey's fences (flagged, not dropped). */
  readonly outliers: readonly number[];
}

/** "KVM 9.6× faster": one configuration against another on the same benchmark. */
export interface Comparison {
  /** What was compared: the benchmark, with the direction for a guest's iperf (see {@link measureOf}). */
  readonly benchmark: string;
  readonly kind: 'accel' | 'nic' | 'host-vs-guest';
  readonly better: string;
  readonly worse: string;
  /** ≥ 1: how many times better `better` is, by the medians. */
  readonly factor: number;
  readonly label: string;
}

const DIRECTION_WORDS: Readonly<Record<string, string>> = { 'to-guest': 'host → guest', 'from-guest': 'guest → host' };

/** "host → guest", "guest → host": which way a network benchmark sent, for people. */
export function directionWords(direction: string): string {
  return DIRECTION_WORDS[direction] ?? direction;
}

/** What a cell measures: its benchmark, with the direction for a guest's iperf (`iperf3 (guest → host)`). */
export function measureOf(cell: Pick<CellSummary, 'benchmark' | 'direction'>): string {
  return cell.direction === undefined ? cell.benchmark : `${cell.benchmark} (${directionWords(cell.direction)})`;
}

/** The cells one chart shows: one measure, and the host's baseline of its benchmark beside each direction. */
export interface MeasureGroup {
  readonly measure: string;
  readonly benchmark: string;
  readonly cells: readonly CellSummary[];
}

/**
 * Cells by what they measure, in first order. A host cell of a benchmark that guests ran in
 * directions joins each direction's group: the host's loopback run is the baseline of both.
 */
export function measureGroups(cells: readonly CellSummary[]): MeasureGroup[] {
  const directed = new Set(cells.filter((c) => c.direction !== undefined).map((c) => c.benchmark));
  const joinsDirections = (c: CellSummary) => c.target === 'host' && directed.has(c.benchmark);
  const measures = [...new Set(cells.filter((c) => !joinsDirections(c)).map(measureOf))];
  return measures.map((measure) => {
    const mine = cells.filter((c) => measureOf(c) === measure);
    const benchmark = (mine[0] as CellSummary).benchmark;
    const hosts = cells.filter((c) => joinsDirections(c) && c.benchmark === benchmark);
    return { measure, benchmark, cells: [...hosts, ...mine] };
  });
}

/** The runs of an experiment in the store, newest first: run id and when it started. */
export function experimentRuns(records: readonly ResultRecord[], experiment: string): { runId: string; started: string }[] {
  const first = new Map<string, string>();
  for (const record of records) {
    const runId = record.metadata.runId;
    if (record.experiment !== experiment || runId === undefined) continue;
    const known = first.get(runId);
    if (known === undefined || record.timestamp < known) first.set(runId, record.timestamp);
  }
  return [...first.entries()].map(([runId, started]) => ({ runId, started })).sort((a, b) => b.started.localeCompare(a.started));
}

/** Summaries per cell of one run (the newest when `runId` is not given), in plan order. */
export function summarizeRun(records: readonly ResultRecord[], experiment: string, runId?: string): CellSummary[] {
  const run = runId ?? experimentRuns(records, experiment)[0]?.runId;
  if (run === undefined) return [];
  const byCell = new Map<string, ResultRecord[]>();
  for (const record of records) {
    if (record.experiment !== experiment || record.metadata.runId !== run) continue;
    const cell = cellOf(record);
    byCell.set(cell, [...(byCell.get(cell) ?? []), record]);
  }
  return [...byCell.entries()].map(([cell, list]) => {
    const values = list.map((r) => r.metric.value);
    const first = list[0] as ResultRecord;
    return {
      cell,
      benchmark: first.benchmark,
      target: first.target,
      accelAsked: first.metadata.matrix?.accel,
      accel: first.metadata.accel,
      nic: first.metadata.nic,
      direction: directionOf(first),
      metric: { name: first.metric.name, unit: first.metric.unit, higherIsBetter: first.metric.higherIsBetter },
      summary: summarize(values),
      outliers: findOutliers(values).indexes,
    };
  });
}

function factor(a: CellSummary, b: CellSummary): { better: CellSummary; worse: CellSummary; factor: number } | undefined {
  const x = a.summary.median;
  const y = b.summary.median;
  if (x <= 0 || y <= 0) return undefined;
  const aBetter = a.metric.higherIsBetter ? x >= y : x <= y;
  const [better, worse] = aBetter ? [a, b] : [b, a];
  const ratio = a.metric.higherIsBetter ? better.summary.median / worse.summary.median : worse.summary.median / better.summary.median;
  return { better, worse, factor: ratio };
}

const ACCEL_NAMES: Readonly<Record<string, string>> = { kvm: 'KVM', tcg: 'TCG' };

/**
 * The comparisons a course report makes, by medians: KVM vs TCG (same NIC), virtio vs e1000
 * (same accelerator), and the host against each guest configuration.
 */
export function compareCells(cells: readonly CellSummary[]): Comparison[] {
  const comparisons: Comparison[] = [];
  const guests = cells.filter((c) => c.target === 'guest');
  for (const a of guests) {
    for (const b of guests) {
      if (a.cell >= b.cell || a.benchmark !== b.benchmark || a.direction !== b.direction) continue;
      const sameNic = a.nic === b.nic && a.accel !== b.accel;
      const sameAccel = a.accel === b.accel && a.nic !== b.nic;
      if (!sameNic && !sameAccel) continue;
      const r = factor(a, b);
      if (r === undefined) continue;
      const kind = sameNic ? 'accel' : 'nic';
      const name = (c: CellSummary) => (kind === 'accel' ? (ACCEL_NAMES[c.accel ?? ''] ?? c.accel ?? '?') : (c.nic ?? '?'));
      comparisons.push({ benchmark: measureOf(a), kind, better: name(r.better), worse: name(r.worse), factor: r.factor, label: `${name(r.better)} ${r.factor.toFixed(1)}× ${r.better.metric.higherIsBetter ? 'faster' : 'better'} than ${name(r.worse)}` });
    }
  }
  for (const host of cells.filter((c) => c.target === 'host')) {
    for (const guest of guests.filter((g) => g.benchmark === host.benchmark)) {
      const r = factor(host, guest);
      if (r === undefined) continue;
      const guestName = `guest (${[guest.accel ?? '?', guest.nic ?? '?', ...(guest.direction === undefined ? [] : [directionWords(guest.direction)])].join(', ')})`;
      const name = (c: CellSummary) => (c === host ? 'host' : guestName);
      comparisons.push({ benchmark: measureOf(guest), kind: 'host-vs-guest', better: name(r.better), worse: name(r.worse), factor: r.factor, label: `${name(r.better)} ${r.factor.toFixed(1)}× ${r.better.metric.higherIsBetter ? 'faster' : 'better'} than ${name(r.worse)}` });
    }
  }
  return comparisons;
}
