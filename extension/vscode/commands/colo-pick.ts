import * as vscode from 'vscode';
import type { LabServices } from '../services';
import type { VmNode } from '../../presentation/tree/nodes';
import { pickVm } from './pick-vm';

function namesAVm(argument: unknown): boolean {
  if (typeof argument !== 'object' || argument === null) return false;
  const kind = (argument as { kind?: unknown }).kind;
  return kind === 'vm' || kind === 'vmRef';
}

/**
 * The VM a COLO command acts on: the tree item (or CodeLens reference) it was invoked on, or —
 * from the palette — one the user picks among the VMs that declare `faultTolerance`. A VM that
 * declares none is refused with what to add, before anything starts.
 */
export async function pickColoVm(argument: unknown, services: LabServices, title: string): Promise<VmNode | undefined> {
  let node: VmNode | undefined;
  if (namesAVm(argument)) node = await pickVm(argument, services, [], title);
  else {
    const labs = await services.labs.labs();
    const candidates = labs.flatMap((lab) => [...lab.vms.values()].filter((vm) => vm.faultTolerance !== undefined).map((vm): VmNode => ({ kind: 'vm', lab, vm })));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('No VM declares faultTolerance: add faultTolerance: { mode: colo, secondary: HOST } to a VM in the lab file.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.vm.name, description: `primary ${c.vm.host} · secondary ${c.vm.faultTolerance?.secondary ?? '?'}`, detail: vscode.workspace.asRelativePath(c.lab.path), node: c })),
      { title },
    );
    node = picked?.node;
  }
  if (node !== undefined && node.vm.faultTolerance === undefined) {
    void vscode.window.showErrorMessage(`VM "${node.vm.name}" declares no fault tolerance. Add faultTolerance: { mode: colo, secondary: HOST } to it in the lab file.`);
    return undefined;
  }
  return node;
}
