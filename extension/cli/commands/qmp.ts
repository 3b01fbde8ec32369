import { isQmpObject, type QmpValue } from '../../core/infrastructure/qmp/messages';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { withRunningVm } from '../running-vm';

/** `qemu-lab qmp VM COMMAND ['{json args}']`: one raw QMP command, QEMU's reply printed as JSON. */
export const qmpCommand = defineCommand({
  name: 'qmp',
  operands: { synopsis: "VM COMMAND ['{json args}']", count: 'any', complete: 'vm' },
  summary: 'pass a raw QMP command to a VM and print the reply',
  example: `qemu-lab qmp vm1 query-status`,
  async run({ positionals: [vmName, command, json, ...extra] }, global, io) {
    if (vmName === undefined || command === undefined || extra.length > 0) throw new UsageError('qmp takes a VM, a command and at most one JSON object of arguments.');
    let commandArgs: Record<string, QmpValue> | undefined;
    if (json !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new UsageError(`The arguments are not JSON: ${(error as Error).message}`);
      }
      if (!isQmpObject(parsed as QmpValue)) throw new UsageError('The arguments must be a JSON object, e.g. \'{"device": "net0"}\'.');
      commandArgs = parsed as Record<string, QmpValue>;
    }
    const reply = await withRunningVm(vmName, global, io, ({ backend, instance }) => backend.qmp(instance, command, commandArgs));
    io.out(JSON.stringify(reply, null, 2) + '\n');
    return 0;
  },
});
