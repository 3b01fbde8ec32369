/**
 * Validation of a lab file's located tree into a {@link LabModel}: each section in turn, then the
 * references between them. Every problem is reported at the offending key or value.
 */
import type { DiagnosticCollector } from './diagnostic';
import { MapReader } from './fields';
import type { LabModel } from './model';
import { References } from './references';
import { readSection } from './section';
import { FILE_START } from './span';
import type { LabNode } from './tree';
import { readExperiments } from './validate-experiments';
import { readHosts } from './validate-hosts';
import { readMigrations } from './validate-migrations';
import { readNetworks } from './validate-networks';
import { readVms } from './validate-vms';
import { checkInstallHosts } from './validate-disk-guest';
import { checkLibvirtLimits } from './libvirt-limits';
import { checkVmNetworks } from './validate-vm-networks';
import { SECTION_KEYS } from './vocabulary';
import { describeNode } from './wording';

/**
 * Validates a lab file's tree (`undefined` for an empty file). Returns the model with defaults
 * filled in, or `undefined` when the file is not a mapping at all. With errors reported, the model
 * is best effort (bad values replaced by defaults, broken entries left out): show it, never run it.
 */
export function validateLab(root: LabNode | undefined, path: string, diagnostics: DiagnosticCollector): LabModel | undefined {
  if (root === undefined) {
    diagnostics.warning('empty-file', FILE_START, 'the lab file is empty; define VMs under "vms:", for example "vms: { vm1: { memory: 1G } }"');
    return emptyLab(path, diagnostics);
  }
  if (root.kind !== 'map') {
    diagnostics.error(
      'not-a-mapping',
      root.span,
      `a lab file is a mapping of sections (hosts:, networks:, vms:, experiments:, migrations:), not ${describeNode(root)}`,
    );
    return undefined;
  }
  const file = new MapReader(root, 'lab file', SECTION_KEYS, diagnostics);
  const hostEntries = readSection(file, 'hosts', 'host', { name: 'lab-b', body: '{ kind: ssh, address: 10.0.0.2 }' });
  const networkEntries = readSection(file, 'networks', 'network', { name: 'lan', body: '{ bridge: br0 }' });
  const vmEntries = readSection(file, 'vms', 'VM', { name: 'vm1', body: '{ memory: 1G }' });
  const experimentEntries = readSection(file, 'experiments', 'experiment', { name: 'bench', body: '{ vm: vm1 }' });
  const migrationEntries = readSection(file, 'migrations', 'migration', { name: 'move', body: '{ vm: vm1, to: lab-b }' });

  const references = new References(diagnostics, {
    hosts: hostEntries.declared,
    networks: networkEntries.declared,
    vms: vmEntries.declared,
  });
  const hosts = readHosts(hostEntries.entries, diagnostics);
  const networks = readNetworks(networkEntries.entries, diagnostics);
  const vms = readVms(vmEntries.entries, references, diagnostics, networks, hosts);
  checkInstallHosts(vms, hosts, diagnostics);
  checkVmNetworks(vms, networks, diagnostics);
  const experiments = readExperiments(experimentEntries.entries, vms, references, diagnostics);
  const migrations = readMigrations(migrationEntries.entries, vms, hosts, references, diagnostics);
  checkLibvirtLimits({ vms, hosts, networks, migrations }, diagnostics);
  return { path, hosts, networks, vms, experiments, migrations };
}

function emptyLab(path: string, diagnostics: DiagnosticCollector): LabModel {
  return { path, hosts: readHosts([], diagnostics), networks: new Map(), vms: new Map(), experiments: new Map(), migrations: new Map() };
}
