import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { DomainEventFollower, type FollowerStatus } from '../../../extension/core/infrastructure/libvirt/domain-event-follower';
import type { DomainEvent } from '../../../extension/core/infrastructure/libvirt/domain-events';
import { DomainWatch } from '../../../extension/core/infrastructure/libvirt/domain-watch';
import { listDomains, type ExistingDomain } from '../../../extension/core/infrastructure/libvirt/domains';
import { Virsh } from '../../../extension/core/infrastructure/libvirt/virsh';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';

// A real libvirtd (test/support/libvirt), one for the file. test:///default cannot stand in: each
// virsh process has its own in-memory driver, so a `virsh event` never sees what another virsh
// does (checked: `virsh -c test:///default destroy test` beside `event --loop` printed nothing).
let daemon: LibvirtDaemon;
let dir: string;

beforeAll(async () => {
  daemon = await startLibvirtDaemon({ name: 'events' });
  dir = mkdtempSync(join(process.env.QEMU_LAB_TEST_ROOT ?? '/tmp', 'domain-events-'));
});

afterAll(() => daemon?.stop());

/** A domain with no disk (QEMU under TCG runs SeaBIOS and finds nothing to boot: enough to run). */
function domainXml(name: string): string {
  const path = join(dir, `${name}.xml`);
  writeFileSync(
    path,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>`,
  );
  return path;
}

/** Plain virsh, outside QEMU Lab — what a user's virt-manager or script does. */
const virshOutside = (...args: string[]): string => execFileSync('virsh', ['-c', daemon.uri, ...args], { encoding: 'utf8', timeout: 120_000 });

const until = async (check: () => boolean, what: string, ms = 90_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`No ${what} within ${ms / 1000} s.\n${daemon.log().slice(-1500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const lifecycle = (events: readonly DomainEvent[], domain: string): string[] =>
  events.filter((e) => e.domain === domain && e.lifecycle !== undefined).map((e) => e.lifecycle?.event ?? '');

describe('following a libvirt host by virsh event (real libvirtd)', () => {
  it('the follower sees a domain defined, started and stopped by plain virsh', async () => {
    const virsh = new Virsh(new LocalHostSystem(), daemon.uri, 'lv');
    const events: DomainEvent[] = [];
    const follower = new DomainEventFollower({ virsh, onEvent: (event) => events.push(event) });
    void follower.start();
    try {
      // virsh event registers its callbacks once connected; a define before that would be missed.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      virshOutside('define', domainXml('outside-1'));
      await until(() => lifecycle(events, 'outside-1').includes('Defined'), 'Defined event');
      virshOutside('start', 'outside-1');
      await until(() => lifecycle(events, 'outside-1').includes('Started'), 'Started event');
      virshOutside('destroy', 'outside-1');
      await until(() => lifecycle(events, 'outside-1').includes('Stopped'), 'Stopped event');
      virshOutside('undefine', 'outside-1');
      await until(() => lifecycle(events, 'outside-1').includes('Undefined'), 'Undefined event');
      expect(lifecycle(events, 'outside-1').filter((e) => e !== 'Resumed' && e !== 'Shutdown')).toEqual(['Defined', 'Started', 'Stopped', 'Undefined']);
      expect(events.find((e) => e.lifecycle?.event === 'Stopped')?.lifecycle?.reason).toBe('Destroyed');
    } finally {
      await follower.dispose();
    }
  });

  it('a burst of changes is one re-read, and the list read then shows them', async () => {
    const names = ['burst-1', 'burst-2', 'burst-3', 'burst-4', 'burst-5'];
    const virsh = new Virsh(new LocalHostSystem(), daemon.uri, 'lv');
    const batches: (readonly DomainEvent[])[] = [];
    let lists: ExistingDomain[][] = [];
    const watch = new DomainWatch({
      virsh,
      onBatch: async (events) => {
        batches.push(events);
        lists.push(await listDomains(virsh));
      },
    });
    watch.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      // Five defines in one virsh session: their events come within milliseconds.
      virshOutside(names.map((name) => `define ${domainXml(name)}`).join(' ; '));
      await until(() => lists.some((list) => names.every((name) => list.some((d) => d.name === name))), 'list with the five new domains');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // Room for any extra batch to show.
      const defined = batches.flat().filter((e) => e.lifecycle?.event === 'Defined' && names.includes(e.domain));
      expect(defined).toHaveLength(5);
      expect(batches.length).toBe(1);
      expect(lists).toHaveLength(1);
      expect(lists[0]?.filter((d) => names.includes(d.name)).map((d) => d.state)).toEqual(['shut off', 'shut off', 'shut off', 'shut off', 'shut off']);

      lists = [];
      virshOutside('start', 'burst-3');
      await until(() => lists.some((list) => list.find((d) => d.name === 'burst-3')?.state === 'running'), 'burst-3 running in a re-read');
    } finally {
      await watch.dispose();
      for (const command of ['destroy burst-3', 'undefine burst-1', 'undefine burst-2', 'undefine burst-3', 'undefine burst-4', 'undefine burst-5']) {
        try {
          virshOutside(...command.split(' '));
        } catch {
          // Not there (the test failed before it was made).
        }
      }
    }
  });

  // Last: it ends the file's daemon.
  it('when libvirtd goes away, virsh event ends and the follower waits to start it again', async () => {
    const virsh = new Virsh(new LocalHostSystem(), daemon.uri, 'lv');
    const statuses: FollowerStatus[] = [];
    const follower = new DomainEventFollower({ virsh, onEvent: () => undefined, onStatus: (status) => statuses.push(status) });
    void follower.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(statuses).toEqual([{ kind: 'following', restarted: false }]);
      daemon.stop();
      await until(() => statuses.some((s) => s.kind === 'waiting'), 'end of virsh event after libvirtd stopped', 60_000);
      const waiting = statuses.find((s) => s.kind === 'waiting');
      expect(waiting).toMatchObject({ kind: 'waiting', retryInMs: 1000 });
    } finally {
      await follower.dispose();
    }
  });
});
