/**
 * Collects a migration's timeline as it happens: phases and `query-migrate` samples from the
 * migration's hooks, the windows and the benchmark streams from the `--during` session.
 */
import type { MigrationPhase } from '../phases';
import type { MigrationProgress } from '../progress';
import { isSwitchoverStatus, progressPoint, thinProgress, TIMELINE_SCHEMA, type DuringPlan, type DuringStream, type MigrationTimeline, type PhaseMark, type ProgressPoint, type TimeSpan } from './timeline';

/** At most this many progress points are stored (a long migration is thinned, not cut). */
const MAX_PROGRESS_POINTS = 2_000;

/** Builds one {@link MigrationTimeline}; `now` is injectable for tests. */
export class TimelineRecorder {
  private readonly originMs: number;
  private readonly phases: PhaseMark[] = [];
  private readonly progress: ProgressPoint[] = [];
  private readonly streams: DuringStream[] = [];
  private switchoverMs: number | undefined;
  migration: TimeSpan | undefined;
  baseline: TimeSpan | undefined;
  during: TimeSpan | undefined;
  plan: DuringPlan | undefined;

  constructor(private readonly clock: () => number = Date.now) {
    this.originMs = clock();
  }

  /** Milliseconds since the origin. */
  now(): number {
    return this.clock() - this.originMs;
  }

  /** The origin as an epoch time. */
  get originEpochMs(): number {
    return this.originMs;
  }

  /** For `onPhase`. */
  phase(phase: MigrationPhase): PhaseMark {
    const mark = { phase, t: this.now() };
    this.phases.push(mark);
    // Without a sample that says so (a short migration between two polls), the switch-over is when finish starts.
    if (phase === 'finish' && this.switchoverMs === undefined) this.switchoverMs = mark.t;
    return mark;
  }

  /** For `onProgress`; returns the point as stored. */
  sample(p: MigrationProgress): ProgressPoint {
    const point = progressPoint(this.now(), p);
    this.progress.push(point);
    if (this.switchoverMs === undefined && isSwitchoverStatus(p.status)) this.switchoverMs = point.t;
    return point;
  }

  addStreams(streams: readonly DuringStream[]): void {
    this.streams.push(...streams);
  }

  /** The timeline so far. */
  timeline(): MigrationTimeline {
    return {
      schema: TIMELINE_SCHEMA,
      origin: new Date(this.originMs).toISOString(),
      phases: [...this.phases],
      progress: thinProgress(this.progress, MAX_PROGRESS_POINTS),
      migration: this.migration,
      switchoverMs: this.switchoverMs,
      baseline: this.baseline,
      during: this.during,
      plan: this.plan,
      streams: [...this.streams],
    };
  }
}
