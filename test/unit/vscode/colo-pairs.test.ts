import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removePairRecord, writePairRecord, type ColoPairRecord } from '../../../extension/core/colo/pair-record';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { parseLabText } from '../../../extension/core/lab/parse';
import { QemuDirectBackend } from '../../../extension/core/machines/vm/qemu-direct-backend';
import { ColoPairs } from '../../../extension/vscode/tree/colo-pairs';
import type { VmNode } from '../../../extension/presentation/tree/nodes';

// The cache needs only vscode's EventEmitter and the workspace's trust: a stand-in of both
// (vi.mock is hoisted above the imports, so the module under test gets it).
const workspace = vi.hoisted(() => ({ isTrusted: true }));
vi.mock('vscode', () => {
  class EventEmitter<T> {
    private listeners: ((value: T) => void)[] = [];
    readonly event = (listener: (value: T) => void) => {
      this.listeners.push(listener);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    fire(value: T): void {
      for (const listener of [...this.listeners]) listener(value);
    }
    dispose(): void {
      this.listeners = [];
    }
  }
  return { EventEmitter, workspace };
});

const lab = (() => {
  const result = parseLabText(['vms:', '  vm1: { memory: 256M, machine: pc, faultTolerance: { mode: colo, secondary: local, checkpointDelay: 600s } }', ''].join('\n'), '/lab/qemu-lab.yaml');
  if (result.lab === undefined) throw new Error('lab did not parse');
  return result.lab;
})();
const node: VmNode = { kind: 'vm', lab, vm: lab.vms.get('vm1') ?? (undefined as never) };

function record(): ColoPairRecord {
  return {
    version: 1,
    labPath: lab.path,
    vmName: 'vm1',
    primary: { host: 'local' },
    secondary: { host: 'local', slot: 'colo-secondary' },
    plan: { primaryAddress: '127.0.0.1', ports: { mirror: 1, secondaryIn: 2, primaryIn: 3, compareOut: 4 }, netdev: 'net0' },
    migrationUri: 'tcp:127.0.0.1:5000',
    checkpointDelayMs: 600_000,
    qemu: { primary: 'QEMU 7.2', secondary: 'QEMU 7.2' },
    accel: 'tcg',
    startedAt: '2026-11-26T01:00:00.000Z',
    state: 'replicating',
  };
}

const log = { warn: vi.fn(), info: vi.fn(), error: vi.fn() };

describe('the editor\'s COLO pair readings', () => {
  let root: string;
  let pairs: ColoPairs;
  let changes: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'qemu-lab-colo-pairs-'));
    // A real backend on an empty state directory: no QEMU runs, so nothing is asked over QMP.
    const system = new LocalHostSystem();
    pairs = new ColoPairs(new QemuDirectBackend({ localStateRoot: root, systemFor: () => system }), root, log as never);
    changes = 0;
    pairs.onDidChange(() => (changes += 1));
    workspace.isTrusted = true;
  });

  afterEach(() => {
    pairs.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const until = (what: string, check: () => boolean) => vi.waitFor(() => expect(check(), what).toBe(true), { timeout: 3_000, interval: 20 });

  it('reads a pair the first time the tree asks, then says "no pair"', async () => {
    expect(pairs.viewOf(node)).toEqual({ snapshot: undefined, busy: undefined });
    await until('a reading', () => pairs.viewOf(node).snapshot?.kind === 'no-pair');
    expect(changes).toBeGreaterThan(0);
  });

  it('sees a pair record written or removed by someone else (the CLI) without being asked', async () => {
    pairs.viewOf(node);
    await until('the first reading', () => pairs.viewOf(node).snapshot?.kind === 'no-pair');
    await writePairRecord(root, record());
    await until('the new pair', () => pairs.viewOf(node).snapshot?.kind === 'pair');
    const snapshot = pairs.viewOf(node).snapshot;
    expect(snapshot?.kind === 'pair' ? snapshot.status.state : undefined).toBe('stopped');
    await removePairRecord(root, lab.path, 'vm1');
    await until('no pair again', () => pairs.viewOf(node).snapshot?.kind === 'no-pair');
  });

  it('shows what a command does while it runs, and reads the pair after it', async () => {
    await pairs.readNow(node);
    let release = (): void => undefined;
    const running = pairs.busyWith(node, 'starting', () => new Promise<void>((resolve) => (release = resolve)));
    expect(pairs.viewOf(node).busy).toBe('starting');
    await writePairRecord(root, record());
    // The record changed while busy: not read (the command owns the QEMUs then).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pairs.viewOf(node).snapshot?.kind).toBe('no-pair');
    release();
    await running;
    expect(pairs.viewOf(node).busy).toBeUndefined();
    await until('the pair read after the command', () => pairs.viewOf(node).snapshot?.kind === 'pair');
  });

  it('connects to no QEMU in an untrusted workspace: a recorded pair is not read', async () => {
    workspace.isTrusted = false;
    await writePairRecord(root, record());
    const snapshot = await pairs.readNow(node);
    expect(snapshot).toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/not trusted/) });
    expect(log.warn).not.toHaveBeenCalled();
  });
});
