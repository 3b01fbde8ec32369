/**
 * Confirm, for a migration between two libvirt hosts: the port forwards added on the destination
 * (they do not migrate with SLIRP), the record written there and the home record pointing at it,
 * the source's run files removed.
 */
import { describeError } from '../../errors';
import type { VmRecord } from '../../machines/vm/vm-record';
import { sameLocation } from '../location';
import type { MigrationDependencies } from '../request';
import { libvirtOf, type LibvirtFacts, type LibvirtMigrationState } from './context';

/** Records the VM on the destination and removes what the source's run directory no longer needs. Problems become warnings. */
export async function confirmLibvirt(deps: MigrationDependencies, st: LibvirtMigrationState, facts: LibvirtFacts): Promise<VmRecord> {
  const libvirt = libvirtOf(deps);
  const { source } = facts;
  const files = st.destinationFiles ?? (await libvirt.prepareRunFiles(facts.destinationKey, { vnc: source.files.vncSocket !== undefined }));
  const forwardedPorts = Object.fromEntries(st.forwards.filter((f) => f.guestPort !== 22).map((f) => [String(f.guestPort), f.hostPort]));
  const record: VmRecord = {
    ...source,
    host: facts.destinationKey.host,
    ...(facts.destinationKey.slot === undefined ? { slot: undefined } : { slot: facts.destinationKey.slot }),
    argv: ['libvirt-domain', facts.destinationDomain],
    ssh: source.ssh === undefined || st.sshPort === undefined ? source.ssh : { ...source.ssh, port: st.sshPort },
    ...(st.forwards.length === 0 ? {} : { forwardedPorts }),
    files,
    startedAt: new Date().toISOString(),
    movedTo: undefined,
  };
  const clean = JSON.parse(JSON.stringify(record)) as VmRecord; // Undefined keys out of vm.json.
  try {
    await libvirt.addForwards(clean, st.forwards);
  } catch (error) {
    st.warnings.push(`Could not add the guest's port forwards on "${facts.destinationKey.host}" (SSH into it may not answer): ${describeError(error)}`);
  }
  const at = new Date().toISOString();
  const to = { ...facts.destinationLocation, at };
  try {
    await libvirt.writeRecord(clean);
    if (!sameLocation({ host: facts.home.host }, facts.destinationLocation)) await deps.backend.markMoved(facts.home, to);
    if (!sameLocation({ host: facts.home.host }, facts.sourceKey) && !sameLocation(facts.sourceKey, facts.destinationLocation)) await deps.backend.markMoved(facts.sourceKey, to);
  } catch (error) {
    st.warnings.push(`Could not record that the VM moved: ${describeError(error)}`);
  }
  try {
    await deps.backend.removeRunFiles(source, { keepRecord: true });
    if (st.xmlPath !== undefined) await deps.backend.systemOf(facts.sourceKey).removeFiles([st.xmlPath]);
  } catch (error) {
    st.warnings.push(`Could not remove the source's run files on "${facts.sourceKey.host}": ${describeError(error)}`);
  }
  return clean;
}
