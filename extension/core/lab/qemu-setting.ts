import type { HostQemuSetting } from '../infrastructure/hosts/probes/qemu-binary';

/** A version `qemu-lab qemu install` takes: `11.1`, `11.1.3`. */
const QEMU_VERSION = /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/;

/**
 * Reads which QEMU a host should run, as a lab file (`hosts.NAME.qemu`) or the editor's
 * `qemuLab.hostQemu` setting writes it: an installed version (`"11.1"`), or the absolute path of
 * a qemu-system-x86_64 there. The path goes to no shell, but it is a program to run: no control
 * characters and no `..`, so what a reader sees is what runs.
 *
 * @returns undefined when the text is neither.
 */
export function parseHostQemuSetting(text: string): HostQemuSetting | undefined {
  const value = text.trim();
  if (QEMU_VERSION.test(value)) return { kind: 'version', version: value };
  if (value.startsWith('/') && [...value].every((c) => c >= ' ' && c !== '\x7f') && !value.split('/').includes('..')) return { kind: 'path', path: value };
  return undefined;
}
