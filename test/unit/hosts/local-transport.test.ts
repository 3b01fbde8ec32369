import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandFailedError } from '../../../extension/core/errors';
import { CommandCancelledError, HostChannelError, ProgramNotFoundError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { LocalTransport } from '../../../extension/core/infrastructure/hosts/transports/local-transport';
import { remoteCommandLine } from '../../../extension/core/infrastructure/hosts/transports/run-support';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-local-transport-'));
const local = new LocalTransport();
afterAll(async () => {
  await local.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const hostile = ['', 'a b', "it's", '"dq"', '$(touch /tmp/qemu-lab-pwned)', '`id`', 'line\nbreak', 'ünï ✓', '-n', '*', '\\'];

function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe('LocalTransport', () => {
  it('runs argv exactly, keeps exit codes and signals', async () => {
    const r = await local.run('printf', ['%s\\0', ...hostile]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    const failed = await local.run('sh', ['-c', 'echo oops >&2; exit 7'], { check: false });
    expect(failed).toMatchObject({ exitCode: 7, signal: null, stderr: 'oops\n' });
    const killed = await local.run('sh', ['-c', 'kill -TERM $$'], { check: false });
    expect(killed).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    await expect(local.run('sh', ['-c', 'exit 3'])).rejects.toBeInstanceOf(CommandFailedError);
    await expect(local.run('no-such-program-qemu-lab', [])).rejects.toBeInstanceOf(ProgramNotFoundError);
  });

  it('feeds stdin, sets cwd and env, streams output', async () => {
    const chunks: string[] = [];
    const r = await local.run('sh', ['-c', 'cat; pwd; echo "$QL_X"; echo done >&2'], {
      stdin: 'input\n',
      cwd: dir,
      env: { QL_X: 'x y' },
      onStdout: (c) => chunks.push(c),
    });
    expect(r.stdout).toBe(`input\n${dir}\nx y\n`);
    expect(chunks.join('')).toBe(r.stdout);
    expect(r.stderr).toBe('done\n');
  });

  it('cancels: the whole process group is killed, no hang', async () => {
    const marker = `qemu-lab-local-cancel-${process.pid}`;
    const controller = new AbortController();
    const run = local.run('sh', ['-c', `sleep 1000 & wait # ${marker}`], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(CommandCancelledError);
    await expect(local.run('sleep', ['5'], { timeoutMs: 100 })).rejects.toMatchObject({ reason: 'timeout' });
    await new Promise((r) => setTimeout(r, 100));
    expect(pgrep(marker)).toBe('');
  });

  it('uploads by copying, skipping when the hash matches, and sets the mode', async () => {
    const src = join(dir, 'src.bin');
    const dst = join(dir, 'dst.bin');
    writeFileSync(src, 'hello');
    const first = await local.upload(src, dst, { mode: 0o600 });
    expect(first.skipped).toBe(false);
    expect(readFileSync(dst, 'utf8')).toBe('hello');
    expect(statSync(dst).mode & 0o777).toBe(0o600);
    const second = await local.upload(src, dst, { mode: 0o640 });
    expect(second).toMatchObject({ skipped: true, sha256: first.sha256, bytes: 5 });
    expect(statSync(dst).mode & 0o777).toBe(0o640);
  });

  it('opens UNIX sockets and TCP ports, with clear errors', async () => {
    const socketPath = join(dir, 'echo.sock');
    const server = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => server.listen(socketPath, r));
    const stream = await local.openUnixSocket(socketPath);
    stream.write('ping');
    const got = await new Promise<string>((r) => stream.once('data', (d: Buffer) => r(d.toString())));
    expect(got).toBe('ping');
    stream.destroy();
    server.close();
    await expect(local.openUnixSocket(join(dir, 'missing.sock'))).rejects.toBeInstanceOf(HostChannelError);
    await expect(local.openTcp('127.0.0.1', 1)).rejects.toBeInstanceOf(HostChannelError);
  });
});

describe('remoteCommandLine', () => {
  // What the remote login shell gets must give back argv, cwd and env exactly.
  it('round-trips hostile argv, env and cwd through a real sh', () => {
    const hostileDir = join(dir, "dir with 'quotes' and $(x)");
    execFileSync('mkdir', ['-p', hostileDir]);
    const line = remoteCommandLine('sh', ['-c', 'printf "%s\\0" "$PWD" "$QL_V" "$@"', 'sh', ...hostile], {
      cwd: hostileDir,
      env: { QL_V: "v'$(id)`x`\n" },
    });
    const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual([hostileDir, "v'$(id)`x`\n", ...hostile]);
  });
});
