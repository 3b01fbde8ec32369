/**
 * What `up` and the editor's Boot say about a VM QEMU Lab cannot log into: a blank disk being
 * installed from its ISO, or a disk image without cloud-init. Such a VM is up once QEMU runs
 * (nothing in it answers SSH yet), so the words say where its screen and serial console are.
 */
import type { VmSpec } from '../../core/lab/model';
import { BLANK_IMAGE, BUILTIN_IMAGE } from '../../core/lab/vocabulary';

/** The run files of a VM that the words point at. */
export interface ConsoleFiles {
  readonly serialSocket: string;
  readonly serialLog: string;
  readonly vncSocket: string | undefined;
}

/** Why the VM has no SSH, in one sentence; undefined for a VM that should have it (the built-in guest, cloud-init). */
export function noSshReason(vm: Pick<VmSpec, 'name' | 'image' | 'cdrom' | 'login'>): string | undefined {
  if (vm.image === BUILTIN_IMAGE) return undefined;
  // A cloud-init guest has SSH on its disk; with none now, this boot booted its ISO.
  if (vm.login?.kind === 'cloud-init') return vm.cdrom === undefined ? undefined : `VM "${vm.name}" is up with no SSH: it booted its ISO (boot: cdrom), not its disk.`;
  const what =
    vm.image === BLANK_IMAGE
      ? vm.cdrom === undefined
        ? 'its disk is blank'
        : 'its disk is blank: install a system on it from its ISO'
      : 'its image has no cloud-init';
  return `VM "${vm.name}" is up with no SSH: ${what}.`;
}

/**
 * The lines after "VM is running" for a boot with no SSH: where the screen and the serial console
 * are, and what SSH needs.
 */
export function noSshLines(vm: Pick<VmSpec, 'name' | 'image' | 'cdrom' | 'login'>, files: ConsoleFiles, where: 'cli' | 'editor'): string[] {
  const reason = noSshReason(vm);
  if (reason === undefined) return [];
  const screen =
    files.vncSocket === undefined
      ? 'No screen: add vnc: true to the VM for one (an installer usually wants it), then boot again.'
      : where === 'editor'
        ? 'Its screen: Open Screen.'
        : `Its screen: VNC on the UNIX socket ${files.vncSocket} ("Open Screen" in VS Code).`;
  const serial =
    where === 'editor' ? 'Its serial console: Open Serial Console.' : `Its serial console: the UNIX socket ${files.serialSocket} (socat -,raw,echo=0 UNIX-CONNECT:${files.serialSocket}); output in ${files.serialLog}.`;
  const login =
    vm.login?.kind === 'cloud-init'
      ? 'ssh, benchmarks and --exec refuse this boot: boot its disk (boot: disk) for SSH through cloud-init.'
      : vm.login?.kind === 'manual'
      ? `ssh, benchmarks and --exec refuse this boot: once the system is installed, a boot from its disk (boot: disk) logs in as ${vm.login.user} with ${vm.login.identity}.`
      : 'ssh, benchmarks and --exec refuse: QEMU Lab knows no login for it. Name the installed system\'s login with user: and identity: (its SSH private key), or use an image with cloud-init.';
  return [reason, screen, serial, login];
}
