/**
 * Whether a guest has the programs an experiment's benchmarks run, asked once after it boots and
 * before any run: a disk guest brought by the user may lack them, and a missing tool should be
 * one clear sentence (what, and how to add it), never a confusing failure in the middle of a run.
 */
import type { BenchmarkName } from '../../lab/model';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { runInGuest } from '../../machines/guest-access/guest-ssh';
import type { GuestSshEndpoint } from '../../machines/vm/vm-record';

/** The guest program each benchmark runs, and the Debian/Ubuntu and Fedora package that has it. */
export const GUEST_TOOLS: Readonly<Record<BenchmarkName, { readonly program: string; readonly apt: string; readonly dnf: string }>> = {
  'sysbench-cpu': { program: 'sysbench', apt: 'sysbench', dnf: 'sysbench' },
  'sysbench-memory': { program: 'sysbench', apt: 'sysbench', dnf: 'sysbench' },
  iperf3: { program: 'iperf3', apt: 'iperf3', dnf: 'iperf3' },
  iperf: { program: 'iperf', apt: 'iperf', dnf: 'iperf' },
};

const PROGRAM_PATTERN = /^[a-z0-9]+$/;

/** The shell script that prints each of `programs` the guest's PATH has, one a line. */
export function toolProbeScript(programs: readonly string[]): string {
  // Program names are ours (GUEST_TOOLS), checked anyway: the script is one shell line.
  const safe = programs.filter((p) => PROGRAM_PATTERN.test(p));
  return `for p in ${safe.join(' ')}; do command -v "$p" >/dev/null 2>&1 && echo "$p"; done; exit 0`;
}

/**
 * Why each benchmark cannot run in a guest whose PATH has `present`: the missing program and how
 * to add it; benchmarks whose program is there are absent from the map.
 */
export function missingToolReasons(benchmarks: readonly BenchmarkName[], present: ReadonlySet<string>, vmName: string): Map<BenchmarkName, string> {
  const reasons = new Map<BenchmarkName, string>();
  for (const benchmark of benchmarks) {
    const tool = GUEST_TOOLS[benchmark];
    if (present.has(tool.program)) continue;
    reasons.set(
      benchmark,
      `the guest of VM "${vmName}" has no ${tool.program} (needed by ${benchmark}): install it in the image ` +
        `(Debian/Ubuntu: sudo apt-get install ${tool.apt}; Fedora: sudo dnf install ${tool.dnf}), then run the experiment again`,
    );
  }
  return reasons;
}

/**
 * Asks the guest which of the benchmarks' programs it has; see {@link missingToolReasons}. When
 * the question itself fails, nothing is reported missing.
 */
export async function guestToolProblems(
  system: HostSystem,
  ssh: GuestSshEndpoint,
  benchmarks: readonly BenchmarkName[],
  vmName: string,
  signal?: AbortSignal,
): Promise<Map<BenchmarkName, string>> {
  const programs = [...new Set(benchmarks.map((b) => GUEST_TOOLS[b].program))];
  // A login can take half a minute in a distribution under TCG on a busy host.
  const result = await runInGuest(system, ssh, ['sh', '-c', toolProbeScript(programs)], { timeoutMs: 120_000, check: false, signal });
  // The script always exits 0: anything else is SSH failing, which says nothing about the tools
  // (the benchmarks then fail with SSH's own error, not with a wrong "missing sysbench").
  if (result.exitCode !== 0) return new Map();
  const present = new Set(result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
  return missingToolReasons(benchmarks, present, vmName);
}
