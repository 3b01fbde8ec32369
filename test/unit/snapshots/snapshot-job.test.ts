// The job protocol against a scripted QMP peer: the events and replies are those QEMU 7.2 sent
// (captured in test/fixtures/snapshots/); a job that fails for want of disk space is a fault this
// machine cannot cause on demand, so the peer plays QEMU's side of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient } from '../../../extension/core/infrastructure/qmp/client';
import { SnapshotJobError, SnapshotUnsupportedError } from '../../../extension/core/snapshots/errors';
import { runSnapshotJob } from '../../../extension/core/snapshots/snapshot-job';
import { type FakeConnection, FakeQmpPeer } from '../qmp/fake-qmp-peer';

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

/** Plays QEMU for one job: replies, sends its status changes, answers query-jobs with `error`, and job-dismiss. */
async function playJob(statuses: readonly string[], error: string | undefined): Promise<string[]> {
  const start = await qemu.nextCommand();
  const id = String(start.arguments?.['job-id']);
  qemu.reply(start);
  qemu.event('JOB_STATUS_CHANGE', { status: 'created', id: 'someone-elses-job' });
  for (const status of statuses) qemu.event('JOB_STATUS_CHANGE', { status, id });
  const query = await qemu.nextCommand();
  qemu.reply(query, [{ 'current-progress': 1, status: 'concluded', 'total-progress': 1, type: start.execute, id, ...(error === undefined ? {} : { error }) }]);
  const dismiss = await qemu.nextCommand();
  qemu.reply(dismiss);
  return [start.execute, JSON.stringify(start.arguments), query.execute, `${dismiss.execute} ${JSON.stringify(dismiss.arguments)}`].map((s) => s.replace(id, 'ID'));
}

const options = { timeoutMs: 5_000, failureHint: 'the VM runs on' };

describe('a snapshot job over QMP', () => {
  it('starts the job with its own id, waits for concluded (ignoring other jobs), reads it and dismisses it', async () => {
    const [done, seen] = await Promise.all([
      runSnapshotJob(qmp, 'snapshot-save', { tag: 't', vmstate: 'n', devices: ['n'] }, options),
      playJob(['created', 'running', 'waiting', 'pending', 'concluded'], undefined),
    ]);
    expect(done).toBeUndefined();
    expect(seen).toEqual(['snapshot-save', '{"job-id":"ID","tag":"t","vmstate":"n","devices":["n"]}', 'query-jobs', 'job-dismiss {"id":"ID"}']);
  });

  it("fails with QEMU's own words when the job concluded with an error, after dismissing it", async () => {
    const [outcome] = await Promise.all([
      runSnapshotJob(qmp, 'snapshot-save', { tag: 't', vmstate: 'n', devices: ['n'] }, options).catch((error: unknown) => error),
      playJob(['created', 'running', 'aborting', 'concluded'], 'Error while writing VM state: No space left on device'),
    ]);
    expect(outcome).toBeInstanceOf(SnapshotJobError);
    expect((outcome as SnapshotJobError).message).toBe("QEMU's snapshot-save job failed: Error while writing VM state: No space left on device");
    expect((outcome as SnapshotJobError).hint).toBe('the VM runs on');
  });

  it('says snapshot jobs need QEMU 6.0 when this QEMU has no such command', async () => {
    const job = runSnapshotJob(qmp, 'snapshot-load', { tag: 't', vmstate: 'n', devices: ['n'] }, options).catch((error: unknown) => error);
    const start = await qemu.nextCommand();
    qemu.replyError(start, 'CommandNotFound', "The command snapshot-load has not been found");
    const outcome = await job;
    expect(outcome).toBeInstanceOf(SnapshotUnsupportedError);
    expect((outcome as Error).message).toMatch(/QEMU 6\.0/);
  });
});
