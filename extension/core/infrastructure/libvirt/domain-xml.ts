/**
 * A lab VM's libvirt domain XML, from the same launch plan the direct backend turns into argv
 * (`plan-for-vm.ts`), so the two backends cannot disagree about what a VM's keys mean. Pure.
 *
 * What maps to what: CPUs → `<vcpu>`, memory → `<memory unit='MiB'>` (rounded up as `-m` is),
 * machine → `<type machine=…>`, accelerator → `<domain type='kvm'|'qemu'>` with the CPU model `-cpu`
 * gets (host-passthrough / maximum), NIC model → `<model type=…>`, the built-in guest → `<kernel>`,
 * `<initrd>`, `<cmdline>`, a disk image (a disk guest's overlay) → a virtio disk and its cloud-init
 * seed → a read-only virtio disk after it, the serial console → a UNIX socket with a
 * log file, the entropy source → virtio-rng, `extraArgs` → `<qemu:commandline>` (last, untouched).
 * User networking is libvirt's `type='user'`; its port forwards are added at start through the
 * monitor (`hostfwd_add`: Debian's libvirt has no passt, and libvirt's SLIRP takes no forwards),
 * and kept in the domain's metadata so they can be added again after a migration.
 *
 * The domain is named `qemu-lab-<vm>-<hash of lab file and host>` and carries a metadata element in
 * QEMU Lab's namespace naming its lab file, VM and host: the tool knows its own domains, and never
 * takes a user's domain for one of its own.
 */
import { createHash } from 'node:crypto';
import { memoryMiB, nicDriver } from '../qemu/argv';
import { QEMU_DEFAULT_MAC, type BootMedia, type DriveNode, type PlanDisk, type PortForward, type QemuLaunchPlan } from '../qemu/launch-plan';
import { LibvirtError } from './libvirt-errors';
import { xmlAttribute as attr, xmlText as text } from './xml-text';

/** Every domain QEMU Lab defines has a name starting with this. */
export const DOMAIN_PREFIX = 'qemu-lab-';
/** The XML namespace of QEMU Lab's metadata element in a domain. */
export const METADATA_NAMESPACE = 'urn:x-qemu-lab:libvirt-domain:1';
/** libvirt's namespace for `<qemu:commandline>`. */
const QEMU_NAMESPACE = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** Which lab VM a domain is. */
export interface DomainOwner {
  readonly labPath: string;
  readonly vmName: string;
  readonly host: string;
}

/** What a domain needs beyond the launch plan: where its serial console goes, its bridge, its QEMU. */
export interface DomainPlace {
  readonly owner: DomainOwner;
  /** The serial console's UNIX socket (libvirt listens) and its log file, on the libvirt host. */
  readonly serial: { readonly socket: string; readonly log: string };
  /** The Linux bridge of a VM on a bridge network (the plan's TAP is the direct backend's). */
  readonly bridge?: string;
  /** The QEMU binary, when not libvirt's default for the machine. */
  readonly emulator?: string;
}

/** The libvirt name of a lab VM's domain: the VM's name (lab names are safe there) and a hash of what else tells it apart. */
export function domainName(owner: DomainOwner): string {
  const hash = createHash('sha256').update(`${owner.labPath}\0${owner.host}`).digest('hex').slice(0, 10);
  return `${DOMAIN_PREFIX}${owner.vmName}-${hash}`;
}

/** The netdev id libvirt gives the first interface (`net0`): where `hostfwd_add` adds a forward. */
export const USER_NETDEV = 'hostnet0';

/** The port forwards of a plan on user networking: the guest's SSH, then the others. */
export function planForwards(plan: QemuLaunchPlan): PortForward[] {
  if (plan.network.kind !== 'user') return [];
  return [{ hostPort: plan.network.sshHostPort, guestPort: 22 }, ...plan.network.forwards];
}

/** `hostfwd_add` (HMP) for one forward, on loopback of the libvirt host like the direct backend's. */
export function hostfwdCommand(forward: PortForward): string {
  return `hostfwd_add ${USER_NETDEV} tcp:127.0.0.1:${forward.hostPort}-:${forward.guestPort}`;
}

function unsupported(what: string): LibvirtError {
  return new LibvirtError(`A VM on a libvirt host cannot have ${what} yet.`, { hint: 'Run this VM on a local or SSH host (kind: local or kind: ssh).' });
}

function osXml(plan: QemuLaunchPlan): string[] {
  const lines = [`    <type arch='x86_64' machine='${attr(plan.machine, 'machine type')}'>hvm</type>`];
  if (plan.boot.kind === 'kernel') {
    lines.push(
      `    <kernel>${text(plan.boot.kernel, 'kernel path')}</kernel>`,
      `    <initrd>${text(plan.boot.initrd, 'initrd path')}</initrd>`,
      `    <cmdline>${text(plan.boot.append, 'kernel command line')}</cmdline>`,
    );
  } else {
    lines.push("    <boot dev='hd'/>");
  }
  return ['  <os>', ...lines, '  </os>'];
}

function diskXml(file: string, format: 'qcow2' | 'raw', target: string, options: { readonly?: boolean } = {}): string[] {
  return [
    "    <disk type='file' device='disk'>",
    options.readonly === true ? `      <driver name='qemu' type='${format}'/>` : `      <driver name='qemu' type='${format}' cache='writeback'/>`,
    `      <source file='${attr(file, 'disk image path')}'/>`,
    `      <target dev='${target}' bus='virtio'/>`,
    ...(options.readonly === true ? ['      <readonly/>'] : []),
    '    </disk>',
  ];
}

/** The virtio target of the `index`-th disk (`vda`, `vdb`, …), in the order QEMU's argv lists them. */
function virtioTarget(index: number): string {
  return `vd${String.fromCharCode('a'.charCodeAt(0) + index)}`;
}

/** A plan disk as a libvirt disk: one image node attached directly. COLO's quorum and replication have no domain XML. */
function planDiskXml(disk: PlanDisk, target: string): string[] {
  const node: DriveNode | undefined = disk.nodes.find((n) => n.id === disk.attach);
  if (disk.nodes.length !== 1 || node?.kind !== 'image') throw unsupported('a quorum or replication disk (COLO)');
  return diskXml(node.file, node.format, target);
}

/**
 * The boot media's disks: the image the plan boots (for a disk guest its own overlay — the disk
 * step put it in place of the user's image, which libvirt's QEMU then only reads, as the
 * overlay's backing file) and the cloud-init seed after it, read-only, as argv.ts orders them.
 */
function bootDisksXml(boot: BootMedia): string[][] {
  if (boot.kind !== 'disk') return [];
  const disks = [diskXml(boot.image, boot.format, virtioTarget(0))];
  if (boot.seed !== undefined) disks.push(diskXml(boot.seed, 'raw', virtioTarget(1), { readonly: true }));
  return disks;
}

function interfaceXml(plan: QemuLaunchPlan, place: DomainPlace): string[] {
  const model = `      <model type='${attr(libvirtNicModel(plan.nic), 'NIC model')}'/>`;
  // QEMU's own default MAC, as the argv (no mac=) gets: libvirt would pick a random one, and a
  // disk guest's cloud-init network-config matches this one.
  if (plan.network.kind === 'user') return ["    <interface type='user'>", `      <mac address='${QEMU_DEFAULT_MAC}'/>`, model, '    </interface>'];
  if (place.bridge === undefined) throw unsupported('an isolated network (it lives in a network namespace QEMU Lab makes)');
  return [
    "    <interface type='bridge'>",
    `      <source bridge='${attr(place.bridge, 'bridge name')}'/>`,
    `      <mac address='${attr(plan.network.mac, 'MAC address')}'/>`,
    model,
    '    </interface>',
  ];
}

/** libvirt's NIC model name: `virtio` is libvirt's word too; other QEMU device names pass through. */
export function libvirtNicModel(nic: string): string {
  return nic === 'virtio' ? 'virtio' : nicDriver(nic);
}

/**
 * The domain's metadata element: which lab VM it is, and the port forwards to add again wherever
 * it runs (a migration writes the destination's).
 */
export function metadataXml(owner: DomainOwner, forwards: readonly PortForward[]): string[] {
  return [
    '  <metadata>',
    `    <ql:vm xmlns:ql='${METADATA_NAMESPACE}'>`,
    `      <ql:lab>${text(owner.labPath, 'lab file path')}</ql:lab>`,
    `      <ql:name>${text(owner.vmName, 'VM name')}</ql:name>`,
    `      <ql:host>${text(owner.host, 'host name')}</ql:host>`,
    ...forwards.map((f) => `      <ql:forward host='${f.hostPort}' guest='${f.guestPort}'/>`),
    '    </ql:vm>',
    '  </metadata>',
  ];
}

/**
 * The domain XML of a launch plan (see the file comment). Throws a {@link LibvirtError} for what
 * a domain cannot express yet: COLO's disks and network filters, `-incoming` (libvirt migrates
 * itself), an isolated network, a CD-ROM.
 */
export function buildDomainXml(plan: QemuLaunchPlan, place: DomainPlace): string {
  if (plan.netFilters !== undefined) throw unsupported("COLO's network filters");
  if (plan.incoming !== undefined) throw unsupported('a migration destination started by hand (libvirt starts its own)');
  if (plan.boot.kind === 'disk' && plan.boot.cdrom !== undefined) throw unsupported('a CD-ROM to install from (cdrom:)');
  const bootDisks = bootDisksXml(plan.boot);
  const devices = [
    ...(place.emulator === undefined ? [] : [`    <emulator>${text(place.emulator, 'QEMU binary path')}</emulator>`]),
    ...bootDisks.flat(),
    ...(plan.disks ?? []).flatMap((disk, i) => planDiskXml(disk, virtioTarget(bootDisks.length + i))),
    ...interfaceXml(plan, place),
    "    <serial type='unix'>",
    `      <source mode='bind' path='${attr(place.serial.socket, 'serial socket path')}'/>`,
    `      <log file='${attr(place.serial.log, 'serial log path')}' append='on'/>`,
    "      <target port='0'/>",
    '    </serial>',
    // Without an entropy source the guest's SSH server waits minutes for randomness under TCG.
    "    <rng model='virtio'>",
    "      <backend model='random'>/dev/urandom</backend>",
    '    </rng>',
    ...(plan.files.vncSocket === undefined ? [] : [`    <graphics type='vnc' socket='${attr(plan.files.vncSocket, 'VNC socket path')}'/>`]),
    // Only what the plan asks for, as -nodefaults: no USB controller, no balloon.
    "    <controller type='usb' model='none'/>",
    "    <memballoon model='none'/>",
  ];
  const cpu = plan.accel === 'kvm' ? "  <cpu mode='host-passthrough'/>" : "  <cpu mode='maximum' check='none'/>";
  const commandline =
    plan.extraArgs.length === 0 ? [] : ['  <qemu:commandline>', ...plan.extraArgs.map((arg) => `    <qemu:arg value='${attr(arg, 'extra QEMU argument')}'/>`), '  </qemu:commandline>'];
  return [
    `<domain type='${plan.accel === 'kvm' ? 'kvm' : 'qemu'}'${plan.extraArgs.length === 0 ? '' : ` xmlns:qemu='${QEMU_NAMESPACE}'`}>`,
    `  <name>${text(domainName(place.owner), 'domain name')}</name>`,
    ...metadataXml(place.owner, planForwards(plan)),
    `  <memory unit='MiB'>${memoryMiB(plan.memoryBytes)}</memory>`,
    `  <vcpu>${plan.cpus}</vcpu>`,
    ...osXml(plan),
    '  <features>',
    '    <acpi/>',
    '  </features>',
    cpu,
    '  <on_poweroff>destroy</on_poweroff>',
    '  <on_reboot>restart</on_reboot>',
    '  <on_crash>destroy</on_crash>',
    '  <devices>',
    ...devices,
    '  </devices>',
    ...commandline,
    '</domain>',
    '',
  ].join('\n');
}
