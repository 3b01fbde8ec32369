import { coloUpAndWatch } from '../../core/colo/colo-up-and-watch';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { coloUpText } from '../../presentation/colo/colo-up-text';
import { defineCommand, secondsOption, ONE_VM } from '../command-spec';
import { UsageError } from '../io';
import { withLab } from '../vm-context';

/**
 * `qemu-lab colo up VM [--watch [--on-hang kill|failover]]`: sets up the VM's COLO pair; with
 * `--watch`, then stays as its heartbeat and fails over when a side is lost (Ctrl-C ends the
 * watch, not the pair). A hung checkpoint kills both QEMUs, or with `--on-hang failover` lets
 * the secondary take over.
 */
export const coloUpCommand = defineCommand({
  name: 'up',
  operands: ONE_VM,
  options: {
    watch: { help: 'then stay as the pair\'s heartbeat; fail over when a side is lost (Ctrl-C ends the watch, not the pair)' },
    interval: { value: 'S', help: 'heartbeat interval with --watch (default 0.5)' },
    'hang-bound': { value: 'S', help: 'a primary not answering QMP for S seconds has hung (default 10)' },
    'on-hang': { value: 'kill|failover', help: 'what a hung checkpoint does: kill both QEMUs (default) or fail over to the secondary' },
    timeout: { value: 'S', help: 'give up setting the pair up after S seconds (default 120)' },
  },
  summary: 'set up the VM\'s COLO pair (boot or take the primary, start the secondary, migrate into COLO)',
  example: 'qemu-lab colo up vm1 --watch --on-hang failover',
  async run({ values, positionals: [vmName = ''] }, global, io) {
    const hangBoundMs = secondsOption(values['hang-bound'], '--hang-bound', 10_000);
    const timeoutMs = secondsOption(values.timeout, '--timeout', 120_000);
    const intervalMs = secondsOption(values.interval, '--interval', 500);
    const onHang = values['on-hang'] ?? 'kill';
    if (onHang !== 'kill' && onHang !== 'failover') throw new UsageError('--on-hang takes kill or failover.');
    return withLab(global, io, async (lab, deps) => {
      const started = Date.now();
      const { watched } = await coloUpAndWatch(lab, vmName, deps, {
        stateRoot: stateRoot(io.env),
        remoteStateRoot: io.env.QEMU_LAB_REMOTE_STATE_DIR,
        signal: io.signal,
        hangBoundMs,
        timeoutMs,
        onStep: (text) => io.err(`${vmName}: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
        onUp: (result) => io.out(global.json ? JSON.stringify(result, null, 2) + '\n' : coloUpText(vmName, result)),
        watch: values.watch !== true ? undefined : {
          intervalMs,
          onHang,
          onStart: (every) => io.err(`${vmName}: heartbeat every ${every} ms; Ctrl-C stops watching (the pair keeps running)\n`),
          onStep: (text) => io.err(`${vmName}: ${text}\n`),
        },
      });
      if (watched?.kind === 'failed-over') {
        const failover = watched.record.lastFailover;
        io.out(`${vmName}: failed over to the ${failover?.survivor ?? '?'} (${failover?.reason ?? '?'}) in ${failover?.durationMs ?? '?'} ms.\n`);
      }
      return 0;
    });
  },
});
