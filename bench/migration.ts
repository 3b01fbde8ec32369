import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHostSystem } from '../extension/core/infrastructure/hosts/system/host-system';
import { QmpClient } from '../extension/core/infrastructure/qmp/client';
import { isQmpObject } from '../extension/core/infrastructure/qmp/messages';
import { runInGuest } from '../extension/core/machines/guest-access/guest-ssh';
import { readPidFile, waitForExit } from '../extension/core/machines/vm/process';
import type { VmRecord } from '../extension/core/machines/vm/vm-record';
import { median } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';
import { sleep } from '../extension/core/infrastructure/support/sleep';

const ROUNDS = 3;
/** Guest RAM filled with random bytes before each migration (its tmpfs and rootfs): 300 MB of the 512 MiB must really be sent. */
const FILL_SCRIPT = 'head -c 200000000 /dev/urandom > /tmp/fill && head -c 100000000 /dev/urandom > /root/fill';
const local = new LocalHostSystem();
const cli = join(__dirname, '../dist/cli.js');

/** One migration's figures. */
interface Figures {
  /** From deciding to migrate to the source QEMU gone and the destination running. */
  readonly wallMs: number;
  readonly totalMs: number;
  readonly downtimeMs: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`qemu-lab ${args.join(' ')} failed:\n${stderr}`))));
  });
}

function currentRecord(state: string): VmRecord {
  // The one run directory whose record does not point elsewhere is where the VM runs.
  for (const dir of readdirSync(join(state, 'vms'))) {
    const path = join(state, 'vms', dir, 'vm.json');
    if (!existsSync(path)) continue;
    const record = JSON.parse(readFileSync(path, 'utf8')) as VmRecord;
    if (record.movedTo === undefined) return record;
  }
  throw new Error('no running VM record');
}

async function bootFilled(lab: string, env: NodeJS.ProcessEnv, state: string): Promise<VmRecord> {
  await run(['-f', lab, 'up', 'vm1'], env);
  const record = currentRecord(state);
  if (record.ssh === undefined) throw new Error('no SSH endpoint');
  await runInGuest(local, record.ssh, ['sh', '-c', FILL_SCRIPT], { timeoutMs: 120_000 });
  return record;
}

async function killAll(state: string): Promise<void> {
  for (const dir of readdirSync(join(state, 'vms'))) {
    const pidFile = join(state, 'vms', dir, 'qemu.pid');
    const pid = await readPidFile(local, pidFile);
    if (pid !== undefined && pid > 1) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
      await waitForExit(local, pid, pidFile, 5_000);
    }
  }
  rmSync(join(state, 'vms'), { recursive: true, force: true });
}

/** The tool: `qemu-lab --json migrate` as a user runs it; its own begin→done time and QEMU's figures. */
async function throughTool(lab: string, env: NodeJS.ProcessEnv): Promise<Figures & { processMs: number }> {
  const started = performance.now();
  const summary = JSON.parse(await run(['-f', lab, '--json', 'migrate', 'vm1', '--to', 'local', '--same-host'], env)) as { wallTimeMs: number; totalTimeMs: number; downtimeMs: number };
  return { processMs: performance.now() - started, wallMs: summary.wallTimeMs, totalMs: summary.totalTimeMs, downtimeMs: summary.downtimeMs };
}

/**
 * The same QMP sequence from a minimal script: a destination with the source's argv (its own
 * run directory and ports, `-incoming defer`), events on, `migrate-incoming`, `migrate`, poll
 * `query-migrate` every 500 ms (woken by MIGRATION events), wait for the destination to run, quit the source.
 */
async function throughScript(source: VmRecord, scratch: string): Promise<Figures> {
  const started = performance.now();
  const sourceDir = source.files.pidFile.slice(0, -'/qemu.pid'.length);
  const argv = source.argv.map((a) => a.replaceAll(sourceDir, scratch).replace(/hostfwd=tcp:127\.0\.0\.1:(\d+)/g, (_m, port: string) => `hostfwd=tcp:127.0.0.1:${Number(port) + 7}`));
  const qemu = spawn(source.qemuBinary, [...argv, '-incoming', 'defer'], { stdio: 'ignore', detached: true });
  qemu.unref();
  while (!existsSync(join(scratch, 'qmp.sock'))) await sleep(10);
  const destination = new QmpClient();
  const src = new QmpClient();
  await destination.connect(join(scratch, 'qmp.sock'));
  await src.connect(source.files.qmpSocket);
  const uri = 'tcp:127.0.0.1:47321';
  const events = { capabilities: [{ capability: 'events', state: true }] };
  await destination.execute('migrate-set-capabilities', events);
  await destination.execute('migrate-incoming', { uri });
  await src.execute('migrate-set-capabilities', events);
  const listener = src.listen(['MIGRATION']);
  await src.execute('migrate', { uri });
  let info: Record<string, unknown> = {};
  for (;;) {
    info = (await src.execute('query-migrate')) as Record<string, unknown>;
    if (info.status === 'completed' && typeof info['total-time'] === 'number' && info['total-time'] > 0) break;
    if (info.status === 'failed' || info.status === 'cancelled') throw new Error(`migration ${String(info.status)}`);
    await Promise.race([sleep(500), listener.next(600).catch(() => undefined)]);
  }
  listener.dispose();
  for (;;) {
    const status = await destination.execute('query-status');
    if (isQmpObject(status) && status.status === 'running') break;
    await sleep(20);
  }
  await src.execute('quit').catch(() => undefined);
  await src.disconnect();
  await destination.disconnect();
  const pid = await readPidFile(local, source.files.pidFile);
  if (pid !== undefined) await waitForExit(local, pid, source.files.pidFile, 5_000);
  return { wallMs: performance.now() - started, totalMs: Number(info['total-time']), downtimeMs: Number(info.downtime) };
}

/**
 * Live migration of a 512 MiB guest whose RAM is mostly written (300 MB of random data in its
 * tmpfs and rootfs), local → local under TCG: through `qemu-lab migrate` next to the same QMP sequence
 * from a minimal script, alternating, in one run. Compares total time and downtime.
 */
export async function benchMigration(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-migration-'));
  const state = join(root, 'state');
  const env = { ...process.env, QEMU_LAB_STATE_DIR: state };
  const lab = join(root, 'qemu-lab.yaml');
  writeFileSync(lab, 'vms:\n  vm1: { image: builtin, cpus: 1, memory: 512M, accel: tcg }\n');
  const tool: (Figures & { processMs: number })[] = [];
  const script: Figures[] = [];
  try {
    await run(['-f', lab, 'guest', 'build'], env);
    for (let i = 0; i < ROUNDS; i += 1) {
      await bootFilled(lab, env, state);
      tool.push(await throughTool(lab, env));
      await killAll(state);

      const source = await bootFilled(lab, env, state);
      const scratch = join(root, `script-${i}`);
      mkdirSync(scratch, { mode: 0o700 });
      try {
        script.push(await throughScript(source, scratch));
      } finally {
        const pid = await readPidFile(local, join(scratch, 'qemu.pid'));
        if (pid !== undefined && pid > 1) {
          process.kill(pid, 'SIGKILL');
          await waitForExit(local, pid, join(scratch, 'qemu.pid'), 5_000);
        }
        await killAll(state);
      }
    }
    const ms = (values: readonly number[]) => `${median(values).toFixed(0)} ms  [${values.map((v) => v.toFixed(0)).join(', ')}]`;
    report(`migration 512 MiB filled, qemu-lab (median of ${ROUNDS})`, ms(tool.map((t) => t.wallMs)));
    report('  QEMU total time', ms(tool.map((t) => t.totalMs)));
    report('  downtime', ms(tool.map((t) => t.downtimeMs)));
    report('  whole CLI process', ms(tool.map((t) => t.processMs)));
    report(`migration 512 MiB filled, minimal script (median of ${ROUNDS})`, ms(script.map((t) => t.wallMs)));
    report('  QEMU total time', ms(script.map((t) => t.totalMs)));
    report('  downtime', ms(script.map((t) => t.downtimeMs)));
    report('  ratio tool / script, wall (goal ≤ 1.1)', (median(tool.map((t) => t.wallMs)) / median(script.map((t) => t.wallMs))).toFixed(3));
    report('  ratio tool / script, QEMU total', (median(tool.map((t) => t.totalMs)) / median(script.map((t) => t.totalMs))).toFixed(3));
    report('  ratio tool / script, downtime', (median(tool.map((t) => t.downtimeMs)) / Math.max(1, median(script.map((t) => t.downtimeMs)))).toFixed(3));
  } finally {
    await killAll(state).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}
