/**
 * The disk steps of `colo up`: the secondary's three images made on its host, the primary's
 * disk copied into the secondary's while the guest runs (drive-mirror to its NBD export), then
 * the replication child added. See disk-args.ts for the shape of both disks.
 */
import { join } from 'node:path';
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';
import type { HostVmBackend } from '../machines/vm/backend';
import { DISK_IDS, primaryReplicationCommands, primaryResyncCommand, type SecondaryImages } from './disk-args';
import { ColoError } from './errors';
import type { ColoSide } from './pair-handle';
import { sleepOrThrow } from '../infrastructure/support/sleep';
import { command } from './setup-steps';

/** The virtual size of an image, in bytes (`-U`: the primary's QEMU holds it open). */
export async function imageVirtualSize(system: HostSystem, image: string): Promise<number> {
  const result = await system.run('qemu-img', ['info', '-U', '--output=json', image], { timeoutMs: 30_000, missingHint: 'Install qemu-utils (qemu-img) on that host.' });
  const size = (JSON.parse(result.stdout) as { 'virtual-size'?: unknown })['virtual-size'];
  if (typeof size !== 'number' || size <= 0) throw new ColoError(`qemu-img gave no size for ${image} on host "${system.name}".`, { hint: 'Is it a disk image?' });
  return size;
}

/** Makes the secondary's parent, hidden and active images (qcow2, the primary's size) in `dir` there. */
export async function makeSecondaryImages(system: HostSystem, dir: string, sizeBytes: number): Promise<SecondaryImages> {
  await system.makePrivateDirectory(dir);
  const images: SecondaryImages = { parent: join(dir, 'parent.qcow2'), hidden: join(dir, 'hidden.qcow2'), active: join(dir, 'active.qcow2') };
  for (const path of [images.parent, images.hidden, images.active]) {
    await system.run('qemu-img', ['create', '-q', '-f', 'qcow2', path, String(sizeBytes)], { timeoutMs: 30_000, missingHint: 'Install qemu-utils (qemu-img) on that host.' });
  }
  return images;
}

function resyncJob(jobs: QmpValue): { ready: boolean } | undefined {
  if (!Array.isArray(jobs)) return undefined;
  for (const job of jobs as readonly QmpValue[]) {
    if (isQmpObject(job) && job.device === DISK_IDS.resync) return { ready: job.ready === true };
  }
  return undefined;
}

/**
 * Copies the primary's disk into the secondary's parent0 while the guest runs, pauses the guest
 * once both are the same, ends the copy, and adds the replication child. The guest stays paused:
 * COLO starts it again with the first checkpoint. Returns when the primary is ready to migrate.
 */
export async function resyncAndReplicate(backend: HostVmBackend, primary: ColoSide, nbd: { address: string; port: number }, options: { signal?: AbortSignal; timeoutMs: number; onPaused: () => void }): Promise<void> {
  const mirror = primaryResyncCommand(nbd.address, nbd.port);
  await command(backend, primary, mirror.command, mirror.args);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const job = resyncJob(await command(backend, primary, 'query-block-jobs'));
    if (job === undefined) throw new ColoError('The copy of the primary disk to the secondary ended before it was in step.', { hint: "The primary's qemu.stderr.log may say why." });
    if (job.ready) break;
    if (Date.now() > deadline) throw new ColoError('The copy of the primary disk to the secondary did not finish in time.', { hint: 'Give it longer with --timeout, or use a smaller disk.' });
    await sleepOrThrow(250, options.signal);
  }
  await command(backend, primary, 'stop');
  options.onPaused();
  await command(backend, primary, 'block-job-cancel', { device: DISK_IDS.resync });
  while (resyncJob(await command(backend, primary, 'query-block-jobs')) !== undefined) await sleepOrThrow(100, options.signal);
  for (const step of primaryReplicationCommands(nbd.address, nbd.port)) {
    const said = await command(backend, primary, step.command, step.args);
    // HMP reports its errors as the text it returns, not as a QMP error.
    if (typeof said === 'string' && said.trim() !== '') {
      throw new ColoError(`The primary refused the replication disk: ${said.trim()}`, { hint: 'Is the block driver "replication" in this QEMU build (qemu-system-x86_64 -drive driver=help)?' });
    }
  }
}
