import { describeError } from '../../core/errors';
import { probeHost, type HostCapabilities } from '../../core/infrastructure/hosts/probes/capabilities';
import { libvirtUriOf } from '../../core/infrastructure/hosts/host-reach';
import { describeDomain, listDomains, type ExistingDomain } from '../../core/infrastructure/libvirt/domains';
import { Virsh } from '../../core/infrastructure/libvirt/virsh';
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

function describeDomains(domains: readonly ExistingDomain[] | undefined): string {
  if (domains === undefined) return '';
  if (domains.length === 0) return '  domains  none\n\n';
  return `  domains  ${domains.length}\n${domains.map((d) => `    ${describeDomain(d)}\n`).join('')}\n`;
}

/** `qemu-lab hosts`: what each host of the lab can do — QEMU, machine types, NIC models, CPU, memory, KVM. */
export const hostsCommand = defineCommand({
  name: 'hosts',
  summary: 'show what each host offers: QEMU version, machines, NICs, CPU, memory, whether KVM is usable',
  example: 'qemu-lab --json hosts',
  async run(_input, global, io) {
    const lab = await labOrLocalOnly(global.file);
    const results = await withVmDependencies(lab, global, io, async ({ backend }) => {
      const found: ({ host: string; capabilities: HostCapabilities; domains?: ExistingDomain[] } | { host: string; error: string })[] = [];
      for (const host of lab.hosts.keys()) {
        try {
          const system = backend.systemOf({ host });
          // Named as the lab names it: a libvirt host on this machine is reached as "local".
          const spec = lab.hosts.get(host);
          const capabilities = { ...(await probeHost(system, io.env, spec?.qemu)), host };
          // A libvirt host also lists the domains it has, lab VMs or the user's own (read-only).
          const uri = libvirtUriOf(spec);
          found.push(uri === undefined ? { host, capabilities } : { host, capabilities, domains: await listDomains(new Virsh(system, uri, host), { signal: io.signal }) });
        } catch (error) {
          found.push({ host, error: describeError(error) });
        }
      }
      return found;
    });
    if (global.json) io.out(JSON.stringify(results.map((r) => ('capabilities' in r ? (r.domains === undefined ? r.capabilities : { ...r.capabilities, domains: r.domains }) : r)), null, 2) + '\n');
    else for (const r of results) io.out('capabilities' in r ? describeHost(r.capabilities) + describeDomains(r.domains) : `${r.host}\n  unreachable: ${r.error}\n`);
    return results.some((r) => 'error' in r) ? 1 : 0;
  },
});
