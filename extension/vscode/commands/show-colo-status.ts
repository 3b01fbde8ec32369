import type { LabServices } from '../services';
import { pickColoVm } from './colo-pick';
import { requireTrust } from './pick-vm';

/**
 * "QEMU Lab: Show COLO Status": the VM's COLO panel — both sides' run state, COLO mode,
 * migration status and QMP response time, checkpoints as far as QEMU exposes them, the last
 * failover — read now. Reading asks both QEMUs over QMP, so it too needs a trusted workspace.
 */
export async function showColoStatus(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('read COLO pairs')) return;
  const node = await pickColoVm(argument, services, 'Show the COLO status of which VM?');
  if (node === undefined) return;
  services.coloPanels.show(node);
}
