import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { DomainWatch } from '../../../extension/core/infrastructure/libvirt/domain-watch';
import { Virsh } from '../../../extension/core/infrastructure/libvirt/virsh';
import { DomainFollowers } from '../../../extension/vscode/tree/domain-followers';
import { childrenOf } from '../../support/netns/netns-hosts';

// Real virsh event processes (test:///default: they run until killed).
const virshEvents = (): Map<number, string> => {
  const found = new Map<number, string>();
  for (const pid of childrenOf(process.pid)) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0] === 'virsh' && argv.includes('event') && readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') S')) found.set(pid, argv[2] ?? '');
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
};

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('DomainFollowers', () => {
  it('runs one virsh event per followed host, ends those no longer followed, and all of them on dispose', async () => {
    const uriOf = (host: string): string => `test:///default?host=${host}`;
    const followers = new DomainFollowers((host) =>
      host === 'not-libvirt' ? undefined : new DomainWatch({ virsh: new Virsh(new LocalHostSystem(), uriOf(host), host), onBatch: () => undefined }),
    );
    expect(followers.followOnly(new Set(['a', 'b', 'not-libvirt']))).toEqual(['a', 'b']);
    await until(() => virshEvents().size === 2, 'two virsh event processes');
    expect([...virshEvents().values()].sort()).toEqual([uriOf('a'), uriOf('b')]);
    const [pidA] = [...virshEvents()].find(([, uri]) => uri === uriOf('a')) ?? [0];

    expect(followers.followOnly(new Set(['b', 'c']))).toEqual(['c']); // b keeps its process.
    await until(() => !existsSync(`/proc/${pidA}`) || !virshEvents().has(pidA), "a's virsh to end");
    await until(() => virshEvents().size === 2, 'b and c');
    expect([...virshEvents().values()].sort()).toEqual([uriOf('b'), uriOf('c')]);
    expect([...followers.hosts].sort()).toEqual(['b', 'c']);

    followers.dispose();
    await until(() => virshEvents().size === 0, 'every virsh event to end');
    expect(followers.hosts.size).toBe(0);
  });
});
