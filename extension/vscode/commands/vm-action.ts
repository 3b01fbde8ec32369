import * as vscode from 'vscode';
import { describeError, VmError } from '../../core/errors';
import type { HostVmBackend, VmInstance } from '../../core/machines/vm/backend';
import type { VmState } from '../../core/machines/vm/vm-state';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf } from '../../presentation/tree/nodes';

/** Runs one backend action on a VM picked from the tree or the palette, reporting failures. */
export async function runVmAction(
  services: LabServices,
  argument: unknown,
  spec: { readonly verb: string; readonly states: readonly VmState[]; readonly act: (backend: HostVmBackend, instance: VmInstance) => Promise<void> },
): Promise<void> {
  if (!requireTrust(`${spec.verb} VMs`)) return;
  const node = await pickVm(argument, services, spec.states, `${spec.verb[0]?.toUpperCase()}${spec.verb.slice(1)} which VM?`);
  if (node === undefined) return;
  const key = vmKeyOf(node);
  try {
    const instance = await services.backend.find(key);
    if (instance === undefined || !instance.alive) throw new VmError(`VM "${node.vm.name}" is not running.`, { hint: 'Boot it from the QEMU Lab view first.' });
    services.log.info(`${node.vm.name}: ${spec.verb}`);
    await spec.act(services.backend, instance);
  } catch (error) {
    services.log.error(`${node.vm.name}: ${spec.verb} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not ${spec.verb} ${node.vm.name}: ${describeError(error)}`);
  } finally {
    await services.registry.refreshOne(key);
  }
}
