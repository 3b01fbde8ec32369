import * as vscode from 'vscode';
import { VmTimeoutError } from '../../core/errors';
import type { LabServices } from '../services';
import { runVmAction } from './vm-action';

/**
 * "Power Down": asks the guest to power off (ACPI, QMP `system_powerdown`). If it has not after
 * `qemuLab.powerDownTimeoutSeconds`, offers to force it (QMP `quit`).
 */
export function powerDownVm(services: LabServices, argument: unknown): Promise<void> {
  const timeoutSeconds = vscode.workspace.getConfiguration('qemuLab').get<number>('powerDownTimeoutSeconds', 30);
  return runVmAction(services, argument, {
    verb: 'power down',
    states: ['running', 'paused'],
    act: async (backend, vm) => {
      try {
        await backend.powerDown(vm, { timeoutMs: timeoutSeconds * 1000, force: false });
      } catch (error) {
        if (!(error instanceof VmTimeoutError)) throw error;
        const choice = await vscode.window.showWarningMessage(
          `${vm.record.vmName} did not power off within ${timeoutSeconds} s. Force it off (QEMU quits at once)?`,
          'Force Off',
          'Keep Running',
        );
        if (choice === 'Force Off') await backend.kill(vm);
      }
    },
  });
}
