import { checkpointLookMs } from '../../core/colo/checkpoints';
import { loadPair } from '../../core/colo/pair-handle';
import { pairStatus } from '../../core/colo/pair-status';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { coloStatusText } from '../../presentation/colo/colo-status-text';
import { defineCommand, ONE_VM } from '../command-spec';
import { withLab } from '../vm-context';

/**
 * `qemu-lab colo status VM [--json]`: both sides of the VM's COLO pair, the checkpoints seen
 * in a short look when they come every few seconds, and the last failover.
 */
export const coloStatusCommand = defineCommand({
  name: 'status',
  operands: ONE_VM,
  summary: 'both sides of the pair (mode, QMP answering?) and the last failover',
  example: 'qemu-lab --json colo status vm1',
  async run({ positionals: [vmName = ''] }, global, io) {
    const status = await withLab(global, io, async (lab, { backend }) => {
      const pair = await loadPair(backend, stateRoot(io.env), lab.path, vmName);
      // A checkpoint due within a few seconds is watched as it happens (QEMU's STOP/RESUME events).
      return pairStatus(backend, pair, undefined, checkpointLookMs(pair.record.checkpointDelayMs));
    });
    if (global.json) {
      io.out(JSON.stringify(status, null, 2) + '\n');
      return 0;
    }
    io.out(coloStatusText(vmName, status));
    return 0;
  },
});
