import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { primaryMetric } from '../extension/core/measuring/workloads/metric';
import { coefficientOfVariation, median } from '../extension/core/measuring/workloads/stats';
import { measureOnce } from '../extension/core/measuring/experiments/measure';
import { LocalHostSystem } from '../extension/core/infrastructure/hosts/system/host-system';
import type { BenchmarkName } from '../extension/core/lab/model';
import type { GuestSshEndpoint, VmRecord } from '../extension/core/machines/vm/vm-record';
import { report } from './stats';
import { sleep } from '../extension/core/infrastructure/support/sleep';

/** Measured pairs per benchmark, after one warm-up of each side (discarded). */
const RUNS = 7;
/** Seconds per sysbench / iperf3 run. */
const SECONDS = 5;
const GOAL_PERCENT = 2;
const BENCHMARKS: readonly Exclude<BenchmarkName, 'iperf'>[] = ['sysbench-cpu', 'sysbench-memory', 'iperf3'];
const local = new LocalHostSystem();
const cli = join(__dirname, '../dist/cli.js');

function run(program: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function mustRun(program: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(program, args, env);
  if (result.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  return result.stdout;
}

/**
 * `ssh` into the guest as a person would type it: the guest's key and known_hosts, its
 * forwarded port, the command as one string (these commands hold no quotes or spaces to guard).
 */
function handSsh(ssh: GuestSshEndpoint, command: string): Promise<string> {
  return mustRun('ssh', [
    '-i', ssh.privateKey,
    '-p', String(ssh.port),
    '-o', `UserKnownHostsFile=${ssh.knownHostsFile}`,
    '-o', `HostKeyAlias=${ssh.hostKeyAlias}`,
    '-o', 'BatchMode=yes',
    `${ssh.user}@${ssh.host}`,
    command,
  ]);
}

function number(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  if (match?.[1] === undefined) throw new Error(`no ${what} in:\n${text}`);
  return Number(match[1]);
}

/** The same benchmark by hand: reading sysbench's line with a regex, iperf3's JSON with JSON.parse. */
async function byHand(benchmark: (typeof BENCHMARKS)[number], record: VmRecord, ssh: GuestSshEndpoint): Promise<number> {
  switch (benchmark) {
    case 'sysbench-cpu':
      return number(await handSsh(ssh, `sysbench cpu --cpu-max-prime=10000 --threads=1 --time=${SECONDS} run`), /events per second:\s*([\d.]+)/, 'events per second');
    case 'sysbench-memory':
      return number(
        await handSsh(ssh, `sysbench memory --memory-block-size=1K --memory-total-size=100G --memory-oper=write --memory-scope=global --threads=1 --time=${SECONDS} run`),
        /\(([\d.]+) MiB\/sec\)/,
        'MiB/sec',
      );
    case 'iperf3': {
      const port = record.forwardedPorts?.['5201'];
      if (port === undefined) throw new Error('the VM forwards no port to the guest’s 5201');
      await handSsh(ssh, 'iperf3 -s -p 5201 -1 -D');
      // The server daemonizes before it listens; try again a few times, as a person would.
      for (let attempt = 1; ; attempt += 1) {
        const client = await run('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', String(SECONDS), '--json']);
        // Through SLIRP the connection is accepted before the guest's server listens; iperf3 then
        // reports an error (in its JSON) instead of a result: try again.
        const parsed = client.code === 0 ? (JSON.parse(client.stdout) as { end?: { sum_received?: { bits_per_second?: number } } }) : undefined;
        const bitsPerSecond = parsed?.end?.sum_received?.bits_per_second;
        if (bitsPerSecond !== undefined) return bitsPerSecond;
        if (attempt >= 10) throw new Error(`iperf3 client failed:\n${client.stdout}${client.stderr}`);
        await sleep(300);
      }
    }
  }
}

async function throughTool(benchmark: (typeof BENCHMARKS)[number], record: VmRecord): Promise<number> {
  return primaryMetric(await measureOnce(benchmark, { kind: 'guest', system: local, record }, { durationSeconds: SECONDS })).value;
}

/** A ratio as `0.9950 (-0.50 %) — within the 2 % goal`. */
function verdict(ratio: number): string {
  const off = (ratio - 1) * 100;
  return `${ratio.toFixed(4)} (${off >= 0 ? '+' : ''}${off.toFixed(2)} %) — ${Math.abs(off) <= GOAL_PERCENT ? 'within' : 'NOT within'} the ${GOAL_PERCENT} % goal`;
}

/** The 1/5/15-minute load averages and the core count: how busy the machine was meanwhile. */
function loadAverage(): string {
  return `${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`;
}

function formatValue(benchmark: (typeof BENCHMARKS)[number], value: number): string {
  return benchmark === 'iperf3' ? `${(value / 1e9).toFixed(3)} Gbit/s` : `${value.toFixed(2)} ${benchmark === 'sysbench-cpu' ? 'events/s' : 'MiB/s'}`;
}

/**
 * sysbench cpu, sysbench memory and iperf3 (server in the guest, client on the host through the
 * forwarded port) in one built-in guest (TCG, 512 MiB): through the tool's runners and by hand
 * (a plain `ssh` process / plain iperf3 on the host), alternating which goes first, in the same
 * VM in the same run. Prints both medians and their ratio against the goal (within 2 %).
 */
export async function benchToolVsHand(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-tool-vs-hand-'));
  const env = { ...process.env, QEMU_LAB_STATE_DIR: join(root, 'state') };
  const lab = join(root, 'qemu-lab.yaml');
  writeFileSync(lab, 'vms:\n  vm1: { image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: virtio }\n');
  try {
    await mustRun(process.execPath, [cli, '-f', lab, 'up', 'vm1'], env);
    const vmDir = join(root, 'state', 'vms', readdirSync(join(root, 'state', 'vms'))[0] ?? '');
    const record = JSON.parse(readFileSync(join(vmDir, 'vm.json'), 'utf8')) as VmRecord;
    const ssh = record.ssh;
    if (ssh === undefined) throw new Error('no SSH endpoint in vm.json');
    report('tool vs by hand: guest', `TCG, 1 vCPU, 512 MiB, virtio, user networking; ${SECONDS} s per run, ${RUNS} pairs after a warm-up`);
    report('  load average at start', loadAverage());
    for (const benchmark of BENCHMARKS) {
      await throughTool(benchmark, record); // Warm-up (discarded), both ways.
      await byHand(benchmark, record, ssh);
      const tool: number[] = [];
      const hand: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        // Alternate which goes first, so a drift over the run hits both sides alike.
        if (i % 2 === 0) {
          tool.push(await throughTool(benchmark, record));
          hand.push(await byHand(benchmark, record, ssh));
        } else {
          hand.push(await byHand(benchmark, record, ssh));
          tool.push(await throughTool(benchmark, record));
        }
      }
      const list = (values: number[]): string => values.map((v) => formatValue(benchmark, v).split(' ')[0]).join(', ');
      const cv = (values: number[]): string => `CV ${((coefficientOfVariation(values) ?? 0) * 100).toFixed(1)} %`;
      report(`${benchmark}: tool, median of ${RUNS}`, `${formatValue(benchmark, median(tool))}, ${cv(tool)}  [${list(tool)}]`);
      report(`${benchmark}: by hand, median of ${RUNS}`, `${formatValue(benchmark, median(hand))}, ${cv(hand)}  [${list(hand)}]`);
      report(`${benchmark}: tool / by hand (medians)`, verdict(median(tool) / median(hand)));
      // Each pair ran back to back: its ratio cancels a drift in the machine's load over the run.
      const pairs = tool.map((t, i) => t / (hand[i] ?? Number.NaN));
      report(`${benchmark}: tool / by hand (per pair)`, `median ${verdict(median(pairs))}  [${pairs.map((r) => r.toFixed(3)).join(', ')}]`);
      // A 2 % difference cannot be told apart from noise larger than that.
      const noise = Math.max(coefficientOfVariation(tool) ?? 0, coefficientOfVariation(hand) ?? 0) * 100;
      if (noise > GOAL_PERCENT) report(`${benchmark}: note`, `run-to-run CV up to ${noise.toFixed(1)} % > ${GOAL_PERCENT} %: this run cannot judge the goal (busy machine?)`);
    }
    report('  load average at end', loadAverage());
  } finally {
    // Through the tool, which checks the pid is still our QEMU before it kills it.
    await run(process.execPath, [cli, '-f', lab, 'kill', 'vm1'], env).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}
