/**
 * `--during` samples as they arrive, gathered into streams, for a live view: the session hands
 * its streams over only when they stopped, a panel wants them while they run.
 */
import { duringLabel, type DuringSpec } from './spec';
import { unitOf, type DuringSample, type DuringStream } from './timeline';

/** Streams built from `onSample` calls. */
export class LiveDuringSamples {
  private readonly byStream = new Map<string, { spec: DuringSpec; run: 'baseline' | 'during'; samples: DuringSample[] }>();

  add(spec: DuringSpec, run: 'baseline' | 'during', sample: DuringSample): void {
    const key = `${run} ${duringLabel(spec)}`;
    let entry = this.byStream.get(key);
    if (entry === undefined) {
      entry = { spec: { benchmark: spec.benchmark, target: spec.target }, run, samples: [] };
      this.byStream.set(key, entry);
    }
    entry.samples.push(sample);
  }

  /** The streams so far, in the order they first reported (the host is not known yet: empty). */
  streams(): DuringStream[] {
    return [...this.byStream.values()].map(({ spec, run, samples }) => ({
      ...spec,
      host: '',
      run,
      unit: unitOf(spec.benchmark),
      samples: [...samples].sort((a, b) => a.t - b.t),
      ends: [],
    }));
  }
}
