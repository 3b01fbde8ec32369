import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { runCliProcess } from '../../support/run-cli';

// Live migration between two libvirt hosts through libvirt: two namespace hosts, each with a real
// sshd and a real libvirtd, reached by the lab over qemu+ssh. A's libvirtd migrates peer-to-peer
// to B's URI, logging in with the key and known_hosts of its /etc/ssh (a folder of this test,
// seen only by that daemon), as a hypervisor's root does. One boot of the built-in guest; the
// migration back runs a `--during` benchmark in the guest.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'migrate-libvirt-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const home = join(root, 'migrate-libvirt-home');
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
let daemons: LibvirtDaemon[] = [];
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => {
  hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
  return runCliProcess(['-f', lab, '--accept-new-host-key', ...args], { cwd: labDir, env });
};
const domains = (daemon: LibvirtDaemon | undefined, all: boolean): string[] =>
  execFileSync('virsh', ['-c', daemon?.uri ?? '', '--quiet', 'list', '--name', ...(all ? ['--all'] : [])], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '');
const uptime = async (): Promise<number> => {
  const run = await cli('up', 'vm1', '--exec', 'cut -d" " -f1 /proc/uptime');
  expect(run.code, run.stderr).toBe(0);
  return Number(/^(\d+\.\d+)$/m.exec(run.stdout)?.[1]);
};

function startMigration(...extra: string[]): { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<number | null>; stderr: () => string; stdout: () => string } {
  hosts.assertAlive();
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', lab, '--accept-new-host-key', ...extra], { cwd: labDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return { child, exited: new Promise((resolve) => child.on('close', resolve)), stderr: () => stderr, stdout: () => stdout };
}

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 2 });
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  // Each libvirtd logs in to the other host with this: the key, the other's host key known, nothing asked.
  const etcSsh = (from: NetnsHost, to: NetnsHost): string => {
    const dir = join(root, `migrate-libvirt-etc-ssh-${from.index}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    copyFileSync(hosts.clientKey, join(dir, 'id_ed25519'));
    writeFileSync(join(dir, 'ssh_known_hosts'), `${to.address} ${to.hostKeyLine}\n`);
    writeFileSync(
      join(dir, 'ssh_config'),
      ['Host *', `  IdentityFile ${join(dir, 'id_ed25519')}`, `  GlobalKnownHostsFile ${join(dir, 'ssh_known_hosts')}`, '  StrictHostKeyChecking yes', '  BatchMode yes', ''].join('\n'),
    );
    return dir;
  };
  daemons = [await startLibvirtDaemon({ name: 'mig-a', host: a, sshConfigDir: etcSsh(a, b) }), await startLibvirtDaemon({ name: 'mig-b', host: b, sshConfigDir: etcSsh(b, a) })];
  const [da, db] = daemons;
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: join(root, 'migrate-libvirt-state'), SSH_AUTH_SOCK: '' };
  copyFileSync(hosts.clientKey, join(home, '.ssh', 'id_ed25519'));
  writeFileSync(
    lab,
    [
      'hosts:',
      `  a: { kind: libvirt, uri: "qemu+ssh://root@${a.address}/system?socket=${da?.socket ?? ''}" }`,
      `  b: { kind: libvirt, uri: "qemu+ssh://root@${b.address}/system?socket=${db?.socket ?? ''}" }`,
      'vms:',
      '  vm1: { host: a, memory: 256M, accel: tcg }',
      '',
    ].join('\n'),
  );
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (hosts === undefined) return;
  await cli('kill', 'vm1').catch(() => undefined);
  for (const daemon of daemons) daemon.stop();
  hosts.destroy();
});

describe('live migration between two libvirt hosts', () => {
  it('cancels through domjobabort: the VM keeps running on A, B has no domain', async () => {
    // 1 MiB/s for ~90 MiB of guest RAM: slow enough to cancel while it runs.
    const migration = startMigration('migrate', 'vm1', '--to', 'b', '--max-bandwidth', '1M');
    const deadline = Date.now() + 120_000;
    // Progress from the source's job: bytes sent, as the direct migration shows them.
    while (!/vm1: active .*sent [1-9]/.test(migration.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(migration.stderr()).toMatch(/vm1: active .*sent [1-9]/);
    const cancelAt = Date.now();
    migration.child.kill('SIGINT');
    expect(await migration.exited).not.toBe(0);
    console.log(`libvirt migration cancelled in ${Date.now() - cancelAt} ms after SIGINT`);
    expect(migration.stderr()).toMatch(/cancelled/i);
    expect(migration.stderr()).toMatch(/runs on "a" as before/);
    expect(domains(daemons[0], false)).toHaveLength(1);
    expect(domains(daemons[1], true)).toEqual([]);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'a', state: 'running' }]);
  }, 240_000);

  it('migrates the running guest to B: progress seen, total time and downtime reported, B runs it, A has none, SSH answers, the guest kept running', async () => {
    const before = await uptime();
    const started = Date.now();
    const migration = startMigration('--json', 'migrate', 'vm1', '--to', 'b');
    const code = await migration.exited;
    expect(code, migration.stderr()).toBe(0);
    const wallMs = Date.now() - started;
    expect(migration.stderr()).toMatch(/vm1: perform/);
    expect(migration.stderr()).toMatch(/vm1: (active|completed)/);
    const summary = JSON.parse(migration.stdout()) as { status: string; to: { host: string }; totalTimeMs: number; downtimeMs: number; ram: { transferredBytes: number; totalBytes: number } };
    expect(summary).toMatchObject({ status: 'completed', to: { host: 'b' } });
    expect(summary.totalTimeMs).toBeGreaterThan(0);
    expect(summary.downtimeMs).toBeGreaterThanOrEqual(0);
    expect(summary.ram.transferredBytes).toBeGreaterThan(1024 * 1024);
    expect(summary.ram.totalBytes).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(domains(daemons[0], true)).toEqual([]);
    expect(domains(daemons[1], false)).toEqual([expect.stringMatching(/^qemu-lab-vm1-[0-9a-f]{10}$/)]);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'b', state: 'running', accel: 'tcg' }]);
    // The guest kept its uptime: the same kernel runs on, it was not booted again.
    const after = await uptime();
    expect(after).toBeGreaterThan(before);
    console.log(`libvirt migration A→B: total ${summary.totalTimeMs} ms, downtime ${summary.downtimeMs} ms, RAM sent ${(summary.ram.transferredBytes / 2 ** 20).toFixed(1)} MiB, wall ${wallMs} ms`);
  }, 240_000);

  it("migrates it back to A (its home, whose record points at B) with a benchmark in the guest around it: A runs it in a second run directory, B has none", async () => {
    const before = await uptime();
    // --during as between direct hosts: a baseline, then the same benchmark with the migration
    // started into it; the guest is followed from B to A. 8 s windows, 5 s lead (a TCG guest on
    // a busy machine takes a second or two to start printing).
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'a', '--during', 'sysbench-cpu@guest', '--during-seconds', '8', '--during-lead', '5');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { totalTimeMs: number; downtimeMs: number; timeline: MigrationTimeline };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'b' }, to: { host: 'a', slot: 'b' } });
    const t = summary.timeline;
    const migration = t.migration as NonNullable<MigrationTimeline['migration']>;
    const baseline = t.streams.find((s) => s.target === 'guest' && s.run === 'baseline');
    const during = t.streams.find((s) => s.target === 'guest' && s.run === 'during')?.samples.map((s) => s.t) ?? [];
    expect(baseline?.samples.length ?? 0, 'guest baseline samples').toBeGreaterThanOrEqual(3);
    expect(during.some((x) => x < migration.startMs), 'guest samples before the migration').toBe(true);
    expect(during.some((x) => x > migration.endMs), 'guest samples after it, read on A').toBe(true);
    console.log(
      `libvirt migration B→A with --during sysbench-cpu@guest: ${baseline?.samples.length} baseline samples, ${during.filter((x) => x < migration.startMs).length} before, ${during.filter((x) => x >= migration.startMs && x <= migration.endMs).length} migrating, ${during.filter((x) => x > migration.endMs).length} after; migration ${((migration.endMs - migration.startMs) / 1000).toFixed(1)} s in all, libvirt's job ${summary.totalTimeMs} ms, downtime ${summary.downtimeMs} ms`,
    );
    expect(domains(daemons[1], true)).toEqual([]);
    expect(domains(daemons[0], false)).toHaveLength(1);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'a', state: 'running' }]);
    expect(await uptime()).toBeGreaterThan(before);
  }, 600_000); // A bound on hangs: the benchmark windows and a guest busy under TCG beside other jobs.

  it('kills it where it runs: no domain is left on either host', async () => {
    const run = await cli('kill', 'vm1');
    expect(run.code, run.stderr).toBe(0);
    expect(domains(daemons[0], true)).toEqual([]);
    expect(domains(daemons[1], true)).toEqual([]);
  });
});
