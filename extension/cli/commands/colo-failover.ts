import { failOver } from '../../core/colo/failover';
import { loadPair } from '../../core/colo/pair-handle';
import type { ColoRole } from '../../core/colo/pair-record';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { defineCommand, ONE_VM } from '../command-spec';
import { UsageError } from '../io';
import { withLab } from '../vm-context';

/**
 * `qemu-lab colo failover VM [--to secondary|primary]`: one side goes on alone (default: the
 * secondary takes over); the other is killed first if it still runs.
 */
export const coloFailoverCommand = defineCommand({
  name: 'failover',
  operands: ONE_VM,
  options: { to: { value: 'secondary|primary', help: 'the side that goes on (default secondary)' } },
  summary: 'one side runs the guest alone; the other is killed first if it still runs',
  example: 'qemu-lab colo failover vm1 --to primary',
  async run({ values, positionals: [vmName = ''] }, global, io) {
    const to = values.to ?? 'secondary';
    if (to !== 'secondary' && to !== 'primary') throw new UsageError('--to takes secondary or primary.');
    const record = await withLab(global, io, async (lab, { backend }) => {
      const pair = await loadPair(backend, stateRoot(io.env), lab.path, vmName);
      return failOver(backend, pair, { stateRoot: stateRoot(io.env), survivor: to as ColoRole, reason: 'command', onStep: (text) => io.err(`${vmName}: ${text}\n`) });
    });
    if (global.json) io.out(JSON.stringify(record, null, 2) + '\n');
    else io.out(`${vmName}: the ${to} runs the guest alone now (failover took ${record.lastFailover?.durationMs ?? '?'} ms).\n`);
    return 0;
  },
});
