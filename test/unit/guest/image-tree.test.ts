import { describe, expect, it } from 'vitest';
import { GuestBuildError } from '../../../extension/core/errors';
import { ImageTree } from '../../../extension/core/machines/guest-image/image-tree';

describe('ImageTree', () => {
  it('creates parent folders and lists parents before children', () => {
    const tree = new ImageTree();
    tree.addFile('/etc/qemu-lab/modules', 'x\n');
    tree.addDir('/tmp', 0o1777);
    expect(tree.entries().map((entry) => [entry.path, entry.kind])).toEqual([
      ['/etc', 'dir'],
      ['/etc/qemu-lab', 'dir'],
      ['/etc/qemu-lab/modules', 'file'],
      ['/tmp', 'dir'],
    ]);
    expect(tree.get('/tmp')).toEqual({ kind: 'dir', mode: 0o1777 });
  });

  it('resolves paths through symlinks already in the tree (merged /usr)', () => {
    const tree = new ImageTree();
    tree.addSymlink('/lib', 'usr/lib');
    tree.addSymlink('/lib64', '/usr/lib64');
    tree.addFile('/lib/modules/6.1/evdev.ko', 'ko');
    tree.addFile('/lib64/ld.so', 'ld');
    expect(tree.get('/usr/lib/modules/6.1/evdev.ko')?.kind).toBe('file');
    expect(tree.get('/usr/lib64/ld.so')?.kind).toBe('file');
    expect(tree.get('/lib/modules')).toBeUndefined();
    expect(tree.has('/lib/modules/6.1/evdev.ko')).toBe(true);
    expect(tree.has('/lib/modules/6.1/other.ko')).toBe(false);
  });

  it('accepts the same symlink twice but not a different one', () => {
    const tree = new ImageTree();
    tree.addFile('/bin/busybox', 'elf', 0o755);
    tree.addSymlink('/bin/sh', 'busybox');
    tree.addSymlink('/bin/sh', 'busybox');
    expect(() => tree.addSymlink('/bin/sh', 'dash')).toThrow(GuestBuildError);
    expect(() => tree.addDir('/bin/sh/x')).toThrow(GuestBuildError);
  });

  it('copies a host path with the symlinks on its way', async () => {
    const tree = new ImageTree();
    // /proc/self is a symlink to the pid folder; /proc/self/cmdline then a file in it.
    await tree.addHostPath('/proc/self/cmdline');
    expect(tree.get('/proc/self')?.kind).toBe('symlink');
    const files = tree.entries().filter((entry) => entry.kind === 'file');
    expect(files).toHaveLength(1);
    expect(files[0]?.path).toMatch(/^\/proc\/\d+\/cmdline$/);
  });

  it('rejects a symlink loop', () => {
    const tree = new ImageTree();
    tree.addSymlink('/a', 'b');
    tree.addSymlink('/b', 'a');
    expect(() => tree.addFile('/a/x', '')).toThrow(GuestBuildError);
  });
});
