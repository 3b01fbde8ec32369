import * as vscode from 'vscode';
import type { HostCapabilities } from '../../core/infrastructure/hosts/probes/capabilities';
import type { HostQemuSetting } from '../../core/infrastructure/hosts/probes/qemu-binary';
import { describeError } from '../../core/errors';
import type { HostGate } from '../../core/infrastructure/hosts/host-gate';
import type { KnownVm, VmRegistry } from '../../core/machines/vm/vm-registry';
import type { LabFiles } from '../lab-files';
import type { ColoPairs } from './colo-pairs';
import { coloTreeView } from '../../presentation/colo/colo-tree-view';
import type { HostConnections } from './host-connections';
import { hostTreeItem, type HostProbe } from './host-item';
import { currentHostOf, hostNodes, vmNodesOn, type TreeNode, type VmNode, vmKeyOf } from '../../presentation/tree/nodes';
import { listsSnapshots, type VmChildNode } from '../../presentation/tree/snapshot-rows';
import { refollowOn } from '../../presentation/tree/refollow';
import { RESTRICTED_NODES, restrictedTreeItem, type RestrictedNode } from './restricted-items';
import { vmTreeItem } from './vm-item';
import { qemuSettingKey } from '../local-probes';
import type { SnapshotLists } from './snapshot-lists';
import { domainTreeItem } from './existing-domains';
import type { ExistingDomains } from '../../presentation/tree/domain-lists';
import { withoutAdopted, type DomainRow } from '../../presentation/tree/domain-rows';
import { vmChildTreeItem } from './snapshot-item';
import type { DiskLists } from './disk-lists';
import { diskTreeItem } from './disk-item';
import type { DiskRowNode } from '../../presentation/tree/disk-rows';
import { isDiskGuest } from '../../core/machines/disk-guest/cloud-init-state';
import type { DomainEvent } from '../../core/infrastructure/libvirt/domain-events';
import type { DomainWatch } from '../../core/infrastructure/libvirt/domain-watch';
import { hostsToFollow, labVmsNamedBy } from '../../presentation/tree/domain-following';
import { DomainFollowers } from './domain-followers';
import type { HostNode } from '../../presentation/tree/nodes';

/** Makes (not starts) the watch of a libvirt host's domains, `onBatch` called per coalesced batch; undefined for a host that is not one. */
export type WatchDomains = (host: string, onBatch: (events: readonly DomainEvent[]) => Promise<void>) => DomainWatch | undefined;

/** How the tree reaches hosts: only behind the gate, which is closed in an untrusted workspace. */
export interface TreeHostAccess {
  readonly gate: HostGate;
  /** Fires when the gate opens (the user trusted the workspace). */
  readonly onDidOpen: vscode.Event<void>;
  /** Probes this machine (QEMU, KVM), behind the gate: its system QEMU, or the one a lab's `hosts.local.qemu` names. */
  probeLocal(qemu: HostQemuSetting | undefined): Promise<HostCapabilities>;
  /** Forgets this machine's probes (shared with the language server): the next ask probes again. */
  forgetProbes?(): void;
  /** What a probe of this machine with `qemu` found already (the language server may have asked first). */
  probedLocal?(qemu: HostQemuSetting | undefined): HostCapabilities | undefined;
}

/** A row of the tree: a host, a VM, a disk guest's disk or cloud-init, a VM's snapshot, or (untrusted workspace) why there are none. */
export type ShownNode = TreeNode | VmChildNode | DiskRowNode | DomainRow | RestrictedNode;

/**
 * The "Hosts and VMs" tree: hosts from every lab file of the workspace, their VMs under them.
 * It changes when a lab file changes, a VM's state changes (QMP events through the registry), an
 * SSH host's connection changes state, or a libvirt host's domains change (`virsh event`, followed
 * only while that host's row is expanded and the view visible; a burst is one re-read and one
 * change of that host's row) — never by polling. A host whose connection dropped
 * stays in the tree, shown unreachable, with its VMs; when it is connected again the VMs there
 * are followed anew. In an untrusted workspace it shows why it shows nothing and offers to trust
 * it; it probes, connects and follows nothing until the gate opens, then fills in without a reload.
 */
export class HostsTreeProvider implements vscode.TreeDataProvider<ShownNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ShownNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** One probe per QEMU setting of the local host (labs may name different ones), by {@link qemuSettingKey}. */
  private readonly localProbes = new Map<string, HostProbe>();
  /** Per VM, the host connection (its `since`) it was last followed anew on, see refollowOn. */
  private readonly refollowed = new Map<string, Date>();
  /** How many lab files the tree shows; with more than one, VM items name their lab. */
  private labsShown = 0;
  /** The host rows last given to VS Code, by name: a change event must name the very object. */
  private readonly hostRows = new Map<string, HostNode>();
  /** libvirt hosts whose rows are expanded (VS Code asked for their children, and no collapse since). */
  private readonly expanded = new Set<string>();
  /** libvirt hosts followed before and stopped (view hidden): their lists may be stale when followed again. */
  private readonly stale = new Set<string>();
  /** Whether the view is visible; false until {@link followView} says. */
  private visible = false;
  private readonly followers: DomainFollowers | undefined;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly labs: LabFiles,
    private readonly registry: VmRegistry,
    onVmChanged: vscode.Event<KnownVm>,
    private readonly access: TreeHostAccess,
    private readonly connections?: HostConnections,
    private readonly colo?: ColoPairs,
    private readonly snapshots?: SnapshotLists,
    private readonly domains?: ExistingDomains,
    watchDomains?: WatchDomains,
    private readonly disks?: DiskLists,
  ) {
    this.followers = watchDomains === undefined ? undefined : new DomainFollowers((host) => watchDomains(host, (events) => this.domainsChanged(host, events)));
    this.subscriptions.push(
      labs.onDidChange(() => void this.followVms()),
      access.onDidOpen(() => {
        this.localProbes.clear();
        access.forgetProbes?.();
        this.colo?.invalidateAll();
        void this.followVms().catch(() => undefined);
        this.followDomains();
      }),
      onVmChanged((vm) => {
        this.changed.fire(undefined);
        this.refollowIfHostBack(vm);
        // A COLO pair's primary changed state: what the pair says may have changed too.
        this.colo?.invalidate(vm.key);
      }),
      this.changed,
    );
    if (colo !== undefined) this.subscriptions.push(colo.onDidChange(() => this.changed.fire(undefined)));
    if (snapshots !== undefined) this.subscriptions.push(snapshots.onDidChange(() => this.changed.fire(undefined)));
    if (connections !== undefined) {
      const down = new Set<string>();
      this.subscriptions.push(
        connections.onDidChange(({ host, state }) => {
          if (state.kind === 'disconnected' || state.kind === 'unreachable') down.add(host);
          // Back after a drop: the VMs' QMP watchers lost their streams, so follow them again.
          if (state.kind === 'connected' && down.delete(host)) void this.followVms().catch(() => undefined);
          this.changed.fire(undefined);
        }),
      );
    }
  }

  private refollowIfHostBack(vm: KnownVm): void {
    if (this.connections === undefined) return;
    const id = `${vm.key.labPath}\u0000${vm.key.vmName}`;
    const since = refollowOn(vm.state, this.connections.stateOf(vm.key.host), this.refollowed.get(id));
    if (since === undefined) return;
    this.refollowed.set(id, since);
    void this.registry.refreshOne(vm.key).catch(() => undefined);
  }

  /** Connects to an SSH host again now; rejects with why it failed (the tree shows it too). */
  async reconnectHost(host: string): Promise<void> {
    await this.connections?.reconnect(host);
  }

  /**
   * Tells the tree about its view: which rows are expanded and whether it is visible decide
   * which libvirt hosts are followed. Dispose it with the view.
   */
  followView(view: vscode.TreeView<ShownNode>): vscode.Disposable {
    this.visible = view.visible;
    const libvirtHost = (node: ShownNode): string | undefined => (node.kind === 'host' && node.spec.kind === 'libvirt' ? node.name : undefined);
    const subscriptions = [
      view.onDidExpandElement(({ element }) => {
        const host = libvirtHost(element);
        if (host === undefined) return;
        this.expanded.add(host);
        this.followDomains();
        // Forgotten when collapsed; VS Code may show the children it had without asking again.
        if (this.domains !== undefined && !this.domains.has(host)) {
          void this.domains.rowsOf(host).then(() => {
            const row = this.hostRows.get(host);
            if (row !== undefined) this.changed.fire(row);
          });
        }
      }),
      view.onDidCollapseElement(({ element }) => {
        const host = libvirtHost(element);
        if (host === undefined) return;
        this.expanded.delete(host);
        this.stale.delete(host);
        // Not followed while collapsed: read again when expanded.
        this.domains?.forget(host);
        this.followDomains();
      }),
      view.onDidChangeVisibility(({ visible }) => {
        this.visible = visible;
        this.followDomains();
      }),
    ];
    this.followDomains();
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  }

  /** Follows the libvirt hosts whose rows are expanded while the view is visible and the workspace trusted; no other. */
  private followDomains(): void {
    if (this.followers === undefined) return;
    const wanted = hostsToFollow({ visible: this.visible, trusted: this.access.gate.isOpen }, this.expanded, (host) => this.hostRows.get(host)?.spec.kind === 'libvirt');
    for (const host of this.followers.hosts) if (!wanted.has(host)) this.stale.add(host);
    for (const host of this.followers.followOnly(wanted)) {
      // Events were not followed for a while: what the row shows may be old.
      if (this.stale.delete(host) && this.domains?.has(host) === true) void this.domainsChanged(host, []);
    }
  }

  /**
   * A batch of a libvirt host's events (empty: re-read anyway): its list read again, then one
   * change event for that host's row; the lab VMs whose domains the events name (all of the
   * host's, for an empty batch) read their state again.
   */
  private async domainsChanged(host: string, events: readonly DomainEvent[]): Promise<void> {
    const labVms = labVmsNamedBy(events, this.labs.current, host, (vm) => currentHostOf(vm, this.registry.get(vmKeyOf(vm))));
    await Promise.all([this.domains?.reread(host), ...labVms.map((vm) => this.registry.refreshOne(vmKeyOf(vm)).catch(() => undefined))]);
    const row = this.hostRows.get(host);
    if (row !== undefined) this.changed.fire(row);
  }

  /** Re-reads labs, VM states and host capabilities; of libvirt hosts' domains, only the expanded hosts' (the others when expanded). */
  async refresh(): Promise<void> {
    this.localProbes.clear();
    this.access.forgetProbes?.();
    this.domains?.refreshOnly((host) => this.expanded.has(host));
    this.colo?.invalidateAll();
    this.disks?.invalidateAll();
    await this.labs.reload();
  }

  private async followVms(): Promise<void> {
    if (!this.access.gate.isOpen) {
      this.changed.fire(undefined); // A lab file came or went: the restricted rows may change.
      return;
    }
    const labs = await this.labs.labs();
    await this.registry.refresh(labs.flatMap((lab) => [...lab.vms.values()].map((vm) => ({ labPath: lab.path, vmName: vm.name, host: vm.host }))));
    this.changed.fire(undefined);
  }

  private probeLocal(qemu: HostQemuSetting | undefined): HostProbe {
    const key = qemuSettingKey(qemu);
    const known = this.localProbes.get(key);
    if (known !== undefined) return known;
    // Answered already (for the language server): shown as it is. A change event fired from
    // inside getTreeItem, while VS Code is still resolving this row, loses the tree: VS Code then
    // reports "No tree item with id 'host:local'" and shows the row as pending for good.
    const found = this.access.probedLocal?.(qemu);
    if (found !== undefined) {
      const probe: HostProbe = { kind: 'ok', capabilities: found };
      this.localProbes.set(key, probe);
      return probe;
    }
    this.localProbes.set(key, { kind: 'pending' });
    this.access
      .probeLocal(qemu)
      .then(
        (capabilities) => this.localProbes.set(key, { kind: 'ok', capabilities }),
        (error: unknown) => this.localProbes.set(key, { kind: 'failed', message: describeError(error) }),
      )
      .finally(() => this.changed.fire(undefined));
    return { kind: 'pending' };
  }

  getTreeItem(node: ShownNode): vscode.TreeItem {
    if (node.kind === 'restricted') return restrictedTreeItem(node);
    if (node.kind === 'snapshot' || node.kind === 'snapshot-note') return vmChildTreeItem(node);
    if (node.kind === 'disk-row') return diskTreeItem(node);
    if (node.kind === 'domain' || node.kind === 'domain-note') return domainTreeItem(node);
    if (node.kind === 'host') {
      if (node.spec.kind === 'local') return hostTreeItem(node, this.probeLocal(node.spec.qemu));
      return hostTreeItem(node, undefined, this.connections?.stateOf(node.name));
    }
    const ft = node.vm.faultTolerance;
    const pair = ft === undefined || this.colo === undefined ? undefined : this.colo.viewOf(node);
    const colo = ft === undefined || pair === undefined ? undefined : coloTreeView(ft, pair.snapshot, pair.busy);
    const known = this.registry.get(vmKeyOf(node));
    return vmTreeItem(node, known, this.labsShown > 1, colo, this.hasSnapshotRows(node, known) || this.hasDiskRows(node));
  }

  /**
   * Whether a VM row opens onto its snapshots: a running or paused VM, not on a libvirt host and
   * not in a COLO pair (the pair's heartbeat holds its monitor; snapshots are refused there).
   */
  private hasSnapshotRows(node: VmNode, known: KnownVm): boolean {
    if (this.snapshots === undefined || !listsSnapshots(known.state) || node.vm.faultTolerance !== undefined) return false;
    return node.lab.hosts.get(known.record?.host ?? node.vm.host)?.kind !== 'libvirt';
  }

  /** Whether a VM row opens onto its disks and cloud-init: a disk guest, running or not. */
  private hasDiskRows(node: VmNode): boolean {
    return this.disks !== undefined && isDiskGuest(node.vm);
  }

  async getChildren(node?: ShownNode): Promise<ShownNode[]> {
    const labs = await this.labs.labs();
    this.labsShown = labs.length;
    if (labs.length === 0) return []; // The welcome view explains how to make a lab file.
    if (!this.access.gate.isOpen) return node === undefined ? [...RESTRICTED_NODES] : [];
    if (node === undefined) {
      const hosts = hostNodes(labs);
      this.hostRows.clear();
      for (const host of hosts) this.hostRows.set(host.name, host);
      for (const host of this.expanded) if (!this.hostRows.has(host)) this.expanded.delete(host);
      this.followDomains();
      return hosts;
    }
    if (node.kind === 'host') {
      if (node.spec.kind === 'libvirt' && !this.expanded.has(node.name)) {
        // VS Code asks for the children of expanded rows only (libvirt rows start expanded).
        this.expanded.add(node.name);
        this.followDomains();
      }
      const vms: ShownNode[] = vmNodesOn(node.name, labs, (vm) => currentHostOf(vm, this.registry.get(vmKeyOf(vm))));
      // A libvirt host also has the user's own domains: after the lab's (adopted ones are lab VMs), read-only.
      if (node.spec.kind !== 'libvirt' || this.domains === undefined) return vms;
      const adopted = new Set(vms.flatMap((vm) => (vm.kind === 'vm' && vm.vm.adopted !== undefined ? [vm.vm.adopted.domain] : [])));
      return [...vms, ...withoutAdopted(await this.domains.rowsOf(node.name), adopted)];
    }
    if (node.kind === 'vm') {
      const known = this.registry.get(vmKeyOf(node));
      // Disks first: what the VM is made of, then the snapshots taken of it.
      const [disks, snapshots] = await Promise.all([
        this.disks !== undefined && this.hasDiskRows(node) ? this.disks.rowsOf(node, known) : [],
        this.snapshots !== undefined && this.hasSnapshotRows(node, known) ? this.snapshots.rowsOf(node, known) : [],
      ]);
      return [...disks, ...snapshots];
    }
    return [];
  }

  dispose(): void {
    this.followers?.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
