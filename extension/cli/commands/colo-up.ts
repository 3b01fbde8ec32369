import { parseArgs } from 'node:util';
import { coloUp, type ColoUpResult } from '../../core/colo/colo-up';
import { runHeartbeat } from '../../core/colo/heartbeat';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { UsageError, type CliIo, type GlobalOptions } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a number of seconds.`);
  return n * 1000;
}

function describeUp(vmName: string, result: ColoUpResult): string {
  const { record } = result;
  const secondary = `${record.secondary.host}${record.secondary.slot === undefined ? '' : `/${record.secondary.slot}`}`;
  const lines = [
    `${vmName}: COLO pair ${result.alreadyRunning ? 'already ' : ''}running (${record.accel}, ${record.qemu.primary}).`,
    `  primary:   ${record.primary.host} (pid ${result.primaryPid ?? '?'})`,
    `  secondary: ${secondary} (pid ${result.secondaryPid ?? '?'})`,
    `  in COLO ${result.enterColoMs === undefined ? '' : `${(result.enterColoMs / 1000).toFixed(1)} s after migrate; `}checkpoint at least every ${record.checkpointDelayMs} ms`,
    `  proxy sockets on ${record.plan.primaryAddress}; migration stream ${record.migrationUri}`,
  ];
  if (record.disk !== undefined) lines.push(`  disk ${record.disk.primaryImage} replicated to ${record.disk.secondaryImages.parent} (quorum + replication over NBD)`);
  if (result.firstCheckpoint !== undefined) {
    const { syncsBefore, syncsAfter, watchedMs } = result.firstCheckpoint;
    lines.push(`  first checkpoint window watched for ${(watchedMs / 1000).toFixed(1)} s: the primary kept answering (memory syncs ${syncsBefore ?? '?'} → ${syncsAfter ?? '?'})`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `qemu-lab colo up VM [--watch [--on-hang kill|failover]]`: sets up the VM's COLO pair; with
 * `--watch`, then stays as its heartbeat and fails over when a side is lost (Ctrl-C ends the
 * watch, not the pair). A hung checkpoint kills both QEMUs, or with `--on-hang failover` lets
 * the secondary take over.
 */
export async function coloUpCommand(args: readonly string[], global: GlobalOptions, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { watch: { type: 'boolean' }, 'hang-bound': { type: 'string' }, timeout: { type: 'string' }, interval: { type: 'string' }, 'on-hang': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [vmName, ...extra] = positionals;
  if (vmName === undefined || extra.length > 0) throw new UsageError('colo up takes exactly one VM name.');
  const hangBoundMs = seconds(values['hang-bound'], '--hang-bound', 10_000);
  const timeoutMs = seconds(values.timeout, '--timeout', 120_000);
  const intervalMs = seconds(values.interval, '--interval', 500);
  const onHang = values['on-hang'] ?? 'kill';
  if (onHang !== 'kill' && onHang !== 'failover') throw new UsageError('--on-hang takes kill or failover.');
  const lab = await loadLabOrFail(global.file, io);
  const root = stateRoot(io.env);
  return withVmDependencies(lab, global, io, async (deps) => {
    const started = Date.now();
    const result = await coloUp(lab, vmName, deps, {
      stateRoot: root,
      remoteStateRoot: io.env.QEMU_LAB_REMOTE_STATE_DIR,
      signal: io.signal,
      hangBoundMs,
      timeoutMs,
      onStep: (text) => io.err(`${vmName}: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
    });
    if (global.json) io.out(JSON.stringify(result, null, 2) + '\n');
    else io.out(describeUp(vmName, result));
    if (values.watch !== true) return 0;
    io.err(`${vmName}: heartbeat every ${intervalMs} ms; Ctrl-C stops watching (the pair keeps running)\n`);
    const outcome = await runHeartbeat(deps.backend, {
      stateRoot: root,
      labPath: lab.path,
      vmName,
      intervalMs,
      hangBoundMs,
      onHang,
      signal: io.signal,
      onStep: (text) => io.err(`${vmName}: ${text}\n`),
    });
    if (outcome.kind === 'failed-over') {
      const failover = outcome.record.lastFailover;
      io.out(`${vmName}: failed over to the ${failover?.survivor ?? '?'} (${failover?.reason ?? '?'}) in ${failover?.durationMs ?? '?'} ms.\n`);
    }
    return 0;
  });
}
