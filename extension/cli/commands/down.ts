import { UsageError, type CliCommand } from '../io';
import { parseVmArgs, withRunningVm } from '../running-vm';

/** `qemu-lab down VM`: ACPI power-down, waiting for the guest to power off; `--force` quits QEMU after the timeout. */
export const downCommand: CliCommand = {
  name: 'down',
  usage: 'down VM [--force] [--timeout SECONDS]',
  summary: 'power a VM off through the guest (ACPI); --force quits QEMU after the timeout',
  async run(args, global, io) {
    const { vmName, values, rest } = parseVmArgs('down', args, { force: { type: 'boolean' }, timeout: { type: 'string' } });
    if (rest.length > 0) throw new UsageError('down takes exactly one VM name.');
    const timeoutSeconds = values.timeout === undefined ? 30 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout takes a number of seconds.');
    await withRunningVm(vmName, global, io, ({ backend, instance }) =>
      backend.powerDown(instance, { timeoutMs: timeoutSeconds * 1000, force: values.force === true }),
    );
    io.err(`${vmName}: powered off.\n`);
    return 0;
  },
};
