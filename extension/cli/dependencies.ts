import { buildGuest, type GuestArtifacts } from '../core/guest/build';
import { judgeKvm, readLocalKvmFacts } from '../core/host/kvm';
import { findQemu } from '../core/host/qemu-binary';
import { QemuDirectBackend } from '../core/vm/qemu-direct-backend';
import { stateRoot } from '../core/vm/run-dir';
import type { UpDependencies } from '../core/vm/up';
import type { CliIo } from './io';

/** The real collaborators of the CLI's VM commands, made once per invocation. */
export function cliDependencies(io: CliIo, options: { onGuestProgress?: (line: string) => void } = {}): UpDependencies {
  let guest: Promise<GuestArtifacts> | undefined;
  return {
    backend: new QemuDirectBackend(stateRoot(io.env)),
    guest: () => (guest ??= buildGuest({ onProgress: options.onGuestProgress, signal: io.signal })),
    qemu: () => findQemu(io.env),
    kvm: async () => judgeKvm(await readLocalKvmFacts()),
  };
}
