import { VmError } from '../core/errors';
import type { LabModel } from '../core/lab/model';
import type { HostVmBackend, VmInstance } from '../core/machines/vm/backend';
import { resolveVm } from '../core/machines/vm/resolve-vm';
import type { CliIo, GlobalOptions } from './io';
import { loadLabOrFail } from './load-lab';
import { withVmDependencies } from './vm-context';

/** The lab, the backend, and a VM of it that is running, for commands that act on one. */
export interface RunningVm {
  readonly lab: LabModel;
  readonly backend: HostVmBackend;
  readonly instance: VmInstance;
}

/**
 * Runs `use` on the running VM `name` of the lab file (on whichever host it runs), or fails
 * saying how to start it. SSH connections opened for it are closed afterwards.
 */
export async function withRunningVm<T>(name: string, global: GlobalOptions, io: CliIo, use: (vm: RunningVm) => Promise<T>): Promise<T> {
  const lab = await loadLabOrFail(global.file, io);
  const vm = resolveVm(lab, name);
  return withVmDependencies(lab, global, io, async ({ backend }) => {
    const instance = await backend.find({ labPath: lab.path, vmName: name, host: vm.host });
    if (instance === undefined || !instance.alive) {
      throw new VmError(`VM "${name}" is not running.`, { hint: `Start it with qemu-lab up ${name}.` });
    }
    return use({ lab, backend, instance });
  });
}
