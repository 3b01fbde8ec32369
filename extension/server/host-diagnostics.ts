/**
 * Checks of a lab against what its hosts can do, from their last capability probe: KVM where it
 * is not usable, NIC models and machine types the host's QEMU lacks, more memory than the host
 * has, migrations between different QEMU versions, migration capabilities too new for a host's
 * QEMU. Pure: the probes are passed in. A host never probed is never checked.
 *
 * Two VMs forwarding the same sshPort on one host are already reported by the validator
 * (`duplicate-ssh-port`), so it is not repeated here.
 */
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { LabDiagnosticSeverity } from '../core/lab/diagnostic';
import type { LabModel, SourceSpan, VmSpec } from '../core/lab/model';
import { formatSize } from '../core/lab/sizes';
import { FILE_START } from '../core/lab/span';
import { closestMatch, didYouMean } from '../core/lab/suggest';
import type { LabNode } from '../core/lab/tree';
import { nodeAtPath } from '../core/lab/tree-path';
import { quote } from '../core/lab/wording';
import { nicDriver } from '../core/infrastructure/qemu/argv';
import { formatVersion, isAtLeast, MIGRATION_CAPABILITY_FEATURES } from './qemu-features';

/** Stable identifiers of the host checks (the validator's codes are {@link LabDiagnosticCode}). */
export type HostDiagnosticCode =
  | 'kvm-unusable'
  | 'nic-not-offered'
  | 'machine-not-offered'
  | 'memory-exceeds-host'
  | 'qemu-version-mismatch'
  | 'capability-unsupported';

/** One problem of a lab on a host. */
export interface HostDiagnostic {
  readonly severity: LabDiagnosticSeverity;
  readonly code: HostDiagnosticCode;
  readonly message: string;
  readonly span: SourceSpan;
  /** `host`: the host whose probe says so. `suggestion`: text that could replace the span. `fix: 'use-tcg'`: `tcg` can replace it. */
  readonly data: { readonly host: string; readonly suggestion?: string; readonly fix?: 'use-tcg' };
}

/**
 * Problems of `lab` on the hosts in `capabilitiesByHost` (by host name). `tree` (the file's
 * located tree) places each problem on the value at fault; without it, on the entry's name.
 */
export function hostDiagnostics(
  lab: LabModel,
  capabilitiesByHost: ReadonlyMap<string, HostCapabilities>,
  tree?: LabNode,
): HostDiagnostic[] {
  const found: HostDiagnostic[] = [];
  const spanAt = (path: readonly string[], fallback: SourceSpan | undefined): SourceSpan =>
    nodeAtPath(tree, path)?.span ?? fallback ?? FILE_START;
  const itemSpan = (path: readonly string[], item: string, fallback: SourceSpan | undefined): SourceSpan => {
    const list = nodeAtPath(tree, path);
    const node = list?.kind === 'seq' ? list.items.find((i) => i.kind === 'scalar' && i.value === item) : undefined;
    return node?.span ?? list?.span ?? fallback ?? FILE_START;
  };

  for (const vm of lab.vms.values()) {
    const host = capabilitiesByHost.get(vm.host);
    if (host === undefined) continue;
    const at = (key: string): SourceSpan => spanAt(['vms', vm.name, key], vm.span);
    const owner = `VM ${quote(vm.name)}`;
    if (vm.accel === 'kvm' && !host.kvm.status.usable) {
      found.push({
        severity: 'error',
        code: 'kvm-unusable',
        message: `${owner}: accel is kvm, but KVM is not usable on host ${quote(vm.host)}: ${host.kvm.status.reason}`,
        span: at('accel'),
        data: { host: vm.host, fix: 'use-tcg' },
      });
    }
    const nic = checkNicOffered(owner, vm.nic, host, vm.host);
    if (nic !== undefined) found.push({ ...nic, span: at('nic') });
    if (host.machines.length > 0 && !host.machines.some((machine) => machine.name === vm.machine)) {
      found.push({
        severity: 'error',
        code: 'machine-not-offered',
        message: `${owner}: the QEMU on host ${quote(vm.host)} (${formatVersion(host.qemu.version)}) has no machine type ${quote(vm.machine)}`,
        span: at('machine'),
        data: { host: vm.host },
      });
    }
    if (host.memoryBytes > 0 && vm.memoryBytes > host.memoryBytes) {
      found.push({
        severity: 'warning',
        code: 'memory-exceeds-host',
        message: `${owner}: memory ${formatSize(vm.memoryBytes)} is more than host ${quote(vm.host)} has (${formatSize(host.memoryBytes)}); QEMU may fail to start or the host may swap`,
        span: at('memory'),
        data: { host: vm.host },
      });
    }
  }

  for (const experiment of lab.experiments.values()) {
    const vm = lab.vms.get(experiment.vm);
    const host = vm === undefined ? undefined : capabilitiesByHost.get(vm.host);
    if (vm === undefined || host === undefined) continue;
    const owner = `experiment ${quote(experiment.name)}`;
    const matrix = ['experiments', experiment.name, 'matrix'];
    if (experiment.matrix.accel?.includes('kvm') === true && !host.kvm.status.usable) {
      found.push({
        severity: 'error',
        code: 'kvm-unusable',
        message: `${owner}: the matrix runs VM ${quote(vm.name)} with kvm, but KVM is not usable on host ${quote(vm.host)}: ${host.kvm.status.reason}`,
        span: itemSpan([...matrix, 'accel'], 'kvm', experiment.span),
        data: { host: vm.host },
      });
    }
    for (const model of experiment.matrix.nic ?? []) {
      const nic = checkNicOffered(owner, model, host, vm.host);
      if (nic !== undefined) found.push({ ...nic, span: itemSpan([...matrix, 'nic'], model, experiment.span) });
    }
  }

  for (const migration of lab.migrations.values()) {
    const vm: VmSpec | undefined = lab.vms.get(migration.vm);
    if (vm === undefined) continue;
    const owner = `migration ${quote(migration.name)}`;
    const source = capabilitiesByHost.get(vm.host);
    const destination = capabilitiesByHost.get(migration.to);
    if (source !== undefined && destination !== undefined) {
      const from = source.qemu.version;
      const to = destination.qemu.version;
      if (from.major !== to.major || from.minor !== to.minor) {
        const older = !isAtLeast(to, from);
        found.push({
          severity: older ? 'error' : 'warning',
          code: 'qemu-version-mismatch',
          message: older
            ? `${owner}: host ${quote(migration.to)} runs QEMU ${formatVersion(to)}, older than ${formatVersion(from)} on host ${quote(vm.host)}; QEMU does not migrate to an older version`
            : `${owner}: host ${quote(vm.host)} runs QEMU ${formatVersion(from)} and host ${quote(migration.to)} runs ${formatVersion(to)}; migration between versions works only with the same machine type version on both`,
          span: spanAt(['migrations', migration.name, 'to'], migration.span),
          data: { host: migration.to },
        });
      }
    }
    for (const capability of migration.capabilities) {
      const feature = MIGRATION_CAPABILITY_FEATURES[capability];
      for (const [name, host] of [[vm.host, source], [migration.to, destination]] as const) {
        if (host === undefined || isAtLeast(host.qemu.version, feature.since)) continue;
        found.push({
          severity: 'error',
          code: 'capability-unsupported',
          message: `${owner}: ${capability} needs QEMU ${feature.since.major}.${feature.since.minor} or newer, and host ${quote(name)} runs ${formatVersion(host.qemu.version)}`,
          span: itemSpan(['migrations', migration.name, 'capabilities'], capability, migration.span),
          data: { host: name },
        });
      }
    }
  }
  return found.sort((a, b) => a.span.offset - b.span.offset);
}

/** A NIC model the host's QEMU does not list (checked by the `-device` driver the model becomes). */
function checkNicOffered(owner: string, nic: string, host: HostCapabilities, hostName: string): Omit<HostDiagnostic, 'span'> | undefined {
  if (host.nicModels.length === 0) return undefined;
  const driver = nicDriver(nic);
  if (host.nicModels.some((model) => model.name === driver || model.alias === driver)) return undefined;
  const suggestion = closestMatch(nic, host.nicModels.map((model) => model.name));
  return {
    severity: 'error',
    code: 'nic-not-offered',
    message: `${owner}: the QEMU on host ${quote(hostName)} (${formatVersion(host.qemu.version)}) has no NIC model ${quote(driver)}${didYouMean(suggestion)}`,
    data: suggestion === undefined ? { host: hostName } : { host: hostName, suggestion },
  };
}
