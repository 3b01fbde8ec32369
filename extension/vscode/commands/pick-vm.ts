import * as vscode from 'vscode';
import type { VmState } from '../../core/machines/vm/vm-state';
import type { LabServices } from '../services';
import { type VmNode, vmKeyOf } from '../../presentation/tree/nodes';

function isVmNode(value: unknown): value is VmNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vm';
}

/**
 * A VM named by plain data, as a CodeLens of the language server passes it (a command's
 * arguments there are JSON): `{ kind: 'vmRef', labPath, vmName }`.
 */
export interface VmRef {
  readonly kind: 'vmRef';
  readonly labPath: string;
  readonly vmName: string;
}

function isVmRef(value: unknown): value is VmRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<VmRef>;
  return ref.kind === 'vmRef' && typeof ref.labPath === 'string' && typeof ref.vmName === 'string';
}

/**
 * The VM a command acts on: the tree item it was invoked on, or — from the palette — one the
 * user picks among the VMs in a state the command makes sense for.
 */
export async function pickVm(argument: unknown, services: LabServices, states: readonly VmState[], title: string): Promise<VmNode | undefined> {
  if (isVmNode(argument)) return argument;
  const labs = await services.labs.labs();
  if (isVmRef(argument)) {
    const lab = labs.find((l) => l.path === argument.labPath);
    const vm = lab?.vms.get(argument.vmName);
    if (lab !== undefined && vm !== undefined) return { kind: 'vm', lab, vm };
    void vscode.window.showErrorMessage(`No VM "${argument.vmName}" in ${argument.labPath}: save the lab file first.`);
    return undefined;
  }
  const candidates = labs
    .flatMap((lab) => [...lab.vms.values()].map((vm): VmNode => ({ kind: 'vm', lab, vm })))
    .filter((node) => states.includes(services.registry.get(vmKeyOf(node)).state));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`No VM is ${states.join(' or ')}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((node) => ({
      label: node.vm.name,
      description: services.registry.get(vmKeyOf(node)).state,
      detail: vscode.workspace.asRelativePath(node.lab.path),
      node,
    })),
    { title },
  );
  return picked?.node;
}

/**
 * Refuses in an untrusted workspace: QEMU Lab starts processes and opens sockets on the lab
 * file's say, which only a trusted workspace may do.
 */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`QEMU Lab does not ${action} in an untrusted workspace. Trust the workspace to run its lab.`, 'Manage Workspace Trust').then((choice) => {
    if (choice !== undefined) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
