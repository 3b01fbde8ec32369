import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshCommandArgv } from '../../../extension/core/machines/guest-access/guest-ssh';
import { parseVmRecord, type VmRecord } from '../../../extension/core/machines/vm/vm-record';
import type { GuestLan, NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import { guestExec, statusOf, type SummaryJson } from '../migration/helpers';

// Course report part F: two namespace hosts whose guest bridges share one L2 segment. The guest
// keeps its address and MAC when it migrates from A to B, so an SSH session and an iperf3
// stream opened from host A to the guest's own address go on across the switch-over.
// Both hosts run QEMU 11.1 (the private root the integration set-up installs): QEMU 7.2 under
// TCG corrupts a guest busy receiving a stream at the switch-over now and then (ci22: the guest
// panicked in virtio-net's receive path on B; README, "Live migration"), which is QEMU's fault,
// not the thing tested here.
const newQemu = process.env.QEMU_LAB_TEST_QEMU_NEW ?? '';
let remote: RemoteLab;
let hosts: NetnsHosts;
let a: NetnsHost;
let lan: GuestLan;
const figures: string[] = [];
const cli = (...args: string[]) => remote.cli(...args);

/** The record of the VM's running QEMU (the state directory is on this machine's file system). */
function liveRecord(): VmRecord {
  const records: VmRecord[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name === 'vm.json') {
        const record = parseVmRecord(readFileSync(join(dir, entry.name), 'utf8'), { where: join(dir, entry.name), runDir: dir });
        if (record !== undefined && record.movedTo === undefined) records.push(record);
      }
    }
  };
  walk(remote.remoteState);
  expect(records).toHaveLength(1);
  return records[0] as VmRecord;
}

/** A process in host A's namespace; resolves with its exit code and output. */
function inHostA(argv: readonly string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  hosts.assertAlive();
  const child = spawn('ip', ['netns', 'exec', a.namespace, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

beforeAll(async () => {
  expect(newQemu, 'QEMU_LAB_TEST_QEMU_NEW is not set (the integration set-up installs QEMU 11.1)').not.toBe('');
  remote = createRemoteLab('bridge-migration', { hosts: 2, guestLan: true }, { QEMU_LAB_QEMU: newQemu });
  hosts = remote.hosts;
  a = hosts.hosts[0] as NetnsHost;
  lan = hosts.guestLan as GuestLan;
  remote.writeLab([
    'hosts:',
    ...remote.hostLines(['lab-a', 'lab-b']),
    'networks:',
    `  lan: { kind: bridge, bridge: ${lan.bridge} }`,
    'vms:',
    `  vm1: { host: lab-a, memory: 512M, accel: tcg, network: lan, address: ${lan.prefix}.11/24, gateway: ${lan.prefix}.1 }`,
  ]);
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    hosts.destroy();
  }
  expect(qemuProcessesMentioning(remote.remoteState)).toEqual([]);
  if (figures.length > 0) console.log(`Bridge migration figures (TCG, 512 MiB guest):\n  ${figures.join('\n  ')}`);
});

describe('a guest on a bridge shared by two namespace hosts', () => {
  it('boots on A with its own address on the bridge; SSH reaches it there', async () => {
    const record = liveRecord();
    expect(record).toMatchObject({ host: 'lab-a', guestAddress: `${lan.prefix}.11`, ssh: { host: `${lan.prefix}.11`, port: 22 } });
    expect(record.forwardedPorts).toEqual({});
    expect(record.argv.join(' ')).toMatch(/-netdev tap,id=net0,ifname=qlt[0-9a-f]{8},script=no,downscript=no/);
    const run = await guestExec(cli, 'vm1', `ip -o -4 addr show eth0; cat /sys/class/net/eth0/address`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${lan.prefix}.11/24`);
    // The host's side of the TAP is on the bridge, up.
    const tap = /ifname=(qlt[0-9a-f]{8})/.exec(record.argv.join(' '))?.[1] ?? 'none';
    expect(hosts.exec(a, ['ip', '-o', 'link', 'show', 'dev', tap])).toMatch(new RegExp(`master ${lan.bridge} .*state UP|master ${lan.bridge}`));
  });

  it('keeps an SSH session and an iperf3 stream to the guest alive across a migration to B, with the same address and MAC', async () => {
    const before = liveRecord();
    const ssh = before.ssh;
    if (ssh === undefined) throw new Error('no ssh endpoint');
    const macOf = (text: string) => /^52:54:00(:[0-9a-f]{2}){3}$/m.exec(text)?.[0] ?? `no MAC in: ${text}`;
    const macBefore = macOf((await guestExec(cli, 'vm1', 'cat /sys/class/net/eth0/address')).stdout);
    const server = await guestExec(cli, 'vm1', 'iperf3 -s -1 -D && sleep 0.5 && echo started');
    expect(server.code, server.stderr).toBe(0);

    // From host A, straight to the guest's address: the path that must survive the move to B.
    const ticks = 50;
    const session = inHostA(['ssh', ...sshCommandArgv(ssh, ['sh', '-c', `for i in $(seq 1 ${ticks}); do echo tick $i; sleep 0.4; done; cat /proc/uptime`])]);
    const stream = inHostA(['iperf3', '-c', ssh.host, '-t', '25', '-i', '1', '--json']);
    await new Promise((r) => setTimeout(r, 4_000));

    const run = await cli('--json', 'migrate', 'vm1', '--to', 'lab-b');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson;
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-a' }, to: { host: 'lab-b' } });

    const [sessionEnd, streamEnd] = await Promise.all([session.done, stream.done]);
    expect(sessionEnd.code, sessionEnd.stderr).toBe(0);
    expect(sessionEnd.stdout.match(/^tick \d+$/gm)).toHaveLength(ticks);
    expect(streamEnd.code, streamEnd.stderr + streamEnd.stdout.slice(-400)).toBe(0);
    const report = JSON.parse(streamEnd.stdout) as { intervals: { sum: { bits_per_second: number } }[]; end: { sum_received: { bits_per_second: number } } };
    const perSecond = report.intervals.map((interval) => interval.sum.bits_per_second);
    expect(perSecond.length).toBeGreaterThanOrEqual(24);
    expect(report.end.sum_received.bits_per_second).toBeGreaterThan(0);
    figures.push(
      `migration A → B: ${summary.totalTimeMs ?? '?'} ms total, ${summary.downtimeMs ?? '?'} ms downtime; ` +
        `iperf3 A → guest ${(report.end.sum_received.bits_per_second / 1e9).toFixed(2)} Gbit/s overall, slowest second ${(Math.min(...perSecond) / 1e6).toFixed(0)} Mbit/s`,
    );

    const after = liveRecord();
    expect(after).toMatchObject({ host: 'lab-b', guestAddress: `${lan.prefix}.11` });
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'lab-b', state: 'running' });
    const macAfter = await guestExec(cli, 'vm1', 'cat /sys/class/net/eth0/address');
    expect(macAfter.code, macAfter.stderr).toBe(0);
    expect(macOf(macAfter.stdout)).toBe(macBefore);
  });

  it('samples iperf3 in the guest during a migration back to A: over the bridge the stream runs on through the switch-over', async () => {
    // The client runs on the guest's host (B) against the guest's own address; QEMU forwards no
    // port here. The guest keeps its address on the shared segment, so nothing breaks the stream.
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'lab-a', '--max-bandwidth', '32M', '--during', 'iperf3@guest', '--during-seconds', '8', '--during-lead', '3', '--during-tail', '4');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { timeline: MigrationTimeline };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-b' }, to: { host: 'lab-a' } });
    const t = summary.timeline;
    const migration = t.migration as NonNullable<MigrationTimeline['migration']>;
    const switchover = t.switchoverMs as number;
    const baseline = t.streams.find((x) => x.benchmark === 'iperf3' && x.run === 'baseline');
    const during = t.streams.find((x) => x.benchmark === 'iperf3' && x.run === 'during');
    expect(baseline?.samples.length ?? 0, 'baseline samples').toBeGreaterThanOrEqual(3);
    expect(baseline?.host).toBe('lab-b');
    const ts = during?.samples.map((x) => x.t) ?? [];
    expect(ts.some((x) => x < migration.startMs), 'before').toBe(true);
    expect(ts.filter((x) => x > switchover + 1000).length, `after the switch-over: ${JSON.stringify(during?.ends)}`).toBeGreaterThanOrEqual(2);
    expect(during?.ends.filter((e) => e.kind === 'broken'), 'no broken stream').toEqual([]);
    const values = (during?.samples.map((x) => x.value) ?? []).sort((x, y) => x - y);
    expect(values[Math.floor(values.length / 2)], 'median sample').toBeGreaterThan(0);
    figures.push(
      `--during iperf3@guest B → A over the bridge: ${ts.filter((x) => x < migration.startMs).length} samples before, ${ts.filter((x) => x > migration.startMs && x <= switchover).length} migrating, ` +
        `${ts.filter((x) => x > switchover).length} after; median ${((values[Math.floor(values.length / 2)] ?? 0) / 1e6).toFixed(0)} Mbit/s; downtime ${summary.downtimeMs} ms`,
    );
    expect(liveRecord()).toMatchObject({ host: 'lab-a', guestAddress: `${lan.prefix}.11` });
  });
});
