import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { inGuest, pairStatus, type PairJson } from './pair-cli';

// COLO that replicates between two namespace hosts (real sshd each), through the real CLI, on a
// QEMU that checkpoints under TCG (QEMU_LAB_TEST_QEMU_NEW, the wrapper of a private 11.1 root —
// the namespaces share this machine's file system, so the same wrapper runs on both): the
// primary on A, the secondary on B. Markers written in the guest across checkpoints must all be
// on B after kill -9 of the primary on A and failover; the guest's uptime goes on. The other
// direction (kill the secondary) is proven on one machine (replication.test.ts): one pair boot here.
const newQemu = process.env.QEMU_LAB_TEST_QEMU_NEW ?? '';
let remote: RemoteLab;
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
const figures: string[] = [];

const cli = (...args: string[]) => {
  hosts.assertAlive();
  return runCliProcess(['-f', remote.lab, '--accept-new-host-key', ...args], { cwd: remote.labDir, env: { ...remote.env, QEMU_LAB_QEMU: newQemu } });
};

/** The namespace a process runs in. */
function namespaceOf(pid: number): string {
  return hosts.exec(a, ['ip', 'netns', 'identify', String(pid)]).trim();
}

/** Our QEMUs, by namespace. */
function qemus(): { pid: number; namespace: string }[] {
  return qemuProcessesMentioning(remote.remoteState).map((p) => ({ pid: p.pid, namespace: namespaceOf(p.pid) }));
}

const status = (): Promise<PairJson> => pairStatus(cli);
const guest = (script: string): Promise<string> => inGuest(cli, script);

beforeAll(() => {
  if (newQemu === '') throw new Error('QEMU_LAB_TEST_QEMU_NEW is not set: the COLO replication tests need the wrapper of a QEMU that checkpoints under TCG (11.1, a private root; see the README, "COLO fault tolerance").');
  expect(existsSync(newQemu), `QEMU_LAB_TEST_QEMU_NEW=${newQemu} does not exist`).toBe(true);
  remote = createRemoteLab('colo-rn', { hosts: 2 });
  hosts = remote.hosts;
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  remote.writeLab(['hosts:', ...remote.hostLines(['lab-a', 'lab-b']), 'vms:', '  vm1:', '    host: lab-a', '    memory: 256M', '    accel: tcg', '    machine: pc', '    faultTolerance: { mode: colo, secondary: lab-b, checkpointDelay: 2s }']);
}, 60_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('colo', 'down', 'vm1').catch(() => undefined);
    await cli('kill', 'vm1').catch(() => undefined);
    // Anything still left (a failed test half-way) is ended by its own pid.
    for (const left of qemuProcessesMentioning(remote.remoteState)) if (left.pid > 1) process.kill(left.pid, 'SIGKILL');
    hosts.destroy();
    expect(qemuProcessesMentioning(remote.remoteState)).toEqual([]);
  }
  if (figures.length > 0) console.log(`COLO replication figures (QEMU 11.1, TCG, namespace hosts A → B):\n  ${figures.join('\n  ')}`);
});

describe('COLO replication between two namespace hosts (needs QEMU_LAB_TEST_QEMU_NEW; TCG)', () => {
  it('every marker written on A across checkpoints is on B after kill -9 of the primary and failover; uptime goes on', async () => {
    const up = await cli('--json', 'colo', 'up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/primary: x-colo \+ return-path/);
    expect(up.stderr).toContain(`proxy sockets on ${a.address}`);
    const result = JSON.parse(up.stdout) as { primaryPid: number; secondaryPid: number; enterColoMs: number };
    figures.push(`entered COLO ${(result.enterColoMs / 1000).toFixed(1)} s after migrate`);
    expect(qemus().sort((x, y) => x.pid - y.pid)).toEqual(
      [
        { pid: result.primaryPid, namespace: a.namespace },
        { pid: result.secondaryPid, namespace: b.namespace },
      ].sort((x, y) => x.pid - y.pid),
    );

    const names: string[] = [];
    const first = Number.parseFloat(await guest('cat /proc/uptime'));
    let last = 0;
    // Each SSH session to the guest spans a checkpoint or more (4–6 s here); one look in between proves they happen.
    for (const name of ['n1', 'n2', 'n3']) {
      last = Number.parseFloat(await guest(`echo value-of-${name} > /root/marker-${name} && cat /proc/uptime`));
      names.push(name);
      if (name !== 'n2') continue;
      const seen = await status();
      expect(seen.state).toBe('replicating');
      expect(seen.checkpoints?.count ?? 0, 'checkpoints in the look').toBeGreaterThanOrEqual(1);
      figures.push(`look after ${name}: ${seen.checkpoints?.count ?? 0} checkpoints, every ${seen.checkpoints?.intervalsMs.join('/') ?? '?'} ms, paused ${seen.checkpoints?.pausesMs.join('/') ?? '?'} ms`);
    }
    expect(last - first, 'the markers span several checkpoint intervals').toBeGreaterThan(3 * 2);
    last = Number.parseFloat(await guest('echo value-of-last > /root/marker-last && cat /proc/uptime'));
    names.push('last');

    expect((await status()).primary.pid).toBe(result.primaryPid);
    process.kill(result.primaryPid, 'SIGKILL');
    const failover = await cli('colo', 'failover', 'vm1');
    expect(failover.code, failover.stderr).toBe(0);
    expect(qemus()).toEqual([{ pid: result.secondaryPid, namespace: b.namespace }]);

    const lines = (await guest(`for n in ${names.join(' ')}; do cat /root/marker-$n; done; cat /proc/uptime`)).trim().split('\n');
    expect(lines.slice(0, names.length)).toEqual(names.map((n) => `value-of-${n}`));
    const uptime = Number.parseFloat(lines[names.length] ?? '');
    expect(uptime).toBeGreaterThan(last);
    const after = await status();
    expect(after).toMatchObject({ state: 'failed-over', lastFailover: { survivor: 'secondary' }, secondary: { host: 'lab-b', facts: { mode: 'none' } } });
    figures.push(`primary lost: failover ${after.lastFailover?.durationMs ?? '?'} ms; uptime ${last} s → ${uptime} s`);
    // A bound on hangs, not on speed: 114–117 s here beside a CI run (load average ~20 on 2 cores).
  }, 480_000);
});
