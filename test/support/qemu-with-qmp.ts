/**
 * QEMUs a test starts itself, with no guest OS, each with a QMP client connected to it — for
 * tests of QMP sequences against real QEMU. {@link TestQemus} keeps what it started and ends
 * exactly those, by their process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { QmpClient } from '../../extension/core/infrastructure/qmp/client';
import { QmpConnectError } from '../../extension/core/infrastructure/qmp/errors';

/** A started QEMU and its connected client. */
export interface QemuWithQmp {
  readonly child: ChildProcess;
  readonly client: QmpClient;
}

/**
 * Starts `binary` with `args` and a QMP socket `<name>.qmp` in `dir`, and connects to it. Bounds
 * are generous: beside a CPU-heavy job QEMU 7.2 took over 10 s to greet. A failure says whether
 * QEMU still ran, what the client saw and what QEMU wrote to stderr.
 */
async function startQemuWithQmp(binary: string, dir: string, name: string, args: readonly string[]): Promise<QemuWithQmp> {
  const socket = join(dir, `${name}.qmp`);
  let stderr = '';
  const child = spawn(binary, [...args, '-qmp', `unix:${socket},server=on,wait=off`], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new QmpClient({ name, defaultTimeoutMs: 30_000, connectTimeoutMs: 60_000 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.connect(socket);
      return { child, client };
    } catch (error) {
      const notYet = error instanceof QmpConnectError && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED');
      if (!notYet || Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        const state = child.exitCode === null ? 'it was running' : `it exited with ${child.exitCode}`;
        throw new Error(`cannot connect to the ${name} QEMU (${state}): ${error instanceof Error ? error.message : String(error)}; its stderr: ${stderr || '(none)'}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The QEMUs one test file started: {@link TestQemus.endAll} in its afterAll ends only those. */
export class TestQemus {
  private readonly started: QemuWithQmp[] = [];

  /** Starts one (see startQemuWithQmp) and keeps it for {@link endAll}. */
  async start(binary: string, dir: string, name: string, args: readonly string[]): Promise<QemuWithQmp> {
    const qemu = await startQemuWithQmp(binary, dir, name, args);
    this.started.push(qemu);
    return qemu;
  }

  /** Disconnects every client and kills every QEMU still running that {@link start} started. */
  async endAll(): Promise<void> {
    await Promise.all(this.started.map((q) => q.client.disconnect()));
    for (const { child } of this.started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
