import { spawn } from 'node:child_process';
import { VmError } from '../../core/errors';
import { sshArgs, sshCommandArgv } from '../../core/vm/guest-ssh';
import type { CliCommand } from '../io';
import { parseVmArgs, withRunningVm } from '../running-vm';

/** `qemu-lab ssh VM [-- CMD…]`: a shell in the guest, or one command; ssh's exit code is ours. */
export const sshCommand: CliCommand = {
  name: 'ssh',
  usage: 'ssh VM [-- CMD…]',
  summary: 'open a shell in the guest, or run one command there',
  async run(args, global, io) {
    const { vmName, rest } = parseVmArgs('ssh', args, {});
    const { endpoint, local } = await withRunningVm(vmName, global, io, async ({ instance, backend }) => ({
      endpoint: instance.record.ssh,
      local: backend.systemOf(instance.record).isLocal,
    }));
    if (!local) throw new VmError(`VM "${vmName}" runs on a remote host: qemu-lab ssh reaches guests on this machine only for now.`, { hint: 'Use qemu-lab up VM --exec CMD, which runs the command through the host.' });
    if (endpoint === undefined) throw new VmError(`VM "${vmName}" has no SSH endpoint QEMU Lab knows of.`);
    const argv = rest.length > 0 ? sshCommandArgv(endpoint, rest) : sshArgs(endpoint, { interactive: true });
    return new Promise((resolve, reject) => {
      const child = spawn('ssh', argv, { stdio: 'inherit', signal: io.signal });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(code ?? (signal !== null ? 128 : 1)));
    });
  },
};
