/**
 * A VM's disk-guest keys: `disk` (the size its overlay grows to), `cloudInit`, `user` and
 * `identity` (how QEMU Lab logs in). They mean something only with a disk image; on the built-in
 * guest each is reported as ignored.
 */
import type { MapReader } from './fields';
import type { GuestLoginSpec, SourceSpan } from './model';
import { parseSize } from './sizes';
import { DEFAULT_CLOUD_INIT_USER, GUEST_USER_PATTERN } from './vocabulary';

/** The smallest `disk:` that makes sense for a Linux guest. */
const MIN_DISK_BYTES = 64 * 1024 * 1024;

/** What the disk-guest keys of a VM say; nothing for the built-in guest. */
export interface DiskGuestKeys {
  readonly diskBytes?: number;
  readonly login?: GuestLoginSpec;
}

const DISK_GUEST_KEYS = ['disk', 'cloudInit', 'user', 'identity'] as const;

/** Reads `disk`, `cloudInit`, `user`, `identity` of a VM whose image is `image`. */
export function readDiskGuestKeys(reader: MapReader, image: string, builtin: boolean, entrySpan: SourceSpan): DiskGuestKeys {
  if (builtin) {
    for (const key of DISK_GUEST_KEYS) {
      const span = reader.keySpan(key);
      if (span !== undefined) {
        reader.diagnostics.warning('ignored-key', span, `${reader.owner}: ${key} is ignored on the built-in guest; it applies to a disk image (image: PATH)`);
      }
    }
    return {};
  }
  const disk = reader.quantity('disk', parseSize, 'bad-size');
  if (disk !== undefined && disk.value < MIN_DISK_BYTES) {
    reader.diagnostics.error('out-of-range', disk.span, `${reader.owner}: disk is ${disk.value} bytes, too small for a guest's disk; write a size like 10G`);
  }
  const diskBytes = disk !== undefined && disk.value >= MIN_DISK_BYTES ? disk.value : undefined;
  const cloudInit = reader.boolean('cloudInit');
  const user = reader.string('user', 'the user QEMU Lab logs into the guest as, like debian');
  const userOk = user !== undefined && GUEST_USER_PATTERN.test(user.value);
  if (user !== undefined && !userOk) {
    reader.diagnostics.error('invalid-user', user.span, `${reader.owner}: user must be a Linux user name (lower-case letters, digits, _ and -), not ${JSON.stringify(user.value)}`);
  }
  const identity = reader.string('identity', 'the path of the SSH private key that logs into the guest');
  const viaCloudInit = cloudInit?.value ?? true;
  if (viaCloudInit) {
    if (identity !== undefined) {
      reader.diagnostics.warning('ignored-key', reader.keySpan('identity') ?? identity.span, `${reader.owner}: identity is ignored with cloud-init, which logs in with the lab's own key; add cloudInit: false to use this key`);
    }
    const login: GuestLoginSpec = { kind: 'cloud-init', user: userOk ? user.value : DEFAULT_CLOUD_INIT_USER };
    return { ...(diskBytes === undefined ? {} : { diskBytes }), login };
  }
  if (user === undefined || identity === undefined) {
    const missing = [user === undefined ? 'user' : undefined, identity === undefined ? 'identity' : undefined].filter((k) => k !== undefined).join(' and ');
    reader.diagnostics.warning(
      'missing-key',
      reader.keySpan('cloudInit') ?? entrySpan,
      `${reader.owner}: without cloud-init QEMU Lab cannot log into ${image} until you name a login: add ${missing} (its SSH user and private key); it boots, but ssh and benchmarks refuse`,
    );
    return diskBytes === undefined ? {} : { diskBytes };
  }
  const login: GuestLoginSpec | undefined = userOk ? { kind: 'manual', user: user.value, identity: identity.value } : undefined;
  return { ...(diskBytes === undefined ? {} : { diskBytes }), ...(login === undefined ? {} : { login }) };
}
