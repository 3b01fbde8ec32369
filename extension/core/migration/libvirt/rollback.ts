/**
 * Rollback, for a migration between two libvirt hosts: libvirt itself rolled the migration back
 * (the source runs, the destination has no domain); this checks the source still has its domain
 * in its run state, and removes what prepare made.
 */
import { parseDomstate } from '../../infrastructure/libvirt/virsh-parsers';
import type { MigrationDependencies } from '../request';
import type { LibvirtMigrationState } from './context';

/** After a failure: libvirt rolled back; check the source still has its domain, and remove what prepare made. */
export async function rollbackLibvirt(deps: MigrationDependencies, st: LibvirtMigrationState): Promise<string[]> {
  const problems: string[] = [];
  const facts = st.facts;
  if (facts === undefined) return problems;
  const state = parseDomstate((await facts.sourceVirsh.runOnDomain(['domstate', '--reason', facts.sourceDomain]).catch(() => undefined)) ?? '')?.state;
  if (state !== 'running' && state !== 'paused') problems.push(`The source's domain is ${state ?? 'gone'} on "${facts.sourceKey.host}".`);
  else if (state !== facts.sourceRunState) problems.push(`The source's domain is ${state} (it was ${facts.sourceRunState}).`);
  const system = deps.backend.systemOf(facts.sourceKey);
  if (st.xmlPath !== undefined) await system.removeFiles([st.xmlPath]).catch(() => undefined);
  if (st.destinationDir !== undefined) {
    const dir = st.destinationDir;
    const there = deps.backend.systemOf(facts.destinationKey);
    await there.removeFiles(['serial.sock', 'serial.log', 'qemu.stderr.log', 'vm.json'].map((f) => `${dir}/${f}`)).catch(() => undefined);
  }
  return problems;
}
