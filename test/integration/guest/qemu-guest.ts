/**
 * Test helpers to boot the built-in guest under plain QEMU (TCG), reach it over SSH and power it
 * down through QMP. Every QEMU started here has the test root in its argv (its -pidfile), so the
 * global teardown can prove none was left behind.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import type { GuestArtifacts } from '../../../extension/core/machines/guest-image/build';
import { guestKernelCommandLine } from '../../../extension/core/machines/guest-image/kernel-command-line';

/** A free TCP port on 127.0.0.1 (free when asked; QEMU binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A booted guest. */
export interface BootedGuest {
  readonly name: string;
  readonly child: ChildProcess;
  readonly startedAt: number;
  readonly serialLog: string;
  readonly qmpSocket: string;
  readonly sshPort: number;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Starts QEMU on the guest with the given kernel file and NIC model. */
export async function bootGuest(options: {
  root: string;
  name: string;
  guest: GuestArtifacts;
  kernel: string;
  nic: 'virtio-net-pci' | 'e1000';
  /** A static address other than user-net's default 10.0.2.15/24 (passed as qemulab.ip=). */
  ip?: string;
}): Promise<BootedGuest> {
  const sshPort = await freePort();
  const serialLog = join(options.root, `${options.name}.serial.log`);
  const qmpSocket = join(options.root, `${options.name}.qmp`);
  const argv = [
    '-machine', 'q35',
    '-accel', 'tcg',
    '-m', '1024',
    '-smp', '1',
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-kernel', options.kernel,
    '-initrd', options.guest.initrd,
    '-append', guestKernelCommandLine({ hostname: options.name, ...(options.ip === undefined ? {} : { ip: options.ip, gateway: '10.0.2.2' }) }),
    '-serial', `file:${serialLog}`,
    '-device', 'virtio-rng-pci',
    '-netdev', `user,id=n0,hostfwd=tcp:127.0.0.1:${sshPort}-${options.ip?.split('/')[0] ?? ''}:22`,
    '-device', `${options.nic},netdev=n0`,
    '-qmp', `unix:${qmpSocket},server=on,wait=off`,
    '-pidfile', join(options.root, `${options.name}.pid`),
  ];
  const startedAt = performance.now();
  const child = spawn('qemu-system-x86_64', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined);
  return { name: options.name, child, startedAt, serialLog, qmpSocket, sshPort, exited, stderr: () => stderr };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `marker` on the guest's serial console; returns seconds since QEMU started. */
export async function waitForMarker(vm: BootedGuest, marker: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void vm.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    const log = await readFile(vm.serialLog, 'utf8').catch(() => '');
    if (log.split(/\r?\n/).some((line) => line.trim() === marker)) return (performance.now() - vm.startedAt) / 1000;
    if (exitCode !== undefined) throw new Error(`QEMU exited (${exitCode}) before ${marker}:\n${vm.stderr()}\n${log}`);
    await sleep(100);
  }
  const log = await readFile(vm.serialLog, 'utf8').catch(() => '');
  throw new Error(`No ${marker} on the serial console of ${vm.name} within ${timeoutMs} ms:\n${log}`);
}

/** Runs `command` in the guest over SSH with strict host key checking. */
export function ssh(
  vm: BootedGuest,
  guest: GuestArtifacts,
  command: string,
  knownHostsFile = guest.knownHostsFile,
): Promise<{ stdout: string; stderr: string }> {
  const args = [
    '-F', '/dev/null',
    '-i', guest.sshPrivateKey,
    '-p', String(vm.sshPort),
    '-o', `HostKeyAlias=${guest.hostKeyAlias}`,
    '-o', `UserKnownHostsFile=${knownHostsFile}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=20',
    '-o', 'LogLevel=ERROR',
    'root@127.0.0.1',
    command,
  ];
  return new Promise((resolve, reject) => {
    execFile('ssh', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`ssh ${command} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Sends one QMP command after the capabilities handshake and returns its reply line. */
export function qmp(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffer = '';
    let stage: 'greeting' | 'capabilities' | 'command' = 'greeting';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`QMP ${command}: no answer`));
    }, 10_000);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === '') continue;
        const message = JSON.parse(line) as Record<string, unknown>;
        if (stage === 'greeting' && 'QMP' in message) {
          stage = 'capabilities';
          socket.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        } else if (stage === 'capabilities' && 'return' in message) {
          stage = 'command';
          socket.write(`${JSON.stringify({ execute: command })}\n`);
        } else if (stage === 'command' && ('return' in message || 'error' in message)) {
          clearTimeout(timer);
          socket.end();
          resolve(line);
        }
      }
    });
    socket.connect(socketPath);
  });
}

/** Resolves with QEMU's exit code, or rejects after `timeoutMs`. */
export async function waitForExit(vm: BootedGuest, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`QEMU of ${vm.name} still running ${timeoutMs} ms after system_powerdown`)), timeoutMs);
  });
  try {
    return await Promise.race([vm.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
