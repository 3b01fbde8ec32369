import { extname } from 'node:path';
import { HostError } from '../errors';
import type { GuestArtifacts } from '../guest/build';
import { guestKernelCommandLine } from '../guest/kernel-command-line';
import { resolveAccel, type KvmStatus } from '../host/kvm';
import type { LabModel, VmSpec } from '../lab/model';
import type { BootMedia } from '../qemu/launch-plan';
import type { BootStage, VmBackend, VmInstance } from './backend';
import { resolveVm } from './resolve-vm';

/** What `up` needs from its surroundings; passed in, so the CLI, the editor and tests share it. */
export interface UpDependencies {
  readonly backend: VmBackend;
  /** The built-in lab guest, built (or taken from the cache) on first use. */
  readonly guest: () => Promise<GuestArtifacts>;
  readonly qemu: () => Promise<{ readonly binary: string }>;
  readonly kvm: () => Promise<KvmStatus>;
}

/** The outcome of `up`. */
export interface UpResult {
  readonly instance: VmInstance;
  readonly alreadyRunning: boolean;
}

function diskMedia(vm: VmSpec): BootMedia {
  return { kind: 'disk', image: vm.image, format: extname(vm.image) === '.qcow2' ? 'qcow2' : 'raw' };
}

/**
 * Boots a VM of a lab file and waits until it is usable (SSH answers, for the built-in guest).
 * A VM that already runs is returned as it is, never started twice.
 */
export async function upVm(
  lab: LabModel,
  vmName: string,
  deps: UpDependencies,
  options: { onStage?: (stage: BootStage) => void; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<UpResult> {
  const vm = resolveVm(lab, vmName);
  const key = { labPath: lab.path, vmName };
  const existing = await deps.backend.find(key);
  if (existing?.alive) return { instance: existing, alreadyRunning: true };

  const host = lab.hosts.get(vm.host);
  if (host === undefined || host.kind !== 'local') {
    throw new HostError(`VM "${vm.name}" runs on host "${vm.host}", which is reached over SSH: remote hosts are not supported yet.`, {
      hint: 'Set host: local for this VM for now.',
    });
  }
  const { binary } = await deps.qemu();
  const accel = resolveAccel(vm.accel, await deps.kvm(), vm.host);
  let boot: BootMedia;
  let guestSsh;
  let readyMarker: string | undefined;
  if (vm.image === 'builtin') {
    const guest = await deps.guest();
    boot = {
      kind: 'kernel',
      kernel: guest.vmlinux ?? guest.kernel,
      initrd: guest.initrd,
      append: guestKernelCommandLine({ hostname: vm.name }),
    };
    guestSsh = { privateKey: guest.sshPrivateKey, knownHostsFile: guest.knownHostsFile, hostKeyAlias: guest.hostKeyAlias, user: 'root' };
    readyMarker = guest.readyMarker;
  } else {
    boot = diskMedia(vm);
  }
  return deps.backend.boot({
    key,
    vm,
    hostName: vm.host,
    qemuBinary: binary,
    accel,
    boot,
    guestSsh,
    readyMarker,
    onStage: options.onStage,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
  });
}
