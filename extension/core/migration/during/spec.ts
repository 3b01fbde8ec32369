/**
 * What `--during` asks for: benchmarks to run while a VM migrates, each where it runs —
 * `sysbench-cpu@host,sysbench-memory@guest,iperf3@guest`.
 */

/** The benchmarks that report per-second samples (sysbench `--report-interval=1`, iperf3 and iperf 2 `-i 1`). */
export type DuringBenchmark = 'sysbench-cpu' | 'sysbench-memory' | 'iperf3' | 'iperf';

/**
 * Where one runs: `host` is the source host (where the VM runs before the move, and where
 * migration threads compete with it), `dest` the destination host, `guest` inside the VM (it
 * moves with the VM).
 */
export type DuringTarget = 'host' | 'dest' | 'guest';

/** One benchmark at one place. */
export interface DuringSpec {
  readonly benchmark: DuringBenchmark;
  readonly target: DuringTarget;
}

/** The benchmarks `--during` accepts. */
export const DURING_BENCHMARKS: readonly DuringBenchmark[] = ['sysbench-cpu', 'sysbench-memory', 'iperf3', 'iperf'];

/** The places `--during` accepts. */
export const DURING_TARGETS: readonly DuringTarget[] = ['host', 'dest', 'guest'];

/** `sysbench-cpu@host`: how a spec is written, and how streams are named. */
export function duringLabel(spec: DuringSpec): string {
  return `${spec.benchmark}@${spec.target}`;
}

/**
 * Reads a `--during` list (`BENCH@WHERE` items, comma-separated). Duplicates are refused: two
 * copies of a benchmark at one place would compete with each other, not with the migration.
 */
export function parseDuringList(text: string): { ok: true; value: DuringSpec[] } | { ok: false; message: string } {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return { ok: false, message: `give at least one BENCH@WHERE, e.g. sysbench-cpu@host,iperf3@guest` };
  const specs: DuringSpec[] = [];
  for (const item of items) {
    const [benchmark, target, ...rest] = item.split('@');
    if (target === undefined || rest.length > 0) return { ok: false, message: `"${item}" is not BENCH@WHERE (e.g. sysbench-cpu@guest)` };
    if (!(DURING_BENCHMARKS as readonly string[]).includes(benchmark ?? '')) {
      return { ok: false, message: `"${benchmark}" cannot be sampled per second; use ${DURING_BENCHMARKS.join(', ')}` };
    }
    if (!(DURING_TARGETS as readonly string[]).includes(target)) {
      return { ok: false, message: `"${target}" is not a place; use host (the source host), dest (the destination host) or guest` };
    }
    const spec = { benchmark: benchmark as DuringBenchmark, target: target as DuringTarget };
    if (specs.some((s) => s.benchmark === spec.benchmark && s.target === spec.target)) return { ok: false, message: `${item} is listed twice` };
    specs.push(spec);
  }
  return { ok: true, value: specs };
}
