/**
 * What QEMU Lab does not do to a domain it adopted, and which of libvirt's own tools does it.
 * An adopted domain's definition, disks and monitor are the user's: QEMU Lab starts, stops and
 * logs into it, nothing more. Pure: the lab validator and the commands (migrate, snapshot, qmp,
 * COLO, experiments) share these sentences.
 */
import type { AdoptedDomainSpec, VmSpec } from './model';

/** Features refused on an adopted domain. */
export type AdoptedRefusedFeature = 'migration' | 'snapshot' | 'colo' | 'qmp' | 'matrix' | 'fromSnapshot';

/** A refusal as a problem and what to do instead. */
export interface AdoptedRefusal {
  readonly problem: string;
  readonly hint: string;
}

/** The libvirt tool that does what QEMU Lab refuses, and what QEMU Lab would have to change to do it. */
const REFUSALS: Readonly<Record<AdoptedRefusedFeature, { readonly what: string; readonly tool: (domain: string) => string }>> = {
  migration: { what: 'migrate it (that redefines the domain on another host)', tool: (d) => `virsh migrate --live ${d} qemu+ssh://HOST/system` },
  snapshot: { what: 'snapshot it (that writes its disks and libvirt\'s snapshot metadata)', tool: (d) => `virsh snapshot-create-as ${d} NAME` },
  colo: { what: 'run it as a COLO pair (that needs a second QEMU and monitor commands)', tool: () => 'a VM the lab describes itself (without domain:)' },
  qmp: { what: 'send monitor commands to it (libvirt marks the domain tainted)', tool: (d) => `virsh qemu-monitor-command ${d} --pretty '{"execute":"query-status"}'` },
  matrix: { what: 'run an experiment matrix over accel or nic on it (each run would redefine its CPU or NIC)', tool: (d) => `virsh edit ${d}, then run the experiment once per setting` },
  fromSnapshot: { what: 'load a snapshot before each run (that writes its disks and monitor)', tool: (d) => `virsh snapshot-revert ${d} NAME` },
};

/** Why `feature` is refused on the adopted VM `vm` of `adopted`, naming libvirt's tool for it. */
export function adoptedRefusal(vm: string, adopted: Pick<AdoptedDomainSpec, 'domain'>, feature: AdoptedRefusedFeature): AdoptedRefusal {
  const { what, tool } = REFUSALS[feature];
  return {
    problem: `VM "${vm}" adopts the libvirt domain "${adopted.domain}", which QEMU Lab never changes: it does not ${what}`,
    hint: `Use libvirt's own tool: ${tool(adopted.domain)}.`,
  };
}

/** The refusal for `feature` when `vm` is adopted; undefined for a VM the lab describes. */
export function refusalFor(vm: Pick<VmSpec, 'name' | 'adopted'>, feature: AdoptedRefusedFeature): AdoptedRefusal | undefined {
  return vm.adopted === undefined ? undefined : adoptedRefusal(vm.name, vm.adopted, feature);
}

/** What the validator says of a key that would describe an adopted domain. */
export function describingKeyProblem(vm: string, domain: string, key: string): string {
  return `VM "${vm}": ${key} would describe the adopted domain, and the domain's definition is libvirt's: change it with \`virsh edit ${domain}\` (or remove domain: to let the lab describe this VM)`;
}
