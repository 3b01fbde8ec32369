/**
 * "QEMU Lab: Stop COLO Pair": `colo down` — kills both QEMUs of a VM's pair (a pair has no
 * graceful power-off) and forgets it, after asking.
 */
import * as vscode from 'vscode';
import { pairDown } from '../../core/colo/pair-down';
import { describeError } from '../../core/errors';
import { notificationText } from '../../presentation/colo/colo-error-text';
import type { LabServices } from '../services';
import { vmKeyOf } from '../../presentation/tree/nodes';
import { pickColoVm } from './colo-pick';
import { requireTrust } from './pick-vm';

/** See the file comment. */
export async function stopColoPair(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('stop COLO pairs')) return;
  const node = await pickColoVm(argument, services, 'Stop the COLO pair of which VM?');
  if (node === undefined) return;
  const name = node.vm.name;
  const choice = await vscode.window.showWarningMessage(
    `Stop the COLO pair of ${name}? Both QEMUs (primary and secondary) are killed at once; the guest cannot save anything.`,
    { modal: true },
    'Stop Pair',
  );
  if (choice !== 'Stop Pair') return;
  try {
    const ended = await services.colo.busyWith(node, 'stopping', () => pairDown(services.backend, services.stateRoot, node.lab.path, name));
    services.log.info(`${name}: COLO pair stopped (${ended.length === 0 ? 'nothing of it was running' : `killed the ${ended.join(' and the ')}`})`);
    void vscode.window.showInformationMessage(`${name}: ${ended.length === 0 ? 'nothing of the COLO pair was running' : `killed the ${ended.join(' and the ')}`}; the pair is forgotten.`);
  } catch (error) {
    services.log.error(`${name}: COLO pair not stopped: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not stop the COLO pair of ${name}: ${notificationText(error)}`);
  } finally {
    await services.registry.refreshOne(vmKeyOf(node)).catch(() => undefined);
  }
}
