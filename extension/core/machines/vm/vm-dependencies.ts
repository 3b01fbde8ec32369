import { buildGuest, type GuestArtifacts } from '../guest-image/build';
import { judgeKvm, readKvmFacts } from '../../infrastructure/hosts/probes/kvm';
import { findQemu } from '../../infrastructure/hosts/probes/qemu-binary';
import { OPEN_HOST_GATE, type HostGate } from '../../infrastructure/hosts/host-gate';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { QemuDirectBackend } from './qemu-direct-backend';
import type { UpDependencies } from './up';

/**
 * The real collaborators for running VMs, shared by the CLI and the editor. The lab guest is
 * built (or found in its cache) once, on first use, on this machine; `systemFor` reaches the
 * lab's hosts (this machine, or remote ones over SSH). `gate` is asked before the guest build
 * (it runs programs here); the hosts' own gate is their HostPool's.
 */
export function vmDependencies(options: {
  readonly stateRoot: string;
  readonly remoteStateRoot?: string;
  readonly systemFor: (host: string) => HostSystem;
  readonly env?: NodeJS.ProcessEnv;
  readonly onGuestProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly gate?: HostGate;
}): UpDependencies {
  let guest: Promise<GuestArtifacts> | undefined;
  const gate = options.gate ?? OPEN_HOST_GATE;
  return {
    backend: new QemuDirectBackend({ localStateRoot: options.stateRoot, remoteStateRoot: options.remoteStateRoot, systemFor: options.systemFor }),
    guest: () => {
      gate.assertOpen('build the lab guest');
      guest ??= buildGuest({ onProgress: options.onGuestProgress, signal: options.signal });
      // A failed build is not cached: the next boot tries again.
      guest.catch(() => (guest = undefined));
      return guest;
    },
    qemu: (system, setting) => findQemu(options.env, system, setting),
    kvm: async (system) => judgeKvm(await readKvmFacts(system)),
  };
}
