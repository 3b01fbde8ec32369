import { parseArgs } from 'node:util';
import { VmError } from '../../core/errors';
import { QemuDirectBackend } from '../../core/vm/qemu-direct-backend';
import { resolveVm } from '../../core/vm/resolve-vm';
import { stateRoot } from '../../core/vm/run-dir';
import { UsageError, type CliCommand } from '../io';
import { loadLabOrFail } from '../load-lab';

/** `qemu-lab down VM`: ACPI power-down, waiting for the guest to power off; `--force` quits QEMU after the timeout. */
export const downCommand: CliCommand = {
  name: 'down',
  usage: 'down VM [--force] [--timeout SECONDS]',
  summary: 'power a VM off through the guest (ACPI); --force quits QEMU after the timeout',
  async run(args, global, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { force: { type: 'boolean' }, timeout: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [vmName, ...extra] = positionals;
    if (vmName === undefined || extra.length > 0) throw new UsageError('down takes exactly one VM name.');
    const timeoutSeconds = values.timeout === undefined ? 30 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout takes a number of seconds.');

    const lab = await loadLabOrFail(global.file, io);
    resolveVm(lab, vmName);
    const backend = new QemuDirectBackend(stateRoot(io.env));
    const instance = await backend.find({ labPath: lab.path, vmName });
    if (instance === undefined || !instance.alive) {
      throw new VmError(`VM "${vmName}" is not running.`, { hint: `Start it with qemu-lab up ${vmName}.` });
    }
    await backend.powerDown(instance, { timeoutMs: timeoutSeconds * 1000, force: values.force === true });
    io.err(`${vmName}: powered off.\n`);
    return 0;
  },
};
