// The disk copy's QMP sequences against a scripted QMP peer (the brief's allowance: the command
// order per phase is checked here; the real thing runs in
// test/integration/migration/disk-namespace.test.ts). A destination that dies mid-copy and a
// mirror that is no longer in step at the switch-over are faults the peer plays; the query-block
// reply is the one QEMU 7.2 gave for a disk guest (test/fixtures/snapshots/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient } from '../../../extension/core/infrastructure/qmp/client';
import type { QmpValue } from '../../../extension/core/infrastructure/qmp/messages';
import {
  abandonMirror,
  COPY_JOB,
  completeMirror,
  exportDisk,
  guestDiskOf,
  mirrorJobOf,
  startMirror,
  stopExport,
  waitUntilReady,
  type DiskCopyProgress,
} from '../../../extension/core/migration/disk-copy';
import { MigrationError } from '../../../extension/core/migration/errors';
import { type FakeConnection, FakeQmpPeer } from '../qmp/fake-qmp-peer';

const queryBlock = JSON.parse(readFileSync(join(__dirname, '../../fixtures/snapshots/query-block-disk-guest.json'), 'utf8')) as QmpValue;

let peer: FakeQmpPeer;
let qmp: QmpClient;
let qemu: FakeConnection;

beforeEach(async () => {
  peer = await FakeQmpPeer.start();
  qmp = new QmpClient({ defaultTimeoutMs: 5_000 });
  const connected = qmp.connect(peer.path);
  qemu = await peer.nextConnection();
  await qemu.handshake();
  await connected;
});

afterEach(async () => {
  await qmp.disconnect();
  await peer.stop();
});

/** A job as QEMU 7.2's query-block-jobs lists a mirror. */
function job(status: string, offset: number, len: number, extra: Record<string, QmpValue> = {}): Record<string, QmpValue> {
  return { 'auto-finalize': true, io_status: 'ok', device: COPY_JOB, 'auto-dismiss': false, busy: false, len, offset, status, paused: false, speed: 0, ready: status === 'ready', type: 'mirror', ...extra };
}

/** Plays QEMU: answers each command in turn with the scripted reply; returns `command args` as received. */
async function play(replies: readonly (QmpValue | { error: string })[]): Promise<string[]> {
  const seen: string[] = [];
  for (const reply of replies) {
    const command = await qemu.nextCommand();
    seen.push(command.arguments === undefined ? command.execute : `${command.execute} ${JSON.stringify(command.arguments)}`);
    if (typeof reply === 'object' && reply !== null && !Array.isArray(reply) && typeof (reply as { error?: unknown }).error === 'string') {
      qemu.replyError(command, 'GenericError', (reply as { error: string }).error);
    } else qemu.reply(command, reply);
  }
  return seen;
}

describe('the disk a migration moves', () => {
  it("finds the guest's writable disk in QEMU 7.2's query-block: its device, node, file, size and base image; never the read-only seed", () => {
    expect(guestDiskOf(queryBlock)).toEqual({
      device: 'virtio0',
      nodeName: '#block187',
      file: 'disk.qcow2',
      virtualSize: 67108864,
      backing: { file: 'base.qcow2', format: 'qcow2' },
    });
    expect(guestDiskOf(queryBlock, 'disk.qcow2')?.device).toBe('virtio0');
    expect(guestDiskOf(queryBlock, 'seed.iso')).toBeUndefined();
    expect(guestDiskOf({ not: 'a list' })).toBeUndefined();
  });

  it('reads the mirror job of query-block-jobs, and nothing of other jobs', () => {
    expect(mirrorJobOf([job('running', 1024, 4096)])).toEqual({ copiedBytes: 1024, totalBytes: 4096, ready: false, status: 'running', error: undefined });
    expect(mirrorJobOf([job('concluded', 10, 20, { error: 'Input/output error' })])?.error).toBe('Input/output error');
    expect(mirrorJobOf([{ ...job('running', 1, 2), device: 'someone-elses' }])).toBeUndefined();
    expect(mirrorJobOf([])).toBeUndefined();
  });
});

describe('the disk copy over QMP', () => {
  it('destination: an NBD server on the migration address, then its disk node exported writable', async () => {
    const [, seen] = await Promise.all([exportDisk(qmp, { address: '10.0.0.2', port: 49152, nodeName: '#block187' }), play([{}, {}])]);
    expect(seen).toEqual([
      'nbd-server-start {"addr":{"type":"inet","data":{"host":"10.0.0.2","port":"49152"}}}',
      'block-export-add {"type":"nbd","id":"qemu-lab-disk","node-name":"#block187","name":"qemu-lab-disk","writable":true}',
    ]);
  });

  it('source: an NBD client node on that export, a mirror into it (sync top, kept once concluded, at the bandwidth limit), followed until READY', async () => {
    const progress: DiskCopyProgress[] = [];
    const [, seen] = await Promise.all([
      (async () => {
        await startMirror(qmp, { address: '10.0.0.2', port: 49152, device: 'virtio0', sync: 'top', bytesPerSecond: 1048576 });
        return waitUntilReady(qmp, { onProgress: (p) => progress.push(p), stallMs: 5_000, pollMs: 1 });
      })(),
      play([{}, {}, [job('running', 0, 8192)], [job('running', 4096, 8192)], [job('ready', 8192, 8192)]]),
    ]);
    expect(seen).toEqual([
      'blockdev-add {"driver":"nbd","node-name":"qemu-lab-disk-copy","server":{"type":"inet","host":"10.0.0.2","port":"49152"},"export":"qemu-lab-disk"}',
      'blockdev-mirror {"job-id":"qemu-lab-disk-copy","device":"virtio0","target":"qemu-lab-disk-copy","sync":"top","auto-dismiss":false,"speed":1048576}',
      'query-block-jobs',
      'query-block-jobs',
      'query-block-jobs',
    ]);
    expect(progress.map((p) => `${p.copiedBytes}/${p.totalBytes}${p.ready ? ' ready' : ''}`)).toEqual(['0/8192', '4096/8192', '8192/8192 ready']);
  });

  it("fails the copy step with QEMU's words when the destination dies mid-copy (the job concludes with an I/O error)", async () => {
    const [outcome] = await Promise.all([
      waitUntilReady(qmp, { stallMs: 5_000, pollMs: 1 }).catch((error: unknown) => error),
      play([[job('running', 4096, 8192)], [job('concluded', 4096, 8192, { error: 'Input/output error' })]]),
    ]);
    expect(outcome).toBeInstanceOf(MigrationError);
    expect((outcome as MigrationError).phase).toBe('copy');
    expect((outcome as MigrationError).message).toBe('Copying the disk to the destination failed: Input/output error.');
    expect((outcome as MigrationError).hint).toMatch(/keeps running on the source with its own disk/);
  });

  it('fails the copy step when no byte moves for the stall time', async () => {
    const stuck = job('running', 4096, 8192);
    const replies = Array.from({ length: 400 }, () => [stuck]);
    const outcome = await Promise.race([
      waitUntilReady(qmp, { stallMs: 50, pollMs: 5 }).catch((error: unknown) => error),
      play(replies).then(() => 'the copy never gave up'),
    ]);
    expect(outcome).toBeInstanceOf(MigrationError);
    expect((outcome as MigrationError).message).toMatch(/^Copying the disk made no progress for 0 s \(4096 of 8192 bytes copied\)\.$/);
  });

  it('at the pause before the switch-over: cancel on the READY mirror (a last pass, no pivot), dismiss, client node removed; then the export stopped', async () => {
    const [, seen] = await Promise.all([
      (async () => {
        await completeMirror(qmp);
        await stopExport(qmp);
      })(),
      play([[job('ready', 8192, 8192)], {}, [job('concluded', 12288, 12288)], {}, {}, {}]),
    ]);
    expect(seen).toEqual([
      'query-block-jobs',
      'block-job-cancel {"device":"qemu-lab-disk-copy"}',
      'query-block-jobs',
      'job-dismiss {"id":"qemu-lab-disk-copy"}',
      'blockdev-del {"node-name":"qemu-lab-disk-copy"}',
      'nbd-server-stop',
    ]);
  });

  it('refuses to hand over a copy that is no longer in step (the job failed after READY): the migration is rolled back instead', async () => {
    const [outcome, seen] = await Promise.all([completeMirror(qmp).catch((error: unknown) => error), play([[job('concluded', 10, 20, { error: 'Input/output error' })]])]);
    expect(outcome).toBeInstanceOf(MigrationError);
    expect((outcome as MigrationError).message).toMatch(/no longer in step \(Input\/output error\)/);
    expect(seen).toEqual(['query-block-jobs']);
  });

  it('rollback: a running mirror is cancelled at once (force), dismissed, and its NBD client node removed', async () => {
    const [, seen] = await Promise.all([
      abandonMirror(qmp),
      play([[job('running', 4096, 8192)], {}, [job('concluded', 4096, 8192, { error: 'Operation canceled' })], {}, [{ 'node-name': 'qemu-lab-disk-copy' }, { 'node-name': '#block187' }], {}]),
    ]);
    expect(seen).toEqual([
      'query-block-jobs',
      'block-job-cancel {"device":"qemu-lab-disk-copy","force":true}',
      'query-block-jobs',
      'job-dismiss {"id":"qemu-lab-disk-copy"}',
      'query-named-block-nodes {"flat":true}',
      'blockdev-del {"node-name":"qemu-lab-disk-copy"}',
    ]);
  });

  it('rollback after the job failed by itself and before the client node was added: only what is there is removed', async () => {
    const [, seen] = await Promise.all([abandonMirror(qmp), play([[], [{ 'node-name': '#block187' }]])]);
    expect(seen).toEqual(['query-block-jobs', 'query-named-block-nodes {"flat":true}']);
  });
});
