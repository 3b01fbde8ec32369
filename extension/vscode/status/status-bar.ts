import * as vscode from 'vscode';
import { countVms, statusBarView } from '../../presentation/status/status-view';
import type { KnownVm, VmRegistry } from '../../core/machines/vm/vm-registry';
import type { WorkInProgress } from './work-in-progress';

/** The command a click on the status bar item runs (contributed as "QEMU Lab: Show What Runs"). */
export const SHOW_RUNNING_COMMAND = 'qemuLab.showRunning';

/**
 * QEMU Lab's status bar item: the running VMs, or the newest long work in progress; a click shows
 * that work's panel, or lists everything. It changes when a VM's state changes (the registry's
 * QMP events) or work starts, moves or ends — never by polling — and hides when nothing runs.
 */
export class LabStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qemuLab.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly registry: VmRegistry,
    onVmChanged: vscode.Event<KnownVm>,
    private readonly work: WorkInProgress,
  ) {
    this.item.name = 'QEMU Lab';
    this.subscriptions.push(onVmChanged(() => this.render()), work.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const view = statusBarView(countVms(this.registry.all().map((vm) => ({ name: vm.key.vmName, state: vm.state }))), this.work.list());
    if (view.hidden) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = { title: 'Show What Runs', command: SHOW_RUNNING_COMMAND, arguments: view.revealWork === undefined ? [] : [view.revealWork] };
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
