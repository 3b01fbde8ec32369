/**
 * Begin, for a migration between two libvirt hosts: the VM runs on a libvirt host, the
 * destination is another libvirt host, the tuning maps to libvirt's (`tuning.ts`), the source's
 * libvirtd can reach the destination's (`peer.ts`), and the destination has no domain of this VM.
 * Nothing is started yet.
 */
import { domainName } from '../../infrastructure/libvirt/domain-xml';
import { parseDomjobinfo, parseDomstate } from '../../infrastructure/libvirt/virsh-parsers';
import type { VmKey } from '../../machines/vm/backend';
import { resolveVm } from '../../machines/vm/resolve-vm';
import { locationOf } from '../../machines/vm/vm-record';
import { BUILTIN_IMAGE } from '../../lab/vocabulary';
import { destinationLocation } from '../location';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from '../request';
import { fail, libvirtOf, type LibvirtFacts } from './context';
import { libvirtPeer } from './peer';
import { libvirtTuning } from './tuning';

/** What a migration between two libvirt hosts will do, checked before anything starts. */
export async function beginLibvirt(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions): Promise<LibvirtFacts> {
  const libvirt = libvirtOf(deps);
  const vm = resolveVm(request.lab, request.vmName);
  const fromSpec = request.lab.hosts.get(vm.host);
  const toSpec = request.lab.hosts.get(request.to);
  if (fromSpec?.kind !== 'libvirt' || toSpec?.kind !== 'libvirt') throw new Error('migrateLibvirtVm needs two libvirt hosts.');
  if (vm.image !== BUILTIN_IMAGE) {
    throw fail(
      'begin',
      `VM "${vm.name}" boots a disk image, and a disk guest on a libvirt host does not migrate yet: its disk is an overlay in QEMU Lab's state on host "${vm.host}", and QEMU Lab does not have libvirt copy it with the migration yet.`,
      `Nothing was started; it keeps running on "${vm.host}". To move it with its disk, run it on local or SSH hosts (kind: local or kind: ssh), where qemu-lab migrate copies its disk (--storage copy) or uses shared storage (--storage shared). Between libvirt hosts only the built-in guest migrates for now.`,
    );
  }
  if (request.allowSameHost === true) throw fail('begin', 'A migration between libvirt hosts goes to another libvirt host (--same-host is for direct QEMU hosts).', 'Leave --same-host out.');
  const tuning = libvirtTuning(request.settings, options);
  if (!tuning.ok) {
    throw fail('begin', `libvirt cannot migrate as asked: ${tuning.problems.join('; ')}.`, 'Leave those settings out for a migration between libvirt hosts (see the README, libvirt section).');
  }
  const home: VmKey = { labPath: request.lab.path, vmName: vm.name, host: vm.host };
  const found = await deps.backend.find(home);
  if (found === undefined || !found.alive) {
    throw fail('begin', `VM "${vm.name}" is not running, so there is nothing to migrate.`, `Start it with qemu-lab up ${vm.name}.`);
  }
  const source = found.record;
  const sourceLocation = locationOf(source);
  const sourceSpec = request.lab.hosts.get(sourceLocation.host);
  if (sourceSpec?.kind !== 'libvirt') throw fail('begin', `VM "${vm.name}" runs on host "${sourceLocation.host}", which is not a libvirt host.`, 'Migrate it between two hosts of the same kind.');
  if (sourceLocation.host === request.to) throw fail('begin', `VM "${vm.name}" already runs on host "${request.to}".`, 'Migrate it to another host of the lab.');
  const peer = libvirtPeer({ name: sourceSpec.name, uri: sourceSpec.uri }, { name: toSpec.name, uri: toSpec.uri }, request.destinationAddress);
  if (!peer.ok) throw fail('begin', `Cannot migrate VM "${vm.name}" to "${request.to}": ${peer.problem}.`, peer.hint);

  const location = destinationLocation({ host: vm.host }, sourceLocation, request.to);
  const sourceVirsh = libvirt.virsh(sourceLocation.host);
  const destinationVirsh = libvirt.virsh(request.to);
  const sourceDomain = domainName(source);
  const destinationDomain = domainName({ labPath: home.labPath, vmName: vm.name, host: request.to });
  const state = parseDomstate((await sourceVirsh.runOnDomain(['domstate', '--reason', sourceDomain])) ?? '')?.state;
  if (state !== 'running' && state !== 'paused') {
    throw fail('begin', `VM "${vm.name}" is ${state ?? 'not a domain'} on "${sourceLocation.host}"; only a running or paused VM can migrate.`, 'Wait until it runs, or resume it.');
  }
  const job = parseDomjobinfo((await sourceVirsh.runOnDomain(['domjobinfo', sourceDomain])) ?? '');
  if (job.type !== 'None') throw fail('begin', `VM "${vm.name}" already has a libvirt job (${job.operation ?? job.type}).`, `Wait for it to end, or abort it (virsh domjobabort ${sourceDomain} on "${sourceLocation.host}").`);
  const there = await destinationVirsh.runOnDomain(['domstate', destinationDomain]);
  if (there !== undefined) {
    throw fail('begin', `Host "${request.to}" already has the domain ${destinationDomain} of VM "${vm.name}" (${there.trim()}).`, `Two copies of one VM must not run: remove that one first (virsh undefine ${destinationDomain} there, after checking which is which).`);
  }
  return {
    home,
    source,
    sourceKey: { labPath: home.labPath, vmName: vm.name, ...sourceLocation },
    destinationKey: { labPath: home.labPath, vmName: vm.name, ...location },
    destinationLocation: location,
    sourceVirsh,
    destinationVirsh,
    sourceDomain,
    destinationDomain,
    peerUri: peer.peerUri,
    migrateUri: peer.migrateUri,
    tuningArgs: tuning.args,
    downtimeLimitMs: tuning.downtimeLimitMs,
    sourceRunState: state,
  };
}
