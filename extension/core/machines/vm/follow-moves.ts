import type { VmInstance, VmKey } from './backend';

/** How many `movedTo` links are followed (a VM's home record points straight at it; older ones may chain). */
const MAX_MOVES_FOLLOWED = 8;

/**
 * The VM at `key`, followed to where it migrated: each record's `movedTo` names the run directory
 * it went to. Where a move left nothing, what is here is returned. Both backends find VMs so.
 */
export async function findFollowingMoves(key: VmKey, findAt: (key: VmKey) => Promise<VmInstance | undefined>): Promise<VmInstance | undefined> {
  let instance = await findAt(key);
  for (let hops = 0; instance?.record.movedTo !== undefined && hops < MAX_MOVES_FOLLOWED; hops += 1) {
    const { host, slot } = instance.record.movedTo;
    const moved = await findAt({ labPath: key.labPath, vmName: key.vmName, host, slot });
    if (moved === undefined) break;
    instance = moved;
  }
  return instance;
}
