/**
 * The live migration panel's view model, from what the migration recorded so far (its timeline)
 * and, at the end, its summary: the quantities over time (remaining RAM, dirty rate, throughput,
 * dirty-sync passes — a percentage alone runs backwards under a busy guest), the phases and the
 * switch-over as markers, the `--during` benchmarks on the same axis, and the summary's facts.
 * Pure: unit-tested, and the panel only sends what it returns.
 */
import { compareDuring } from '../../../core/migration/during/compare';
import { formatRate } from '../../../core/migration/during/format';
import { duringLabel } from '../../../core/migration/during/spec';
import type { DuringStream, DuringUnit, MigrationTimeline, ProgressPoint } from '../../../core/migration/during/timeline';
import { formatDuration, formatSettings } from '../../../core/migration/format';
import type { MigrationOutcome, MigrationSummary } from '../../../core/migration/summary';
import { formatSize } from '../../../core/lab/sizes';
import type { MigrationComparison } from '../../../core/measuring/reports/migration-comparison';
import { buildComparisonView } from './comparison-view-model';
import type { DuringRow, DuringSeries, MigrationViewModel, ProgressSeries, SummaryFact, TimeBand, TimeMarker, XyPoint } from '../../../../webview/migration/model';

/** Which migration the panel shows (fixed when it opens). */
export interface MigrationPanelHeader {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
}

/** What the panel is told as the migration goes on, and at its end. */
export interface MigrationPanelUpdate {
  readonly state: 'running' | MigrationOutcome;
  readonly timeline: MigrationTimeline;
  readonly summary?: MigrationSummary;
  readonly error?: string;
  /** A line under the status (a stored migration: when it ended; why it has no charts). */
  readonly note?: string;
  /** The VM's stored migrations across settings, for the "Compare settings" tab. */
  readonly comparison?: MigrationComparison;
}

const MIB = 1024 * 1024;
const seconds = (ms: number): number => Math.round(ms) / 1000;

function series(points: readonly ProgressPoint[], pick: (p: ProgressPoint) => number | undefined): XyPoint[] {
  const out: XyPoint[] = [];
  for (const p of points) {
    const y = pick(p);
    if (y !== undefined && Number.isFinite(y)) out.push({ x: seconds(p.t), y });
  }
  return out;
}

/** The four quantities of the migration over time, in MiB, MiB/s and passes. */
export function progressSeries(points: readonly ProgressPoint[]): ProgressSeries[] {
  const mib = (v: number | undefined): number | undefined => (v === undefined ? undefined : v / MIB);
  return [
    { id: 'remaining', label: 'Remaining RAM (MiB)', axis: 'mib', points: series(points, (p) => mib(p.remainingBytes)) },
    { id: 'dirtyRate', label: 'Dirty rate (MiB/s)', axis: 'mibPerSecond', points: series(points, (p) => mib(p.dirtyBytesPerSecond)) },
    { id: 'throughput', label: 'Throughput (MiB/s)', axis: 'mibPerSecond', points: series(points, (p) => mib(p.throughputBytesPerSecond)) },
    { id: 'syncs', label: 'Dirty-sync passes', axis: 'passes', points: series(points, (p) => p.dirtySyncCount) },
  ];
}

/** The value of a sample in the unit the panel shows it in. */
function shownUnit(unit: DuringUnit): { readonly unit: string; readonly scale: number } {
  if (unit === 'bytes/s') return { unit: 'MiB/s', scale: 1 / MIB };
  if (unit === 'bits/s') return { unit: 'Mbit/s', scale: 1e-6 };
  return { unit: 'events/s', scale: 1 };
}

/**
 * Each benchmark's samples as a percentage of its baseline median: one axis for benchmarks of
 * different units, where 100 % means "as fast as without a migration".
 */
export function duringSeries(timeline: MigrationTimeline): DuringSeries[] {
  const comparisons = new Map(compareDuring(timeline).map((c) => [c.label, c]));
  return timeline.streams
    .filter((stream: DuringStream) => stream.samples.length > 0)
    .map((stream): DuringSeries => {
      const label = duringLabel(stream);
      const reference = comparisons.get(label)?.baseline;
      const { unit, scale } = shownUnit(stream.unit);
      return {
        label: `${label} · ${stream.run}`,
        run: stream.run,
        unit,
        points: stream.samples.map((s) => ({
          x: seconds(s.t),
          y: reference !== undefined && reference > 0 ? Math.round((s.value / reference) * 1000) / 10 : 0,
          value: Math.round(s.value * scale * 100) / 100,
        })),
      };
    });
}

function duringRows(timeline: MigrationTimeline): DuringRow[] {
  return compareDuring(timeline).map((c) => ({
    label: c.host === '' ? c.label : `${c.label} on ${c.host}`,
    baseline: formatRate(c.baseline, c.unit),
    before: formatRate(c.before, c.unit),
    migrating: formatRate(c.migrating, c.unit),
    after: formatRate(c.after, c.unit),
    change: c.migratingRatio === undefined ? '' : `${c.migratingRatio >= 1 ? '+' : '−'}${Math.abs(Math.round((c.migratingRatio - 1) * 100))}%`,
    notes: c.breaks.map((b) => `${b.kind} at ${(b.t / 1000).toFixed(1)} s: ${b.reason}`).join('; '),
  }));
}

function markers(timeline: MigrationTimeline): TimeMarker[] {
  const out: TimeMarker[] = timeline.phases.map((p) => ({ x: seconds(p.t), label: p.phase, kind: 'phase' }));
  if (timeline.switchoverMs !== undefined) out.push({ x: seconds(timeline.switchoverMs), label: 'switch-over', kind: 'switchover' });
  for (const stream of timeline.streams) {
    for (const end of stream.ends) if (end.kind === 'broken' || end.kind === 'failed') out.push({ x: seconds(end.t), label: `${duringLabel(stream)} ${end.kind}`, kind: 'break' });
  }
  return out;
}

function bands(timeline: MigrationTimeline): TimeBand[] {
  const out: TimeBand[] = [];
  if (timeline.baseline !== undefined) out.push({ from: seconds(timeline.baseline.startMs), to: seconds(timeline.baseline.endMs), label: 'baseline (no migration)' });
  if (timeline.migration !== undefined) out.push({ from: seconds(timeline.migration.startMs), to: seconds(timeline.migration.endMs), label: 'migration' });
  return out;
}

const size = (bytes: number | undefined): string => (bytes === undefined ? '–' : formatSize(Math.round(bytes)));
const ms = (value: number | undefined): string => (value === undefined ? '–' : formatDuration(value));

/** The summary as facts: times, RAM, pages, throughput, passes, settings. */
export function summaryFacts(summary: MigrationSummary): SummaryFact[] {
  const facts: SummaryFact[] = [
    { name: 'Total time (QEMU)', value: ms(summary.totalTimeMs) },
    { name: 'Downtime', value: summary.downtimeMs === undefined ? '–' : `${summary.downtimeMs} ms` },
    { name: 'Setup time', value: summary.setupTimeMs === undefined ? '–' : `${summary.setupTimeMs} ms` },
    { name: 'Wall time (all phases)', value: formatDuration(summary.wallTimeMs) },
    { name: 'RAM transferred', value: `${size(summary.ram.transferredBytes)} of ${size(summary.ram.totalBytes)}` },
    { name: 'Pages', value: `${summary.pages.normal ?? '–'} whole, ${summary.pages.duplicate ?? '–'} zero${summary.pages.skipped === undefined ? '' : `, ${summary.pages.skipped} skipped`}` },
    { name: 'Throughput', value: summary.throughputBytesPerSecond === undefined ? '–' : `${size(summary.throughputBytesPerSecond)}/s` },
    { name: 'Dirty-sync passes', value: summary.dirtySyncCount === undefined ? '–' : String(summary.dirtySyncCount) },
  ];
  if (summary.maxCpuThrottlePercentage !== undefined) facts.push({ name: 'vCPU throttle (auto-converge)', value: `up to ${summary.maxCpuThrottlePercentage}%` });
  if (summary.switchedToPostcopy) facts.push({ name: 'Postcopy', value: `switched; ${summary.postcopyRequests ?? 0} page requests, ${size(summary.ram.postcopyBytes)}` });
  if (summary.xbzrle !== undefined) facts.push({ name: 'xbzrle', value: `${size(summary.xbzrle.encodedBytes)} encoded, cache miss rate ${(summary.xbzrle.cacheMissRate * 100).toFixed(0)}%` });
  const disk = summary.disk;
  if (disk !== undefined) {
    const copied = disk.copiedBytes === undefined ? '' : `, ${size(disk.copiedBytes)}${disk.copyMs === undefined ? '' : ` in ${(disk.copyMs / 1000).toFixed(1)} s`}`;
    facts.push({ name: 'Disk', value: disk.storage === 'shared' ? 'shared storage: the destination opened the same file' : `copied ${disk.sync === 'full' ? 'whole' : 'overlay only (base on both hosts)'}${copied}` });
  }
  facts.push({ name: 'Settings', value: formatSettings(summary) });
  const phases = Object.entries(summary.phases).map(([phase, t]) => `${phase} ${formatDuration(t ?? 0)}`);
  if (phases.length > 0) facts.push({ name: 'Phases', value: phases.join(', ') });
  if (summary.qemu.source !== undefined) facts.push({ name: 'QEMU', value: summary.qemu.source === summary.qemu.destination ? summary.qemu.source : `${summary.qemu.source} → ${summary.qemu.destination ?? '?'}` });
  if (summary.status === 'completed' && summary.ssh !== undefined) facts.push({ name: 'SSH now', value: `ssh root@${summary.ssh.host} -p ${summary.ssh.port} (on ${summary.to.host})` });
  if (summary.nonConvergence !== undefined) {
    facts.push({ name: 'Did not converge', value: summary.nonConvergence.message });
    for (const fix of summary.nonConvergence.fixes) facts.push({ name: `Fix: ${fix.fix}`, value: `${fix.how}. Trade-off: ${fix.tradeOff}.` });
  }
  return facts;
}

function statusLine(update: MigrationPanelUpdate): string {
  const { summary, timeline } = update;
  if (summary !== undefined) {
    if (summary.status === 'completed') return `Completed in ${formatDuration(summary.wallTimeMs)}${summary.downtimeMs === undefined ? '' : `, ${summary.downtimeMs} ms downtime`}, ${size(summary.ram.transferredBytes)} sent.`;
    return `${summary.status === 'cancelled' ? 'Cancelled' : 'Failed'} in ${summary.phase}; rolled back: the VM runs on ${summary.from.host} as before.`;
  }
  if (update.state !== 'running') return update.state === 'cancelled' ? 'Cancelled.' : 'Failed.';
  if (timeline.phases.length === 0 && timeline.plan !== undefined) {
    return timeline.baseline === undefined
      ? `Baseline: the benchmarks without migration (${timeline.plan.seconds} s)…`
      : `The benchmarks run again; the migration starts ${timeline.plan.leadSeconds} s in…`;
  }
  const phase = timeline.phases.at(-1)?.phase ?? 'starting';
  const last = timeline.progress.at(-1);
  if (last === undefined) return `${phase}…`;
  const parts = [`${phase} · ${last.status}`, `${size(last.transferredBytes)} sent`, `${size(last.remainingBytes)} remaining`];
  if (last.dirtySyncCount !== undefined) parts.push(`pass ${last.dirtySyncCount}`);
  if (last.cpuThrottlePercentage !== undefined && last.cpuThrottlePercentage > 0) parts.push(`vCPUs throttled ${last.cpuThrottlePercentage}%`);
  return parts.join(', ');
}

/** The axis: from the first to the last thing recorded, the same for every chart of the panel. */
function axisRange(timeline: MigrationTimeline): { xMin: number; xMax: number } {
  const times = [
    ...timeline.progress.map((p) => p.t),
    ...timeline.phases.map((p) => p.t),
    ...timeline.streams.flatMap((s) => s.samples.map((x) => x.t)),
    ...[timeline.baseline?.startMs, timeline.during?.endMs, timeline.migration?.endMs].filter((t): t is number => t !== undefined),
  ];
  if (times.length === 0) return { xMin: 0, xMax: 1 };
  // Whole seconds at both ends: readable ticks.
  const xMin = Math.floor(seconds(Math.min(...times)));
  const xMax = Math.ceil(seconds(Math.max(...times)));
  return { xMin, xMax: xMax > xMin ? xMax : xMin + 1 };
}

/** The whole view model. */
export function buildMigrationViewModel(header: MigrationPanelHeader, update: MigrationPanelUpdate): MigrationViewModel {
  const { timeline } = update;
  return {
    title: `${header.vm}: ${header.from} → ${header.to}`,
    state: update.state,
    status: statusLine(update),
    ...(update.error === undefined ? {} : { error: update.error }),
    ...axisRange(timeline),
    progress: progressSeries(timeline.progress),
    markers: markers(timeline),
    bands: bands(timeline),
    during: duringSeries(timeline),
    duringRows: duringRows(timeline),
    facts: update.summary === undefined ? [] : summaryFacts(update.summary),
    cancellable: update.state === 'running',
    ...(update.note === undefined ? {} : { note: update.note }),
    ...(update.comparison === undefined ? {} : { comparison: buildComparisonView(update.comparison) }),
  };
}
