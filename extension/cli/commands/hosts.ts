import { probeLocalHost } from '../../core/host/capabilities';
import { formatSize } from '../../core/lab/sizes';
import { UsageError, type CliCommand } from '../io';

/** `qemu-lab hosts`: what each host can do — QEMU, machine types, NIC models, CPU, memory, KVM. */
export const hostsCommand: CliCommand = {
  name: 'hosts',
  usage: 'hosts',
  summary: 'show what each host offers: QEMU version, machines, NICs, CPU, memory, whether KVM is usable',
  async run(args, global, io) {
    if (args.length > 0) throw new UsageError('hosts takes no arguments.');
    const local = await probeLocalHost(io.env);
    if (global.json) {
      io.out(JSON.stringify([local], null, 2) + '\n');
      return 0;
    }
    const aliases = local.machines.filter((m) => m.aliasOf !== undefined).map((m) => m.name);
    const virt = local.cpu.flags.filter((f) => f === 'vmx' || f === 'svm');
    const preferredNics = ['virtio-net-pci', 'e1000', 'e1000e', 'rtl8139'].filter((n) => local.nicModels.some((m) => m.name === n));
    io.out(
      [
        `${local.host}`,
        `  QEMU     ${local.qemu.version.major}.${local.qemu.version.minor}.${local.qemu.version.micro} (${local.qemu.path})`,
        `  machines ${aliases.join(', ')} (+${local.machines.length - aliases.length} more)`,
        `  NICs     ${preferredNics.join(', ')} (+${local.nicModels.length - preferredNics.length} more: qemu-lab --json hosts)`,
        `  CPU      ${local.cpu.model}, ${local.cpu.count} processor(s), virtualization flags: ${virt.length > 0 ? virt.join(' ') : 'none'}`,
        `  memory   ${formatSize(local.memoryBytes)}`,
        `  KVM      ${local.kvm.status.usable ? 'usable' : 'not usable'}: ${local.kvm.status.reason}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
