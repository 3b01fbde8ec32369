/**
 * Connections that die: sshd's session process killed mid-command, the host's link pulled
 * mid-command, a host that does not answer. In-flight operations fail with a clear HostError,
 * nothing hangs, the state says what happened, and the next use reconnects.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HostState } from '../../../extension/core/infrastructure/hosts/host';
import { HostConnectionLostError, HostUnreachableError } from '../../../extension/core/infrastructure/hosts/host-errors';
import type { SshTransport } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';
import { transportTo } from '../../support/netns/ssh-options';

let lab: NetnsHosts;

function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}
const opened: SshTransport[] = [];

function open(index: number, extra: Parameters<typeof transportTo>[2] = {}, port = 22): SshTransport {
  const transport = transportTo(lab, lab.hosts[index]!, extra, port);
  opened.push(transport);
  return transport;
}

function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = Date.now();
  return Promise.race([
    promise.then(
      (value) => ({ value, ms: Date.now() - started }),
      (error: unknown) => ({ error, ms: Date.now() - started }),
    ),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms: a hang`)), ms)),
  ]);
}

beforeAll(() => {
  lab = createNetnsHosts({ hosts: 2 });
});

beforeEach(() => lab.assertAlive());

afterAll(async () => {
  for (const host of lab?.hosts ?? []) lab.setLink(host, true);
  await Promise.all(opened.map((t) => t.dispose()));
  lab?.destroy();
});

describe('connection loss', () => {
  it('sshd session killed mid-command: every operation in flight fails at once; the next use reconnects', async () => {
    const transport = open(0);
    const states: HostState['kind'][] = [];
    transport.onStateChange((s) => states.push(s.kind));
    await transport.run('true', []);
    const inFlight = [transport.run('sleep', ['30']), transport.run('sh', ['-c', 'echo started; sleep 30'])].map((run) => settledWithin(run, 8_000));
    await new Promise((r) => setTimeout(r, 500));
    expect(lab.killSessions(lab.hosts[0]!)).toBe(1);
    for (const run of inFlight) {
      const outcome = await run;
      expect(outcome.error).toBeInstanceOf(HostConnectionLostError);
      expect((outcome.error as Error).message).toMatch(/Lost the SSH connection to .* during (sleep|sh)/);
    }
    expect(transport.state.kind).toBe('disconnected');
    expect((await transport.run('echo', ['back'])).stdout).toBe('back\n');
    expect(states).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('a forwarded stream ends when its connection is cut', async () => {
    const transport = open(0);
    await transport.run('true', []);
    const stream = await transport.openTcp(lab.hosts[0]!.address, 22);
    const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
    stream.resume(); // a reader (QmpClient reads) sees the end
    lab.killSessions(lab.hosts[0]!);
    await settledWithin(ended, 5_000);
  });

  it('link pulled mid-command: keepalive notices, the command fails (no hang); link back: reconnects', async () => {
    const host = lab.hosts[1]!;
    const transport = open(1, { keepaliveIntervalMs: 500, keepaliveCountMax: 2, connectTimeoutMs: 1_500, connectAttempts: 2, retryDelayMs: 200 });
    await transport.run('true', []);
    const run = transport.run('sleep', ['60']);
    await new Promise((r) => setTimeout(r, 300));
    lab.setLink(host, false);
    try {
      const outcome = await settledWithin(run, 10_000);
      expect(outcome.error).toBeInstanceOf(HostConnectionLostError);
      expect((outcome.error as Error).message).toContain('Keepalive timeout');
      expect(transport.state.kind).toBe('disconnected');
      // While the link is down, a use tries to reconnect (twice) and says the host is unreachable.
      const unreachable = await settledWithin(transport.run('true', []), 10_000);
      expect(unreachable.error).toBeInstanceOf(HostUnreachableError);
      expect(transport.state).toMatchObject({ kind: 'unreachable' });
      expect((transport.state as { reason: Error }).reason).toBe(unreachable.error);
    } finally {
      lab.setLink(host, true);
    }
    lab.assertAlive();
    expect((await transport.run('echo', ['again'])).stdout).toBe('again\n');
    expect(transport.state.kind).toBe('connected');
  });

  it('nothing listening: refused at once, clearly', async () => {
    const transport = open(0, { connectAttempts: 2, retryDelayMs: 100 }, 2);
    const outcome = await settledWithin(transport.run('true', []), 5_000);
    expect(outcome.error).toBeInstanceOf(HostUnreachableError);
    expect((outcome.error as Error).message).toContain('ECONNREFUSED');
  });

  it('dispose fails what is in flight and kills the remote command', async () => {
    const transport = open(0);
    await transport.run('true', []);
    const run = settledWithin(transport.run('sleep', ['4444.5']), 5_000);
    await new Promise((r) => setTimeout(r, 30)); // likely before the remote shell even started
    await transport.dispose();
    const outcome = await run;
    expect(outcome.error).toBeInstanceOf(HostConnectionLostError);
    expect(transport.state.kind).toBe('disposed');
    await expect(transport.run('true', [])).rejects.toThrow(/disposed/);
    // sshd ends the session's processes as it tears the channel down, a moment after dispose
    // returns (on a loaded machine, more than a moment): gone within 15 s, or it leaked.
    const deadline = Date.now() + 15_000;
    while (pgrep('sleep 4444.5') !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pgrep('sleep 4444.5')).toBe('');
  });
});
