/**
 * A disk guest's disk copied with its migration (non-shared storage), the way libvirt does it:
 * the destination QEMU (started with `-incoming defer` on a new overlay) exports that overlay's
 * block node writable over NBD; the source adds an NBD client node for it and mirrors its own
 * overlay there (`blockdev-mirror`, `sync: top` when the base image is on both hosts, `full`
 * otherwise) until the job is READY (the copy is in step, and guest writes keep being copied);
 * then memory migrates as usual, with `pause-before-switchover` on the source. At that pause the
 * guest is stopped and its disks still open: the mirror is ended (`block-job-cancel` on a READY
 * mirror completes without a pivot, after a last pass, so the copy is whole), the client node
 * removed, the destination's NBD server stopped, and only then does `migrate-continue` let the
 * destination run the guest. A rollback ends the job and removes the client node; the
 * destination QEMU and its overlay are removed by the caller.
 *
 * The QMP sequences live here, over anything that executes QMP commands (a {@link QmpLink}).
 */
import { isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';
import { sleep } from '../infrastructure/support/sleep';
import { MigrationError } from './errors';
import type { LinkExecuteOptions } from './qmp-link';

/** The block job, NBD client node and export names QEMU Lab uses on the two QEMUs. */
export const COPY_JOB = 'qemu-lab-disk-copy';
export const COPY_NODE = 'qemu-lab-disk-copy';
export const COPY_EXPORT = 'qemu-lab-disk';

/** What a step needs of a QMP connection. */
export interface QmpExecutor {
  execute<T = QmpValue>(command: string, args?: Record<string, QmpValue>, options?: LinkExecuteOptions): Promise<T>;
}

/** How a migration treats a disk guest's disk: copied to the destination, or opened there at the same path. */
export type DiskStorage = 'copy' | 'shared';

/** The guest's writable disk as its running QEMU sees it (`query-block`). */
export interface GuestDisk {
  /** The block device (`virtio0`): what `blockdev-mirror` mirrors. */
  readonly device: string;
  /** Its top block node: what `block-export-add` exports. */
  readonly nodeName: string;
  /** The image file (the VM's overlay). */
  readonly file: string;
  readonly virtualSize: number;
  /** The image under it (the lab's base image), when it has one. */
  readonly backing: { readonly file: string; readonly format: string } | undefined;
}

/**
 * The guest's disk in a `query-block` reply: the writable device with an image (`file` chosen
 * when given, else the first one). The seed ISO is read-only and so never chosen.
 */
export function guestDiskOf(reply: QmpValue, file?: string): GuestDisk | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const entry of reply) {
    if (!isQmpObject(entry) || typeof entry.device !== 'string' || !isQmpObject(entry.inserted)) continue;
    const inserted = entry.inserted;
    if (inserted.ro === true || typeof inserted.file !== 'string' || typeof inserted['node-name'] !== 'string') continue;
    if (file !== undefined && inserted.file !== file) continue;
    const image = isQmpObject(inserted.image) ? inserted.image : {};
    const size = image['virtual-size'];
    if (typeof size !== 'number') continue;
    const backingFile = typeof image['full-backing-filename'] === 'string' ? image['full-backing-filename'] : typeof inserted.backing_file === 'string' ? inserted.backing_file : undefined;
    const backingFormat = typeof image['backing-filename-format'] === 'string' ? image['backing-filename-format'] : undefined;
    return {
      device: entry.device,
      nodeName: inserted['node-name'],
      file: inserted.file,
      virtualSize: size,
      backing: backingFile === undefined ? undefined : { file: backingFile, format: backingFormat ?? 'raw' },
    };
  }
  return undefined;
}

/** The mirror job as `query-block-jobs` shows it. */
export interface MirrorJobState {
  /** Bytes copied so far, and the bytes to copy (both grow while the guest writes). */
  readonly copiedBytes: number;
  readonly totalBytes: number;
  readonly ready: boolean;
  /** The job's status (`running`, `ready`, `concluded`…). */
  readonly status: string;
  /** Why it failed, once concluded with an error. */
  readonly error: string | undefined;
}

/** The copy job in a `query-block-jobs` reply; undefined when there is none (never started, or gone). */
export function mirrorJobOf(reply: QmpValue): MirrorJobState | undefined {
  if (!Array.isArray(reply)) return undefined;
  const job = reply.find((j) => isQmpObject(j) && j.device === COPY_JOB);
  if (!isQmpObject(job)) return undefined;
  const number = (value: QmpValue | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return {
    copiedBytes: number(job.offset),
    totalBytes: number(job.len),
    ready: job.ready === true,
    status: typeof job.status === 'string' ? job.status : 'unknown',
    error: typeof job.error === 'string' ? job.error : undefined,
  };
}

/** Progress of the disk copy, for the CLI and the panel. */
export interface DiskCopyProgress {
  readonly copiedBytes: number;
  readonly totalBytes: number;
  readonly ready: boolean;
}

/** The destination's end: an NBD server on `address:port` exporting its disk node writable. */
export async function exportDisk(destination: QmpExecutor, where: { readonly address: string; readonly port: number; readonly nodeName: string }): Promise<void> {
  await destination.execute('nbd-server-start', { addr: { type: 'inet', data: { host: where.address, port: String(where.port) } } });
  await destination.execute('block-export-add', { type: 'nbd', id: COPY_EXPORT, 'node-name': where.nodeName, name: COPY_EXPORT, writable: true });
}

/** The source's end: an NBD client node on the destination's export, and the mirror job into it. */
export async function startMirror(
  source: QmpExecutor,
  to: { readonly address: string; readonly port: number; readonly device: string; readonly sync: 'top' | 'full'; readonly bytesPerSecond?: number },
): Promise<void> {
  await source.execute('blockdev-add', { driver: 'nbd', 'node-name': COPY_NODE, server: { type: 'inet', host: to.address, port: String(to.port) }, export: COPY_EXPORT });
  // Background copy mode: a guest write never waits on the network (nor fails with it).
  // Kept once concluded (auto-dismiss off), so a failure's reason can be read before it is dismissed.
  await source.execute('blockdev-mirror', { 'job-id': COPY_JOB, device: to.device, target: COPY_NODE, sync: to.sync, 'auto-dismiss': false, ...(to.bytesPerSecond === undefined ? {} : { speed: to.bytesPerSecond }) });
}

/** How {@link waitUntilReady} watches the job. */
export interface ReadyWatch {
  readonly onProgress?: (progress: DiskCopyProgress) => void;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
  /** No byte copied for this long fails the copy (the destination stopped reading). */
  readonly stallMs: number;
}

/** Polls the mirror until it is READY; fails when it fails, vanishes or stalls. */
export async function waitUntilReady(source: QmpExecutor, watch: ReadyWatch): Promise<DiskCopyProgress> {
  let lastCopied = -1;
  let lastMoved = Date.now();
  for (;;) {
    watch.signal?.throwIfAborted();
    const job = mirrorJobOf(await source.execute('query-block-jobs', undefined, { idempotent: true }));
    if (job === undefined || job.status === 'concluded' || job.status === 'aborting' || job.status === 'null' || job.error !== undefined) {
      const why = job?.error ?? 'the job ended before the copy was complete';
      throw new MigrationError(`Copying the disk to the destination failed: ${why}.`, {
        phase: 'copy',
        hint: 'The destination QEMU or the network between the hosts failed while the disk was copied; the VM keeps running on the source with its own disk.',
      });
    }
    const progress = { copiedBytes: job.copiedBytes, totalBytes: job.totalBytes, ready: job.ready };
    watch.onProgress?.(progress);
    if (job.ready) return progress;
    if (job.copiedBytes !== lastCopied) {
      lastCopied = job.copiedBytes;
      lastMoved = Date.now();
    } else if (Date.now() - lastMoved > watch.stallMs) {
      throw new MigrationError(`Copying the disk made no progress for ${Math.round(watch.stallMs / 1000)} s (${job.copiedBytes} of ${job.totalBytes} bytes copied).`, {
        phase: 'copy',
        hint: 'The network between the hosts may be down, or the destination stopped reading; the VM keeps running on the source with its own disk.',
      });
    }
    await sleep(watch.pollMs ?? 500);
  }
}

/** Waits until the job concluded (kept, not dismissed: its error can be read); returns it, or undefined when it is gone. */
async function waitConcluded(source: QmpExecutor, timeoutMs: number): Promise<MirrorJobState | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = mirrorJobOf(await source.execute('query-block-jobs', undefined, { idempotent: true }));
    if (job === undefined || job.status === 'concluded' || Date.now() > deadline) return job;
    await sleep(50);
  }
}

/**
 * Ends a READY mirror so the copy is complete and consistent (the guest is stopped: nothing
 * writes any more): `block-job-cancel` completes it without a pivot after a last pass; then the
 * job is dismissed and the NBD client node goes.
 */
export async function completeMirror(source: QmpExecutor, timeoutMs = 60_000): Promise<void> {
  const job = mirrorJobOf(await source.execute('query-block-jobs', undefined, { idempotent: true }));
  if (job === undefined || !job.ready || job.error !== undefined) {
    throw new MigrationError(`The disk copy is no longer in step (${job === undefined ? 'its job is gone' : (job.error ?? `its job is ${job.status}`)}), so the destination's disk would not be whole.`, {
      phase: 'perform',
      hint: 'The VM keeps running on the source with its own disk; try again.',
    });
  }
  await source.execute('block-job-cancel', { device: COPY_JOB });
  const ended = await waitConcluded(source, timeoutMs);
  if (ended !== undefined && ended.status !== 'concluded') {
    throw new MigrationError(`The disk copy did not finish its last pass within ${Math.round(timeoutMs / 1000)} s (${ended.status}).`, { phase: 'perform', hint: 'The VM keeps running on the source with its own disk.' });
  }
  if (ended !== undefined) await source.execute('job-dismiss', { id: COPY_JOB });
  if (ended?.error !== undefined) {
    throw new MigrationError(`The disk copy failed in its last pass: ${ended.error}.`, { phase: 'perform', hint: 'The VM keeps running on the source with its own disk.' });
  }
  await source.execute('blockdev-del', { 'node-name': COPY_NODE });
}

/** Stops the destination's NBD server (and with it the export): nothing may write the disk once the guest runs there. */
export async function stopExport(destination: QmpExecutor): Promise<void> {
  await destination.execute('nbd-server-stop');
}

/**
 * Rollback on the source: the mirror job ended at once (`force`: no last pass, the copy is being
 * thrown away), dismissed, and the NBD client node removed. Each may be gone already.
 */
export async function abandonMirror(source: QmpExecutor): Promise<void> {
  let job = mirrorJobOf(await source.execute('query-block-jobs', undefined, { idempotent: true }));
  if (job !== undefined && job.status !== 'concluded') {
    await source.execute('block-job-cancel', { device: COPY_JOB, force: true });
    job = await waitConcluded(source, 30_000);
    if (job !== undefined && job.status !== 'concluded') throw new Error(`the disk copy job did not end (${job.status})`);
  }
  if (job !== undefined) await source.execute('job-dismiss', { id: COPY_JOB });
  const nodes = await source.execute('query-named-block-nodes', { flat: true }, { idempotent: true });
  if (Array.isArray(nodes) && nodes.some((n) => isQmpObject(n) && n['node-name'] === COPY_NODE)) await source.execute('blockdev-del', { 'node-name': COPY_NODE });
}
