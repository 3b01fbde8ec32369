import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { upVm } from '../../core/machines/vm/up';
import { withCancellableProgress } from '../cancellable-progress';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf, type VmNode } from '../../presentation/tree/nodes';
import { noSshLines, type ConsoleFiles } from '../../presentation/vm/no-ssh-words';

/** "Boot": starts a VM with progress by stage (starting QEMU, QMP ready, kernel booting, SSH ready); cancellable. */
export async function bootVm(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('boot VMs')) return;
  const node = await pickVm(argument, services, ['stopped'], 'Boot which VM?');
  if (node === undefined) return;
  const key = vmKeyOf(node);
  try {
    await withCancellableProgress(`Booting ${node.vm.name}`, async (progress, signal) => {
      const { instance, alreadyRunning } = await upVm(node.lab, node.vm.name, services.up, {
        signal,
        onStage: (stage) => {
          progress.report({ message: stage, increment: 25 });
          services.log.info(`${node.vm.name}: ${stage}`);
        },
      });
      services.log.info(`${node.vm.name}: ${alreadyRunning ? 'already running' : 'running'} (pid ${instance.pid}); ${instance.record.accelWhy}`);
      if (instance.record.ssh === undefined) tellNoSsh(node, instance.record.files);
    });
  } catch (error) {
    services.log.error(`${node.vm.name}: boot failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not boot ${node.vm.name}: ${describeError(error)}`, 'Show Log').then((choice) => {
      if (choice !== undefined) services.log.show();
    });
  } finally {
    await services.registry.refreshOne(key);
  }
}

/** A VM QEMU Lab cannot log into (an install from an ISO) is up now: say so, with its screen and console a click away. */
function tellNoSsh(node: VmNode, files: ConsoleFiles): void {
  const lines = noSshLines(node.vm, files, 'editor');
  if (lines.length === 0) return;
  const actions = [...(files.vncSocket === undefined ? [] : ['Open Screen']), 'Open Serial Console'];
  void vscode.window.showInformationMessage(lines.join(' '), ...actions).then((choice) => {
    if (choice === 'Open Screen') void vscode.commands.executeCommand('qemuLab.openScreen', node);
    if (choice === 'Open Serial Console') void vscode.commands.executeCommand('qemuLab.openConsole', node);
  });
}
