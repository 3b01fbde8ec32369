/**
 * Ends a COLO pair: both QEMUs are killed (a pair has no graceful power-off: a guest powered off
 * on the primary would be replicated as powered off anyway) and the pair is forgotten.
 */
import type { HostVmBackend } from '../machines/vm/backend';
import { killSide, loadPair, sideAlive } from './pair-handle';
import { removePairRecord } from './pair-record';

/** Kills what runs of the pair; returns the roles that were running. */
export async function pairDown(backend: HostVmBackend, stateRoot: string, labPath: string, vmName: string): Promise<string[]> {
  const pair = await loadPair(backend, stateRoot, labPath, vmName);
  const ended: string[] = [];
  for (const side of [pair.secondary, pair.primary]) {
    if (await sideAlive(side)) {
      await killSide(side);
      ended.push(side.role);
    }
  }
  await removePairRecord(stateRoot, labPath, vmName);
  return ended;
}
