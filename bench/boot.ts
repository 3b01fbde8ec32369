import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHostSystem } from '../extension/core/infrastructure/hosts/system/host-system';
import { runInGuest } from '../extension/core/machines/guest-access/guest-ssh';
import { readPidFile, waitForExit } from '../extension/core/machines/vm/process';
import type { VmRecord } from '../extension/core/machines/vm/vm-record';
import { median } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';
import { sleep } from '../extension/core/infrastructure/support/sleep';

const RUNS = 5;

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
const local = new LocalHostSystem();
const cli = join(__dirname, '../dist/cli.js');

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(0) : reject(new Error(`${program} ${args.join(' ')} failed:\n${stderr}`))));
  });
}

/** One boot cut at the guest's own clock: its uptime and the kernel's "Run /init" line. */
interface BootPhases {
  readonly beforeKernelMs: number;
  readonly kernelMs: number;
  readonly initToSshMs: number;
}

/**
 * Reads the guest's uptime and when its kernel started /init, right after SSH first answered
 * (`answeredMs` after QEMU was started), and cuts the boot there. The read's own round trip is
 * split in half: the uptime was taken somewhere inside it.
 */
async function bootPhases(endpoint: Parameters<typeof runInGuest>[1], answeredMs: number, started: number): Promise<BootPhases> {
  const before = performance.now() - started;
  const result = await runInGuest(local, endpoint, ['sh', '-c', 'cat /proc/uptime; dmesg | grep -m1 "Run /init"'], { timeoutMs: 10_000 });
  const readAtMs = (before + (performance.now() - started)) / 2;
  const uptime = /^(\d+\.\d+)\s/m.exec(result.stdout);
  const init = /^\[\s*(\d+\.\d+)\]\s+Run \/init/m.exec(result.stdout);
  if (uptime?.[1] === undefined || init?.[1] === undefined) throw new Error(`the guest's uptime or its "Run /init" line is not in:\n${result.stdout}`);
  const kernelAtMs = readAtMs - Number(uptime[1]) * 1000;
  const initAtMs = kernelAtMs + Number(init[1]) * 1000;
  return { beforeKernelMs: kernelAtMs, kernelMs: initAtMs - kernelAtMs, initToSshMs: answeredMs - initAtMs };
}

/**
 * Boot → SSH through `qemu-lab up` (a whole CLI process, as a user runs it) next to the same
 * QEMU argv started by hand and polled with ssh, alternating, in one run.
 */
export async function benchBootToSsh(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-boot-'));
  const env = { ...process.env, QEMU_LAB_STATE_DIR: join(root, 'state') };
  const lab = join(root, 'qemu-lab.yaml');
  writeFileSync(lab, 'vms:\n  vm1: { image: builtin, cpus: 1, memory: 1G, accel: tcg, nic: virtio }\n');
  const tool: number[] = [];
  const hand: number[] = [];
  const phases: BootPhases[] = [];
  try {
    await run(process.execPath, [cli, '-f', lab, 'guest', 'build'], env);
    for (let i = 0; i < RUNS; i += 1) {
      let started = performance.now();
      await run(process.execPath, [cli, '-f', lab, 'up', 'vm1'], env);
      tool.push(performance.now() - started);
      await run(process.execPath, [cli, '-f', lab, 'down', 'vm1', '--force'], env);

      const vmDir = join(root, 'state', 'vms', readdirSync(join(root, 'state', 'vms'))[0] ?? '');
      const record = JSON.parse(readFileSync(join(vmDir, 'vm.json'), 'utf8')) as VmRecord;
      const endpoint = record.ssh;
      if (endpoint === undefined) throw new Error('no SSH endpoint in vm.json');
      rmSync(record.files.serialLog, { force: true }); // QEMU appends: the last run's ready line must go.
      started = performance.now();
      const qemu = spawn(record.qemuBinary, [...record.argv], { stdio: 'ignore', detached: true });
      qemu.unref();
      // As a practised user would script it: wait for the guest's ready line on the serial log,
      // then ssh until it answers (ssh before the guest listens stalls on SLIRP's accept).
      const marker = record.readyMarker ?? 'QEMU-LAB-READY';
      while (!(readFileSafe(record.files.serialLog).includes(marker))) await sleep(50);
      for (;;) {
        const result = await runInGuest(local, endpoint, ['true'], { check: false, timeoutMs: 10_000 });
        if (result.exitCode === 0) break;
        await sleep(100);
      }
      const answeredMs = performance.now() - started;
      hand.push(answeredMs);
      phases.push(await bootPhases(endpoint, answeredMs, started));
      const pid = await readPidFile(local, record.files.pidFile);
      if (pid !== undefined && pid > 1) {
        process.kill(pid, 'SIGKILL');
        await waitForExit(local, pid, record.files.pidFile, 5_000);
      }
    }
    const s = (t: number[]) => `${(median(t) / 1000).toFixed(2)} s  [${t.map((x) => (x / 1000).toFixed(2)).join(', ')}]`;
    report(`boot → SSH, qemu-lab up (median of ${RUNS})`, s(tool));
    report(`boot → SSH, same argv by hand (median of ${RUNS})`, s(hand));
    report('  ratio tool / hand (goal ≤ 1.05)', (median(tool) / median(hand)).toFixed(3));
    const phase = (pick: (p: BootPhases) => number) => `${(median(phases.map(pick)) / 1000).toFixed(2)} s`;
    report('  where the by-hand boot goes (medians; goal < 2.0 s in all)', '');
    report('    QEMU started → guest kernel running', phase((p) => p.beforeKernelMs));
    report('    kernel running → /init started', phase((p) => p.kernelMs));
    report('    /init started → SSH answers', phase((p) => p.initToSshMs));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
