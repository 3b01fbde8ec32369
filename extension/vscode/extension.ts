import { join } from 'node:path';
import * as vscode from 'vscode';
import { probeHost, type HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import { LocalProbes } from './local-probes';
import type { HostQemuSetting } from '../core/infrastructure/hosts/probes/qemu-binary';
import { HostPool } from '../core/infrastructure/hosts/host-pool';
import { isThisMachine, libvirtUriOf } from '../core/infrastructure/hosts/host-reach';
import { RemoteHostSystem, type HostSystem } from '../core/infrastructure/hosts/system/host-system';
import { vmDependencies } from '../core/machines/vm/vm-dependencies';
import { stateRoot } from '../core/machines/vm/run-dir';
import { VmRegistry, type KnownVm } from '../core/machines/vm/vm-registry';
import { commandTable } from './commands/command-table';
import { askSecretWith, confirmNewHostKey } from './ssh-prompts';
import { LabFiles } from './lab-files';
import { ColoPanels } from './panels/colo/colo-panels';
import { MigrationPanels } from './panels/migration/migration-panels';
import { ResultsPanels } from './panels/results/results-panels';
import { ScreenPanels } from './panels/screen/screen-panels';
import type { LabServices } from './services';
import { ColoPairs } from './tree/colo-pairs';
import { HostConnections } from './tree/host-connections';
import { HostsTreeProvider, type WatchDomains } from './tree/hosts-tree';
import { LabTreeProvider } from './tree/lab-tree';
import { SnapshotLists } from './tree/snapshot-lists';
import { DiskLists } from './tree/disk-lists';
import { ExistingDomains } from '../presentation/tree/domain-lists';
import { listDomains } from '../core/infrastructure/libvirt/domains';
import { Virsh } from '../core/infrastructure/libvirt/virsh';
import { DomainWatch } from '../core/infrastructure/libvirt/domain-watch';
import { describeError } from '../core/errors';
import { LabStatusBar } from './status/status-bar';
import { WorkInProgress } from './status/work-in-progress';
import { Milestones } from './walkthrough/milestones';
import { EditorLabSettings } from './settings/lab-settings';
import { LabTaskProvider } from './tasks/lab-task-provider';
import { LAB_TASK_TYPE } from './tasks/task-model';
import { workspaceTrustGate } from './workspace-trust';

/** Context key: the workspace has a lab file that could be read. */
const HAS_LAB_FILE_KEY = 'qemuLab.hasLabFile';

/**
 * The composition root: builds what the extension needs and registers it. Every disposable is
 * pushed to `context.subscriptions`, so deactivation leaves nothing registered. Nothing here
 * starts a process or reads a lab file: that happens when the tree is first shown. Every host
 * is reached through one HostPool whose gate is Workspace Trust: in Restricted Mode nothing
 * connects or starts, whichever command or view asks.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('QEMU Lab', { log: true });
  const settings = new EditorLabSettings(log);
  const { env, remoteStateRoot } = settings.atStart;
  const root = stateRoot(env);
  const labs = new LabFiles(log);
  const gate = workspaceTrustGate();
  const pool = new HostPool({ gate, askSecret: askSecretWith(context.secrets), onUnknownHostKey: confirmNewHostKey, debug: (line) => log.trace(`ssh: ${line}`) });
  const local = pool.localSystem();
  const remote = new Map<string, HostSystem>();
  // A host name means what the workspace's lab files say it means (the first that defines it).
  const systemFor = (name: string): HostSystem => {
    const spec = labs.current.map((lab) => lab.hosts.get(name)).find((h) => h !== undefined);
    if (spec === undefined || isThisMachine(spec)) return local;
    let system = remote.get(name);
    if (system === undefined) remote.set(name, (system = new RemoteHostSystem(name, pool.forLabHost(spec))));
    return system;
  };
  const libvirtUriFor = (name: string): string | undefined => libvirtUriOf(labs.current.map((lab) => lab.hosts.get(name)).find((h) => h !== undefined));
  const up = vmDependencies({
    stateRoot: root,
    remoteStateRoot,
    env,
    systemFor,
    gate,
    libvirtUriFor,
    onGuestProgress: (line) => log.info(`guest: ${line}`),
  });
  const vmChanged = new vscode.EventEmitter<KnownVm>();
  const registry = new VmRegistry(
    up.backend,
    (vm) => {
      log.info(`${vm.key.vmName}: ${vm.state}${vm.reason !== undefined ? ` (${vm.reason})` : ''}`);
      if (vm.state === 'running') milestones.reach('vmRan');
      vmChanged.fire(vm);
    },
    (vmName, direction, line) => log.trace(`${vmName} QMP ${direction === 'send' ? '→' : '←'} ${line}`),
  );
  // The tree shows each SSH host's connection state, from the same pooled transport VMs use.
  const connections = new HostConnections((name) => {
    const spec = labs.current.map((lab) => lab.hosts.get(name)).find((h) => h !== undefined);
    return spec === undefined || isThisMachine(spec) ? undefined : pool.forLabHost(spec);
  });
  const colo = new ColoPairs(up.backend, root, log);
  const snapshots = new SnapshotLists(up.backend, root);
  const disks = new DiskLists(up.backend, { local: root, remote: remoteStateRoot });
  const domains = new ExistingDomains(async (host) => {
    const uri = libvirtUriFor(host);
    if (uri === undefined) return [];
    return listDomains(new Virsh(systemFor(host), uri, host));
  });
  // A libvirt host's domain events, followed while its row is expanded (see HostsTreeProvider).
  const watchDomains: WatchDomains = (host, onBatch) => {
    const uri = libvirtUriFor(host);
    if (uri === undefined) return undefined;
    return new DomainWatch({
      virsh: new Virsh(systemFor(host), uri, host),
      onBatch,
      onStatus: (status) =>
        status.kind === 'following'
          ? log.info(`${host}: following libvirt domain events (virsh event${status.restarted ? ', started again' : ''})`)
          : log.warn(`${host}: virsh event ended (${status.reason}); starting it again in ${status.retryInMs / 1000} s`),
      onError: (error: unknown) => log.warn(`${host}: re-reading domains after events failed: ${describeError(error)}`),
    });
  };
  const milestones = new Milestones();
  // One probe of this machine per QEMU setting and session, for the tree and the language server.
  const localProbes = new LocalProbes(async (qemu: HostQemuSetting | undefined) => {
    const capabilities = await probeHost(local, env, qemu);
    milestones.reach('qemuFound');
    return capabilities;
  });
  const access = { gate, onDidOpen: vscode.workspace.onDidGrantWorkspaceTrust, probeLocal: (qemu: HostQemuSetting | undefined) => localProbes.get(qemu), forgetProbes: () => localProbes.clear(), probedLocal: (qemu: HostQemuSetting | undefined) => localProbes.foundWith(qemu) };
  const labTree = new LabTreeProvider(labs);
  const tree = new HostsTreeProvider(labs, registry, vmChanged.event, access, connections, colo, snapshots, domains, watchDomains, disks);
  const hostsView = vscode.window.createTreeView('qemuLab.hosts', { treeDataProvider: tree, showCollapseAll: false });
  const results = new ResultsPanels({ extensionUri: context.extensionUri, log, labs });
  const migrationPanels = new MigrationPanels({ extensionUri: context.extensionUri, log });
  const coloPanels = new ColoPanels({ extensionUri: context.extensionUri, log, colo, labs });
  const work = new WorkInProgress();
  const screenPanels = new ScreenPanels({ extensionUri: context.extensionUri, log, backend: up.backend });
  const services: LabServices = { extension: context, log, backend: up.backend, up, labs, registry, tree, results, migrationPanels, colo, coloPanels, work, milestones, screenPanels, snapshots, stateRoot: root, remoteStateRoot, env };

  context.subscriptions.push(
    log,
    settings,
    vmChanged,
    { dispose: () => void pool.dispose() },
    labs,
    labs.onDidChange(() => {
      // The Lab view's welcome offers New Lab File only where there is none (package.json viewsWelcome).
      void vscode.commands.executeCommand('setContext', HAS_LAB_FILE_KEY, labs.current.length > 0);
      if (labs.current.length > 0) milestones.reach('labFileFound');
    }),
    connections,
    colo,
    snapshots,
    tree,
    results,
    migrationPanels,
    coloPanels,
    work,
    new LabStatusBar(registry, vmChanged.event, work),
    screenPanels,
    { dispose: () => void registry.dispose() },
    hostsView,
    tree.followView(hostsView),
    labTree,
    vscode.window.createTreeView('qemuLab.lab', { treeDataProvider: labTree, showCollapseAll: true }),
    vscode.tasks.registerTaskProvider(LAB_TASK_TYPE, new LabTaskProvider({ labs, cliPath: join(context.extensionPath, 'dist', 'cli.js'), env, log })),
  );
  for (const [id, factory] of Object.entries(commandTable)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(services)));
  }
  // The server asks for this machine's probe with the QEMU the tree's row of it uses (the first lab file's).
  startLanguageClientLater(context, log, () => localProbes.get(labs.current.map((lab) => lab.hosts.get('local')).find((h) => h !== undefined)?.qemu));
}

/**
 * Starts the language client once activation has returned: its library is larger than the rest
 * of the extension, so it is a bundle of its own (dist/language-client.js, see scripts/build.mjs)
 * and loading it inside `activate` would hold up the editor's start for it. The
 * client is owned by `context.subscriptions` like everything else; after deactivation, never.
 */
function startLanguageClientLater(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, probeLocal: () => Promise<HostCapabilities>): void {
  let active = true;
  // Even the call to import() is not free: in the real extension host it took 45 ms before it
  // returned its promise (measured with marks in activate), most of activate()'s time. So it is
  // made from a timer, once activate() has returned.
  const timer = setTimeout(() => {
    import('./language-client.js').then(
      ({ startLanguageClient }) => {
        if (active) context.subscriptions.push(startLanguageClient(context, Object.keys(commandTable), probeLocal));
      },
      (error: unknown) => log.error(`The lab-file language server could not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, 0);
  context.subscriptions.push({
    dispose: () => {
      active = false;
      clearTimeout(timer);
    },
  });
}

/** Nothing to do: everything is owned by `context.subscriptions`; VMs keep running. */
export function deactivate(): void {}
