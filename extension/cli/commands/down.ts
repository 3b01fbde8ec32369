import { defineCommand, secondsOption, ONE_VM } from '../command-spec';
import { withRunningVm } from '../running-vm';

/** `qemu-lab down VM`: ACPI power-down, waiting for the guest to power off; `--force` quits QEMU after the timeout. */
export const downCommand = defineCommand({
  name: 'down',
  operands: ONE_VM,
  options: {
    force: { help: 'quit QEMU when the guest has not powered off within the timeout' },
    timeout: { value: 'SECONDS', help: 'how long to wait for the guest (default 30)' },
  },
  summary: 'power a VM off through the guest (ACPI); --force quits QEMU after the timeout',
  example: 'qemu-lab down vm1 --force --timeout 10',
  async run({ values, positionals: [vmName = ''] }, global, io) {
    const timeoutMs = secondsOption(values.timeout, '--timeout', 30_000);
    await withRunningVm(vmName, global, io, ({ backend, instance }) => backend.powerDown(instance, { timeoutMs, force: values.force === true }));
    io.err(`${vmName}: powered off.\n`);
    return 0;
  },
});
