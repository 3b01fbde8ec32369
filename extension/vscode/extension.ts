import * as vscode from 'vscode';
import { localUpDependencies } from '../core/vm/local-dependencies';
import { stateRoot } from '../core/vm/run-dir';
import { VmRegistry, type KnownVm } from '../core/vm/vm-registry';
import { commandTable } from './commands/command-table';
import { startLanguageClient } from './language-client';
import { LabFiles } from './lab-files';
import type { LabServices } from './services';
import { HostsTreeProvider } from './tree/hosts-tree';

/**
 * The composition root: builds what the extension needs and registers it. Every disposable is
 * pushed to `context.subscriptions`, so deactivation leaves nothing registered. Nothing here
 * starts a process or reads a lab file: that happens when the tree is first shown.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('QEMU Lab', { log: true });
  const up = localUpDependencies({ stateRoot: stateRoot(), onGuestProgress: (line) => log.info(`guest: ${line}`) });
  const labs = new LabFiles(log);
  const vmChanged = new vscode.EventEmitter<KnownVm>();
  const registry = new VmRegistry(
    up.backend,
    (vm) => {
      log.info(`${vm.key.vmName}: ${vm.state}${vm.reason !== undefined ? ` (${vm.reason})` : ''}`);
      vmChanged.fire(vm);
    },
    (vmName, direction, line) => log.trace(`${vmName} QMP ${direction === 'send' ? '→' : '←'} ${line}`),
  );
  const tree = new HostsTreeProvider(labs, registry, vmChanged.event);
  const services: LabServices = { extension: context, log, backend: up.backend, up, labs, registry, tree };

  context.subscriptions.push(
    log,
    vmChanged,
    labs,
    tree,
    { dispose: () => void registry.dispose() },
    vscode.window.createTreeView('qemuLab.hosts', { treeDataProvider: tree, showCollapseAll: false }),
  );
  for (const [id, factory] of Object.entries(commandTable)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(services)));
  }
  context.subscriptions.push(startLanguageClient(context));
}

/** Nothing to do: everything is owned by `context.subscriptions`; VMs keep running. */
export function deactivate(): void {}
