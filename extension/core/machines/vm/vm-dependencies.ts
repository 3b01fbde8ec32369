import type { GuestArtifacts } from '../guest-image/build';
import { judgeKvm, readKvmFacts } from '../../infrastructure/hosts/probes/kvm';
import { findQemu } from '../../infrastructure/hosts/probes/qemu-binary';
import { OPEN_HOST_GATE, type HostGate } from '../../infrastructure/hosts/host-gate';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { HostKindBackend } from './host-kind-backend';
import { LibvirtBackend } from './libvirt-backend';
import { QemuDirectBackend } from './qemu-direct-backend';
import type { UpDependencies } from './up';

/**
 * The real collaborators for running VMs, shared by the CLI and the editor. The lab guest is
 * built (or found in its cache) once, on first use, on this machine; `systemFor` reaches the
 * lab's hosts (this machine, or remote ones over SSH). `gate` is asked before the guest build
 * (it runs programs here); the hosts' own gate is their HostPool's. `libvirtUriFor` says which
 * hosts are libvirt hosts (the URI virsh gets on their machine): their VMs are libvirt domains.
 * `env` is where QEMU, caches and state are looked for: the CLI's environment, or the editor's
 * with its settings over it.
 */
export function vmDependencies(options: {
  readonly stateRoot: string;
  readonly remoteStateRoot?: string;
  readonly systemFor: (host: string) => HostSystem;
  /** Where QEMU, the caches and the state are looked for (QEMU_LAB_QEMU, QEMU_LAB_CACHE_DIR, …). */
  readonly env: NodeJS.ProcessEnv;
  readonly onGuestProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly gate?: HostGate;
  readonly libvirtUriFor?: (host: string) => string | undefined;
}): UpDependencies {
  let guest: Promise<GuestArtifacts> | undefined;
  const gate = options.gate ?? OPEN_HOST_GATE;
  const { backend, libvirt } = backendFor(options);
  return {
    backend,
    ...(libvirt === undefined ? {} : { libvirt }),
    guest: () => {
      gate.assertOpen('build the lab guest');
      // The builder loads on first use: most sessions never build (the cache has the guest).
      guest ??= import('../guest-image/build.js').then(({ buildGuest }) => buildGuest({ env: options.env, onProgress: options.onGuestProgress, signal: options.signal }));
      // A failed build is not cached: the next boot tries again.
      guest.catch(() => (guest = undefined));
      return guest;
    },
    qemu: (system, setting) => findQemu(options.env, system, setting),
    kvm: async (system) => judgeKvm(await readKvmFacts(system)),
    env: options.env,
  };
}

function backendFor(options: Parameters<typeof vmDependencies>[0]): { backend: UpDependencies['backend']; libvirt?: LibvirtBackend } {
  const roots = { localStateRoot: options.stateRoot, remoteStateRoot: options.remoteStateRoot, systemFor: options.systemFor };
  const direct = new QemuDirectBackend(roots);
  const uriFor = options.libvirtUriFor;
  if (uriFor === undefined) return { backend: direct };
  const libvirt = new LibvirtBackend({
    ...roots,
    uriFor: (host) => {
      const uri = uriFor(host);
      if (uri === undefined) throw new Error(`Host "${host}" is not a libvirt host.`);
      return uri;
    },
  });
  return { backend: new HostKindBackend(direct, libvirt, (host) => uriFor(host) !== undefined), libvirt };
}
