import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { LabFileError } from '../../core/errors';
import { writeFileAtomically } from '../../core/infrastructure/files/atomic-write';
import { domainAddresses } from '../../core/infrastructure/libvirt/domain-addresses';
import { LibvirtError } from '../../core/infrastructure/libvirt/libvirt-errors';
import { parseDominfo } from '../../core/infrastructure/libvirt/virsh-parsers';
import { adoptEntryEdit, applyOffsetEdit, type AdoptRequest } from '../../core/lab/adopt-entry';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

/** The SSH port option as a number; a usage error when it is not a whole number. */
function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(text)) throw new UsageError(`--ssh-port must be a port number, not "${text}".`);
  return Number(text);
}

/**
 * `qemu-lab adopt HOST DOMAIN`: adds a VM that adopts an existing libvirt domain to the lab file,
 * keeping the file's comments and formatting. Without `--address` it offers the addresses libvirt
 * knows of the domain (and takes the only one).
 */
export const adoptCommand = defineCommand({
  name: 'adopt',
  operands: { synopsis: 'HOST DOMAIN', count: 'any', complete: 'host' },
  options: {
    address: { value: 'IP', help: "the guest's IP address, where SSH reaches it (default: the one virsh domifaddr reports, when it reports one)" },
    'ssh-port': { value: 'PORT', help: "the guest's SSH port at that address (default 22)" },
    user: { value: 'USER', help: 'the user QEMU Lab logs in as (default root)' },
    identity: { value: 'PATH', help: 'the SSH private key that logs in', complete: 'file' },
    name: { value: 'VM', help: "the VM's name in the lab (default: made from the domain's name)" },
  },
  summary: 'add an existing libvirt domain to the lab file as a VM (up starts it, down shuts it down; never redefined)',
  example: ['qemu-lab adopt lv web-prod --identity ~/.ssh/id_ed25519', 'qemu-lab adopt lv db --address 192.168.122.7 --user debian --name database'],
  async run({ values, positionals }, global, io) {
    const [host, domain, ...extra] = positionals;
    if (host === undefined || domain === undefined || extra.length > 0) throw new UsageError('adopt takes a host and a domain: qemu-lab adopt HOST DOMAIN.');
    const lab = await loadLabOrFail(global.file, io);
    const text = await readFile(global.file, 'utf8');
    const request: AdoptRequest = {
      host,
      domain,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.address === undefined ? {} : { address: values.address }),
      ...(values['ssh-port'] === undefined ? {} : { sshPort: portOption(values['ssh-port']) }),
      ...(values.user === undefined ? {} : { user: values.user }),
      ...(values.identity === undefined ? {} : { identity: resolve(io.cwd, values.identity) }),
    };
    // Refused before any connection: a name the lab uses, a host that is not libvirt's, a bad value.
    const first = adoptEntryEdit(text, lab, request);
    if (!first.ok) throw new LabFileError(first.problem);
    const address = await withVmDependencies(lab, global, io, async ({ libvirt }) => {
      if (libvirt === undefined) throw new LabFileError(`Host "${host}" is not a libvirt host.`);
      const virsh = libvirt.virsh(host);
      const info = parseDominfo((await virsh.runOnDomain(['dominfo', domain], { signal: io.signal })) ?? '');
      if (info === undefined) {
        throw new LibvirtError(`libvirt on host "${host}" has no domain "${domain}".`, { hint: 'virsh list --all on that host shows its domains; QEMU Lab adopts an existing one, it never defines one.' });
      }
      if (request.address !== undefined) return request.address;
      const found = await domainAddresses(virsh, domain, io.signal);
      if (found.length === 0) {
        io.err(`libvirt knows no address of "${domain}" (it is not running, or not on a libvirt network): the VM is added without one; add --address or address: to log in.\n`);
        return undefined;
      }
      io.err(`Addresses of "${domain}" (virsh domifaddr):\n${found.map((a) => `  ${a.address}${a.prefix === undefined ? '' : `/${a.prefix}`} on ${a.interfaceName}\n`).join('')}`);
      if (found.length > 1) throw new UsageError(`"${domain}" has ${found.length} addresses: say which SSH reaches with --address.`);
      return found[0]?.address;
    });
    const final = adoptEntryEdit(text, lab, address === undefined ? request : { ...request, address });
    if (!final.ok) throw new LabFileError(final.problem);
    // The file may have changed while virsh ran: then nothing is written.
    if ((await readFile(global.file, 'utf8')) !== text) throw new LabFileError(`${relative(io.cwd, global.file)} changed while the domain was read; nothing was written.`, { hint: 'Run the command again.' });
    const { mode } = await stat(global.file);
    await writeFileAtomically(global.file, applyOffsetEdit(text, final.edit), { mode: mode & 0o7777 });
    io.out(`Added VM ${final.name} (adopts domain "${domain}" on host ${host}) to ${relative(io.cwd, global.file) || global.file}. Start it with: qemu-lab up ${final.name}\n`);
    return 0;
  },
});
