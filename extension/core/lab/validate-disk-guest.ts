/**
 * A VM's disk-guest keys: `image` (what it boots), `disk` (the size its disk grows to, or a blank
 * disk's size), `cdrom` and `boot` (an ISO to install from, and which boots), `cloudInit`, `user`
 * and `identity` (how QEMU Lab logs in). They mean something only on a disk; on the built-in
 * guest each is reported as ignored, and `cdrom:` as an error saying what to write.
 */
import type { DiagnosticCollector } from './diagnostic';
import type { Located, MapReader } from './fields';
import type { BootDevice, GuestLoginSpec, HostSpec, SourceSpan, VmSpec } from './model';
import { parseSize } from './sizes';
import { BLANK_IMAGE, BOOT_DEVICES, BUILTIN_IMAGE, DEFAULT_CLOUD_INIT_USER, GUEST_USER_PATTERN } from './vocabulary';

/** The smallest `disk:` that makes sense for a Linux guest. */
const MIN_DISK_BYTES = 64 * 1024 * 1024;

/** What the disk-guest keys of a VM say; only `image` for the built-in guest. */
export interface DiskGuestKeys {
  /** `builtin`, `blank`, or the path of a disk image as written. */
  readonly image: string;
  readonly diskBytes?: number;
  readonly cdrom?: string;
  readonly boot?: BootDevice;
  readonly login?: GuestLoginSpec;
}

const DISK_GUEST_KEYS = ['disk', 'boot', 'cloudInit', 'user', 'identity'] as const;

/**
 * What a VM boots, from `image:` as written (absent: the default): `disk:` without `image:`
 * means a blank disk to install on, so a VM with neither is the built-in guest.
 */
function imageOf(reader: MapReader, image: Located<string> | undefined): string {
  if (image !== undefined) return image.value;
  return reader.has('disk') ? BLANK_IMAGE : BUILTIN_IMAGE;
}

/** Reads `disk`, `cdrom`, `boot`, `cloudInit`, `user`, `identity` of a VM whose `image:` is `image` (absent when not written). */
export function readDiskGuestKeys(reader: MapReader, image: Located<string> | undefined, entrySpan: SourceSpan): DiskGuestKeys {
  const kind = imageOf(reader, image);
  if (kind === BUILTIN_IMAGE) return readBuiltinGuest(reader, image !== undefined);
  const blank = kind === BLANK_IMAGE;
  const diskBytes = readDiskSize(reader, blank, entrySpan);
  const media = { image: kind, ...(diskBytes === undefined ? {} : { diskBytes }), ...readCdrom(reader, blank, entrySpan) };
  const login = blank ? readBlankDiskLogin(reader, entrySpan) : readImageLogin(reader, kind, entrySpan);
  return { ...media, ...(login === undefined ? {} : { login }) };
}

/** The built-in guest boots a kernel: every disk key is ignored, and a CD-ROM has nothing to install on. */
function readBuiltinGuest(reader: MapReader, imageWritten: boolean): DiskGuestKeys {
  for (const key of DISK_GUEST_KEYS) {
    const span = reader.keySpan(key);
    if (span !== undefined) {
      reader.diagnostics.warning('ignored-key', span, `${reader.owner}: ${key} is ignored on the built-in guest; it applies to a disk image (image: PATH)`);
    }
  }
  const cdromSpan = reader.keySpan('cdrom');
  if (cdromSpan !== undefined) {
    const fix = imageWritten ? 'replace image: builtin with disk: 10G (a blank disk to install on)' : 'add disk: 10G (a blank disk to install on)';
    reader.diagnostics.error('missing-key', cdromSpan, `${reader.owner}: cdrom needs a disk to install on, and the built-in guest has none: ${fix}, or image: PATH of a disk image`);
  }
  return { image: BUILTIN_IMAGE };
}

/** `disk:`: at least 64 MiB; a blank disk must say it (it is the disk's size). */
function readDiskSize(reader: MapReader, blank: boolean, entrySpan: SourceSpan): number | undefined {
  if (blank && !reader.has('disk')) {
    reader.diagnostics.error('missing-key', reader.keySpan('image') ?? entrySpan, `${reader.owner}: a blank disk needs its size: add disk: 10G`);
    return undefined;
  }
  const disk = reader.quantity('disk', parseSize, 'bad-size');
  if (disk !== undefined && disk.value < MIN_DISK_BYTES) {
    reader.diagnostics.error('out-of-range', disk.span, `${reader.owner}: disk is ${disk.value} bytes, too small for a guest's disk; write a size like 10G`);
  }
  return disk !== undefined && disk.value >= MIN_DISK_BYTES ? disk.value : undefined;
}

/** `cdrom:` (an ISO, attached read-only) and `boot:` (which boots first), as far as the file alone can tell. */
function readCdrom(reader: MapReader, blank: boolean, entrySpan: SourceSpan): { cdrom?: string; boot?: BootDevice } {
  const cdrom = reader.string('cdrom', 'the path of an ISO image, like debian-12.iso');
  const boot = reader.oneOf('boot', BOOT_DEVICES, 'boot device');
  if (cdrom === undefined && !reader.has('cdrom')) {
    if (boot?.value === 'cdrom') {
      reader.diagnostics.error('missing-key', boot.span, `${reader.owner}: boot: cdrom needs a CD-ROM: add cdrom: PATH.iso (the ISO to boot), or remove boot:`);
    } else if (boot !== undefined) {
      reader.diagnostics.warning('ignored-key', reader.keySpan('boot') ?? boot.span, `${reader.owner}: boot only matters with a cdrom; without one the VM boots its disk`);
    }
    if (blank) {
      reader.diagnostics.warning(
        'missing-key',
        reader.keySpan('image') ?? reader.keySpan('disk') ?? entrySpan,
        `${reader.owner}: a blank disk has nothing to boot: add cdrom: PATH.iso (an installer ISO), or image: PATH of a disk image`,
      );
    }
    return {};
  }
  return { ...(cdrom === undefined ? {} : { cdrom: cdrom.value }), ...(boot === undefined ? {} : { boot: boot.value }) };
}

/** A blank disk has no system yet: no cloud-init; `user` + `identity` name the login the install makes. */
function readBlankDiskLogin(reader: MapReader, entrySpan: SourceSpan): GuestLoginSpec | undefined {
  const cloudInit = reader.boolean('cloudInit');
  if (cloudInit?.value === true) {
    reader.diagnostics.error(
      'unknown-value',
      cloudInit.span,
      `${reader.owner}: a blank disk has no cloud-init to read a seed: remove cloudInit (or write false); name the installed system's login with user: and identity:`,
    );
  }
  const user = readUser(reader);
  const identity = reader.string('identity', 'the path of the SSH private key that logs into the guest');
  if (user === undefined && identity === undefined) return undefined;
  if (user === undefined || identity === undefined) {
    const [missing, written] = user === undefined ? ['user', identity?.span] : ['identity', user.span];
    reader.diagnostics.warning('missing-key', written ?? entrySpan, `${reader.owner}: add ${missing} too: the installed system's login is a user and its SSH private key`);
    return undefined;
  }
  return user.ok ? { kind: 'manual', user: user.value, identity: identity.value } : undefined;
}

/** `user:` read and checked; `ok` false when it is no Linux user name (reported). */
function readUser(reader: MapReader): (Located<string> & { readonly ok: boolean }) | undefined {
  const user = reader.string('user', 'the user QEMU Lab logs into the guest as, like debian');
  if (user === undefined) return undefined;
  const ok = GUEST_USER_PATTERN.test(user.value);
  if (!ok) {
    reader.diagnostics.error('invalid-user', user.span, `${reader.owner}: user must be a Linux user name (lower-case letters, digits, _ and -), not ${JSON.stringify(user.value)}`);
  }
  return { ...user, ok };
}

/** A disk image logs in through cloud-init (default), or through `user` + `identity` with `cloudInit: false`. */
function readImageLogin(reader: MapReader, image: string, entrySpan: SourceSpan): GuestLoginSpec | undefined {
  const cloudInit = reader.boolean('cloudInit');
  const user = readUser(reader);
  const identity = reader.string('identity', 'the path of the SSH private key that logs into the guest');
  const viaCloudInit = cloudInit?.value ?? true;
  if (viaCloudInit) {
    if (identity !== undefined) {
      reader.diagnostics.warning('ignored-key', reader.keySpan('identity') ?? identity.span, `${reader.owner}: identity is ignored with cloud-init, which logs in with the lab's own key; add cloudInit: false to use this key`);
    }
    return { kind: 'cloud-init', user: user?.ok === true ? user.value : DEFAULT_CLOUD_INIT_USER };
  }
  if (user === undefined || identity === undefined) {
    const missing = [user === undefined ? 'user' : undefined, identity === undefined ? 'identity' : undefined].filter((k) => k !== undefined).join(' and ');
    reader.diagnostics.warning(
      'missing-key',
      reader.keySpan('cloudInit') ?? entrySpan,
      `${reader.owner}: without cloud-init QEMU Lab cannot log into ${image} until you name a login: add ${missing} (its SSH user and private key); it boots, but ssh and benchmarks refuse`,
    );
    return undefined;
  }
  return user.ok ? { kind: 'manual', user: user.value, identity: identity.value } : undefined;
}

/** An install from an ISO (a blank disk, a CD-ROM) runs on a local or SSH host: libvirt hosts do not take one yet. */
export function checkInstallHosts(vms: ReadonlyMap<string, VmSpec>, hosts: ReadonlyMap<string, HostSpec>, diagnostics: DiagnosticCollector): void {
  for (const vm of vms.values()) {
    const host = hosts.get(vm.host);
    if (host?.kind !== 'libvirt' || vm.span === undefined || (vm.image !== BLANK_IMAGE && vm.cdrom === undefined)) continue;
    diagnostics.error(
      'backend-mismatch',
      vm.span,
      `VM "${vm.name}" installs from an ISO (a blank disk or cdrom:) on libvirt host "${host.name}", which QEMU Lab does not do yet: run it on a local or SSH host, or make the domain with virt-install there`,
    );
  }
}
