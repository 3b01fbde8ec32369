import { access, constants, readFile, readdir } from 'node:fs/promises';
import { HostError } from '../../../errors';
import type { HostSystem } from '../system/host-system';

/** What a host says about KVM, read from /dev, /proc and /sys. */
export interface KvmFacts {
  readonly devKvmExists: boolean;
  readonly devKvmAccessible: boolean;
  /** Flags from /proc/cpuinfo (the first processor's). */
  readonly cpuFlags: ReadonlySet<string>;
  /** Names under /sys/module. */
  readonly modules: ReadonlySet<string>;
}

/** Whether KVM can boot a stock guest here, and why (a sentence a person can act on). */
export interface KvmStatus {
  readonly usable: boolean;
  readonly reason: string;
}

/**
 * Decides whether KVM is usable from the facts alone.
 *
 * `/dev/kvm` existing is not enough: on PVM-backed hosts (module `kvm_pvm`, no vmx/svm in the
 * CPU flags) `query-kvm` says enabled, yet a stock guest kernel never boots. Say so plainly
 * rather than let a boot hang.
 */
export function judgeKvm(facts: KvmFacts): KvmStatus {
  const hasVirtFlags = facts.cpuFlags.has('vmx') || facts.cpuFlags.has('svm');
  if (!facts.devKvmExists) {
    return {
      usable: false,
      reason: hasVirtFlags
        ? '/dev/kvm does not exist although the CPU has virtualization extensions: load the module (modprobe kvm_intel or kvm_amd).'
        : '/dev/kvm does not exist and the CPU shows no vmx/svm flags: enable virtualization in the firmware, or use nested virtualization on a cloud VM.',
    };
  }
  if (facts.modules.has('kvm_pvm') && !hasVirtFlags) {
    return {
      usable: false,
      reason:
        '/dev/kvm is backed by PVM (kvm_pvm module, no vmx/svm in the CPU flags): a stock guest kernel does not boot on it. Use accel: tcg here, or a host with hardware virtualization.',
    };
  }
  if (!hasVirtFlags) {
    return {
      usable: false,
      reason: '/dev/kvm exists but the CPU shows no vmx/svm flags: KVM cannot run guests here. Use accel: tcg.',
    };
  }
  if (!facts.devKvmAccessible) {
    return {
      usable: false,
      reason: '/dev/kvm exists but this user cannot open it: add the user to the kvm group (usermod -aG kvm $USER) and log in again.',
    };
  }
  return { usable: true, reason: 'KVM is usable (/dev/kvm accessible, hardware virtualization present).' };
}

/** Reads {@link KvmFacts} on any host. Missing files mean "no", never an exception. */
export async function readKvmFacts(system: HostSystem): Promise<KvmFacts> {
  if (system.isLocal) return readLocalKvmFacts();
  const test = async (...args: string[]) => (await system.run('test', args, { check: false })).exitCode === 0;
  const exists = await test('-e', '/dev/kvm');
  const accessible = exists && (await test('-r', '/dev/kvm', '-a', '-w', '/dev/kvm'));
  const cpuinfo = (await system.readText('/proc/cpuinfo')) ?? '';
  const modules = await system.run('ls', ['/sys/module'], { check: false });
  return {
    devKvmExists: exists,
    devKvmAccessible: accessible,
    cpuFlags: parseCpuFlags(cpuinfo),
    modules: new Set(modules.stdout.split('\n').filter(Boolean)),
  };
}

/** Reads {@link KvmFacts} on the local machine. Missing files mean "no", never an exception. */
export async function readLocalKvmFacts(): Promise<KvmFacts> {
  const exists = await access('/dev/kvm', constants.F_OK).then(() => true, () => false);
  const accessible = exists && (await access('/dev/kvm', constants.R_OK | constants.W_OK).then(() => true, () => false));
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const modules = await readdir('/sys/module').catch(() => [] as string[]);
  return {
    devKvmExists: exists,
    devKvmAccessible: accessible,
    cpuFlags: parseCpuFlags(cpuinfo),
    modules: new Set(modules),
  };
}

/** The `flags` of the first processor in /proc/cpuinfo text. */
export function parseCpuFlags(cpuinfo: string): Set<string> {
  const line = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  if (line === undefined) return new Set();
  return new Set(line.slice(line.indexOf(':') + 1).trim().split(/\s+/).filter(Boolean));
}

/** The accelerator in effect for a VM, and why it was chosen. */
export interface AccelChoice {
  readonly accel: 'kvm' | 'tcg';
  readonly why: string;
}

/**
 * Resolves `accel` from a lab file to the one QEMU gets. `auto` picks KVM only when usable and
 * says which it picked; `kvm` on a host where KVM is not usable fails fast — never a silent
 * fallback to the emulator, which would make every benchmark number wrong.
 */
export function resolveAccel(requested: 'kvm' | 'tcg' | 'auto', kvm: KvmStatus, hostName: string): AccelChoice {
  if (requested === 'tcg') return { accel: 'tcg', why: 'accel: tcg was asked for.' };
  if (requested === 'auto') {
    return kvm.usable
      ? { accel: 'kvm', why: 'accel: auto picked KVM: it is usable on this host.' }
      : { accel: 'tcg', why: `accel: auto picked TCG: ${kvm.reason}` };
  }
  if (!kvm.usable) {
    throw new HostError(`accel: kvm was asked for, but KVM is not usable on host "${hostName}".`, {
      hint: `${kvm.reason} (Or write accel: auto to use KVM where it works and TCG elsewhere.)`,
    });
  }
  return { accel: 'kvm', why: 'accel: kvm was asked for and is usable.' };
}
