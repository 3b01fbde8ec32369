/**
 * The manifest of a built guest, `guest.json`, written last into a build so that a folder with a
 * valid manifest is a complete guest, and reading a guest folder back as {@link GuestArtifacts}.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestArtifacts } from './build';
import type { GuestInputs } from './cache';

/** The manifest file in every finished guest folder. */
export const MANIFEST_FILE = 'guest.json';

/** File names inside a guest folder. */
export const GUEST_FILES = {
  kernel: 'vmlinuz',
  vmlinux: 'vmlinux',
  initrd: 'initrd.cpio.gz',
  sshPrivateKey: 'id_ed25519',
  knownHostsFile: 'known_hosts',
} as const;

/** What `guest.json` holds: paths are relative to the folder, which may be renamed. */
interface Manifest {
  readonly format: 1;
  readonly hash: string;
  readonly hasVmlinux: boolean;
  readonly kernelVersion: string;
  readonly kernelPackage: string;
  readonly builtAt: string;
  readonly buildSeconds: number;
  readonly inputs: GuestInputs;
}

/** Writes `guest.json` into `dir`. */
export async function writeManifest(
  dir: string,
  fields: Omit<Manifest, 'format'>,
): Promise<void> {
  const manifest: Manifest = { format: 1, ...fields };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

function isManifest(value: unknown): value is Manifest {
  if (value === null || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  return (
    m.format === 1 &&
    typeof m.hash === 'string' &&
    typeof m.hasVmlinux === 'boolean' &&
    typeof m.kernelVersion === 'string' &&
    typeof m.kernelPackage === 'string' &&
    typeof m.builtAt === 'string' &&
    typeof m.buildSeconds === 'number'
  );
}

async function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The guest in `dir`, or undefined when `dir` holds no complete guest (no manifest, another hash,
 * a file missing).
 */
export async function readGuest(dir: string, expectedHash?: string): Promise<GuestArtifacts | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (!isManifest(parsed)) return undefined;
  if (expectedHash !== undefined && parsed.hash !== expectedHash) return undefined;
  const artifacts: GuestArtifacts = {
    dir,
    hash: parsed.hash,
    kernel: join(dir, GUEST_FILES.kernel),
    vmlinux: parsed.hasVmlinux ? join(dir, GUEST_FILES.vmlinux) : undefined,
    initrd: join(dir, GUEST_FILES.initrd),
    kernelVersion: parsed.kernelVersion,
    kernelPackage: parsed.kernelPackage,
    sshPrivateKey: join(dir, GUEST_FILES.sshPrivateKey),
    knownHostsFile: join(dir, GUEST_FILES.knownHostsFile),
    hostKeyAlias: 'qemu-lab-guest',
    readyMarker: 'QEMU-LAB-READY',
    builtAt: parsed.builtAt,
    buildSeconds: parsed.buildSeconds,
    fromCache: true,
  };
  const files = [artifacts.kernel, artifacts.initrd, artifacts.sshPrivateKey, artifacts.knownHostsFile];
  if (artifacts.vmlinux !== undefined) files.push(artifacts.vmlinux);
  for (const file of files) if (!(await present(file))) return undefined;
  return artifacts;
}
