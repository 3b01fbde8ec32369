/**
 * The cache of libvirt hosts' domain rows the "Hosts and VMs" tree draws from. No `vscode` here:
 * the fleet bench (bench/libvirt-fleet.ts) drives it as the tree does.
 */
import { describeError } from '../../core/errors';
import type { ExistingDomain } from '../../core/infrastructure/libvirt/domains';
import { domainRows, type DomainRow } from './domain-rows';

/**
 * The user's own domains of each libvirt host, read once (one `virsh domstats`) when the host is
 * first shown, again when its events say something changed ({@link reread}), and on Refresh
 * only where the host is expanded — the tree redraws often, and a virsh call costs 0.2–0.3 s.
 */
export class ExistingDomains {
  private readonly lists = new Map<string, Promise<DomainRow[]>>();

  /** @param list reads a libvirt host's domains (behind the hosts' gate). */
  constructor(private readonly list: (host: string) => Promise<readonly ExistingDomain[]>) {}

  /** The rows of `host`'s own domains. */
  rowsOf(host: string): Promise<DomainRow[]> {
    let rows = this.lists.get(host);
    if (rows === undefined) {
      rows = this.read(host);
      this.lists.set(host, rows);
    }
    return rows;
  }

  private read(host: string): Promise<DomainRow[]> {
    return this.list(host).then(
      (domains) => domainRows(host, { domains }),
      (error: unknown) => domainRows(host, { error: describeError(error) }),
    );
  }

  /** Whether `host`'s list was read (or is being read). */
  has(host: string): boolean {
    return this.lists.has(host);
  }

  /**
   * Reads `host`'s list again; the old one stays shown until the new one is there. Resolves
   * when it is (never rejects: a failure is a note row).
   */
  async reread(host: string): Promise<void> {
    const rows = this.read(host);
    await rows;
    this.lists.set(host, rows);
  }

  /** Forgets `host`'s list: the next draw of it reads it again. */
  forget(host: string): void {
    this.lists.delete(host);
  }

  /**
   * Refresh: reads again now the lists of the hosts `now` picks (expanded ones), forgets the
   * others (read when shown next). The next draw waits for the new reads.
   */
  refreshOnly(now: (host: string) => boolean): void {
    for (const host of [...this.lists.keys()]) {
      if (now(host)) this.lists.set(host, this.read(host));
      else this.lists.delete(host);
    }
  }

  /** Forgets every list: the next draw reads them again. */
  clear(): void {
    this.lists.clear();
  }
}
