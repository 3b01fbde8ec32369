import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem, type HostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { guestKeysHere } from '../../../extension/core/machines/guest-access/guest-keys-here';
import { proxyCommandLine, relayStdio, startGuestRelay } from '../../../extension/core/machines/guest-access/guest-relay';
import { openGuestSsh } from '../../../extension/core/machines/guest-access/guest-ssh-session';
import type { GuestSshEndpoint } from '../../../extension/core/machines/vm/vm-record';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

// A stand-in for a remote host: this machine, seen as not local, so the relay path is taken.
function pretendRemote(files: Readonly<Record<string, string>> = {}): { system: HostSystem; opened: string[] } {
  const local = new LocalHostSystem();
  const opened: string[] = [];
  const overrides: Partial<HostSystem> = {
    name: 'pretend-remote',
    isLocal: false,
    openTcp: (host, port) => {
      opened.push(`${host}:${port}`);
      return local.openTcp(host, port);
    },
    readText: async (path) => files[path],
  };
  const system = new Proxy(local, {
    get: (target, key, receiver) => (key in overrides ? overrides[key as keyof HostSystem] : Reflect.get(target, key, receiver)),
  }) as HostSystem;
  return { system, opened };
}

let echo: Server;
let echoPort: number;
beforeAll(async () => {
  // Answers every chunk upper-cased, and ends when the client ends.
  echo = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => socket.write(chunk.toString('utf8').toUpperCase()));
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Runs the ProxyCommand side against the relay with `input`, returning what came back. */
async function throughRelay(socketPath: string, input: string): Promise<{ code: number; output: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const done = relayStdio(socketPath, stdin, stdout, () => undefined);
  stdin.end(input);
  return { code: await done, output };
}

describe('the guest relay', () => {
  it('joins each connection to a stream opened through the host, in a private folder removed on close', async () => {
    const { system, opened } = pretendRemote();
    const relay = await startGuestRelay(system, '127.0.0.1', echoPort);
    try {
      expect(statSync(dirname(relay.socketPath)).mode & 0o777).toBe(0o700);
      expect(await throughRelay(relay.socketPath, 'hello')).toEqual({ code: 0, output: 'HELLO' });
      expect(await throughRelay(relay.socketPath, 'again')).toEqual({ code: 0, output: 'AGAIN' });
      expect(opened).toEqual([`127.0.0.1:${echoPort}`, `127.0.0.1:${echoPort}`]);
      expect(relay.lastError).toBeUndefined();
    } finally {
      await relay.close();
    }
    expect(existsSync(dirname(relay.socketPath))).toBe(false);
  });

  it('closes the connection and keeps the reason when the host cannot reach the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const relay = await startGuestRelay(pretendRemote().system, '127.0.0.1', port);
    try {
      expect(await throughRelay(relay.socketPath, 'x')).toEqual({ code: 0, output: '' });
      expect(relay.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      await relay.close();
    }
  });

  it('says so when the relay socket is not there', async () => {
    const errors: string[] = [];
    const code = await relayStdio(join(tmpdir(), 'qemu-lab-no-such-relay.sock'), new PassThrough(), new PassThrough(), (t) => errors.push(t));
    expect(code).toBe(1);
    expect(errors.join('')).toMatch(/cannot reach the relay/);
  });
});

describe('proxyCommandLine', () => {
  it('quotes every word for the shell and doubles % for OpenSSH', () => {
    expect(proxyCommandLine(['/usr/bin/node', '/opt/a b/cli.js', 'internal', 'relay', '/tmp/x%h/s'])).toBe(
      "/usr/bin/node '/opt/a b/cli.js' internal relay /tmp/x%%h/s",
    );
  });

  it('keeps hostile words one word each through a real shell (after OpenSSH undoes %%)', () => {
    const words = HOSTILE_STRINGS.filter((s) => !s.includes('\0'));
    const line = proxyCommandLine(['printf', '%s\\0', ...words]).replaceAll('%%', '%');
    const printed = execFileSync('/bin/sh', ['-c', `exec ${line}`], { encoding: 'utf8' });
    expect(printed.split('\0').slice(0, -1)).toEqual(words);
  });
});

describe('guestKeysHere / openGuestSsh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-guest-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const endpoint: GuestSshEndpoint = {
    host: '127.0.0.1',
    port: 2222,
    user: 'root',
    privateKey: '/remote/home/.cache/qemu-lab/guest/0123456789abcdef/id_ed25519',
    knownHostsFile: '/remote/home/.cache/qemu-lab/guest/0123456789abcdef/known_hosts',
    hostKeyAlias: 'qemu-lab-guest',
  };
  const remoteFiles: Record<string, string> = {
    [endpoint.privateKey]: 'PRIVATE KEY\n',
    [endpoint.knownHostsFile]: 'qemu-lab-guest ssh-ed25519 AAAA\n',
  };
  const remoteWithFiles = (): HostSystem => pretendRemote(remoteFiles).system;

  it('copies the key files of a guest booted from elsewhere into a private folder, removed on dispose', async () => {
    const keys = await guestKeysHere(remoteWithFiles(), endpoint, { QEMU_LAB_CACHE_DIR: dir });
    expect(keys.endpoint.privateKey).not.toBe(endpoint.privateKey);
    expect(readFileSync(keys.endpoint.privateKey, 'utf8')).toBe('PRIVATE KEY\n');
    expect(statSync(keys.endpoint.privateKey).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(keys.endpoint.privateKey)).mode & 0o777).toBe(0o700);
    expect(readFileSync(keys.endpoint.knownHostsFile, 'utf8')).toBe(remoteFiles[endpoint.knownHostsFile]);
    await keys.dispose();
    expect(existsSync(dirname(keys.endpoint.privateKey))).toBe(false);
  });

  it('refuses with a hint when the host has no key files', async () => {
    await expect(guestKeysHere(pretendRemote().system, { ...endpoint, privateKey: '/nope/id', knownHostsFile: '/nope/kh' }, process.env)).rejects.toMatchObject({
      hint: expect.stringMatching(/qemu-lab up/),
    });
  });

  it('gives ssh a ProxyCommand for a remote guest, never turning the host-key check off', async () => {
    const session = await openGuestSsh(remoteWithFiles(), endpoint, { relayArgv: (socket) => ['relay', socket], env: { QEMU_LAB_CACHE_DIR: dir } });
    try {
      const argv = session.argv(['uname', '-r']);
      expect(argv.find((a) => a.startsWith('ProxyCommand='))).toMatch(/^ProxyCommand=relay \/.*qemu-lab-relay-.*\/guest\.sock$/);
      expect(argv).toContain('StrictHostKeyChecking=yes');
      expect(argv.slice(-1)).toEqual(['uname -r']);
      expect(session.env.SHELL).toBe('/bin/sh');
    } finally {
      await session.close();
    }
  });

  it('leaves a local guest as it was: no relay, no copies', async () => {
    const session = await openGuestSsh(new LocalHostSystem(), endpoint, { relayArgv: () => ['unused'], env: process.env });
    expect(session.argv().some((a) => a.startsWith('ProxyCommand='))).toBe(false);
    expect(session.argv()).toContain(endpoint.privateKey);
    expect(session.program(['true'])).toEqual({ program: 'ssh', args: session.argv(['true']) });
    await session.close();
  });

  it('runs ssh inside the namespace of a guest on an isolated network of this machine', async () => {
    const session = await openGuestSsh(new LocalHostSystem(), { ...endpoint, netns: 'qemu-lab-net-x' }, { relayArgv: () => ['unused'], env: process.env });
    const line = session.program(['true']);
    expect([line.program, ...line.args.slice(0, 4)]).toEqual(['ip', 'netns', 'exec', 'qemu-lab-net-x', 'ssh']);
  });

  it('refuses a guest on an isolated network of a remote host, saying what works instead', async () => {
    await expect(openGuestSsh(remoteWithFiles(), { ...endpoint, netns: 'qemu-lab-net-x' }, { relayArgv: () => ['unused'], env: process.env })).rejects.toMatchObject({
      hint: expect.stringMatching(/--exec/),
    });
  });
});
