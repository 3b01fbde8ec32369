import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { upVm } from '../../core/machines/vm/up';
import { withCancellableProgress } from '../cancellable-progress';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf } from '../../presentation/tree/nodes';

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
