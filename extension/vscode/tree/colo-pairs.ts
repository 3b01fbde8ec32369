/**
 * The editor's last reading of each COLO pair, for the tree and the COLO panels. A pair is read
 * when the tree first shows its VM, when that VM's state changes (QMP events through the
 * registry), when its pair record changes (a CLI's `colo up`, `failover`, `down`, or a `--watch`
 * heartbeat failing over: inotify on the records' directory), on Refresh, and around the COLO
 * commands — never on a timer. While a COLO command of the editor runs on a VM, its pair is not
 * probed (the command owns the QMP sockets then) and the tree says what runs. In an untrusted
 * workspace only the records are read.
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { pairRecordPath } from '../../core/colo/pair-record';
import type { HostVmBackend, VmKey } from '../../core/machines/vm/backend';
import { readColoSnapshot, type ColoSnapshot } from '../../presentation/colo/colo-snapshot';
import type { VmNode } from '../../presentation/tree/nodes';

interface Entry {
  node: VmNode;
  snapshot: ColoSnapshot | undefined;
  busy: string | undefined;
  reading: Promise<ColoSnapshot> | undefined;
  /** Something changed while a read ran: read once more after it. */
  again: boolean;
  /** The next read also watches the primary's checkpoints for a few seconds (a panel asked). */
  look?: boolean;
}

/** A VM's pair as the tree and panels know it now. */
export interface ColoPairView {
  readonly snapshot: ColoSnapshot | undefined;
  readonly busy: string | undefined;
}

/** Reading a pair asks its QEMUs over QMP: only in a trusted workspace. */
function trusted(): boolean {
  return vscode.workspace.isTrusted;
}

function idOf(labPath: string, vmName: string): string {
  return `${labPath}\u0000${vmName}`;
}

/** See the file comment. */
export class ColoPairs implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<{ readonly labPath: string; readonly vmName: string }>();
  private disposed = false;
  private records: FSWatcher | undefined;

  /** Fires when a pair's reading or busy state changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly backend: HostVmBackend,
    private readonly stateRoot: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** What is known of a VM's pair; the first call for a VM starts its first reading. */
  viewOf(node: VmNode): ColoPairView {
    const entry = this.entryOf(node);
    if (entry.snapshot === undefined && entry.reading === undefined && entry.busy === undefined) void this.read(entry);
    return { snapshot: entry.snapshot, busy: entry.busy };
  }

  /**
   * Reads the pair now (or joins the reading under way) and returns it. While a COLO command
   * runs on the VM, the last reading is returned instead: the command owns its QMP sockets.
   * `checkpoints`: also watch the checkpoints as they happen (the panel; a few seconds more).
   */
  async readNow(node: VmNode, options: { checkpoints?: boolean } = {}): Promise<ColoSnapshot> {
    const entry = this.entryOf(node);
    if (options.checkpoints === true) entry.look = true;
    if (entry.busy !== undefined && entry.snapshot !== undefined) return entry.snapshot;
    if (entry.reading === undefined) return this.read(entry);
    // The reading under way loops once more and resolves with what it read last.
    entry.again = true;
    return entry.reading;
  }

  /** A VM changed state (or a command touched it): read its pair again if the tree shows one. */
  invalidate(key: Pick<VmKey, 'labPath' | 'vmName'>): void {
    const entry = this.entries.get(idOf(key.labPath, key.vmName));
    if (entry === undefined || entry.busy !== undefined) return;
    if (entry.reading !== undefined) entry.again = true;
    else void this.read(entry);
  }

  /** Refresh: every pair shown is read again. */
  invalidateAll(): void {
    for (const entry of this.entries.values()) this.invalidate({ labPath: entry.node.lab.path, vmName: entry.node.vm.name });
  }

  /**
   * Runs a COLO command of the editor on a VM: the tree shows `what` meanwhile and the pair is
   * not probed; it is read once the command ended, whatever its outcome.
   */
  async busyWith<T>(node: VmNode, what: string, run: () => PromiseLike<T>): Promise<T> {
    const entry = this.entryOf(node);
    entry.busy = what;
    this.fire(entry);
    try {
      return await run();
    } finally {
      entry.busy = undefined;
      this.fire(entry);
      void this.readNow(node);
    }
  }

  private entryOf(node: VmNode): Entry {
    const id = idOf(node.lab.path, node.vm.name);
    let entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, (entry = { node, snapshot: undefined, busy: undefined, reading: undefined, again: false }));
      this.watchRecords();
    }
    // The lab file may have been edited: keep the newest spec.
    entry.node = node;
    return entry;
  }

  /**
   * Follows the pair records' directory once a COLO VM is shown, making it (as `colo up` would,
   * mode 0700) when no pair was ever set up, so that the first one is seen too. Should watching
   * fail, the next reading tries again; pairs are still read on state changes and Refresh.
   */
  private watchRecords(): void {
    if (this.records !== undefined || this.disposed) return;
    // The directory the core keeps every pair record in (any VM's record path names it).
    const directory = dirname(pairRecordPath(this.stateRoot, '/', 'x'));
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      const watcher = watch(directory, { persistent: false }, (_event, file) => {
        if (file === null) return;
        // Records are written to a temporary file and renamed: the rename names the record.
        for (const entry of this.entries.values()) {
          if (basename(pairRecordPath(this.stateRoot, entry.node.lab.path, entry.node.vm.name)) === file) this.invalidate({ labPath: entry.node.lab.path, vmName: entry.node.vm.name });
        }
      });
      watcher.on('error', () => {
        watcher.close();
        if (this.records === watcher) this.records = undefined;
      });
      this.records = watcher;
    } catch {
      this.records = undefined;
    }
  }

  private fire(entry: Entry): void {
    if (!this.disposed) this.changed.fire({ labPath: entry.node.lab.path, vmName: entry.node.vm.name });
  }

  private read(entry: Entry): Promise<ColoSnapshot> {
    const reading = (async () => {
      let snapshot: ColoSnapshot;
      do {
        entry.again = false;
        const lookAtCheckpoints = entry.look === true;
        entry.look = false;
        snapshot = await readColoSnapshot(this.backend, this.stateRoot, entry.node.lab.path, entry.node.vm.name, { connect: trusted(), lookAtCheckpoints });
      } while (entry.again && !this.disposed);
      this.watchRecords();
      if (snapshot.kind === 'unreadable' && trusted()) this.log.warn(`${entry.node.vm.name}: COLO status: ${snapshot.message}`);
      entry.snapshot = snapshot;
      entry.reading = undefined;
      this.fire(entry);
      return snapshot;
    })();
    entry.reading = reading;
    return reading;
  }

  dispose(): void {
    this.disposed = true;
    this.records?.close();
    this.records = undefined;
    this.changed.dispose();
  }
}
