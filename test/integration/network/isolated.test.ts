import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceName } from '../../../extension/core/infrastructure/network/names';
import { readResults } from '../../../extension/core/measuring/results/store';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// An isolated network: the tool makes a namespace with a bridge, runs QEMU (so its TAP), SSH
// and the benchmark clients in it, and removes it when the last VM is gone. Over TAP the NIC
// model shows in iperf3 (through SLIRP it does not): the course report's virtio vs e1000.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'isolated-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const state = join(root, 'isolated-state');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
const namespace = namespaceName(lab, 'lab');

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
}

/** Our namespace must exist before anything is sent to an address in it. */
function assertNamespace(): void {
  expect(namespaces()).toContain(namespace);
}

interface Outcome {
  cell: { id: string };
  status: string;
  summary?: { count: number; median: number };
}

beforeAll(() => {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'networks:',
      '  lab: { kind: isolated, address: 10.77.0.1/24 }',
      '  missing: { kind: bridge, bridge: qlnobr0 }',
      'vms:',
      '  g1: { memory: 512M, accel: tcg, network: lab, address: 10.77.0.11/24 }',
      '  g2: { memory: 512M, accel: tcg, network: lab, address: 10.77.0.12/24, nic: e1000 }',
      '  nobridge: { memory: 512M, accel: tcg, network: missing, address: 10.78.0.11/24 }',
      'experiments:',
      '  nics:',
      '    vm: g1',
      '    matrix: { nic: [virtio, e1000] }',
      '    targets: [guest]',
      '    benchmarks: [iperf3]',
      '    repetitions: 1',
      '    duration: 2s',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await cli('kill', 'g1').catch(() => undefined);
  await cli('kill', 'g2').catch(() => undefined);
  expect(qemuProcessesMentioning(state)).toEqual([]);
  expect(namespaces()).not.toContain(namespace);
});

describe('an isolated bridge network (real QEMU, TCG)', () => {
  it('two VMs on it reach each other by address; the host side is not in the root namespace', async () => {
    const one = await cli('up', 'g1');
    expect(one.code, one.stderr).toBe(0);
    const two = await cli('up', 'g2');
    expect(two.code, two.stderr).toBe(0);
    assertNamespace();
    expect(execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' })).not.toContain('10.77.0.1/24');
    expect(execFileSync('ip', ['-n', namespace, '-o', 'addr', 'show', 'dev', 'qlbr0'], { encoding: 'utf8' })).toContain('10.77.0.1/24');
    // Both QEMUs run inside the namespace, with their TAPs on its bridge.
    const pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    for (const qemu of qemuProcessesMentioning(state)) expect(pids).toContain(qemu.pid);
    expect(execFileSync('ip', ['-n', namespace, '-o', 'link', 'show', 'master', 'qlbr0'], { encoding: 'utf8' }).match(/qlt[0-9a-f]{8}/g)).toHaveLength(2);

    const ping = await cli('up', 'g1', '--exec', 'ping -c 2 -W 3 10.77.0.12 && cat /sys/class/net/eth0/address');
    expect(ping.code, ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/2 packets received/);
    expect(ping.stdout).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/m);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ vm: 'g1', state: 'running', ssh: { host: '10.77.0.11', port: 22 } })]),
    );
  });

  it('keeps the namespace while a VM runs on it, removes it with the last one', async () => {
    expect((await cli('kill', 'g2')).code).toBe(0);
    expect(namespaces()).toContain(namespace);
    expect((await cli('down', 'g1')).code).toBe(0);
    expect(namespaces()).not.toContain(namespace);
  });

  it('measures virtio against e1000 over the TAP, and every record says which network', async () => {
    const run = await cli('--json', 'bench', 'nics');
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { runId: string; outcomes: Outcome[]; network: string };
    expect(parsed.network).toMatch(/^isolated bridge network "lab"/);
    expect(parsed.outcomes.map((o) => [o.cell.id, o.status])).toEqual([
      ['guest/tcg/virtio/iperf3/to-guest', 'done'],
      ['guest/tcg/virtio/iperf3/from-guest', 'done'],
      ['guest/tcg/e1000/iperf3/to-guest', 'done'],
      ['guest/tcg/e1000/iperf3/from-guest', 'done'],
    ]);
    const { records } = await readResults(labDir);
    const ofRun = records.filter((r) => r.metadata.runId === parsed.runId);
    expect(new Set(ofRun.map((r) => r.metadata.nic))).toEqual(new Set(['virtio', 'e1000']));
    for (const r of ofRun) {
      expect(r.metadata.network).toMatch(/isolated bridge network/);
      expect(r.metric.value).toBeGreaterThan(0);
    }
    const median = (nic: string, direction: string) => parsed.outcomes.find((o) => o.cell.id === `guest/tcg/${nic}/iperf3/${direction}`)?.summary?.median ?? 0;
    const gbits = (nic: string, direction: string) => `${(median(nic, direction) / 1e9).toFixed(2)} Gbit/s`;
    console.log(
      `isolated network, TCG, 2 s iperf3 runs: host → guest virtio ${gbits('virtio', 'to-guest')}, e1000 ${gbits('e1000', 'to-guest')}; ` +
        `guest → host virtio ${gbits('virtio', 'from-guest')}, e1000 ${gbits('e1000', 'from-guest')}`,
    );
    expect(qemuProcessesMentioning(state)).toEqual([]);
    expect(namespaces()).not.toContain(namespace);

    const report = await cli('report', 'nics', '-o', join(labDir, 'out', 'nics.md'));
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(join(labDir, 'out', 'nics.md'), 'utf8');
    expect(md).toContain('isolated bridge network "lab"');
    expect(md).not.toMatch(/Its throughput is bounded by SLIRP/);
  });

  it('refuses a bridge that is not on the host before starting anything', async () => {
    const run = await cli('up', 'nobridge');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/uses bridge qlnobr0, which is not a bridge on host "local"/);
    expect(run.stderr).toMatch(/ip link add qlnobr0 type bridge/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });
});
