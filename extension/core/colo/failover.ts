/**
 * Failover of a COLO pair: one side goes on alone.
 *
 * - The secondary takes over (the primary is lost, or on command): the primary is killed first
 *   if it still lives — two copies of one guest on the network must never run — then QEMU's
 *   "Secondary Failover": `x-colo-lost-heartbeat`, and the redirectors and their chardevs
 *   removed. The VM's home record then points at the secondary, so `ssh`, `status` and the rest
 *   find the guest there.
 * - The primary goes on (the secondary is lost): the secondary is killed if it lives, then
 *   QEMU's "Primary Failover": colo-compare, its iothread and the filters removed,
 *   `x-colo-lost-heartbeat`.
 */
import { describeError } from '../errors';
import { QmpExecuteError } from '../infrastructure/qmp/errors';
import type { QmpValue } from '../infrastructure/qmp/messages';
import type { HostVmBackend } from '../machines/vm/backend';
import { primaryDiskFailoverCommands, secondaryDiskTakeoverCommands } from './disk-args';
import { ColoCheckpointHungError, ColoError } from './errors';
import { killSide, sideAlive, sideConnector, type ColoPair, type ColoSide } from './pair-handle';
import { writePairRecord, type ColoFailover, type ColoPairRecord, type ColoRole } from './pair-record';
import { primaryColoRemovalCommands } from './primary-objects';
import { probeQmp } from './probe';
import { secondaryTakeoverCommands } from './secondary-args';

/** Options of {@link failOver}. */
export interface FailoverOptions {
  readonly stateRoot: string;
  /** Which side goes on. */
  readonly survivor: ColoRole;
  /** Why, for the record: `primary-lost`, `secondary-lost`, `command`. */
  readonly reason: string;
  /** How long the survivor may take to answer QMP before it counts as hung. Default 10 s. */
  readonly hangBoundMs?: number;
  readonly onStep?: (text: string) => void;
}

/** A step of a failover: a QMP command on the survivor. */
interface Step {
  readonly command: string;
  readonly args?: Record<string, QmpValue>;
}

/**
 * Runs the steps on one QMP connection (a connection per step costs an SSH channel each on a
 * remote host), each bounded. Returns which succeeded; `undefined` when the QEMU did not answer
 * at all within the bound (hung).
 */
async function runSteps(backend: HostVmBackend, side: ColoSide, steps: readonly Step[], boundMs: number): Promise<boolean[] | undefined> {
  const results: boolean[] = [];
  const probe = await probeQmp(
    async (client) => {
      await sideConnector(backend, side)(client);
      for (const step of steps) {
        try {
          await client.execute(step.command, step.args, { timeoutMs: boundMs });
          results.push(true);
        } catch (error) {
          if (error instanceof QmpExecuteError) results.push(false);
          else throw error;
        }
      }
    },
    [],
    boundMs * (steps.length + 1),
    `${side.key.vmName} (COLO ${side.role})`,
  );
  return probe.ok ? results : undefined;
}

/** Runs the failover; returns the updated record. */
export async function failOver(backend: HostVmBackend, pair: ColoPair, options: FailoverOptions): Promise<ColoPairRecord> {
  const started = performance.now();
  const boundMs = options.hangBoundMs ?? 10_000;
  const survivor = options.survivor === 'secondary' ? pair.secondary : pair.primary;
  const other = options.survivor === 'secondary' ? pair.primary : pair.secondary;
  const vmName = pair.record.vmName;
  if (!(await sideAlive(survivor))) {
    throw new ColoError(`The ${survivor.role} QEMU of VM "${vmName}" is not running, so it cannot take over.`, {
      hint: other.instance !== undefined && (await sideAlive(other)) ? `Fail over to the ${other.role} instead (--to ${other.role}).` : `Neither side runs: start the VM again with qemu-lab colo up ${vmName}.`,
    });
  }
  // Fencing: the side that is given up must be gone before the survivor sends on its own.
  if (await sideAlive(other)) {
    options.onStep?.(`killing the ${other.role} (pid ${other.instance?.pid ?? '?'})`);
    await killSide(other);
  }
  const disk = pair.record.disk !== undefined;
  const steps: Step[] =
    options.survivor === 'secondary'
      ? [...(disk ? secondaryDiskTakeoverCommands() : []), ...secondaryTakeoverCommands()]
      : [...(disk ? primaryDiskFailoverCommands() : []), ...primaryColoRemovalCommands().filter((c) => c.command === 'object-del'), { command: 'x-colo-lost-heartbeat' }];
  const results = await runSteps(backend, survivor, steps, boundMs);
  const heartbeat = steps.findIndex((step) => step.command === 'x-colo-lost-heartbeat');
  if (results === undefined || results[heartbeat] !== true) {
    if (results === undefined) {
      // The survivor does not answer: a hung checkpoint. Nothing of the pair may stay behind.
      await killSide(survivor);
      throw new ColoCheckpointHungError(vmName, { qemu: survivor.role === 'primary' ? pair.record.qemu.primary : pair.record.qemu.secondary, accel: pair.record.accel }, boundMs);
    }
    throw new ColoError(`The ${survivor.role} of VM "${vmName}" refused x-colo-lost-heartbeat: it was not in COLO.`, {
      hint: `See qemu-lab colo status ${vmName}; the guest runs on as it is.`,
    });
  }
  steps.forEach((step, index) => {
    const id = typeof step.args?.id === 'string' ? ` ${step.args.id}` : '';
    options.onStep?.(`${survivor.role}: ${step.command}${id}${results[index] === true ? '' : ' (failed, ignored)'}`);
  });
  if (options.survivor === 'secondary') {
    // From now on the guest is at the secondary's run directory: the home record and the
    // primary's record (when it ran elsewhere after a migration) point there.
    const to = { host: pair.secondary.key.host, slot: pair.secondary.key.slot, at: new Date().toISOString() };
    const home = { labPath: pair.record.labPath, vmName, host: pair.primary.key.host };
    await backend.markMoved(home, to).catch((error: unknown) => options.onStep?.(`warning: ${describeError(error)}`));
    if (pair.primary.key.slot !== undefined) await backend.markMoved(pair.primary.key, to).catch(() => undefined);
  }
  const failover: ColoFailover = { survivor: options.survivor, reason: options.reason, at: new Date().toISOString(), durationMs: Math.round(performance.now() - started) };
  const record: ColoPairRecord = { ...pair.record, state: 'failed-over', lastFailover: failover };
  await writePairRecord(options.stateRoot, record);
  return record;
}
