import { spawn } from 'node:child_process';
import { VmError } from '../../core/errors';
import { guestCommandArgv } from '../../core/machines/guest-access/guest-command-line';
import { openGuestSsh } from '../../core/machines/guest-access/guest-ssh-session';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { relayArgvOfThisCli } from '../relay-argv';
import { withRunningVm } from '../running-vm';

/**
 * `qemu-lab ssh VM [-- CMD…]`: a shell in the guest, or one command; ssh's exit code is ours.
 * The command's words are joined into one shell line, as OpenSSH does; `--argv` keeps each word
 * one argument. A
 * guest on a remote host is reached through that host's SSH connection (a relay), so the host's
 * connection stays open while the session lasts.
 */
export const sshCommand = defineCommand({
  name: 'ssh',
  usage: 'ssh VM [--argv] [-- CMD…]',
  operands: { synopsis: 'VM [-- CMD…]', count: 'any', complete: 'vm' },
  options: {
    argv: { help: "run CMD's words as they are, one argument each (for scripts that need exact quoting), not as one shell line" },
  },
  summary: 'open a shell in the guest, or run one command there',
  example: ["qemu-lab ssh vm1 -- 'dmesg | tail -n 5 > /root/boot.txt'", "qemu-lab ssh vm1 --argv -- printf '%s\\n' 'one word'"],
  async run({ values, positionals: [vmName, ...rest] }, global, io) {
    if (vmName === undefined) throw new UsageError('ssh needs a VM name.');
    return withRunningVm(vmName, global, io, async ({ instance, backend }) => {
      const endpoint = instance.record.ssh;
      if (endpoint === undefined) {
        throw new VmError(`VM "${vmName}" has no SSH endpoint QEMU Lab knows of.`, {
          hint: 'Only the built-in lab guest (image: builtin) has one; reach other images through their own network setup.',
        });
      }
      const session = await openGuestSsh(backend.systemOf(instance.record), endpoint, { relayArgv: relayArgvOfThisCli, env: io.env });
      try {
        const { program, args: argv } = session.program(rest.length > 0 ? guestCommandArgv(rest, values.argv === true ? 'argv' : 'shell') : undefined);
        const code = await new Promise<number>((resolve, reject) => {
          const child = spawn(program, argv, { stdio: 'inherit', signal: io.signal, env: { ...io.env, ...session.env } });
          child.on('error', reject);
          child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal !== null ? 128 : 1)));
        });
        // ssh says only "connection closed" when the relay could not get through the host.
        if (code === 255 && session.relayError !== undefined) io.err(`qemu-lab: the guest's SSH port could not be reached through host "${instance.record.host}": ${session.relayError}\n`);
        return code;
      } finally {
        await session.close();
      }
    });
  },
});
