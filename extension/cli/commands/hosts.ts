import { describeError } from '../../core/errors';
import { probeHost, type HostCapabilities } from '../../core/infrastructure/hosts/probes/capabilities';
import { formatSize } from '../../core/lab/sizes';
import { defineCommand } from '../command-spec';
import { labOrLocalOnly } from '../lab-or-local';
import { withVmDependencies } from '../vm-context';

function describeHost(c: HostCapabilities): string {
  const aliases = c.machines.filter((m) => m.aliasOf !== undefined).map((m) => m.name);
  const virt = c.cpu.flags.filter((f) => f === 'vmx' || f === 'svm');
  const preferredNics = ['virtio-net-pci', 'e1000', 'e1000e', 'rtl8139'].filter((n) => c.nicModels.some((m) => m.name === n));
  return [
    `${c.host}`,
    `  QEMU     ${c.qemu.version.major}.${c.qemu.version.minor}.${c.qemu.version.micro} (${c.qemu.path})`,
    `  machines ${aliases.join(', ')} (+${c.machines.length - aliases.length} more)`,
    `  NICs     ${preferredNics.join(', ')} (+${c.nicModels.length - preferredNics.length} more: qemu-lab --json hosts)`,
    `  CPU      ${c.cpu.model}, ${c.cpu.count} processor(s), virtualization flags: ${virt.length > 0 ? virt.join(' ') : 'none'}`,
    `  memory   ${formatSize(c.memoryBytes)}`,
    `  KVM      ${c.kvm.status.usable ? 'usable' : 'not usable'}: ${c.kvm.status.reason}`,
    '',
  ].join('\n');
}

/** `qemu-lab hosts`: what each host of the lab can do — QEMU, machine types, NIC models, CPU, memory, KVM. */
export const hostsCommand = defineCommand({
  name: 'hosts',
  summary: 'show what each host offers: QEMU version, machines, NICs, CPU, memory, whether KVM is usable',
  example: 'qemu-lab --json hosts',
  async run(_input, global, io) {
    const lab = await labOrLocalOnly(global.file);
    const results = await withVmDependencies(lab, global, io, async ({ backend }) => {
      const found: ({ host: string; capabilities: HostCapabilities } | { host: string; error: string })[] = [];
      for (const host of lab.hosts.keys()) {
        try {
          found.push({ host, capabilities: await probeHost(backend.systemOf({ host }), io.env, lab.hosts.get(host)?.qemu) });
        } catch (error) {
          found.push({ host, error: describeError(error) });
        }
      }
      return found;
    });
    if (global.json) io.out(JSON.stringify(results.map((r) => ('capabilities' in r ? r.capabilities : r)), null, 2) + '\n');
    else for (const r of results) io.out('capabilities' in r ? describeHost(r.capabilities) : `${r.host}\n  unreachable: ${r.error}\n`);
    return results.some((r) => 'error' in r) ? 1 : 0;
  },
});
