import { describeError } from '../../core/errors';
import { adoptedStatus, adoptedTarget } from '../../core/machines/vm/adopted-domain';
import type { VmStatus } from '../../core/machines/vm/vm-status';
import { sshEndpointWords } from '../../presentation/vm/vm-words';
import { defineCommand } from '../command-spec';
import { withLab } from '../vm-context';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `qemu-lab status`: every VM of the lab: host, state, accel in effect, NIC, SSH endpoint, pid. */
export const statusCommand = defineCommand({
  name: 'status',
  summary: 'every VM of the lab: state, accelerator in effect, NIC, SSH endpoint, pid, QEMU version',
  example: 'qemu-lab --json status',
  async run(_input, global, io) {
    const statuses = await withLab(global, io, async (lab, { backend, libvirt }) => {
      const found: VmStatus[] = [];
      for (const vm of lab.vms.values()) {
        try {
          const instance = await backend.find({ labPath: lab.path, vmName: vm.name, host: vm.host });
          // An adopted domain's state is libvirt's, read by its name: a record of an up or not.
          const { adopted } = vm;
          if (adopted !== undefined && libvirt !== undefined) {
            found.push(await adoptedStatus(libvirt.virsh(vm.host), adoptedTarget({ ...vm, adopted }, instance?.record)));
            continue;
          }
          found.push(
            instance === undefined
              ? { vm: vm.name, host: vm.host, state: 'stopped', reason: 'never started', accel: undefined, nic: vm.nic, ssh: undefined, pid: undefined }
              : await backend.status(instance),
          );
        } catch (error) {
          // One unreachable host must not hide the VMs of the others.
          found.push({ vm: vm.name, host: vm.host, state: 'connection-lost', reason: describeError(error), accel: undefined, nic: vm.nic, ssh: undefined, pid: undefined });
        }
      }
      return found;
    });
    if (global.json) {
      io.out(JSON.stringify(statuses, null, 2) + '\n');
      return 0;
    }
    const rows = statuses.map((s) => [
      s.vm,
      s.host,
      s.state,
      s.accel ?? '-',
      s.nic ?? '-',
      s.ssh === undefined ? '-' : sshEndpointWords(s.ssh),
      s.pid === undefined ? '-' : String(s.pid),
      s.qemu?.version ?? '-',
      s.reason ?? '',
    ]);
    io.out(table([['VM', 'HOST', 'STATE', 'ACCEL', 'NIC', 'SSH', 'PID', 'QEMU', 'NOTE'], ...rows]));
    return 0;
  },
});
