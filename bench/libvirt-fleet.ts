// A fleet of libvirt hosts as the "Hosts and VMs" tree reads it: 50 hosts × 20 domains, each host
// its own connection of libvirt's test driver (a node file of 20 domains; every virsh process
// loads its own copy, as each real host is its own libvirtd). Measured through the tree's own
// parts: the domain-list cache (presentation/tree/domain-lists.ts), virsh, the event reader and
// the coalescer. VS Code itself is not in it (see the e2e scenarios for that).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHostSystem } from '../extension/core/infrastructure/hosts/system/host-system';
import { DomainEventLines, type DomainEvent } from '../extension/core/infrastructure/libvirt/domain-events';
import { listDomains } from '../extension/core/infrastructure/libvirt/domains';
import { COALESCE_WINDOW_MS, Coalescer } from '../extension/core/infrastructure/libvirt/event-coalescer';
import { Virsh } from '../extension/core/infrastructure/libvirt/virsh';
import { median } from '../extension/core/measuring/workloads/stats';
import { ExistingDomains } from '../extension/presentation/tree/domain-lists';
import { report } from './stats';

const HOSTS = 50;
const DOMAINS = 20;
const RUNS = 3;

/** libvirt's test driver node file: `DOMAINS` domains, every fourth shut off. */
function fleetNode(): string {
  const domains = Array.from({ length: DOMAINS }, (_, i) => {
    const name = `dom-${String(i).padStart(2, '0')}`;
    const shutOff = i % 4 === 0 ? '<test:runstate>5</test:runstate>' : '';
    return `<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>${name}</name><memory unit='MiB'>${256 * (1 + (i % 4))}</memory><vcpu>${1 + (i % 2)}</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'><source file='/var/lib/fleet/${name}.qcow2'/><target dev='vda' bus='virtio'/></disk><interface type='network'><source network='default'/></interface></devices>${shutOff}</domain>`;
  });
  return `<node>\n${domains.join('\n')}\n</node>\n`;
}

/** CPU time (ms) of this process's ended children, from /proc (Node reaps them, so they count). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime: fields 16 and 17 of stat, 14 and 15 after the command.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = childrenCpuMs();
  const started = performance.now();
  await work();
  return { ms: performance.now() - started, cpuMs: childrenCpuMs() - cpu };
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/**
 * First draw of every host's domain rows, a burst of 20 state changes on one host patched, and a
 * full Refresh — re-reading every host (all rows expanded) against only the expanded ones (5 of 50).
 */
export async function benchLibvirtFleet(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-fleet-'));
  try {
    const system = new LocalHostSystem();
    const hosts = Array.from({ length: HOSTS }, (_, i) => `rack-${String(i).padStart(2, '0')}`);
    const virshes = new Map<string, Virsh>();
    for (const host of hosts) {
      const file = join(dir, `${host}.xml`);
      writeFileSync(file, fleetNode());
      virshes.set(host, new Virsh(system, `test://${file}`, host));
    }
    let reads = 0;
    const lists = new ExistingDomains((host) => {
      reads += 1;
      const virsh = virshes.get(host);
      if (virsh === undefined) throw new Error(`no host ${host}`);
      return listDomains(virsh);
    });
    // As VS Code asks: the children of every expanded host row, all at once.
    const drawAll = (names: readonly string[]): Promise<unknown> => Promise.all(names.map((host) => lists.rowsOf(host)));

    const first = await timed(() => drawAll(hosts));
    const rows = (await drawAll(hosts)) as unknown[][];
    const shown = rows.reduce((sum, r) => sum + r.length, 0);
    if (shown !== HOSTS * DOMAINS) throw new Error(`drew ${shown} domain rows, expected ${HOSTS * DOMAINS}`);
    report(`libvirt fleet: first draw, ${HOSTS} hosts × ${DOMAINS} domains`, `${fmt(first.ms)} (${HOSTS} virsh domstats, ${fmt(first.cpuMs)} CPU in virsh)`);

    // A burst: 20 state changes on one host, as virsh event prints them, 5 ms apart.
    const patches: number[] = [];
    const rereads: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      let started = 0;
      let batches = 0;
      let covered = 0;
      let coalescer: Coalescer<DomainEvent> | undefined;
      // Patched: the re-read of the batch holding the burst's last event is done.
      const patched = new Promise<void>((resolve) => {
        coalescer = new Coalescer<DomainEvent>(async (events) => {
          batches += 1;
          await lists.reread('rack-07');
          covered += events.length;
          if (covered === DOMAINS) resolve();
        });
        const lines = new DomainEventLines((event) => coalescer?.push(event));
        started = performance.now();
        let sent = 0;
        const timer = setInterval(() => {
          const name = `dom-${String(sent).padStart(2, '0')}`;
          lines.push(`2026-12-03 14:05:36.115+0000: event 'lifecycle' for domain '${name}': ${sent % 2 === 0 ? 'Suspended Paused' : 'Resumed Unpaused'}\n`);
          sent += 1;
          if (sent === DOMAINS) clearInterval(timer);
        }, 5);
      });
      await patched;
      coalescer?.dispose();
      patches.push(performance.now() - started);
      rereads.push(batches);
    }
    report(`libvirt fleet: patch after a burst of ${DOMAINS} changes (median of ${RUNS})`, `${fmt(median(patches))} (${rereads.join(', ')} re-read(s) of 1 host per run; window ${COALESCE_WINDOW_MS} ms, events sent 5 ms apart)`);

    const refresh = async (expanded: ReadonlySet<string>): Promise<{ ms: number; cpuMs: number; reads: number }> => {
      const before = reads;
      const t = await timed(async () => {
        lists.refreshOnly((host) => expanded.has(host));
        await drawAll([...expanded]);
      });
      return { ...t, reads: reads - before };
    };
    const all: { ms: number; cpuMs: number; reads: number }[] = [];
    const some: { ms: number; cpuMs: number; reads: number }[] = [];
    const five = new Set(hosts.slice(0, 5));
    for (let run = 0; run < RUNS; run += 1) {
      await drawAll(hosts); // Every list known again, as after a first draw.
      all.push(await refresh(new Set(hosts)));
      await drawAll(hosts);
      some.push(await refresh(five));
    }
    const line = (r: { ms: number; cpuMs: number; reads: number }[]): string =>
      `${fmt(median(r.map((x) => x.ms)))} (${r[0]?.reads ?? 0} virsh domstats, ${fmt(median(r.map((x) => x.cpuMs)))} CPU in virsh)`;
    report(`libvirt fleet: Refresh, all ${HOSTS} hosts expanded (median of ${RUNS})`, line(all));
    report(`libvirt fleet: Refresh, 5 of ${HOSTS} expanded (median of ${RUNS})`, line(some));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
