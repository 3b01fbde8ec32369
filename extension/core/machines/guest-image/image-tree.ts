/**
 * The file tree of the initramfs, built in memory before it is written as a cpio archive.
 * Paths are resolved through the symlinks already in the tree, as the kernel would resolve them
 * when unpacking, so `/lib/…` lands in `/usr/lib/…` once `/lib → usr/lib` is in the tree. Host
 * files are added with every symlink on their way (see {@link ImageTree.addHostPath}), so that a
 * library keeps the path the dynamic loader looks for.
 */
import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { GuestBuildError } from '../../errors';

/** One node of the tree. */
export type ImageNode =
  | { readonly kind: 'dir'; readonly mode: number }
  | { readonly kind: 'file'; readonly mode: number; readonly source: { readonly hostPath: string } | { readonly data: Buffer } }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'chardev'; readonly mode: number; readonly major: number; readonly minor: number };

/** A node with its absolute path (no trailing slash). */
export type ImageEntry = ImageNode & { readonly path: string };

const MAX_SYMLINK_HOPS = 40;

function conflict(path: string, what: string, node: ImageNode): GuestBuildError {
  return new GuestBuildError(`The guest image cannot hold ${what} at ${path}: a ${node.kind} is already there.`, {
    hint: 'This is a bug in the guest builder; please report it with the host distribution and version.',
  });
}

/** An in-memory file tree, written out by the initramfs writer. */
export class ImageTree {
  private readonly nodes = new Map<string, ImageNode>();

  /** The node at exactly `path` (not following a final symlink), if any. */
  get(path: string): ImageNode | undefined {
    return this.nodes.get(posix.normalize(path));
  }

  /**
   * Resolves `path` through the tree's symlinks, creating missing folders (mode 0755) on the way,
   * and returns the real folder path.
   */
  private ensureDir(path: string, hops = 0): string {
    if (hops > MAX_SYMLINK_HOPS) {
      throw new GuestBuildError(`Too many symlinks while resolving ${path} in the guest image.`);
    }
    let current = '/';
    const parts = posix.normalize(path).split('/').filter((part) => part !== '' && part !== '.');
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as string;
      if (part === '..') {
        current = posix.dirname(current);
        continue;
      }
      const next = posix.join(current, part);
      const node = this.nodes.get(next);
      if (node === undefined) {
        this.nodes.set(next, { kind: 'dir', mode: 0o755 });
        current = next;
      } else if (node.kind === 'dir') {
        current = next;
      } else if (node.kind === 'symlink') {
        const target = posix.isAbsolute(node.target) ? node.target : posix.join(current, node.target);
        current = this.ensureDir(target, hops + 1);
      } else {
        throw conflict(next, 'a folder', node);
      }
    }
    return current;
  }

  /** Where a new entry named by `path` goes, with its parent folders resolved and created. */
  private place(path: string): string {
    const normal = posix.normalize(path);
    if (!posix.isAbsolute(normal) || normal === '/') {
      throw new GuestBuildError(`Invalid path for the guest image: ${path}`);
    }
    return posix.join(this.ensureDir(posix.dirname(normal)), posix.basename(normal));
  }

  /** Adds a folder (and its parents); an existing folder gets `mode`. */
  addDir(path: string, mode = 0o755): void {
    const real = this.ensureDir(path);
    if (real !== '/') this.nodes.set(real, { kind: 'dir', mode });
  }

  /** Adds a regular file with the given bytes. */
  addFile(path: string, data: Buffer | string, mode = 0o644): void {
    this.setFile(path, { data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data }, mode);
  }

  /** Adds a regular file whose bytes are read from the host when the archive is written. */
  addFileFromHost(path: string, hostPath: string, mode: number): void {
    this.setFile(path, { hostPath }, mode);
  }

  private setFile(path: string, source: { hostPath: string } | { data: Buffer }, mode: number): void {
    const real = this.place(path);
    const existing = this.nodes.get(real);
    if (existing !== undefined && existing.kind !== 'file') throw conflict(real, 'a file', existing);
    this.nodes.set(real, { kind: 'file', mode, source });
  }

  /** Adds a symlink; adding the same symlink twice is fine, a different one is not. */
  addSymlink(path: string, target: string): void {
    const real = this.place(path);
    const existing = this.nodes.get(real);
    if (existing !== undefined) {
      if (existing.kind === 'symlink' && existing.target === target) return;
      throw conflict(real, `a symlink to ${target}`, existing);
    }
    this.nodes.set(real, { kind: 'symlink', target });
  }

  /** Adds a character device node (e.g. /dev/console, which must exist before devtmpfs is mounted). */
  addCharDevice(path: string, major: number, minor: number, mode = 0o600): void {
    this.nodes.set(this.place(path), { kind: 'chardev', mode, major, minor });
  }

  /** Whether something is at `path` already (following symlinks in its parents). */
  has(path: string): boolean {
    const normal = posix.normalize(path);
    let real: string;
    try {
      real = posix.join(this.resolveExisting(posix.dirname(normal)), posix.basename(normal));
    } catch {
      return false;
    }
    return this.nodes.has(real);
  }

  private resolveExisting(path: string, hops = 0): string {
    if (hops > MAX_SYMLINK_HOPS) throw new Error('symlink loop');
    let current = '/';
    for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
      const next = posix.join(current, part);
      const node = this.nodes.get(next);
      if (node === undefined) throw new Error('missing');
      if (node.kind === 'symlink') {
        current = this.resolveExisting(posix.isAbsolute(node.target) ? node.target : posix.join(current, node.target), hops + 1);
      } else current = next;
    }
    return current;
  }

  /**
   * Copies the host file at `hostPath` into the tree at the same path, recreating every symlink
   * met on the way (`/lib → usr/lib`, `libz.so.1 → libz.so.1.2.13`, `/lib64/ld-linux… → /lib/…`).
   */
  async addHostPath(hostPath: string, hops = 0): Promise<void> {
    if (hops > MAX_SYMLINK_HOPS) {
      throw new GuestBuildError(`Too many symlinks while copying ${hostPath} into the guest image.`);
    }
    const parts = posix.normalize(hostPath).split('/').filter((part) => part !== '');
    let current = '/';
    for (let index = 0; index < parts.length; index++) {
      const next = posix.join(current, parts[index] as string);
      const info = await lstat(next).catch((error: unknown) => {
        throw new GuestBuildError(`Cannot read ${next} on this host.`, {
          hint: 'Reinstall the package that provides it (apt-get install --reinstall …).',
          cause: error,
        });
      });
      const last = index === parts.length - 1;
      if (info.isSymbolicLink()) {
        const target = await readlink(next);
        this.addSymlink(next, target);
        const resolved = posix.isAbsolute(target) ? target : posix.join(current, target);
        await this.addHostPath(posix.join(resolved, ...parts.slice(index + 1)), hops + 1);
        return;
      }
      if (info.isDirectory()) {
        if (last) this.addDir(next);
        current = next;
        continue;
      }
      if (!last || !info.isFile()) {
        throw new GuestBuildError(`${next} on this host is not a regular file.`);
      }
      this.addFileFromHost(next, next, info.mode & 0o7777);
    }
  }

  /** All entries, parents before children. */
  entries(): ImageEntry[] {
    return [...this.nodes.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, node]) => ({ ...node, path }));
  }
}
