/**
 * The disk of a COLO pair (QEMU's docs, "quorum + replication over NBD"). The primary's disk is
 * a quorum with the image as its only child at boot; `colo up` adds a second child, a
 * `replication` driver in primary mode writing to the secondary over NBD. The secondary's disk
 * is a quorum over a `replication` driver in secondary mode, whose active and hidden images
 * stack on `parent0`, the secondary's copy of the disk (exported over NBD for the primary).
 * At failover the secondary commits active and hidden into `parent0`: that image is the VM's
 * disk from then on.
 */
import { isIP } from 'node:net';
import type { DiskFormat, PlanDisk } from '../infrastructure/qemu/launch-plan';
import type { QmpObject } from '../infrastructure/qmp/messages';

/** Node and job names the disk commands use. */
export const DISK_IDS = {
  quorum: 'colo-disk0',
  parent: 'parent0',
  secondaryChild: 'childs0',
  replication: 'replication0',
  resync: 'colo-resync',
} as const;

/** The secondary's three images (in its run directory). */
export interface SecondaryImages {
  readonly parent: string;
  readonly active: string;
  readonly hidden: string;
}

/** A QMP command. */
export interface DiskCommand {
  readonly command: string;
  readonly args?: QmpObject;
}

function checkEndpoint(address: string, port: number): void {
  // The NBD URL and drive_add below take IPv4 only without more quoting; refuse the rest plainly.
  if (isIP(address) !== 4) throw new RangeError(`COLO disks need an IPv4 address between the hosts, not ${address}.`);
  if (address === '0.0.0.0') throw new RangeError('The NBD server of a COLO secondary never listens on a wildcard address.');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`Not a TCP port: ${port}`);
}

/** The primary's disk on its command line: a quorum whose only child is the image, on virtio-blk. */
export function primaryDisk(image: string, format: DiskFormat): PlanDisk {
  return { nodes: [{ kind: 'quorum', id: DISK_IDS.quorum, child: { kind: 'file', file: image, format } }], attach: DISK_IDS.quorum };
}

/** The secondary's disk on its command line: parent0, the replication child over active/hidden, the quorum. */
export function secondaryDisk(images: SecondaryImages): PlanDisk {
  return {
    nodes: [
      { kind: 'image', id: DISK_IDS.parent, file: images.parent, format: 'qcow2' },
      { kind: 'replication-secondary', id: DISK_IDS.secondaryChild, topId: DISK_IDS.quorum, active: images.active, hidden: images.hidden, backing: DISK_IDS.parent },
      { kind: 'quorum', id: DISK_IDS.quorum, child: { kind: 'node', node: DISK_IDS.secondaryChild } },
    ],
    attach: DISK_IDS.quorum,
  };
}

/** On the secondary, before the migration: export parent0 (writable) on its own address. */
export function secondaryNbdCommands(address: string, port: number): DiskCommand[] {
  checkEndpoint(address, port);
  return [
    { command: 'nbd-server-start', args: { addr: { type: 'inet', data: { host: address, port: String(port) } } } },
    { command: 'nbd-server-add', args: { device: DISK_IDS.parent, writable: true } },
  ];
}

/**
 * On the primary: copy the whole disk into the secondary's parent0 while the guest runs
 * ("Primary resume replication" in QEMU's docs); once the job is ready, the guest is paused and
 * the job cancelled, which leaves both disks the same.
 */
export function primaryResyncCommand(address: string, port: number): DiskCommand {
  checkEndpoint(address, port);
  return {
    command: 'drive-mirror',
    args: { device: DISK_IDS.quorum, 'job-id': DISK_IDS.resync, target: `nbd://${address}:${port}/${DISK_IDS.parent}`, mode: 'existing', format: 'raw', sync: 'full' },
  };
}

/** On the primary, after the resync: the replication child (NBD to the secondary) joins the quorum. */
export function primaryReplicationCommands(address: string, port: number): DiskCommand[] {
  checkEndpoint(address, port);
  return [
    {
      command: 'human-monitor-command',
      args: { 'command-line': `drive_add -n buddy driver=replication,mode=primary,file.driver=nbd,file.host=${address},file.port=${port},file.export=${DISK_IDS.parent},node-name=${DISK_IDS.replication}` },
    },
    { command: 'x-blockdev-change', args: { parent: DISK_IDS.quorum, node: DISK_IDS.replication } },
  ];
}

/** On the secondary taking over, first of all (QEMU's "Secondary Failover"). */
export function secondaryDiskTakeoverCommands(): DiskCommand[] {
  return [{ command: 'nbd-server-stop' }];
}

/** On the primary going on alone, first of all (QEMU's "Primary Failover"): the replication child leaves the quorum. */
export function primaryDiskFailoverCommands(): DiskCommand[] {
  return [
    { command: 'x-blockdev-change', args: { parent: DISK_IDS.quorum, child: 'children.1' } },
    { command: 'human-monitor-command', args: { 'command-line': `drive_del ${DISK_IDS.replication}` } },
  ];
}
