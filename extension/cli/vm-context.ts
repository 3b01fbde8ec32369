import { HostPool } from '../core/infrastructure/hosts/host-pool';
import { libvirtUriOf } from '../core/infrastructure/hosts/host-reach';
import { labHostSystems } from '../core/infrastructure/hosts/lab-hosts';
import type { LabModel } from '../core/lab/model';
import { stateRoot } from '../core/machines/vm/run-dir';
import type { UpDependencies } from '../core/machines/vm/up';
import { vmDependencies } from '../core/machines/vm/vm-dependencies';
import type { CliIo, GlobalOptions } from './io';
import { loadLabOrFail } from './load-lab';

/**
 * Runs `use` with the VM collaborators of a lab (its hosts reached over pooled SSH
 * connections), then closes those connections — the VMs keep running. An unknown SSH host key
 * is refused unless `--accept-new-host-key` was given; a changed one is always refused.
 * Passphrases and passwords are asked through `io.askSecret` (on the terminal).
 */
export async function withVmDependencies<T>(lab: LabModel, global: GlobalOptions, io: CliIo, use: (deps: UpDependencies) => Promise<T>): Promise<T> {
  const pool = new HostPool({
    askSecret: io.askSecret,
    onUnknownHostKey: async (fingerprint, info) => {
      if (global.acceptNewHostKey) {
        io.err(`Accepting the new host key of ${info.host} (${fingerprint}) and adding it to known_hosts.\n`);
        return true;
      }
      return false;
    },
  });
  try {
    const deps = vmDependencies({
      stateRoot: stateRoot(io.env),
      remoteStateRoot: io.env.QEMU_LAB_REMOTE_STATE_DIR,
      systemFor: labHostSystems(lab, pool),
      libvirtUriFor: (host) => libvirtUriOf(lab.hosts.get(host)),
      env: io.env,
      signal: io.signal,
      onGuestProgress: (line) => io.err(`  guest: ${line}\n`),
    });
    return await use(deps);
  } finally {
    await pool.dispose();
  }
}

/** Loads the lab file (`-f`; errors stop the command) and runs `use` with it and its VM collaborators, as {@link withVmDependencies}. */
export async function withLab<T>(global: GlobalOptions, io: CliIo, use: (lab: LabModel, deps: UpDependencies) => Promise<T>): Promise<T> {
  const lab = await loadLabOrFail(global.file, io);
  return withVmDependencies(lab, global, io, (deps) => use(lab, deps));
}
