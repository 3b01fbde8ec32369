/**
 * Lays out the guest's initramfs (busybox and its applet links, dropbear, the benchmark tools and
 * their libraries, kernel modules, keys, /init) and writes it as a gzip-compressed newc cpio.
 */
import { createWriteStream } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, cpioChunks, type CpioEntry } from './cpio';
import { ImageTree, type ImageEntry } from './image-tree';
import {
  GUEST_ETC_FILES,
  GUEST_HOST_KEY_PATH,
  GUEST_MODULE_LIST_PATH,
  INIT_SCRIPT,
} from './init-script';
import { guestModuleFileName, moduleName, readModule } from './modules';
import { run } from './run';
import type { GuestTool } from './tools';

/** Everything that goes into the initramfs, found on the host and in the unpacked kernel. */
export interface InitramfsContents {
  /** The guest's programs and where each is on the host. */
  readonly tools: readonly { readonly tool: GuestTool; readonly hostPath: string }[];
  /** Host paths of the shared libraries and dynamic loader the programs need. */
  readonly libraries: readonly string[];
  /** The kernel release, for /lib/modules/<release>. */
  readonly kernelRelease: string;
  /** The kernel's modules folder and the module paths (relative to it) to load, in order. */
  readonly modulesDir: string;
  readonly moduleLoadOrder: readonly string[];
  /** modules.dep of the kernel, to write a small one for the included modules. */
  readonly moduleDeps: ReadonlyMap<string, readonly string[]>;
  /** The dropbear host key file on the host (it is copied into the guest). */
  readonly hostKeyFile: string;
  /** root's authorized_keys line. */
  readonly authorizedKey: string;
}

/** Host folders whose layout (e.g. merged-/usr symlinks) the guest copies. */
const MIRRORED_DIRS = ['/bin', '/sbin', '/lib', '/lib64', '/usr/bin', '/usr/sbin', '/usr/lib'];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The applets a busybox binary provides (`busybox --list`). */
export async function busyboxApplets(busybox: string, signal?: AbortSignal): Promise<string[]> {
  const { stdout } = await run(busybox, ['--list'], { signal });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => /^[A-Za-z0-9_.[\]-]+$/.test(name) && name !== 'busybox');
}

/** Lays out the whole guest file tree. */
export async function assembleImage(contents: InitramfsContents, signal?: AbortSignal): Promise<ImageTree> {
  const tree = new ImageTree();
  for (const dir of MIRRORED_DIRS) if (await exists(dir)) await tree.addHostPath(dir);

  for (const dir of ['/proc', '/sys', '/dev', '/run', '/var/log', '/etc/qemu-lab', '/etc/dropbear']) tree.addDir(dir);
  tree.addDir('/tmp', 0o1777);
  tree.addDir('/root', 0o700);
  tree.addDir('/root/.ssh', 0o700);
  tree.addSymlink('/var/run', '../run');
  // The kernel opens /dev/console for /init before anything is mounted.
  tree.addCharDevice('/dev/console', 5, 1, 0o600);

  for (const library of contents.libraries) await tree.addHostPath(library);
  for (const { tool, hostPath } of contents.tools) {
    const info = await stat(hostPath);
    tree.addFileFromHost(tool.guestPath, hostPath, info.mode & 0o7777);
  }
  const busybox = contents.tools.find((entry) => entry.tool.name === 'busybox');
  if (busybox !== undefined) {
    const dir = posix.dirname(busybox.tool.guestPath);
    for (const applet of await busyboxApplets(busybox.hostPath, signal)) {
      const link = posix.join(dir, applet);
      if (!tree.has(link)) tree.addSymlink(link, 'busybox');
    }
  }

  const moduleDir = `/lib/modules/${contents.kernelRelease}`;
  const guestPathOf = (relative: string): string => posix.join(moduleDir, guestModuleFileName(relative));
  for (const relative of contents.moduleLoadOrder) {
    tree.addFile(guestPathOf(relative), await readModule(posix.join(contents.modulesDir, relative), signal), 0o644);
  }
  tree.addFile(GUEST_MODULE_LIST_PATH, contents.moduleLoadOrder.map((relative) => `${guestPathOf(relative)}\n`).join(''));
  // A modules.dep for just these modules, so that busybox modprobe/modinfo work in the guest too.
  const included = new Set(contents.moduleLoadOrder);
  const depLines = contents.moduleLoadOrder.map((relative) => {
    const deps = (contents.moduleDeps.get(relative) ?? []).filter((dep) => included.has(dep));
    return `${guestModuleFileName(relative)}:${deps.map((dep) => ` ${guestModuleFileName(dep)}`).join('')}\n`;
  });
  tree.addFile(posix.join(moduleDir, 'modules.dep'), depLines.join(''));

  for (const [path, file] of Object.entries(GUEST_ETC_FILES)) tree.addFile(path, file.text, file.mode);
  tree.addFile(GUEST_HOST_KEY_PATH, await readFile(contents.hostKeyFile), 0o600);
  tree.addFile('/root/.ssh/authorized_keys', `${contents.authorizedKey.trim()}\n`, 0o600);
  tree.addFile('/init', INIT_SCRIPT, 0o755);
  return tree;
}

/** The names of the modules in a load order, for progress messages. */
export function moduleNames(loadOrder: readonly string[]): string[] {
  return loadOrder.map(moduleName);
}

async function* cpioEntries(entries: readonly ImageEntry[]): AsyncGenerator<CpioEntry> {
  for (const entry of entries) {
    const name = entry.path.slice(1);
    switch (entry.kind) {
      case 'dir':
        yield { name, mode: S_IFDIR | entry.mode };
        break;
      case 'symlink':
        yield { name, mode: S_IFLNK | 0o777, data: Buffer.from(entry.target, 'utf8') };
        break;
      case 'chardev':
        yield { name, mode: S_IFCHR | entry.mode, rdevMajor: entry.major, rdevMinor: entry.minor };
        break;
      case 'file': {
        const data = 'data' in entry.source ? entry.source.data : await readFile(entry.source.hostPath);
        yield { name, mode: S_IFREG | entry.mode, data };
        break;
      }
    }
  }
}

/** Writes `tree` to `outPath` as a gzip-compressed newc cpio archive and returns its size. */
export async function writeInitramfs(tree: ImageTree, outPath: string, signal?: AbortSignal): Promise<number> {
  await pipeline(
    Readable.from(cpioChunks(cpioEntries(tree.entries()))),
    createGzip({ level: 6 }),
    createWriteStream(outPath, { mode: 0o644 }),
    signal === undefined ? {} : { signal },
  );
  return (await stat(outPath)).size;
}
