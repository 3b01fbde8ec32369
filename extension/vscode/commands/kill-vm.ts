import * as vscode from 'vscode';
import type { LabServices } from '../services';
import { runVmAction } from './vm-action';

/** "Kill": QMP `quit` (SIGKILL if QMP does not answer), after asking: the guest gets no chance to save anything. */
export async function killVm(services: LabServices, argument: unknown): Promise<void> {
  return runVmAction(services, argument, {
    verb: 'kill',
    states: ['running', 'paused', 'powering-down', 'connection-lost', 'error', 'incoming'],
    act: async (backend, vm) => {
      const choice = await vscode.window.showWarningMessage(
        `Kill ${vm.record.vmName}? QEMU ends at once; the guest cannot save anything.`,
        { modal: true },
        'Kill',
      );
      if (choice === 'Kill') await backend.kill(vm);
    },
  });
}
