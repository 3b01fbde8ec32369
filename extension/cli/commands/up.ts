import { guestCommandArgv } from '../../core/machines/guest-access/guest-command-line';
import { runInGuest } from '../../core/machines/guest-access/guest-ssh';
import { resolveVm } from '../../core/machines/vm/resolve-vm';
import { upVm } from '../../core/machines/vm/up';
import { noSshLines } from '../../presentation/vm/no-ssh-words';
import { sshCommandWords } from '../../presentation/vm/vm-words';
import { defineCommand, secondsOption, ONE_VM } from '../command-spec';
import { UsageError } from '../io';
import { withLab } from '../vm-context';

/**
 * `qemu-lab up VM`: boots a VM and waits until SSH answers. `--exec CMD` then runs a command in
 * the guest and prints its output; `--down` powers the VM off afterwards (the README's first
 * job uses both).
 */
export const upCommand = defineCommand({
  name: 'up',
  operands: ONE_VM,
  options: {
    exec: { value: 'CMD', help: "then run CMD in the guest as one shell line (/bin/sh -c, as ssh runs a command) and print its output" },
    down: { help: 'then power the VM off' },
    timeout: { value: 'SECONDS', help: 'how long to wait for SSH (default 120; 600 for a disk guest under TCG)' },
  },
  summary: 'boot a VM and wait until it answers SSH (a VM with no login: until QEMU runs)',
  example: "qemu-lab up vm1 --exec 'uname -a; nproc' --down",
  async run({ values, positionals: [vmName = ''] }, global, io) {
    // Unset: the boot's own default, which knows a disk guest under TCG needs longer.
    const timeoutMs = values.timeout === undefined ? undefined : secondsOption(values.timeout, '--timeout', 120_000);

    return withLab(global, io, async (lab, deps) => {
      const started = Date.now();
      const { instance, alreadyRunning } = await upVm(lab, vmName, deps, {
        signal: io.signal,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        onStage: (stage) => io.err(`${vmName}: ${stage} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
      });
      const { record } = instance;
      const where = record.host === 'local' ? '' : ` on ${record.host}`;
      // Only the isolated network's namespace reaches its guests: plain ssh from here would not.
      const inside = record.ssh?.netns === undefined ? '' : ` in network namespace ${record.ssh.netns}: qemu-lab ssh ${vmName}`;
      const ssh = record.ssh === undefined ? 'no SSH' : `${sshCommandWords(record.ssh)}${where}${inside}`;
      if (global.json) {
        io.out(JSON.stringify({ vm: vmName, host: record.host, alreadyRunning, pid: instance.pid, accel: record.accel, accelWhy: record.accelWhy, nic: record.nic, ssh: record.ssh }, null, 2) + '\n');
      } else {
        io.out(`${vmName} is ${alreadyRunning ? 'already ' : ''}running${where} (pid ${instance.pid ?? '?'}, ${record.accel}, ${record.nic}, ${ssh}).\n  ${record.accelWhy}\n`);
        if (record.ssh === undefined) for (const line of noSshLines(resolveVm(lab, vmName), record.files, 'cli')) io.out(`  ${line}\n`);
      }
      let status = 0;
      if (values.exec !== undefined) {
        if (record.ssh === undefined) throw new UsageError(`--exec needs SSH into the guest, and VM "${vmName}" has none.`);
        const result = await runInGuest(deps.backend.systemOf(record), record.ssh, guestCommandArgv([values.exec], 'shell'), { check: false, signal: io.signal });
        io.out(result.stdout);
        if (result.stderr) io.err(result.stderr);
        status = result.exitCode === 0 ? 0 : 1;
      }
      if (values.down === true) {
        await deps.backend.powerDown(instance, { timeoutMs: 30_000, force: true });
        io.err(`${vmName}: powered off.\n`);
      }
      return status;
    });
  },
});
