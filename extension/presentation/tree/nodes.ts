import type { HostSpec, LabModel, VmSpec } from '../../core/lab/model';
import type { VmKey } from '../../core/machines/vm/backend';

/** A host in the tree: the same host name in several lab files is one node. */
export interface HostNode {
  readonly kind: 'host';
  readonly name: string;
  readonly spec: HostSpec;
}

/** A VM in the tree, with the lab file it comes from. */
export interface VmNode {
  readonly kind: 'vm';
  readonly lab: LabModel;
  readonly vm: VmSpec;
}

/** Anything the tree shows. */
export type TreeNode = HostNode | VmNode;

/** The hosts of all labs, `local` first, each name once. */
export function hostNodes(labs: readonly LabModel[]): HostNode[] {
  const hosts = new Map<string, HostNode>();
  for (const lab of labs) {
    for (const spec of lab.hosts.values()) {
      if (!hosts.has(spec.name)) hosts.set(spec.name, { kind: 'host', name: spec.name, spec });
    }
  }
  if (!hosts.has('local')) hosts.set('local', { kind: 'host', name: 'local', spec: { name: 'local', kind: 'local', span: undefined } });
  return [...hosts.values()].sort((a, b) => (a.name === 'local' ? -1 : b.name === 'local' ? 1 : a.name.localeCompare(b.name)));
}

/** The VMs of all labs that run on `host`. */
export function vmNodesOn(host: string, labs: readonly LabModel[], whereIs: (node: VmNode) => string = (node) => node.vm.host): VmNode[] {
  return labs.flatMap((lab) => [...lab.vms.values()].map((vm) => ({ kind: 'vm' as const, lab, vm })).filter((node) => whereIs(node) === host));
}

/**
 * Where a VM is shown: the host its QEMU runs on now (a migrated VM moved there), or its lab
 * host when it is stopped or runs on a host the lab no longer names.
 */
export function currentHostOf(node: VmNode, running: { readonly state: string; readonly record?: { readonly host: string } | undefined }): string {
  const host = running.record?.host;
  if (running.state === 'stopped' || host === undefined || !node.lab.hosts.has(host)) return node.vm.host;
  return host;
}

/** The backend's key of a VM node. */
export function vmKeyOf(node: VmNode): VmKey {
  return { labPath: node.lab.path, vmName: node.vm.name, host: node.vm.host };
}
