/**
 * The tree's read of a disk guest on an SSH host (a network-namespace host with a real sshd,
 * sharing this machine's files): qemu-img runs there through the lab's connection, and the
 * tree's cache (DiskLists, which needs no editor) finds the disk in the remote state root, keeps
 * what it read until the VM's state changes or Refresh, and reads again then. No VM boots here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { readLabFile } from '../../../extension/core/lab/load';
import type { LabModel } from '../../../extension/core/lab/model';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { readVmDisks } from '../../../extension/core/machines/disk-guest/vm-disks';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import type { KnownVm } from '../../../extension/core/machines/vm/vm-registry';
import type { VmNode } from '../../../extension/presentation/tree/nodes';
import { DiskLists } from '../../../extension/vscode/tree/disk-lists';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { isolatedSshOptions } from '../../support/netns/ssh-options';

const root = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'vm-disks-remote');
const remoteState = join(root, 'remote-state');
const MIB = 1024 * 1024;
let hosts: NetnsHosts;
let pool: HostPool;
let lab: LabModel;
let node: VmNode;
let disk: string;
const base = join(root, 'images', 'base.qcow2');

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 1 });
  const host = hosts.hosts[0] as NetnsHost;
  mkdirSync(join(root, 'images'), { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, String(256 * MIB)]);
  writeFileSync(
    join(root, 'qemu-lab.yaml'),
    ['hosts:', `  lab-b: { kind: ssh, address: ${host.address}, user: root, identity: ${hosts.clientKey} }`, 'vms:', `  web: { host: lab-b, image: ${base}, disk: 1G }`, ''].join('\n'),
  );
  const loaded = await readLabFile(join(root, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  lab = loaded.lab;
  const web = lab.vms.get('web');
  if (web === undefined) throw new Error('no web');
  node = { kind: 'vm', lab, vm: web };
  pool = new HostPool(isolatedSshOptions(hosts));
  disk = vmDiskPath(remoteState, lab.path, 'lab-b', 'web');
}, 120_000);

afterAll(async () => {
  await pool?.dispose();
  hosts?.destroy();
});

const stopped = (): KnownVm => ({ key: { labPath: lab.path, vmName: 'web', host: 'lab-b' }, state: 'stopped', reason: undefined, record: undefined, pid: undefined });

describe("a disk guest's disks on an SSH host (network-namespace host)", () => {
  it('qemu-img runs there through the connection: no disk yet, then the overlay and its base', async () => {
    hosts.assertAlive();
    const system = labHostSystems(lab, pool)('lab-b');
    expect(system.isLocal).toBe(false);
    expect(await readVmDisks(system, disk)).toEqual({ kind: 'none', disk });
    mkdirSync(join(disk, '..'), { recursive: true });
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', disk, String(1024 * MIB)]);
    const read = await readVmDisks(system, disk);
    expect(read.kind === 'chain' ? read.files.map((f) => [f.path, f.virtualSize, f.backingFile]) : []).toEqual([
      [disk, 1024 * MIB, base],
      [base, 256 * MIB, undefined],
    ]);
  });

  it("the tree's rows come from the remote state root, cached until the VM's state changes or Refresh", async () => {
    hosts.assertAlive();
    const deps = vmDependencies({ env: process.env, stateRoot: join(root, 'local-state'), remoteStateRoot: remoteState, systemFor: labHostSystems(lab, pool) });
    const lists = new DiskLists(deps.backend, { local: join(root, 'local-state'), remote: remoteState });
    const first = await lists.rowsOf(node, stopped());
    // What a fresh qcow2 takes on the host depends on its file system: a few hundred KiB.
    const shown = first.map((r) => `${r.label} ${r.description ?? ''}`);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toMatch(/^disk\.qcow2 1 GiB · \d+ KiB allocated · on base\.qcow2$/);
    expect(shown[1]).toMatch(/^base\.qcow2 256 MiB · \d+ KiB allocated$/);
    expect(shown[2]).toBe('cloud-init: no seed yet written at the first boot');
    // The disk grows behind the tree's back: the same state shows what was read, a new state reads again.
    execFileSync('qemu-img', ['resize', '-q', '-f', 'qcow2', disk, String(2048 * MIB)]);
    expect((await lists.rowsOf(node, stopped()))[0]?.description).toMatch(/^1 GiB/);
    expect((await lists.rowsOf(node, { ...stopped(), state: 'error', reason: 'gone' }))[0]?.description).toMatch(/^2 GiB/);
    execFileSync('qemu-img', ['resize', '-q', '-f', 'qcow2', disk, String(3072 * MIB)]);
    lists.invalidateAll();
    expect((await lists.rowsOf(node, { ...stopped(), state: 'error', reason: 'gone' }))[0]?.description).toMatch(/^3 GiB/);
  });
});
