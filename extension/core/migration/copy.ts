/**
 * Copy (both ends, only when a disk guest's disk moves with the migration): the destination
 * exports its new overlay over NBD on the address the source reaches it at, the source mirrors
 * its own overlay into it, and the step ends once the mirror is READY — the copy is in step and
 * stays so while memory moves. See `disk-copy.ts` for the QMP sequences.
 */
import { describeError } from '../errors';
import type { BeginFacts, MigrationContext } from './context';
import { exportDisk, startMirror, waitUntilReady } from './disk-copy';
import { MigrationError } from './errors';
import type { QmpLink } from './qmp-link';

const PORT_ATTEMPTS = 3;
const DEFAULT_STALL_MS = 30_000;

/** Runs copy; sets `ctx.mirrorStarted` and `ctx.diskCopied`. */
export async function copyDisk(ctx: MigrationContext): Promise<void> {
  const facts = ctx.begin as BeginFacts;
  const disk = facts.disk;
  const target = ctx.destinationDisk;
  const destination = ctx.destinationLink as QmpLink;
  if (disk?.storage !== 'copy' || target === undefined) throw new MigrationError('Nothing to copy: the destination has no disk to copy into.', { phase: 'copy' });
  let port: number | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS && port === undefined; attempt += 1) {
    ctx.options.signal?.throwIfAborted();
    const candidate = await facts.destinationSystem.freeLoopbackPort();
    try {
      await exportDisk(destination, { address: facts.address, port: candidate, nodeName: target.nodeName });
      port = candidate;
    } catch (error) {
      lastError = error;
      // Another program took the port between the check and QEMU's bind: try another.
      if (!/in use/i.test(describeError(error))) break;
      await destination.execute('nbd-server-stop').catch(() => undefined);
    }
  }
  if (port === undefined) {
    throw new MigrationError(`The destination QEMU cannot serve the disk copy on ${facts.address}: ${describeError(lastError)}`, {
      phase: 'copy',
      hint: `Is ${facts.address} an address of host "${facts.destinationKey.host}"? Give the right one with --address.`,
      cause: lastError,
    });
  }
  ctx.note(`Copying the disk ${disk.source.file} (${disk.sync === 'top' ? 'the overlay only: the base image is on both hosts' : 'all of it: the destination has no copy of the base image'}) to ${target.file} on "${facts.destinationKey.host}" over NBD (${facts.address}:${port}, unencrypted, like the migration stream).`);
  ctx.mirrorStarted = true;
  const started = Date.now();
  // The migration's bandwidth limit holds for the disk copy too: both go over the same link.
  const limit = ctx.request.settings.maxBandwidthBytesPerSecond;
  await startMirror(facts.sourceLink, { address: facts.address, port, device: disk.source.device, sync: disk.sync, ...(limit === undefined ? {} : { bytesPerSecond: limit }) });
  const last = await waitUntilReady(facts.sourceLink, {
    onProgress: ctx.options.onDiskProgress,
    signal: ctx.options.signal,
    stallMs: ctx.options.stallTimeoutMs ?? DEFAULT_STALL_MS,
    pollMs: ctx.options.pollIntervalMs,
  });
  ctx.diskCopied = { bytes: last.copiedBytes, ms: Date.now() - started };
}
