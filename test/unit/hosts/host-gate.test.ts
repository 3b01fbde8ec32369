// The host gate (Workspace Trust in the editor): while it is closed, nothing reached through a
// HostPool starts a process, signals one or opens a connection — checked on real processes,
// files and sockets, not on spies. Opening it lets the same objects work.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HostError } from '../../../extension/core/errors';
import { probeHost } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { HostAccessRefusedError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { ConditionalHostGate, OPEN_HOST_GATE } from '../../../extension/core/infrastructure/hosts/host-gate';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-host-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A gate whose state the test sets, like Workspace Trust being granted. */
function switchGate(open: boolean): { gate: ConditionalHostGate; open(): void } {
  let state = open;
  const gate = new ConditionalHostGate(() => state, { reason: 'this workspace is not trusted (Restricted Mode)', hint: 'Trust the workspace.' });
  return { gate, open: () => (state = true) };
}

/** A real listening socket that counts the connections it receives. */
async function countingServer(listen: (server: Server) => void): Promise<{ server: Server; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => {
    server.once('listening', resolve);
    listen(server);
  });
  return { server, connections: () => count };
}

const servers: Server[] = [];
const pools: HostPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.dispose()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function pool(gate: ConditionalHostGate): HostPool {
  const made = new HostPool({ gate, sshConfigPath: null, agentSocket: null, globalKnownHostsPaths: [], home: dir, knownHostsPath: join(dir, 'known_hosts'), connectAttempts: 1, connectTimeoutMs: 5_000 });
  pools.push(made);
  return made;
}

describe('ConditionalHostGate', () => {
  it('asks its condition at each use and refuses with HostAccessRefusedError naming the action, the reason and the fix', () => {
    const { gate, open } = switchGate(false);
    expect(gate.isOpen).toBe(false);
    let caught: unknown;
    try {
      gate.assertOpen('run qemu-system-x86_64');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HostAccessRefusedError);
    expect(caught).toBeInstanceOf(HostError);
    const refused = caught as HostAccessRefusedError;
    expect(refused.message).toBe('QEMU Lab did not run qemu-system-x86_64: this workspace is not trusted (Restricted Mode).');
    expect(refused.hint).toBe('Trust the workspace.');
    expect(refused.action).toBe('run qemu-system-x86_64');
    open();
    expect(gate.isOpen).toBe(true);
    expect(() => gate.assertOpen('run qemu-system-x86_64')).not.toThrow();
    expect(OPEN_HOST_GATE.isOpen).toBe(true);
  });
});

describe('a HostPool behind a closed gate', () => {
  it("this machine's HostSystem runs, starts and signals nothing until the gate opens", async () => {
    const { gate, open } = switchGate(false);
    const local = pool(gate).localSystem();
    const ran = join(dir, 'ran');
    const started = join(dir, 'started');
    await expect(local.run('touch', [ran])).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(local.startDetached('touch', [started], join(dir, 'detached.log'))).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(local.freeLoopbackPort()).rejects.toBeInstanceOf(HostAccessRefusedError);
    // Probing (qemu-system-x86_64 --version, -machine help, …) is refused at its first program.
    await expect(probeHost(local, process.env)).rejects.toBeInstanceOf(HostAccessRefusedError);
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await expect(local.kill(sleeper.pid ?? 0)).rejects.toBeInstanceOf(HostAccessRefusedError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sleeper.exitCode).toBeNull();
      expect(sleeper.signalCode).toBeNull();
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(existsSync(ran)).toBe(false);
    expect(existsSync(started)).toBe(false);

    open();
    await local.run('touch', [ran]);
    expect(existsSync(ran)).toBe(true);
  });

  it('opens no UNIX socket or TCP connection on this machine, through the HostSystem or the transport', async () => {
    const { gate, open } = switchGate(false);
    const unix = await countingServer((s) => s.listen(join(dir, 'qmp.sock')));
    const tcp = await countingServer((s) => s.listen(0, '127.0.0.1'));
    servers.push(unix.server, tcp.server);
    const port = (tcp.server.address() as { port: number }).port;
    const hosts = pool(gate);
    const system = hosts.localSystem();
    const transport = hosts.get('local');
    await expect(system.openUnixSocket(join(dir, 'qmp.sock'))).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(system.openTcp('127.0.0.1', port)).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(transport.openUnixSocket(join(dir, 'qmp.sock'))).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(transport.openTcp('127.0.0.1', port)).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(transport.run('touch', [join(dir, 'transport-ran')])).rejects.toBeInstanceOf(HostAccessRefusedError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unix.connections()).toBe(0);
    expect(tcp.connections()).toBe(0);
    expect(existsSync(join(dir, 'transport-ran'))).toBe(false);

    open();
    (await system.openUnixSocket(join(dir, 'qmp.sock'))).destroy();
    (await transport.openTcp('127.0.0.1', port)).destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unix.connections()).toBe(1);
    expect(tcp.connections()).toBe(1);
  });

  it('an SSH host gets no connection (not even a TCP connect) and its state stays idle', async () => {
    const { gate, open } = switchGate(false);
    const sshd = await countingServer((s) => s.listen(0, '127.0.0.1'));
    servers.push(sshd.server);
    const port = (sshd.server.address() as { port: number }).port;
    const transport = pool(gate).get({ address: '127.0.0.1', port, user: 'nobody' });
    await expect(transport.run('true', [])).rejects.toBeInstanceOf(HostAccessRefusedError);
    await expect(transport.openUnixSocket('/run/qmp.sock')).rejects.toBeInstanceOf(HostAccessRefusedError);
    writeFileSync(join(dir, 'upload'), 'x');
    await expect(transport.upload(join(dir, 'upload'), '/tmp/qemu-lab-never-uploaded')).rejects.toBeInstanceOf(HostAccessRefusedError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sshd.connections()).toBe(0);
    expect(transport.state.kind).toBe('idle');

    // Open: the transport connects (this server is no sshd, so the handshake then fails).
    open();
    await expect(transport.run('true', [])).rejects.toBeInstanceOf(HostError);
    expect(sshd.connections()).toBe(1);
  });

  it('the lab guest is not built behind a closed gate', async () => {
    const { gate } = switchGate(false);
    const deps = vmDependencies({ env: process.env, stateRoot: dir, systemFor: () => pool(gate).localSystem(), gate });
    await expect((async () => deps.guest())()).rejects.toBeInstanceOf(HostAccessRefusedError);
  });
});
