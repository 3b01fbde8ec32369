import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from '../extension/core/infrastructure/qmp/client';
import { median, quantile } from '../extension/core/measuring/workloads/stats';
import { report } from './stats';
import { sleep } from '../extension/core/infrastructure/support/sleep';

const ROUNDS = 6000;

/**
 * A bare socket that writes a command and waits for the reply line — the floor any client can
 * reach. Its ids are numbers, the shortest JSON can carry.
 */
async function rawConnection(socketPath: string): Promise<{ roundTrip(): Promise<void>; close(): void }> {
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
  let id = 0;
  return {
    async roundTrip() {
      id += 1;
      socket.write(`{"execute":"query-status","id":${id}}\n`);
      JSON.parse(await nextLine());
    },
    close: () => socket.destroy(),
  };
}

/**
 * QMP round trip through our client next to a raw-socket baseline: one QEMU with two QMP
 * monitors, one for each, and the calls alternate one by one (which goes first alternating too:
 * the second of a pair is a few % slower), so load from elsewhere on the machine hits both alike.
 */
export async function benchQmpRoundTrip(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-qmp-'));
  const rawPath = join(dir, 'raw.sock');
  const clientPath = join(dir, 'client.sock');
  const monitor = (path: string) => ['-qmp', `unix:${path},server=on,wait=off`];
  const qemu = spawn('qemu-system-x86_64', ['-machine', 'none', '-nodefaults', '-display', 'none', ...monitor(rawPath), ...monitor(clientPath)], {
    stdio: 'ignore',
  });
  try {
    while (!existsSync(rawPath) || !existsSync(clientPath)) await sleep(20);
    const raw = await rawConnection(rawPath);
    const qmp = new QmpClient();
    await qmp.connect(clientPath);
    const rawTimes: number[] = [];
    const clientTimes: number[] = [];
    const timeRaw = async () => {
      const started = performance.now();
      await raw.roundTrip();
      rawTimes.push(performance.now() - started);
    };
    const timeClient = async () => {
      const started = performance.now();
      await qmp.execute('query-status');
      clientTimes.push(performance.now() - started);
    };
    for (let i = 0; i < ROUNDS; i += 1) {
      if (i % 2 === 0) {
        await timeRaw();
        await timeClient();
      } else {
        await timeClient();
        await timeRaw();
      }
    }
    raw.close();
    await qmp.disconnect();
    const fmt = (t: number[]) => `median ${(median(t) * 1000).toFixed(0)} µs, p99 ${(quantile(t, 0.99) * 1000).toFixed(0)} µs`;
    report(`QMP round trip, raw socket (${rawTimes.length})`, fmt(rawTimes));
    report(`QMP round trip, QmpClient (${clientTimes.length})`, `${fmt(clientTimes)}  (×${(median(clientTimes) / median(rawTimes)).toFixed(2)} of raw, goal ≤ 1.1)`);
  } finally {
    qemu.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
