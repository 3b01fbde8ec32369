import * as vscode from 'vscode';
import { screenSocketOf } from '../../core/machines/screen/screen-socket';
import { describeError } from '../../core/errors';
import { vmKeyOf } from '../../presentation/tree/nodes';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';

/**
 * "Open Screen": the VM's display in a panel (noVNC), relayed to QEMU's VNC server on the VM's
 * private UNIX socket — through the host's SSH connection for a remote VM. A VM booted without
 * `vnc: true` has no screen: the message says how to give it one.
 */
export async function openScreen(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('open screens')) return;
  const node = await pickVm(argument, services, ['running', 'paused', 'powering-down', 'error'], 'Open the screen of which VM?');
  if (node === undefined) return;
  const instance = await services.backend.find(vmKeyOf(node));
  if (instance === undefined || !instance.alive) {
    void vscode.window.showErrorMessage(`${node.vm.name} is not running.`);
    return;
  }
  try {
    screenSocketOf(instance.record);
  } catch (error) {
    void vscode.window.showErrorMessage(describeError(error));
    return;
  }
  services.screenPanels.show(node);
}
