import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

// A COLO pair between two namespace hosts with a real sshd each, driven through the real CLI:
// the primary on A, the secondary on B. The checkpoint delay is long (10 min) because QEMU 7.2
// under TCG deadlocks at the first checkpoint (hang.test.ts shows that); the pair still runs in
// COLO, so failover is real: the secondary runs the guest from the state the first COLO
// migration gave it. `colo up --watch` is the heartbeat that notices a side is gone.
let remote: RemoteLab;
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
/** The lab's folder and the remote hosts' state directory (this machine's file system). */
let labDir: string;
let remoteState: string;
const figures: string[] = [];
const watchers: ChildProcess[] = [];

const cli = (...args: string[]) => remote.cli(...args);

interface SideJson {
  role: string;
  host: string;
  pid?: number;
  alive: boolean;
  qmp: string;
  facts?: { mode: string; lastMode: string; reason: string; migrationStatus?: string };
}
interface PairJson {
  state: string;
  primary: SideJson;
  secondary: SideJson;
  lastFailover?: { survivor: string; reason: string; durationMs: number };
}

async function pairStatus(): Promise<PairJson> {
  const run = await cli('--json', 'colo', 'status', 'vm1');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PairJson;
}

/** The namespace a process runs in. */
function namespaceOf(pid: number): string {
  return hosts.exec(a, ['ip', 'netns', 'identify', String(pid)]).trim();
}

/** Our QEMUs, by namespace. */
function qemus(): { pid: number; namespace: string }[] {
  return qemuProcessesMentioning(remoteState).map((p) => ({ pid: p.pid, namespace: namespaceOf(p.pid) }));
}

/** The guest's uptime in seconds, through whichever host runs it now. */
async function guestUptime(): Promise<number> {
  const run = await cli('ssh', 'vm1', '--', 'cat', '/proc/uptime');
  expect(run.code, run.stderr).toBe(0);
  return Number.parseFloat(run.stdout);
}

/** Starts `colo up vm1 --watch` and waits until the pair runs; returns the watcher and its output so far. */
async function startWatchedPair(): Promise<{ child: ChildProcess; out: () => string; exited: Promise<number | null> }> {
  hosts.assertAlive();
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', remote.lab, '--accept-new-host-key', 'colo', 'up', 'vm1', '--watch', '--interval', '0.25'], {
    cwd: labDir,
    env: { ...process.env, ...remote.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  watchers.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 180_000;
  while (!/heartbeat every/.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(output).toMatch(/COLO pair running/);
  return { child, out: () => output, exited };
}

async function waitFor(what: RegExp, out: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what.test(out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(out()).toMatch(what);
}

beforeAll(() => {
  remote = createRemoteLab('colo-netns', { hosts: 2 });
  ({ hosts, labDir, remoteState } = remote);
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  remote.writeLab(
    [
      'hosts:',
      ...remote.hostLines(['lab-a', 'lab-b']),
      'vms:',
      '  vm1:',
      '    host: lab-a',
      '    memory: 256M',
      '    accel: tcg',
      '    machine: pc',
      '    faultTolerance: { mode: colo, secondary: lab-b, checkpointDelay: 600s }',
      '  vm2:',
      '    host: lab-a',
      '    memory: 256M',
      '    accel: tcg',
      '    machine: pc',
      `    faultTolerance: { mode: colo, secondary: lab-b, checkpointDelay: 600s, disk: ${join(labDir, 'data.qcow2')} }`,
    ],
  );
}, 60_000);

afterAll(async () => {
  for (const watcher of watchers) if (watcher.exitCode === null && watcher.pid !== undefined && watcher.pid > 1) watcher.kill('SIGINT');
  if (hosts !== undefined) {
    for (const vm of ['vm1', 'vm2']) {
      await cli('colo', 'down', vm).catch(() => undefined);
      await cli('kill', vm).catch(() => undefined);
    }
    // Anything still left (a failed test half-way) is ended by its own pid.
    for (const left of qemuProcessesMentioning(remoteState)) if (left.pid > 1) process.kill(left.pid, 'SIGKILL');
    hosts.destroy();
  }
  expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  if (figures.length > 0) console.log(`COLO figures (namespace hosts, TCG, 256 MiB guest):\n  ${figures.join('\n  ')}`);
});

describe('COLO between two namespace hosts (TCG)', () => {
  it('sets up the pair: the primary on A, the secondary on B, proxy sockets on A’s own address, never 0.0.0.0', async () => {
    const boot = await cli('up', 'vm1');
    expect(boot.code, boot.stderr).toBe(0);
    const bootedAt = Date.now();
    const watched = await startWatchedPair();
    expect(watched.out()).toContain(`proxy sockets on ${a.address}`);
    expect(watched.out()).toMatch(new RegExp(`migration stream tcp:${b.address.replaceAll('.', '\\.')}:\\d+`));
    const running = qemus();
    expect(running.map((q) => q.namespace).sort()).toEqual([a.namespace, b.namespace].sort());

    // Every socket A's QEMU listens on is on A's address or loopback.
    const primaryPid = running.find((q) => q.namespace === a.namespace)?.pid ?? 0;
    const listening = hosts.exec(a, ['ss', '-Hltnp']).split('\n').filter((line) => line.includes(`pid=${primaryPid},`));
    expect(listening.length).toBeGreaterThanOrEqual(2);
    for (const line of listening) expect(line).toMatch(new RegExp(`(127\\.0\\.0\\.1|${a.address.replaceAll('.', '\\.')}):\\d+`));

    const status = await pairStatus();
    expect(status).toMatchObject({
      state: 'replicating',
      primary: { host: 'lab-a', alive: true, qmp: 'ok', facts: { mode: 'primary', migrationStatus: 'colo' } },
      secondary: { host: 'lab-b', alive: true, qmp: 'ok', facts: { mode: 'secondary' } },
    });
    const text = await cli('colo', 'status', 'vm1');
    expect(text.stdout).toMatch(/vm1: replicating/);
    expect(text.stdout).toMatch(/primary +lab-a \(pid \d+\): mode primary/);

    // The primary is killed: the heartbeat notices, the secondary takes over, the guest goes on.
    expect(primaryPid).toBeGreaterThan(1);
    process.kill(primaryPid, 'SIGKILL');
    const killedAt = performance.now();
    await waitFor(/failed over to the secondary \(primary-lost\)/, watched.out, 60_000);
    const failedOverMs = performance.now() - killedAt;
    const uptime = await guestUptime();
    const sshMs = performance.now() - killedAt;
    const sinceBoot = (Date.now() - bootedAt) / 1000;
    // Continuous: the guest has been up since its boot on A (a fresh boot would be seconds old).
    expect(uptime).toBeGreaterThan(sinceBoot - 8);
    expect(uptime).toBeLessThan(sinceBoot + 60);
    expect(await watched.exited).toBe(0);
    figures.push(`kill -9 of the primary → heartbeat failover done ${failedOverMs.toFixed(0)} ms, guest answered SSH on B ${sshMs.toFixed(0)} ms (uptime ${uptime.toFixed(1)} s, ${sinceBoot.toFixed(1)} s since boot on A)`);

    expect(qemus().map((q) => q.namespace)).toEqual([b.namespace]);
    const after = await pairStatus();
    expect(after).toMatchObject({ state: 'failed-over', primary: { alive: false }, secondary: { alive: true, facts: { mode: 'none', lastMode: 'secondary', reason: 'request' } }, lastFailover: { survivor: 'secondary', reason: 'primary-lost' } });
    const vmStatus = await cli('--json', 'status');
    expect((JSON.parse(vmStatus.stdout) as { vm: string }[]).find((row) => row.vm === 'vm1')).toMatchObject({ vm: 'vm1', host: 'lab-b', state: 'running' });
  });

  it('the other way: the secondary is killed, the primary goes on alone', async () => {
    expect((await cli('kill', 'vm1')).code).toBe(0);
    expect(qemus()).toEqual([]);
    // The home record points at B since the failover; colo up boots the VM at home (A) again.
    const watched = await startWatchedPair();
    const running = qemus();
    const primary = running.find((q) => q.namespace === a.namespace);
    const secondary = running.find((q) => q.namespace === b.namespace);
    expect(primary).toBeDefined();
    expect(secondary?.pid ?? 0).toBeGreaterThan(1);
    process.kill(secondary?.pid ?? 0, 'SIGKILL');
    const killedAt = performance.now();
    await waitFor(/failed over to the primary \(secondary-lost\)/, watched.out, 60_000);
    figures.push(`kill -9 of the secondary → the primary alone after ${(performance.now() - killedAt).toFixed(0)} ms`);
    expect(await guestUptime()).toBeGreaterThan(0);
    expect(qemus()).toEqual([{ pid: primary?.pid, namespace: a.namespace }]);
    expect(await pairStatus()).toMatchObject({ state: 'failed-over', primary: { alive: true, facts: { mode: 'none', lastMode: 'primary' } }, lastFailover: { survivor: 'primary' } });
  });

  it('with a disk: the primary copies it to B over NBD on B’s address; after failover the guest on B reads it and writes to B’s copy', async () => {
    expect((await cli('kill', 'vm1')).code).toBe(0);
    const image = join(labDir, 'data.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 4k', image]);
    const up = await cli('--json', 'colo', 'up', 'vm2');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(`drive-mirror to nbd://${b.address}:`);
    const record = (JSON.parse(up.stdout) as { record: { disk: { secondaryImages: { parent: string } } } }).record;
    expect(record.disk.secondaryImages.parent.startsWith(remoteState)).toBe(true);
    const failover = await cli('colo', 'failover', 'vm2');
    expect(failover.code, failover.stderr).toBe(0);
    const read = await cli('ssh', 'vm2', '--argv', '--', 'sh', '-c', 'dd if=/dev/vda bs=16 count=1 2>/dev/null | od -An -tx1; echo COLO-NETNS-42 | dd of=/dev/vda bs=512 seek=8 conv=fsync 2>/dev/null');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim().split(/\s+/)).toEqual(Array(16).fill('5a'));
    expect((await cli('colo', 'down', 'vm2')).code).toBe(0);
    expect(execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -v 4096 16', record.disk.secondaryImages.parent], { encoding: 'utf8' })).toMatch(/COLO.NETNS.42/);
    expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  });
});
