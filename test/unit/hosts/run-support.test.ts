import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { HostUnreachableError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { execFailed, PidAnnouncement, PID_MARKER } from '../../../extension/core/infrastructure/hosts/transports/run-support';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-run-support-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PidAnnouncement', () => {
  it('takes the announced pid off stderr, even split across chunks', () => {
    const rest: string[] = [];
    const pids: number[] = [];
    const a = new PidAnnouncement((c) => rest.push(c.toString()), (p) => pids.push(p));
    a.push(Buffer.from(PID_MARKER.slice(0, 5)));
    a.push(Buffer.from(`${PID_MARKER.slice(5)}1234\nreal `));
    a.push(Buffer.from('stderr\n'));
    a.end();
    expect(pids).toEqual([1234]);
    expect(rest.join('')).toBe('real stderr\n');
  });

  it('passes everything on when there is no announcement', () => {
    const rest: string[] = [];
    const a = new PidAnnouncement((c) => rest.push(c.toString()), () => undefined);
    a.push(Buffer.from('csh: weird shell\nmore'));
    a.push(Buffer.from('\n'));
    const b = new PidAnnouncement((c) => rest.push(c.toString()), () => undefined);
    b.push(Buffer.from('short'));
    b.end();
    expect(rest.join('')).toBe('csh: weird shell\nmore\nshort');
  });
});

describe('execFailed', () => {
  it("recognises the remote shell's and env's own not-found, not a program's", () => {
    expect(execFailed('qemu-x', 'bash: line 1: exec: qemu-x: not found\n')).toBe(true);
    expect(execFailed('qemu-x', 'sh: 1: exec: qemu-x: not found\n')).toBe(true);
    expect(execFailed('qemu-x', "env: 'qemu-x': No such file or directory\n")).toBe(true);
    expect(execFailed('sh', 'sh: 1: foo: not found\n')).toBe(false);
    expect(execFailed('a.b', "env: 'axb': No such file or directory\n")).toBe(false);
  });
});

describe('HostPool', () => {
  it('refuses a ProxyJump loop before connecting anywhere', async () => {
    const config = join(dir, 'loop_config');
    writeFileSync(config, 'Host loop-a\n  HostName 127.0.0.1\n  Port 1\n  ProxyJump loop-b\nHost loop-b\n  HostName 127.0.0.1\n  Port 1\n  ProxyJump loop-a\n');
    const pool = new HostPool({ sshConfigPath: config, agentSocket: null, globalKnownHostsPaths: [], home: dir, connectAttempts: 1 });
    try {
      const error = await pool.get({ address: 'loop-a' }).run('true', []).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostUnreachableError);
      expect((error as Error).message).toMatch(/ProxyJump loop: loop-b → loop-a → loop-b/);
      expect(pool.get({ address: 'loop-a' }).state.kind).toBe('unreachable');
    } finally {
      await pool.dispose();
    }
  });

  it('hands out one transport per host and the local one', async () => {
    const pool = new HostPool({ sshConfigPath: null });
    expect(pool.get({ address: 'h', user: 'u' })).toBe(pool.get({ address: 'h', user: 'u' }));
    expect(pool.get({ address: 'h', user: 'u' })).not.toBe(pool.get({ address: 'h', user: 'v' }));
    expect(pool.get('local').kind).toBe('local');
    expect(pool.list()).toHaveLength(2);
    await pool.dispose();
    expect(() => pool.get('local')).toThrow(/disposed/);
  });
});
