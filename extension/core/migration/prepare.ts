/**
 * Prepare (on the destination): a QEMU with the same devices as the source — the backend's own
 * boot, with `-incoming defer` — its migration capabilities set, then `migrate-incoming` on
 * the address the source will connect to.
 */
import { dirname } from 'node:path';
import { describeError } from '../errors';
import { QmpClient } from '../infrastructure/qmp/client';
import { isQmpObject } from '../infrastructure/qmp/messages';
import type { DiskReceive } from '../machines/vm/backend';
import { isOurQemu } from '../machines/vm/process';
import { guestDiskOf } from './disk-copy';
import { guestBootFor, networkOf } from '../machines/vm/up';
import { argvDifference, maskHostLocal } from './argv-match';
import { capabilityArguments } from './capabilities';
import type { BeginFacts, MigrationContext } from './context';
import { MigrationError } from './errors';
import { describeLocation } from './location';
import { QmpLink } from './qmp-link';
import { destinationParameterArguments } from './settings';
import { tcpUri } from './uri';

const PORT_ATTEMPTS = 3;

/** A QEMU of this VM already in the destination's directory: an orphan of an interrupted migration is ended; anything else stops us. */
async function clearDestination(ctx: MigrationContext, facts: BeginFacts): Promise<void> {
  const existing = await ctx.deps.backend.findAt(facts.destinationKey);
  if (existing === undefined || !existing.alive) return;
  const client = new QmpClient({ defaultTimeoutMs: 5_000 });
  let state = 'unknown';
  try {
    await ctx.deps.backend.connectQmp(existing.record, client);
    const status = await client.execute('query-status');
    if (isQmpObject(status) && typeof status.status === 'string') state = status.status;
  } catch {
    // Unreachable: treated as not ours to end.
  } finally {
    await client.disconnect();
  }
  if (state !== 'inmigrate') {
    throw new MigrationError(`A QEMU of VM "${facts.vm.name}" already runs at ${describeLocation(facts.destinationLocation)} (${state}, pid ${existing.pid ?? '?'}).`, {
      phase: 'prepare',
      hint: 'Two copies of one VM must not run: end that one first (qemu-lab kill after checking which is which).',
    });
  }
  ctx.note(`Ending a destination QEMU left waiting by an interrupted migration (pid ${existing.pid ?? '?'}).`);
  await ctx.deps.backend.kill(existing);
  await ctx.deps.backend.removeRunFiles(existing.record, { keepRecord: false });
}

/** What the destination's disk is when the VM's disk goes to another host (see `disk-move.ts`). */
function receiveOf(facts: BeginFacts): { receive?: DiskReceive } {
  const disk = facts.disk;
  if (disk === undefined) return {};
  if (disk.storage === 'shared') return { receive: { kind: 'shared', path: disk.source.file } };
  const base = disk.sync === 'top' ? disk.source.backing : undefined;
  return {
    receive: { kind: 'copy', sizeBytes: disk.source.virtualSize, base: base === undefined ? undefined : { file: base.file, format: base.format === 'qcow2' ? 'qcow2' : 'raw' } },
  };
}

/** Runs prepare; fills `ctx.destination`, `ctx.destinationLink` and `ctx.uri`. */
export async function prepare(ctx: MigrationContext): Promise<void> {
  const facts = ctx.begin as BeginFacts;
  const { deps, options } = ctx;
  const sameMachine = facts.sourceKey.host === facts.destinationKey.host;
  await clearDestination(ctx, facts);
  options.signal?.throwIfAborted();

  // On one machine the source holds a fixed SSH port: the destination takes a free one.
  const vm = sameMachine && facts.vm.sshPort !== undefined ? { ...facts.vm, sshPort: undefined } : facts.vm;
  const network = networkOf(ctx.request.lab, vm);
  const media = await guestBootFor(vm, ctx.request.lab.path, facts.destinationSystem, deps, network);
  ctx.destinationStarted = true;
  const { instance, alreadyRunning } = await deps.backend.boot({
    key: facts.destinationKey,
    vm,
    network,
    qemuBinary: facts.destinationBinary,
    accel: { accel: facts.source.record.accel, why: `${facts.source.record.accelWhy} (migrated: the same as on the source)` },
    boot: media.boot,
    guestSsh: media.guestSsh,
    readyMarker: media.readyMarker,
    ...(media.overlay === undefined ? {} : { overlay: { ...media.overlay, ...receiveOf(facts) } }),
    incoming: 'defer',
    signal: options.signal,
    timeoutMs: 60_000,
  });
  if (alreadyRunning) {
    throw new MigrationError(`A QEMU of VM "${vm.name}" appeared at ${describeLocation(facts.destinationLocation)} meanwhile.`, { phase: 'prepare', hint: 'Something else started it; try again.' });
  }
  ctx.destination = instance;

  const pid = instance.pid as number;
  const link = new QmpLink({
    end: 'destination',
    vmName: vm.name,
    connect: (client) => deps.backend.connectQmp(instance.record, client),
    isAlive: () => isOurQemu(facts.destinationSystem, pid, instance.record.files.pidFile),
    phase: () => ctx.machine.phase,
    events: ['MIGRATION', 'RESUME', 'STOP'],
    onConnected: (client) => options.onQmpConnected?.('destination', client),
  });
  ctx.destinationLink = link;
  await link.open();
  if (facts.disk?.storage === 'copy') {
    ctx.destinationDisk = guestDiskOf(await link.execute('query-block', undefined, { idempotent: true }));
    if (ctx.destinationDisk === undefined) throw new MigrationError('The destination QEMU shows no writable disk to copy the guest\'s disk into.', { phase: 'prepare', hint: 'Its log (qemu.stderr.log in its run directory) may say why.' });
  }

  // A copied disk has a path of its own on each host; everything else must match.
  const difference = argvDifference(
    maskHostLocal(facts.source.record.argv, dirname(facts.source.record.files.pidFile), ctx.destinationDisk === undefined ? undefined : facts.disk?.source.file),
    maskHostLocal(instance.record.argv, dirname(instance.record.files.pidFile), ctx.destinationDisk?.file),
  );
  if (difference !== undefined) {
    throw new MigrationError(`The destination would not have the same devices as the running VM: ${difference}.`, {
      phase: 'prepare',
      hint: `The lab file changed since ${vm.name} booted: undo the change, or restart the VM (qemu-lab down ${vm.name}, then up) before migrating.`,
    });
  }
  await link.execute('migrate-set-capabilities', capabilityArguments(ctx.request.settings.capabilities, 'destination'));
  const parameters = destinationParameterArguments(ctx.request.settings);
  if (parameters !== undefined) await link.execute('migrate-set-parameters', parameters);

  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
    options.signal?.throwIfAborted();
    const uri = tcpUri(facts.address, await facts.destinationSystem.freeLoopbackPort());
    try {
      await link.execute('migrate-incoming', { uri });
      ctx.uri = uri;
      return;
    } catch (error) {
      lastError = error;
      // Another program took the port between the check and QEMU's bind: try another.
      if (!/in use/i.test(describeError(error))) break;
    }
  }
  throw new MigrationError(`The destination QEMU cannot listen on ${facts.address}: ${describeError(lastError)}`, {
    phase: 'prepare',
    hint: `Is ${facts.address} an address of host "${facts.destinationKey.host}"? Give the right one with --address.`,
    cause: lastError,
  });
}
