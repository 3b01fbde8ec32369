import { buildGuest, type GuestArtifacts } from '../guest/build';
import { judgeKvm, readLocalKvmFacts } from '../host/kvm';
import { findQemu } from '../host/qemu-binary';
import { QemuDirectBackend } from './qemu-direct-backend';
import type { UpDependencies } from './up';

/**
 * The real collaborators for running VMs on this machine, shared by the CLI and the editor.
 * The lab guest is built (or found in its cache) once, on first use.
 */
export function localUpDependencies(options: {
  readonly stateRoot: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onGuestProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}): UpDependencies & { readonly backend: QemuDirectBackend } {
  let guest: Promise<GuestArtifacts> | undefined;
  return {
    backend: new QemuDirectBackend(options.stateRoot),
    guest: () => {
      guest ??= buildGuest({ onProgress: options.onGuestProgress, signal: options.signal });
      // A failed build is not cached: the next boot tries again.
      guest.catch(() => (guest = undefined));
      return guest;
    },
    qemu: () => findQemu(options.env),
    kvm: async () => judgeKvm(await readLocalKvmFacts()),
  };
}
