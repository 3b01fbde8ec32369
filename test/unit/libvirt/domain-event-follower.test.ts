import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, DomainEventFollower, nextPause, type FollowerStatus } from '../../../extension/core/infrastructure/libvirt/domain-event-follower';
import { Virsh } from '../../../extension/core/infrastructure/libvirt/virsh';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { childrenOf } from '../../support/netns/netns-hosts';

const until = async (check: () => boolean, what: string, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const virshChildren = (): number[] => childrenOf(process.pid).filter((pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'virsh';
  } catch {
    return false;
  }
});

describe('the pause before virsh event starts again', () => {
  it('doubles from 1 s to 60 s, and starts over after a healthy minute', () => {
    let current = DEFAULT_BACKOFF.initialMs;
    const pauses: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const next = nextPause(current, 50, DEFAULT_BACKOFF);
      pauses.push(next.pauseMs);
      current = next.nextMs;
    }
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(nextPause(current, 59_999, DEFAULT_BACKOFF).pauseMs).toBe(60_000);
    expect(nextPause(current, 60_000, DEFAULT_BACKOFF)).toEqual({ pauseMs: 1000, nextMs: 2000 });
  });
});

describe('DomainEventFollower (real virsh)', () => {
  it('starts virsh again after it fails, with doubling pauses, and stops for good when disposed', async () => {
    // A socket nobody listens on: virsh fails for real, at once.
    const virsh = new Virsh(new LocalHostSystem(), 'qemu+unix:///system?socket=/nonexistent/qemu-lab-test-sock', 'lv');
    const statuses: FollowerStatus[] = [];
    const follower = new DomainEventFollower({ virsh, onEvent: () => undefined, onStatus: (s) => statuses.push(s), backoff: { initialMs: 20, maxMs: 80, healthyMs: 60_000 } });
    const ended = follower.start();
    await until(() => statuses.filter((s) => s.kind === 'waiting').length >= 4, 'four failures');
    await follower.dispose();
    await ended;
    const waits = statuses.flatMap((s) => (s.kind === 'waiting' ? [s] : []));
    expect(waits.slice(0, 4).map((s) => s.retryInMs)).toEqual([20, 40, 80, 80]);
    expect(waits[0]?.reason).toMatch(/virsh event on host "lv" .* ended: .*nonexistent/);
    expect(statuses[0]).toEqual({ kind: 'following', restarted: false });
    expect(statuses[2]).toEqual({ kind: 'following', restarted: true });
    const count = statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(statuses).toHaveLength(count); // Nothing started after dispose.
  });

  it('keeps virsh running while followed, and disposing kills exactly that process', async () => {
    const before = new Set(virshChildren());
    const statuses: FollowerStatus[] = [];
    const follower = new DomainEventFollower({ virsh: new Virsh(new LocalHostSystem(), 'test:///default', 'fleet'), onEvent: () => undefined, onStatus: (s) => statuses.push(s) });
    void follower.start();
    await until(() => virshChildren().some((pid) => !before.has(pid)), 'virsh to start');
    const pid = virshChildren().find((pid) => !before.has(pid)) ?? 0;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(['virsh', '-c', 'test:///default', 'event', '--loop', '--all', '--timestamp', '']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    await follower.dispose();
    await until(() => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'), 'virsh to end');
    expect(statuses).toEqual([{ kind: 'following', restarted: false }]);
  });
});
