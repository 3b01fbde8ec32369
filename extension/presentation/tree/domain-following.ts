/**
 * What the "Hosts and VMs" tree decides about following libvirt hosts by their events, as plain
 * data: which hosts to follow, and which lab VMs a batch of events concerns. No `vscode` here.
 */
import type { DomainEvent } from '../../core/infrastructure/libvirt/domain-events';
import { domainName } from '../../core/infrastructure/libvirt/domain-xml';
import type { LabModel } from '../../core/lab/model';
import { vmNodesOn, type VmNode } from './nodes';

/** What the view is: shown or not, in a trusted workspace or not. */
export interface FollowingView {
  readonly visible: boolean;
  readonly trusted: boolean;
}

/**
 * The libvirt hosts to follow: those whose rows are expanded, while the view is visible and the
 * workspace trusted (Restricted Mode: none, whatever is expanded).
 */
export function hostsToFollow(view: FollowingView, expanded: Iterable<string>, isLibvirtHost: (host: string) => boolean): Set<string> {
  if (!view.visible || !view.trusted) return new Set();
  return new Set([...expanded].filter(isLibvirtHost));
}

/**
 * The lab VMs shown on `host` whose domains a batch of its events names (a lab VM's domain is
 * named for the host it runs on, see domainName); every one of them for an empty batch (a
 * re-read after events may have been missed).
 */
export function labVmsNamedBy(events: readonly DomainEvent[], labs: readonly LabModel[], host: string, whereIs: (node: VmNode) => string): VmNode[] {
  const named = new Set(events.map((event) => event.domain));
  return vmNodesOn(host, labs, whereIs).filter((node) => events.length === 0 || named.has(domainName({ labPath: node.lab.path, vmName: node.vm.name, host })));
}
