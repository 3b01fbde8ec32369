/**
 * What a `--during` run shows in numbers: per benchmark, the median rate of the baseline, and
 * of the run around the migration before it, while it ran (up to the switch-over), and after.
 * The CLI prints it; the panel shows it under the chart.
 */
import { median } from '../../measuring/workloads/stats';
import { duringLabel } from './spec';
import type { DuringSample, DuringUnit, MigrationTimeline, StreamEnd } from './timeline';

/** Where a sample of the run around the migration falls. */
export type DuringWindow = 'before' | 'migrating' | 'after';

/** One benchmark's medians by window (undefined: no sample there). */
export interface DuringComparison {
  readonly label: string;
  readonly host: string;
  readonly unit: DuringUnit;
  readonly baseline: number | undefined;
  readonly before: number | undefined;
  readonly migrating: number | undefined;
  readonly after: number | undefined;
  /** Migrating over baseline, e.g. 0.5 for "halved". */
  readonly migratingRatio: number | undefined;
  readonly counts: Readonly<Record<'baseline' | DuringWindow, number>>;
  /** Ends other than being stopped at the end of the window. */
  readonly breaks: readonly StreamEnd[];
}

/**
 * The window of a sample at `t`: before the migration started, while it ran up to the
 * switch-over (the whole migration when no switch-over was seen), or after. A sample whose
 * second straddles the start counts as migrating: part of it was.
 */
export function windowOf(t: number, timeline: Pick<MigrationTimeline, 'migration' | 'switchoverMs'>): DuringWindow | undefined {
  const migration = timeline.migration;
  if (migration === undefined) return undefined;
  const end = timeline.switchoverMs ?? migration.endMs;
  if (t <= migration.startMs) return 'before';
  // Samples are stamped at the end of their second: one ending within a second after the switch-over saw it.
  if (t <= end + 1000) return 'migrating';
  return 'after';
}

function medianOf(samples: readonly DuringSample[]): number | undefined {
  return samples.length === 0 ? undefined : median(samples.map((s) => s.value));
}

/** The comparison of every benchmark of a timeline (none without `--during`). */
export function compareDuring(timeline: MigrationTimeline): DuringComparison[] {
  const labels = [...new Set(timeline.streams.map((s) => duringLabel(s)))];
  return labels.map((label) => {
    const streams = timeline.streams.filter((s) => duringLabel(s) === label);
    const baseline = streams.filter((s) => s.run === 'baseline').flatMap((s) => s.samples);
    const around = streams.filter((s) => s.run === 'during');
    const by = (w: DuringWindow): DuringSample[] => around.flatMap((s) => s.samples).filter((s) => windowOf(s.t, timeline) === w);
    const [before, migrating, after] = [by('before'), by('migrating'), by('after')];
    const baselineMedian = medianOf(baseline);
    const migratingMedian = medianOf(migrating);
    return {
      label,
      host: around[0]?.host ?? streams[0]?.host ?? '?',
      unit: streams[0]?.unit ?? 'events/s',
      baseline: baselineMedian,
      before: medianOf(before),
      migrating: migratingMedian,
      after: medianOf(after),
      migratingRatio: baselineMedian !== undefined && baselineMedian > 0 && migratingMedian !== undefined ? migratingMedian / baselineMedian : undefined,
      counts: { baseline: baseline.length, before: before.length, migrating: migrating.length, after: after.length },
      breaks: around.flatMap((s) => s.ends).filter((e) => e.kind !== 'stopped'),
    };
  });
}
