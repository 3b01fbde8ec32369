import type { HostVmBackend, VmInstance } from '../../core/machines/vm/backend';
import { defineCommand, type LeafCommand, ONE_VM } from '../command-spec';
import { withRunningVm } from '../running-vm';

/** A command that does one thing to one running VM and reports it in a line. */
function vmAction(
  name: string,
  summary: string,
  act: (backend: HostVmBackend, instance: VmInstance) => Promise<void>,
  done: string,
): LeafCommand {
  return defineCommand({
    name,
    operands: ONE_VM,
    summary,
    example: `qemu-lab ${name} vm1`,
    async run({ positionals: [vmName = ''] }, global, io) {
      await withRunningVm(vmName, global, io, ({ backend, instance }) => act(backend, instance));
      io.err(`${vmName}: ${done}.\n`);
      return 0;
    },
  });
}

/** `qemu-lab pause VM` (QMP `stop`). */
export const pauseCommand = vmAction('pause', "pause a VM's CPUs (QMP stop)", (b, i) => b.pause(i), 'paused');
/** `qemu-lab resume VM` (QMP `cont`). */
export const resumeCommand = vmAction('resume', 'resume a paused VM (QMP cont)', (b, i) => b.resume(i), 'running');
/** `qemu-lab reset VM` (QMP `system_reset`). */
export const resetCommand = vmAction('reset', 'reset a VM like its reset button (QMP system_reset)', (b, i) => b.reset(i), 'reset');
/** `qemu-lab kill VM` (QMP `quit`, then SIGKILL). */
export const killCommand = vmAction('kill', 'end QEMU at once, without asking the guest (QMP quit)', (b, i) => b.kill(i), 'killed');
