import * as vscode from 'vscode';
import { describeError, VmError } from '../../core/errors';
import { withSnapshotSubject } from '../../core/snapshots/snapshot-vm';
import type { SnapshotSubject } from '../../core/snapshots/vm-snapshots';
import { vmKeyOf, type VmNode } from '../../presentation/tree/nodes';
import type { SnapshotNode } from '../../presentation/tree/snapshot-rows';
import type { LabServices } from '../services';
import { requireTrust } from './pick-vm';

/** Whether a command's argument is a snapshot row of the tree. */
function isSnapshotNode(value: unknown): value is SnapshotNode {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Partial<SnapshotNode>;
  return node.kind === 'snapshot' && typeof node.snapshot?.name === 'string' && node.vm?.kind === 'vm';
}

/**
 * The snapshot row a Revert or Delete was given, in a trusted workspace; undefined (having said
 * why) otherwise — from the palette there is no row to act on.
 */
export function snapshotRowOf(argument: unknown, command: string, action: string): SnapshotNode | undefined {
  if (!requireTrust(action)) return undefined;
  if (isSnapshotNode(argument)) return argument;
  void vscode.window.showInformationMessage(`${command} works on a snapshot row: open a running VM in the QEMU Lab view to see its snapshots.`);
  return undefined;
}

/**
 * Runs one snapshot operation on a running VM with a progress notification, then re-reads its
 * snapshots (and its state: a load can leave it paused). A failure is shown with its hint; the
 * VM runs on as the operation left it (the core says how, per operation).
 */
export async function runSnapshotAction<T>(
  services: LabServices,
  node: VmNode,
  title: string,
  act: (subject: SnapshotSubject) => Promise<T>,
): Promise<T | undefined> {
  const key = vmKeyOf(node);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, async () => {
      const instance = await services.backend.find(key);
      if (instance === undefined || !instance.alive) throw new VmError(`VM "${node.vm.name}" is not running.`, { hint: 'Boot it first: snapshots are taken of a running VM.' });
      services.log.info(`${node.vm.name}: ${title}`);
      return await withSnapshotSubject({ lab: node.lab, backend: services.backend, stateRoot: services.stateRoot }, instance, act);
    });
  } catch (error) {
    services.log.error(`${node.vm.name}: ${title} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`${title} failed: ${describeError(error)}`);
    return undefined;
  } finally {
    services.snapshots.invalidate(node);
    await services.registry.refreshOne(key);
  }
}
