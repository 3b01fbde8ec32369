import type { NicModel } from '../../lab/model';
import { type BootMedia, CDROM_DRIVE_ID, DISK_DRIVE_ID, type DriveNode, type PlanCdrom, type NetFilter, type NetFilterParts, type NetworkAttachment, type PlanDisk, type QemuLaunchPlan, type QuorumChild, type ReconnectingSocket, STATE_NODE } from './launch-plan';

/** The `-device` driver for a NIC model name from the lab file. */
export function nicDriver(nic: NicModel): string {
  // `virtio` is the name people use; QEMU's PCI device is virtio-net-pci. Any other name is
  // passed through: `qemu -device help` on the host lists what it offers.
  return nic === 'virtio' ? 'virtio-net-pci' : nic;
}

/** Memory in MiB for `-m`, rounding up so that QEMU never gets less than asked for. */
export function memoryMiB(bytes: number): number {
  return Math.ceil(bytes / (1024 * 1024));
}

/**
 * Escapes a value for QEMU's option syntax (`key=value,key=value`): a comma inside a value is
 * written twice. Paths with commas are legal on Linux and must not split an option.
 */
export function qemuOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

function accelArgs(accel: 'kvm' | 'tcg'): string[] {
  // KVM can pass the host CPU through; TCG emulates a portable model (max = every feature TCG has).
  return accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'max'];
}

function bootArgs(boot: BootMedia): string[] {
  if (boot.kind === 'kernel') {
    return ['-kernel', boot.kernel, '-initrd', boot.initrd, '-append', boot.append];
  }
  const seed = boot.seed === undefined ? [] : ['-drive', `file=${qemuOptionValue(boot.seed)},format=raw,if=virtio,readonly=on`];
  if (boot.cdrom !== undefined) return [...cdromBootArgs(boot.image, boot.format, boot.cdrom), ...seed];
  return ['-drive', `file=${qemuOptionValue(boot.image)},format=${boot.format},if=virtio,cache=writeback`, ...seed];
}

/**
 * The disk and the CD-ROM as drives with devices of their own, so each device can carry a
 * `bootindex`: the firmware's boot order comes from those (QEMU writes them into the `bootorder`
 * file SeaBIOS and OVMF read), which names each device exactly, where `-boot order=dc` only names
 * kinds of device in the legacy BIOS order. A disk-only boot adds `-boot strict=on`: SeaBIOS
 * then tries the listed devices and stops, rather than falling through to the ISO.
 */
function cdromBootArgs(image: string, format: string, cdrom: PlanCdrom): string[] {
  const diskIndex = cdrom.boot === 'cdrom' ? 1 : 0;
  return [
    '-drive',
    `if=none,id=${DISK_DRIVE_ID},file=${qemuOptionValue(image)},format=${format},cache=writeback`,
    '-device',
    `virtio-blk-pci,drive=${DISK_DRIVE_ID},bootindex=${diskIndex}`,
    '-drive',
    `if=none,id=${CDROM_DRIVE_ID},file=${qemuOptionValue(cdrom.iso)},format=raw,media=cdrom,readonly=on`,
    '-device',
    `ide-cd,drive=${CDROM_DRIVE_ID},bus=ide.0${cdrom.boot === 'cdrom' ? ',bootindex=0' : ''}`,
    ...(cdrom.boot === 'disk' ? ['-boot', 'strict=on'] : []),
  ];
}

function networkArgs(network: NetworkAttachment, nic: NicModel): string[] {
  const device = `${nicDriver(nic)},netdev=net0`;
  if (network.kind === 'user') {
    return [
      '-netdev',
      [
        'user,id=net0',
        `hostfwd=tcp:127.0.0.1:${network.sshHostPort}-:22`,
        ...network.forwards.map((f) => `hostfwd=tcp:127.0.0.1:${f.hostPort}-:${f.guestPort}`),
      ].join(','),
      '-device',
      device,
    ];
  }
  return [
    '-netdev',
    `tap,id=net0,ifname=${network.tapName},script=no,downscript=no`,
    '-device',
    `${device},mac=${network.mac}`,
  ];
}

function quorumChild(child: QuorumChild): string {
  return child.kind === 'node' ? `children.0=${child.node}` : `children.0.file.filename=${qemuOptionValue(child.file)},children.0.driver=${child.format}`;
}

function driveValue(node: DriveNode): string {
  switch (node.kind) {
    case 'image':
      return `if=none,id=${node.id},file.filename=${qemuOptionValue(node.file)},driver=${node.format}`;
    case 'quorum':
      return `if=none,id=${node.id},driver=quorum,read-pattern=fifo,vote-threshold=1,${quorumChild(node.child)}`;
    case 'replication-secondary':
      return [
        `if=none,id=${node.id},driver=replication,mode=secondary,file.driver=qcow2,top-id=${node.topId}`,
        `file.file.filename=${qemuOptionValue(node.active)}`,
        'file.backing.driver=qcow2',
        `file.backing.file.filename=${qemuOptionValue(node.hidden)}`,
        `file.backing.backing=${node.backing}`,
      ].join(',');
  }
}

/** The `-drive` options of a disk's block nodes, then the virtio-blk device that shows it to the guest. */
export function diskArgs(disk: PlanDisk): string[] {
  return [...disk.nodes.flatMap((node) => ['-drive', driveValue(node)]), '-device', `virtio-blk-pci,drive=${disk.attach}`];
}

function socketChardevValue(socket: ReconnectingSocket): string {
  const reconnect = socket.reconnect.unit === 'ms' ? `reconnect-ms=${socket.reconnect.value}` : `reconnect=${socket.reconnect.value}`;
  return `socket,id=${socket.id},host=${socket.host},port=${socket.port},${reconnect}`;
}

function filterValue(filter: NetFilter): string {
  const base = `${filter.kind},id=${filter.id},netdev=${filter.netdev},queue=${filter.queue}`;
  if (filter.kind === 'filter-rewriter') return base;
  return filter.indev !== undefined ? `${base},indev=${filter.indev}` : `${base},outdev=${filter.outdev}`;
}

/** The `-chardev` options, then the `-object` network filters that use them. */
export function netFilterArgs(parts: NetFilterParts): string[] {
  return [...parts.chardevs.flatMap((socket) => ['-chardev', socketChardevValue(socket)]), ...parts.filters.flatMap((filter) => ['-object', filterValue(filter)])];
}

/** The state disk as a block node with no device: the guest never sees it, snapshots keep memory in it. */
function stateDiskArgs(path: string | undefined): string[] {
  if (path === undefined) return [];
  return ['-blockdev', `driver=qcow2,node-name=${STATE_NODE},file.driver=file,file.filename=${qemuOptionValue(path)}`];
}

/**
 * Builds QEMU's argument vector (without the program) for a launch plan. An array, never a
 * shell string: names and paths with spaces, quotes or `$()` reach QEMU as they are.
 */
export function buildQemuArgv(plan: QemuLaunchPlan): string[] {
  const { files } = plan;
  const argv: string[] = [
    '-name',
    `${qemuOptionValue(plan.name)},process=qemu-lab:${qemuOptionValue(plan.name)}`,
    '-machine',
    plan.machine,
    ...accelArgs(plan.accel),
    '-smp',
    String(plan.cpus),
    '-m',
    `${memoryMiB(plan.memoryBytes)}M`,
    // Only what we ask for: no default NIC, no default serial/monitor, no user config files.
    '-nodefaults',
    '-no-user-config',
    ...bootArgs(plan.boot),
    ...stateDiskArgs(plan.stateDisk),
    ...networkArgs(plan.network, plan.nic),
    // Without an entropy source the guest's SSH server waits minutes for randomness under TCG.
    '-device',
    'virtio-rng-pci',
    '-chardev',
    `socket,id=serial0,path=${qemuOptionValue(files.serialSocket)},server=on,wait=off,logfile=${qemuOptionValue(files.serialLog)},logappend=on`,
    '-serial',
    'chardev:serial0',
    '-chardev',
    `socket,id=qmp0,path=${qemuOptionValue(files.qmpSocket)},server=on,wait=off`,
    '-mon',
    'chardev=qmp0,mode=control',
    '-chardev',
    `socket,id=qmp1,path=${qemuOptionValue(files.watchSocket)},server=on,wait=off`,
    '-mon',
    'chardev=qmp1,mode=control',
    '-pidfile',
    files.pidFile,
    '-display',
    'none',
  ];
  if (plan.display !== undefined) {
    // `-display none` above keeps QEMU from opening a window; -vnc adds the one display served,
    // on the run directory's UNIX socket only (QEMU 7.2's `unix:PATH` form).
    argv.push('-device', plan.display.device, '-vnc', `unix:${qemuOptionValue(plan.display.vncSocket)}`);
  }
  if (plan.incoming !== undefined) {
    argv.push('-incoming', plan.incoming);
  }
  // COLO's parts after -incoming, where they always came out: QEMU does not mind the order, and
  // a VM without extraArgs keeps the argv it always had.
  if (plan.netFilters !== undefined) argv.push(...netFilterArgs(plan.netFilters));
  for (const disk of plan.disks ?? []) argv.push(...diskArgs(disk));
  // The user's own arguments last: they may refer to anything above, and add what QEMU Lab does not.
  argv.push(...plan.extraArgs);
  return argv;
}
