/**
 * Prepare, for a migration between two libvirt hosts: the destination's run directory, the
 * guest's kernel and initrd placed there, its port forwards chosen, and the domain XML it gets
 * (`--xml`, written next to the source's, where virsh reads it).
 */
import { describeError } from '../../errors';
import { metadataXml } from '../../infrastructure/libvirt/domain-xml';
import { resolveVm } from '../../machines/vm/resolve-vm';
import { guestBootFor, networkOf } from '../../machines/vm/up';
import type { MigrationDependencies, MigrationRequest } from '../request';
import { fail, libvirtOf, type LibvirtFacts, type LibvirtMigrationState } from './context';
import { destinationDomainXml } from './peer';

/** The destination's run directory, its guest files and port forwards, and the XML it gets, written next to the source's. */
export async function prepareLibvirt(request: MigrationRequest, deps: MigrationDependencies, st: LibvirtMigrationState, facts: LibvirtFacts): Promise<void> {
  const libvirt = libvirtOf(deps);
  const vm = resolveVm(request.lab, request.vmName);
  const sourceSystem = deps.backend.systemOf(facts.sourceKey);
  const destinationSystem = deps.backend.systemOf(facts.destinationKey);
  const network = networkOf(request.lab, vm);
  const [sourceMedia, destinationMedia] = [await guestBootFor(vm, request.lab.path, sourceSystem, deps, network), await guestBootFor(vm, request.lab.path, destinationSystem, deps, network)];
  st.destinationDir = await libvirt.runDirOf(facts.destinationKey);
  const files = await libvirt.prepareRunFiles(facts.destinationKey, { vnc: vm.vnc });
  // The forwards are the source QEMU's, on the source's loopback: the destination's QEMU gets its own.
  const forwardedGuestPorts = Object.keys(facts.source.forwardedPorts ?? {}).map(Number).filter((p) => Number.isInteger(p) && p !== 22);
  if (vm.network === 'user') {
    st.sshPort = vm.sshPort ?? (await destinationSystem.freeLoopbackPort());
    st.forwards = [{ hostPort: st.sshPort, guestPort: 22 }];
    for (const guestPort of forwardedGuestPorts) st.forwards.push({ hostPort: await destinationSystem.freeLoopbackPort(), guestPort });
  }
  const sourceDir = await libvirt.runDirOf(facts.sourceKey);
  const paths = [{ from: sourceDir, to: st.destinationDir }];
  if (sourceMedia.boot.kind === 'kernel' && destinationMedia.boot.kind === 'kernel') {
    paths.push({ from: sourceMedia.boot.kernel, to: destinationMedia.boot.kernel }, { from: sourceMedia.boot.initrd, to: destinationMedia.boot.initrd });
  }
  const xml = await facts.sourceVirsh.run(['dumpxml', '--migratable', facts.sourceDomain]);
  let destinationXml: string;
  try {
    destinationXml = destinationDomainXml(xml, {
      paths,
      metadata: metadataXml({ labPath: facts.home.labPath, vmName: vm.name, host: facts.destinationKey.host }, st.forwards),
    });
  } catch (error) {
    throw fail('prepare', `Cannot make the destination's domain XML of VM "${vm.name}": ${describeError(error)}`, 'The domain was changed outside QEMU Lab; restart the VM (qemu-lab down, then up) before migrating.');
  }
  // virsh reads --xml on the source's machine: the file goes into the source's run directory.
  st.xmlPath = `${sourceDir}/migrate-to-${facts.destinationKey.host}.xml`;
  await sourceSystem.writeTextAtomically(st.xmlPath, destinationXml);
  st.destinationFiles = files;
}
