import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from '../extension/core/infrastructure/qmp/client';
import { median, quantile } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';
import { sleep } from '../extension/core/infrastructure/support/sleep';

const ROUNDS = 2000;

/** Round trips on a bare socket: write a command, wait for the reply line — the floor any client can reach. */
async function rawRoundTrips(socketPath: string): Promise<number[]> {
  const socket = createConnection(socketPath);
  let buffered = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    if (buffered.includes('\n') && waiting !== undefined) {
      const done = waiting;
      waiting = undefined;
      done();
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const take = () => {
        const end = buffered.indexOf('\n');
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        resolve(line);
      };
      if (buffered.includes('\n')) take();
      else waiting = take;
    });
  await nextLine(); // greeting
  socket.write('{"execute":"qmp_capabilities"}\n');
  await nextLine();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    socket.write(`{"execute":"query-status","id":${i}}\n`);
    await nextLine();
    times.push(performance.now() - started);
  }
  socket.destroy();
  return times;
}

async function clientRoundTrips(socketPath: string): Promise<number[]> {
  const qmp = new QmpClient();
  await qmp.connect(socketPath);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    await qmp.execute('query-status');
    times.push(performance.now() - started);
  }
  await qmp.disconnect();
  return times;
}

/** QMP round trip through our client next to a raw-socket baseline, on one QEMU, in one run. */
export async function benchQmpRoundTrip(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-qmp-'));
  const socketPath = join(dir, 'qmp.sock');
  const qemu = spawn('qemu-system-x86_64', ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${socketPath},server=on,wait=off`], {
    stdio: 'ignore',
  });
  try {
    while (!existsSync(socketPath)) await sleep(20);
    // Interleave so that load from elsewhere on the machine hits both alike.
    const raw: number[] = [];
    const client: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      raw.push(...(await rawRoundTrips(socketPath)));
      client.push(...(await clientRoundTrips(socketPath)));
    }
    const fmt = (t: number[]) => `median ${(median(t) * 1000).toFixed(0)} µs, p99 ${(quantile(t, 0.99) * 1000).toFixed(0)} µs`;
    report(`QMP round trip, raw socket (${raw.length})`, fmt(raw));
    report(`QMP round trip, QmpClient (${client.length})`, `${fmt(client)}  (×${(median(client) / median(raw)).toFixed(2)} of raw)`);
  } finally {
    qemu.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
