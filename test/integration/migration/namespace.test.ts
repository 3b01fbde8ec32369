import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import { QmpClient } from '../../../extension/core/infrastructure/qmp/client';
import { isQmpObject } from '../../../extension/core/infrastructure/qmp/messages';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { guestExec, knownPatternSha256, readPatterns, statusOf, writePatterns, type SummaryJson } from './helpers';

// Live migration between two hosts: network namespaces A and B on a bridge, each with its own
// sshd, reached by the real CLI over SSH. They share this machine's file system (so the guest
// files need no copy) and its process table (so the test can see which namespace each QEMU is
// in). The destination listens on its own namespace address only.
let remote: RemoteLab;
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
let remoteState: string;
const figures: string[] = [];
const cli = (...args: string[]) => remote.cli(...args);

/** The namespace a process runs in. */
function namespaceOf(pid: number): string {
  return hosts.exec(a, ['ip', 'netns', 'identify', String(pid)]).trim();
}

/** The run state of a QEMU, asked on its QMP socket (the namespace hosts share this file system). */
async function runStateOf(pid: number): Promise<string> {
  const argv = qemuProcessesMentioning(remoteState).find((p) => p.pid === pid)?.argv ?? [];
  const socket = /path=(.*?),server/.exec(argv.find((arg) => arg.includes('id=qmp0')) ?? '')?.[1];
  if (socket === undefined) throw new Error(`QEMU ${pid} has no QMP socket in its argv: ${argv.join(' ')}`);
  const qmp = new QmpClient({ name: `qemu ${pid}` });
  try {
    await qmp.connect(socket, { timeoutMs: 30_000 });
    const reply = await qmp.execute('query-status');
    return isQmpObject(reply) && typeof reply.status === 'string' ? reply.status : 'unknown';
  } finally {
    await qmp.disconnect();
  }
}

function onlyQemu(): { pid: number; namespace: string } {
  const all = qemuProcessesMentioning(remoteState);
  expect(all, all.map((p) => p.argv.join(' ')).join('\n')).toHaveLength(1);
  const pid = all[0]?.pid ?? 0;
  return { pid, namespace: namespaceOf(pid) };
}

/** `qemu-lab migrate vm1 --to lab-b` at 8 MiB/s (slow enough to act on it meanwhile), running on. */
function startMigration(...extra: string[]): { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<number | null> } {
  hosts.assertAlive();
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', remote.lab, '--accept-new-host-key', 'migrate', 'vm1', '--to', 'lab-b', '--max-bandwidth', '8M', ...extra], {
    cwd: remote.labDir,
    env: { ...process.env, ...remote.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, exited: new Promise<number | null>((resolve) => child.on('close', resolve)) };
}

beforeAll(async () => {
  remote = createRemoteLab('migration-netns', { hosts: 2 });
  ({ hosts, remoteState } = remote);
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  remote.writeLab([
    'hosts:',
    ...remote.hostLines(['lab-a', 'lab-b']),
    'vms:',
    '  vm1: { host: lab-a, memory: 512M, accel: tcg }',
    'migrations:',
    '  to-b: { vm: vm1, to: lab-b, downtimeLimit: 300ms }',
  ]);
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    hosts.destroy();
  }
  expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  if (figures.length > 0) console.log(`Namespace host migration figures (TCG, 512 MiB guest):\n  ${figures.join('\n  ')}`);
});

describe('live migration between two namespace hosts over SSH (TCG)', () => {
  let patterns: { known: string; random: string };

  it('moves the VM from A to B by the lab entry: the destination listens on B, the pattern survives', async () => {
    const before = onlyQemu();
    expect(before.namespace).toBe(a.namespace);
    patterns = await writePatterns(cli, 'vm1');
    expect(patterns.known).toBe(knownPatternSha256());
    const run = await cli('--json', 'migrate', '--name', 'to-b');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson;
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-a' }, to: { host: 'lab-b' }, settings: { downtimeLimitMs: 300 } });
    expect(summary.uri).toBe(`tcp:${b.address}:${summary.uri.split(':').at(-1)}`);
    figures.push(
      `A → B idle: ${summary.wallTimeMs} ms wall (${Object.entries(summary.phases).map(([phase, ms]) => `${phase} ${ms}`).join(', ')} ms), ` +
        `${summary.totalTimeMs} ms QEMU total, ${summary.downtimeMs} ms downtime`,
    );

    const after = onlyQemu();
    expect(after.namespace).toBe(b.namespace);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'lab-b', state: 'running', pid: after.pid });
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('fails cleanly when the destination cannot listen on the address given: the VM stays on B', async () => {
    const before = onlyQemu();
    // A's QEMU cannot bind B's address: migrate-incoming fails before anything is sent.
    const run = await cli('migrate', 'vm1', '--to', 'lab-a', '--address', b.address);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`cannot listen on ${b.address.replaceAll('.', '\\.')}: .*(assign requested address|bind)`, 'i'));
    expect(run.stderr).toMatch(/runs on "lab-b" as before; the destination QEMU is gone/);
    expect(onlyQemu()).toEqual(before);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'lab-b', state: 'running' });
  });

  it('moves it back to A (its home, which points at B, so a second directory there)', async () => {
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'lab-a');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson;
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-b' }, to: { host: 'lab-a', slot: 'b' } });
    expect(summary.uri).toMatch(new RegExp(`^tcp:${a.address.replaceAll('.', '\\.')}:\\d+$`));
    expect(onlyQemu().namespace).toBe(a.namespace);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'lab-a', state: 'running' });
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it("rolls back when B's link is cut mid-migration: no progress, cancelled, B's QEMU ended once it is reachable again", async () => {
    const before = onlyQemu();
    const migration = startMigration('--stall-timeout', '5');
    const exited = migration.exited;
    let stderr = '';
    migration.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!/vm1: active .*sent [1-9]/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toMatch(/vm1: active/);
    hosts.setLink(b, false);
    const cutAt = Date.now();
    while (!/vm1: rollback/.test(stderr) && Date.now() - cutAt < 60_000) await new Promise((r) => setTimeout(r, 200));
    expect(stderr).toMatch(/vm1: rollback/);
    await new Promise((r) => setTimeout(r, 3_000));
    hosts.setLink(b, true);
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/made no progress for \d+ s/);
    figures.push(`link cut: rolled back in ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut`);
    expect(onlyQemu()).toEqual(before);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'lab-a', state: 'running', pid: before.pid });
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('leaves the source paused when the tool loses B after the switch-over: B runs the guest, so resuming A would make two', async () => {
    // Runs last: it ends with the guest on B and the source ended by hand.
    const source = onlyQemu();
    expect(source.namespace).toBe(a.namespace);
    // ~48 MiB that is not zero: at 8 MiB/s the transfer lasts long enough to cut B off meanwhile.
    const fill = await guestExec(cli, 'vm1', 'head -c 50000000 /dev/urandom > /tmp/fill');
    expect(fill.code, fill.stderr).toBe(0);
    const migration = startMigration();
    const exited = migration.exited;
    let stderr = '';
    migration.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let cut = false;
    try {
      const deadline = Date.now() + 60_000;
      while (!/vm1: active/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(/vm1: active/);
      // The tool's path to B fails; A's path to B (the migration stream) stays up, so the
      // migration reaches the switch-over and completes, and B runs the guest — unseen by the tool.
      hosts.setReachableFromRoot(b, false);
      cut = true;
      expect(await exited).toBe(1);
    } finally {
      if (cut) hosts.setReachableFromRoot(b, true);
    }
    expect(stderr).toMatch(/vm1: active .*completed|vm1: finish/);
    const both = qemuProcessesMentioning(remoteState).map((p) => ({ pid: p.pid, namespace: namespaceOf(p.pid) }));
    const destination = both.find((p) => p.namespace === b.namespace);
    expect(both, stderr).toHaveLength(2);
    expect(destination, stderr).toBeDefined();
    expect(await runStateOf(destination?.pid ?? 0)).toBe('running');
    // The source was not resumed: one guest runs, on B.
    expect(await runStateOf(source.pid)).not.toBe('running');
    expect(stderr).toMatch(/left paused on "lab-a"/);
    expect(stderr).toContain('qemu-lab resume vm1');
    expect(stderr).toContain('qemu-lab kill vm1');
    expect(stderr).toContain(`pid ${destination?.pid ?? 0}`);

    // What the message says to do when B runs the guest: end the source; B's QEMU (started by
    // this test's migration) is ended here by its pid.
    const kill = await cli('kill', 'vm1');
    expect(kill.code, kill.stderr).toBe(0);
    if (destination !== undefined) process.kill(destination.pid, 'SIGKILL');
    const gone = Date.now() + 10_000;
    while (qemuProcessesMentioning(remoteState).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
  }, 400_000);
});
