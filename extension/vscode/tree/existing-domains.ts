import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { ExistingDomain } from '../../core/infrastructure/libvirt/domains';
import { domainDescription, domainRows, type DomainRow } from '../../presentation/tree/domain-rows';

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

/** The tree item of a domain row: read-only, no menu (libvirt's tools manage it). */
export function domainTreeItem(row: DomainRow): vscode.TreeItem {
  if (row.kind === 'domain-note') {
    const item = new vscode.TreeItem('Domains unavailable', vscode.TreeItemCollapsibleState.None);
    item.id = `domain-note:${row.host}`;
    item.description = row.reason.split('\n')[0];
    item.tooltip = row.reason;
    item.iconPath = new vscode.ThemeIcon('info');
    return item;
  }
  const item = new vscode.TreeItem(row.domain.name, vscode.TreeItemCollapsibleState.None);
  item.id = `domain:${row.host}:${row.domain.name}`;
  item.description = domainDescription(row.domain);
  item.tooltip = `${row.domain.name}: a domain of libvirt host "${row.host}" that no lab file describes. QEMU Lab shows it and leaves it alone; virsh or virt-manager manage it.`;
  item.iconPath = new vscode.ThemeIcon(row.domain.state === 'running' ? 'vm-running' : 'vm-outline');
  item.contextValue = 'qemuLab.domain';
  return item;
}
