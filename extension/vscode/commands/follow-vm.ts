import { sleep } from '../../core/infrastructure/support/sleep';
import { vmKeyOf, type VmNode } from '../../presentation/tree/nodes';
import type { LabServices } from '../services';

/** The pauses between the readings of {@link followVm}: the old watcher may still be closing on the first. */
const READ_AGAIN_AFTER_MS = [0, 750, 2_000] as const;

/**
 * After a VM's QEMU was replaced (a migration moved it, a failover left the survivor), reads
 * the VM again a few times so the tree follows it: its old watcher sees the old QEMU quit, and
 * the VM is found where it went. A reading that fails is left to the next.
 */
export async function followVm(services: LabServices, node: VmNode): Promise<void> {
  const key = vmKeyOf(node);
  for (const delay of READ_AGAIN_AFTER_MS) {
    await sleep(delay);
    await services.registry.refreshOne(key).catch(() => undefined);
  }
}
