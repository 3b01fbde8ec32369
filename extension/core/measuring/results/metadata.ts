/**
 * Facts for {@link ResultMetadata} that can be found without running a benchmark: hashes, the
 * git commit of the lab, this machine's CPU and kernel, and what a tool's output says of itself.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import type { ParsedBenchmark } from '../workloads/detect';
import { parseCpuInfo } from '../../infrastructure/hosts/probes/capabilities';
import { runProgram } from '../../infrastructure/hosts/system/run-program';
import type { ResultMetadata } from './record';

/** sha256 of bytes, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file, hex; undefined when it cannot be read (e.g. no lab file). */
export async function sha256OfFile(path: string): Promise<string | undefined> {
  return readFile(path).then(sha256, () => undefined);
}

/** `git rev-parse HEAD` in a directory; undefined outside a git work tree or without git. */
export async function gitCommitOf(directory: string): Promise<string | undefined> {
  try {
    const result = await runProgram('git', ['-C', directory, 'rev-parse', 'HEAD'], { check: false, timeoutMs: 5000 });
    const commit = result.stdout.trim();
    return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** CPU model and kernel release of this machine, for results measured here. */
export async function localHostFacts(): Promise<Pick<ResultMetadata, 'hostCpu' | 'kernel'>> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = parseCpuInfo(cpuinfo).model;
  return { ...(model === 'unknown' ? {} : { hostCpu: model }), kernel: release() };
}

/**
 * What a result says about the machine and tool that produced it: the tool version, and for
 * iperf3 the kernel release from its `system_info` (`Linux vm 6.1.0-13-amd64 #1 …`).
 */
export function metadataFromResult(result: ParsedBenchmark): Pick<ResultMetadata, 'toolVersions' | 'kernel'> {
  switch (result.benchmark) {
    case 'sysbench-cpu':
    case 'sysbench-memory':
      return result.version === undefined ? {} : { toolVersions: { sysbench: result.version } };
    case 'iperf3': {
      const kernel = /^Linux \S+ (\S+)/.exec(result.systemInfo ?? '')?.[1];
      return {
        ...(result.version === undefined ? {} : { toolVersions: { iperf3: result.version } }),
        ...(kernel === undefined ? {} : { kernel }),
      };
    }
    case 'iperf':
      return {};
  }
}
