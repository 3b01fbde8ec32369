import type { DomainWatch } from '../../core/infrastructure/libvirt/domain-watch';

/**
 * The running {@link DomainWatch}es of the tree's libvirt hosts, one per host, started and
 * stopped to match what the tree shows (see HostsTreeProvider): each is owned here, and
 * disposing this ends them all (their virsh processes, through their own signals).
 */
export class DomainFollowers {
  private readonly watches = new Map<string, DomainWatch>();

  /** @param create a host's watch, not started; undefined when it is not a libvirt host (any more). */
  constructor(private readonly create: (host: string) => DomainWatch | undefined) {}

  /** Follows exactly `hosts`: starts the missing, ends the others. Returns the hosts started now. */
  followOnly(hosts: ReadonlySet<string>): string[] {
    for (const [host, watch] of this.watches) {
      if (hosts.has(host)) continue;
      this.watches.delete(host);
      void watch.dispose();
    }
    const started: string[] = [];
    for (const host of hosts) {
      if (this.watches.has(host)) continue;
      const watch = this.create(host);
      if (watch === undefined) continue;
      this.watches.set(host, watch);
      watch.start();
      started.push(host);
    }
    return started;
  }

  /** The hosts followed now. */
  get hosts(): ReadonlySet<string> {
    return new Set(this.watches.keys());
  }

  /** Ends every watch. */
  dispose(): void {
    this.followOnly(new Set());
  }
}
