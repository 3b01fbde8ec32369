/**
 * What a lab asks of a libvirt host that QEMU Lab does not do there yet, said by `qemu-lab check`
 * and the editor before anything boots — not by a failure half-way through `run`. A COLO pair
 * (its proxies and replication are QMP objects QEMU Lab adds itself) and an isolated network (a
 * bridge in a network namespace QEMU Lab makes) need a local or SSH host; a libvirt VM migrates
 * only to another libvirt host (libvirt's own `virsh migrate`), never to a second domain on its
 * own host.
 */
import type { DiagnosticCollector } from './diagnostic';
import type { HostSpec, MigrationSpec, NetworkSpec, VmSpec } from './model';

const ELSEWHERE = 'run it on a local or SSH host (kind: local or kind: ssh)';

/** Errors for each VM and migration of the lab that needs what libvirt hosts do not do yet. */
export function checkLibvirtLimits(
  lab: {
    readonly vms: ReadonlyMap<string, VmSpec>;
    readonly hosts: ReadonlyMap<string, HostSpec>;
    readonly networks: ReadonlyMap<string, NetworkSpec>;
    readonly migrations: ReadonlyMap<string, MigrationSpec>;
  },
  diagnostics: DiagnosticCollector,
): void {
  const isLibvirt = (host: string): boolean => lab.hosts.get(host)?.kind === 'libvirt';
  for (const vm of lab.vms.values()) {
    if (vm.span === undefined) continue;
    const colo = vm.faultTolerance;
    if (colo !== undefined && (isLibvirt(vm.host) || isLibvirt(colo.secondary))) {
      const host = isLibvirt(vm.host) ? vm.host : colo.secondary;
      diagnostics.error(
        'backend-mismatch',
        vm.span,
        `VM "${vm.name}" is a COLO pair with a side on libvirt host "${host}", which QEMU Lab does not do yet (COLO's proxies and replication are QMP objects it adds to a QEMU it starts): ${ELSEWHERE}, both primary and secondary`,
      );
    }
    const network = lab.networks.get(vm.network);
    if (network?.kind === 'isolated' && isLibvirt(vm.host)) {
      diagnostics.error(
        'backend-mismatch',
        vm.span,
        `VM "${vm.name}" is on isolated network "${network.name}" on libvirt host "${vm.host}", which QEMU Lab does not do yet (an isolated network is a bridge in a network namespace it makes): use a kind: bridge network there (a bridge libvirt's host has), or ${ELSEWHERE}`,
      );
    }
  }
  for (const migration of lab.migrations.values()) {
    const vm = lab.vms.get(migration.vm);
    if (migration.span === undefined || vm === undefined || !migration.sameHost || !isLibvirt(vm.host) || migration.to !== vm.host) continue;
    diagnostics.error(
      'backend-mismatch',
      migration.span,
      `migration "${migration.name}" moves VM "${vm.name}" to a second domain on its own libvirt host "${vm.host}" (sameHost), which libvirt does not do: migrate it to another libvirt host, or ${ELSEWHERE} for a same-host migration`,
    );
  }
}
