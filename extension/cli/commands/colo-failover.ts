import { parseArgs } from 'node:util';
import { failOver } from '../../core/colo/failover';
import { loadPair } from '../../core/colo/pair-handle';
import type { ColoRole } from '../../core/colo/pair-record';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { UsageError, type CliIo, type GlobalOptions } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

/**
 * `qemu-lab colo failover VM [--to secondary|primary]`: one side goes on alone (default: the
 * secondary takes over); the other is killed first if it still runs.
 */
export async function coloFailoverCommand(args: readonly string[], global: GlobalOptions, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { to: { type: 'string' } }, allowPositionals: true, strict: true });
  const [vmName, ...extra] = positionals;
  if (vmName === undefined || extra.length > 0) throw new UsageError('colo failover takes exactly one VM name.');
  const to = values.to ?? 'secondary';
  if (to !== 'secondary' && to !== 'primary') throw new UsageError('--to takes secondary or primary.');
  const lab = await loadLabOrFail(global.file, io);
  const record = await withVmDependencies(lab, global, io, async ({ backend }) => {
    const pair = await loadPair(backend, stateRoot(io.env), lab.path, vmName);
    return failOver(backend, pair, { stateRoot: stateRoot(io.env), survivor: to as ColoRole, reason: 'command', onStep: (text) => io.err(`${vmName}: ${text}\n`) });
  });
  if (global.json) io.out(JSON.stringify(record, null, 2) + '\n');
  else io.out(`${vmName}: the ${to} runs the guest alone now (failover took ${record.lastFailover?.durationMs ?? '?'} ms).\n`);
  return 0;
}
