import { copyFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import type { SummaryJson } from './helpers';

// `migrate --during` between two namespace hosts reached over SSH: the benchmarks on the source
// host, the destination host and in the guest all run through the hosts' SSH connections, and
// the guest's are read again on B after the move.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'during-netns-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const home = join(root, 'during-netns-home');
const remoteState = join(root, 'during-netns-state');
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
let env: NodeJS.ProcessEnv;
const figures: string[] = [];
const cli = (...args: string[]) => {
  hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
  return runCliProcess(['-f', lab, '--accept-new-host-key', ...args], { cwd: labDir, env });
};

/** Processes writing into a `--during` output folder: none may outlive the run. */
function leftoverBenchmarks(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (/\/qemu-lab-during\./.test(readlinkSync(`/proc/${pid}/fd/1`))) found.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 2 });
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: remoteState, SSH_AUTH_SOCK: '' };
  const key = join(home, '.ssh', 'id_ed25519');
  copyFileSync(hosts.clientKey, key);
  writeFileSync(
    lab,
    [
      'hosts:',
      `  lab-a: { kind: ssh, address: ${a.address}, user: root, identity: ${key} }`,
      `  lab-b: { kind: ssh, address: ${b.address}, user: root, identity: ${key} }`,
      'vms:',
      '  vm1: { host: lab-a, memory: 512M, accel: tcg }',
      '',
    ].join('\n'),
  );
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    hosts.destroy();
  }
  expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  if (figures.length > 0) console.log(`--during between namespace hosts (TCG, 512 MiB guest):\n  ${figures.join('\n  ')}`);
});

describe('benchmarks during a migration between namespace hosts (TCG, over SSH)', () => {
  it('samples A, B and the guest, which it reads again on B after the switch-over', async () => {
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'lab-b', '--max-bandwidth', '32M', '--during', 'sysbench-cpu@host,sysbench-cpu@dest,sysbench-cpu@guest', '--during-seconds', '6');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { timeline: MigrationTimeline };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-a' }, to: { host: 'lab-b' } });
    const t = summary.timeline;
    const migration = t.migration as NonNullable<MigrationTimeline['migration']>;
    const switchover = t.switchoverMs as number;
    for (const [target, host] of [['host', 'lab-a'], ['dest', 'lab-b'], ['guest', 'lab-a']] as const) {
      const baseline = t.streams.find((s) => s.target === target && s.run === 'baseline');
      const during = t.streams.find((s) => s.target === target && s.run === 'during');
      expect(baseline?.host, target).toBe(host);
      expect(baseline?.samples.length ?? 0, `${target} baseline`).toBeGreaterThanOrEqual(3);
      const ts = during?.samples.map((s) => s.t) ?? [];
      expect(ts.some((x) => x < migration.startMs), `${target} before`).toBe(true);
      expect(ts.some((x) => x > switchover + 1000), `${target} after`).toBe(true);
      figures.push(`sysbench-cpu@${target}: ${baseline?.samples.length} baseline, ${ts.filter((x) => x < migration.startMs).length} before, ${ts.filter((x) => x > migration.startMs && x <= switchover).length} migrating, ${ts.filter((x) => x > switchover).length} after`);
    }
    figures.push(`migration ${((migration.endMs - migration.startMs) / 1000).toFixed(1)} s, downtime ${summary.downtimeMs} ms`);
    expect(leftoverBenchmarks()).toEqual([]);
  });
});
