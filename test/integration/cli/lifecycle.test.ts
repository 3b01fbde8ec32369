import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// The state directory has spaces, quotes, `$()`, a comma and non-ASCII in its name: none of it
// may reach a shell, and QEMU's option syntax must not split at the comma.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const hostileState = join(root, `st $(touch pwned) 'q',ü`);
const labDir = join(root, 'lifecycle-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const env = { QEMU_LAB_STATE_DIR: hostileState };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });

interface Status {
  vm: string;
  state: string;
  accel?: string;
  reason?: string;
  pid?: number;
  ssh?: { port: number };
}
async function statusOf(vm: string): Promise<Status> {
  const run = await cli('--json', 'status');
  expect(run.code, run.stderr).toBe(0);
  const found = (JSON.parse(run.stdout) as Status[]).find((s) => s.vm === vm);
  if (found === undefined) throw new Error(`status has no ${vm}`);
  return found;
}

/** The vm.json files of VM `vm` in a state directory (its usual run directory on this machine). */
function vmRecordsIn(state: string, vm: string): string[] {
  return readdirSync(join(state, 'vms'))
    .filter((name) => name.endsWith(`-${vm}`))
    .map((name) => join(state, 'vms', name, 'vm.json'))
    .filter((path) => existsSync(path));
}

beforeAll(() => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'vms:',
      '  vm1: { image: builtin, memory: 512M, accel: tcg }',
      '  broken: { image: builtin, memory: 256M, accel: tcg, extraArgs: [-device, no-such-device-model] }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await cli('kill', 'vm1');
});

describe('VM lifecycle through the CLI (real QEMU, TCG)', () => {
  it('boots, and status reports running with the accelerator in effect from query-kvm', async () => {
    const up = await cli('up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    const status = await statusOf('vm1');
    expect(status).toMatchObject({ state: 'running', accel: 'tcg' });
    expect(status.ssh?.port).toBeGreaterThan(0);
    expect(qemuProcessesMentioning(hostileState).map((p) => p.pid)).toEqual([status.pid]);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(existsSync(join(labDir, 'pwned'))).toBe(false);
  });

  it('pauses and resumes through QMP, and status follows', async () => {
    expect((await cli('pause', 'vm1')).code).toBe(0);
    expect((await statusOf('vm1')).state).toBe('paused');
    const raw = await cli('qmp', 'vm1', 'query-status');
    expect(JSON.parse(raw.stdout)).toMatchObject({ running: false, status: 'paused' });
    expect((await cli('resume', 'vm1')).code).toBe(0);
    expect((await statusOf('vm1')).state).toBe('running');
  });

  it('passes raw QMP commands with JSON arguments, and reports QMP errors with their class', async () => {
    const ok = await cli('qmp', 'vm1', 'query-name');
    expect(JSON.parse(ok.stdout)).toEqual({ name: 'vm1' });
    const bad = await cli('qmp', 'vm1', 'device_del', '{"id": "no-such-device"}');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/DeviceNotFound|no-such-device/);
    const notJson = await cli('qmp', 'vm1', 'query-status', '{oops');
    expect(notJson.code).toBe(2);
  });

  it('runs the words after -- as one shell line in the guest, as OpenSSH does, and keeps its exit code', async () => {
    const write = await cli('ssh', 'vm1', '--', 'echo hi > /root/x');
    expect(write.code, write.stderr).toBe(0);
    expect(write.stdout).toBe('');
    const read = await cli('ssh', 'vm1', '--', 'cat', '/root/x', '|', 'tr', 'h', 'H');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toBe('Hi\n');
    expect((await cli('ssh', 'vm1', '--', 'exit 7')).code).toBe(7);
  });

  it('with --argv runs each word as one argument, quotes and $() intact, and keeps its exit code', async () => {
    const run = await cli('ssh', 'vm1', '--argv', '--', 'printf', '%s|', 'a b', "it's", '$(x)', '> /root/y');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("a b|it's|$(x)|> /root/y|");
    expect((await cli('ssh', 'vm1', '--argv', '--', 'sh', '-c', 'exit 7')).code).toBe(7);
  });

  it('up --exec on the running VM runs its command as a shell line too', async () => {
    const run = await cli('up', 'vm1', '--exec', 'echo up > /root/z; cat /root/z /root/x');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/already running[^]*\nup\nhi\n$/);
  });

  it('refuses a tampered vm.json of the running VM: ssh.user as an option runs nothing', async () => {
    const [record] = vmRecordsIn(hostileState, 'vm1');
    if (record === undefined) throw new Error('vm1 has no vm.json');
    const original = readFileSync(record, 'utf8');
    const marker = join(root, 'pwned-by-record');
    const parsed = JSON.parse(original) as { ssh: Record<string, unknown> };
    writeFileSync(record, JSON.stringify({ ...parsed, ssh: { ...parsed.ssh, user: `-oProxyCommand=touch ${marker}` } }));
    try {
      const run = await cli('ssh', 'vm1', '--', 'true');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/ssh\.user "-oProxyCommand=touch .*" is not a user name/);
      expect(existsSync(marker)).toBe(false);
    } finally {
      writeFileSync(record, original);
    }
  });

  it('refuses a run directory others may write, and says chmod 700', async () => {
    const [record] = vmRecordsIn(hostileState, 'vm1');
    if (record === undefined) throw new Error('vm1 has no vm.json');
    chmodSync(dirname(record), 0o777);
    try {
      const run = await cli('ssh', 'vm1', '--', 'true');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/group or others may write it \(mode 777\)/);
      expect(run.stderr).toContain('chmod 700');
    } finally {
      chmodSync(dirname(record), 0o700);
    }
    expect((await cli('ssh', 'vm1', '--', 'true')).code).toBe(0);
  });

  it('resets the guest and it comes back to SSH', async () => {
    expect((await cli('reset', 'vm1')).code).toBe(0);
    expect((await statusOf('vm1')).state).toBe('running');
  });

  it('shows a VM whose QEMU died as stopped, with a reason, and can boot it again', async () => {
    const { pid } = await statusOf('vm1');
    // Never let an undefined pid become kill(-1), which signals every process we may signal.
    if (typeof pid !== 'number' || pid <= 1) throw new Error(`status gave no usable pid: ${String(pid)}`);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const dead = await statusOf('vm1');
    expect(dead.state).toBe('stopped');
    expect(dead.reason).toBeTruthy();
    const again = await cli('up', 'vm1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/already running/);
  });

  it('kill ends QEMU at once', async () => {
    expect((await cli('kill', 'vm1')).code).toBe(0);
    expect(qemuProcessesMentioning(hostileState)).toEqual([]);
    expect((await statusOf('vm1')).state).toBe('stopped');
  });

  it("shows QEMU's own words when it exits at start, and leaves nothing running", async () => {
    const run = await cli('up', 'broken');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/QEMU exited while starting/);
    expect(run.stderr).toMatch(/no-such-device-model/);
    expect(qemuProcessesMentioning(hostileState)).toEqual([]);
  });
});
