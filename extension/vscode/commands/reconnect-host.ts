import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { LabServices } from '../services';
import { hostNodes, type HostNode } from '../../presentation/tree/nodes';
import { requireTrust } from './pick-vm';

function isHostNode(value: unknown): value is HostNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'host';
}

/**
 * "Reconnect": connects to an SSH host again (the tree item it was invoked on, or one picked
 * from the palette). Its VMs were never stopped; once connected the tree follows them again.
 */
export async function reconnectHost(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('connect to hosts')) return;
  let node = isHostNode(argument) ? argument : undefined;
  if (node === undefined) {
    const candidates = hostNodes(await services.labs.labs()).filter((h) => h.spec.kind === 'ssh');
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('No lab file of this workspace has an SSH host.');
      return;
    }
    node = (await vscode.window.showQuickPick(candidates.map((h) => ({ label: h.name, node: h })), { title: 'Reconnect to which host?' }))?.node;
    if (node === undefined) return;
  }
  const name = node.name;
  services.log.info(`${name}: reconnecting`);
  try {
    await vscode.window.withProgress({ location: { viewId: 'qemuLab.hosts' }, title: `Reconnecting to ${name}` }, () => services.tree.reconnectHost(name));
    services.log.info(`${name}: connected`);
  } catch (error) {
    services.log.error(`${name}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Cannot reconnect to ${name}: ${describeError(error)}`);
  }
}
