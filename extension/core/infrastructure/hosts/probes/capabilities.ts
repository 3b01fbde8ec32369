import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { HostSystem } from '../system/host-system';
import { judgeKvm, readKvmFacts, type KvmStatus } from './kvm';
import { findQemu, type HostQemuSetting, type QemuVersion } from './qemu-binary';
import { parseMachineHelp, parseNicModels, type MachineTypeInfo, type NicModelInfo } from './qemu-help';

/** What a host can do, as `qemu-lab hosts` and the tree's host items show it. */
export interface HostCapabilities {
  readonly host: string;
  readonly qemu: { readonly path: string; readonly version: QemuVersion };
  readonly machines: readonly MachineTypeInfo[];
  readonly nicModels: readonly NicModelInfo[];
  readonly cpu: { readonly model: string; readonly count: number; readonly flags: readonly string[] };
  readonly memoryBytes: number;
  readonly kvm: { readonly devKvmExists: boolean; readonly status: KvmStatus };
  readonly probedAt: string;
}

/** The absolute path of a program found on PATH (what `which` prints), or the name itself. */
async function resolveOnPath(program: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (isAbsolute(program)) return program;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return program;
}

/** The CPU model name and the number of processors in /proc/cpuinfo text. */
export function parseCpuInfo(cpuinfo: string): { model: string; count: number } {
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const count = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  return { model, count };
}

/** MemTotal from /proc/meminfo text, in bytes. */
export function parseMemTotal(meminfo: string): number {
  const kib = Number(/^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo)?.[1] ?? 0);
  return kib * 1024;
}

/**
 * Probes a host (this machine, or one over SSH): QEMU, machines, NIC models, CPU, memory, KVM.
 * Everything it runs goes through `system`, so the system's host gate decides whether it may.
 * `setting` is the lab's `hosts.NAME.qemu` for it: the QEMU probed is the one its VMs run.
 */
export async function probeHost(system: HostSystem, env: NodeJS.ProcessEnv, setting?: HostQemuSetting): Promise<HostCapabilities> {
  const { binary, version } = await findQemu(env, system, setting);
  const [machineHelp, deviceHelp, cpuinfo, meminfo, kvmFacts, path] = await Promise.all([
    system.run(binary, ['-machine', 'help'], { timeoutMs: 10_000 }),
    system.run(binary, ['-device', 'help'], { timeoutMs: 10_000 }),
    system.readText('/proc/cpuinfo'),
    system.readText('/proc/meminfo'),
    readKvmFacts(system),
    system.isLocal ? resolveOnPath(binary, env) : system.run('sh', ['-c', 'command -v "$1"', 'sh', binary], { check: false }).then((r) => r.stdout.trim() || binary),
  ]);
  return {
    host: system.name,
    qemu: { path, version },
    machines: parseMachineHelp(machineHelp.stdout),
    // Older QEMUs print device help on stderr.
    nicModels: parseNicModels(deviceHelp.stdout || deviceHelp.stderr),
    cpu: { ...parseCpuInfo(cpuinfo ?? ''), flags: [...kvmFacts.cpuFlags] },
    memoryBytes: parseMemTotal(meminfo ?? ''),
    kvm: { devKvmExists: kvmFacts.devKvmExists, status: judgeKvm(kvmFacts) },
    probedAt: new Date().toISOString(),
  };
}
