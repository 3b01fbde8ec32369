import { defineGroup } from '../command-spec';
import { qemuInstallCommand } from './qemu-install';
import { qemuListCommand } from './qemu-list';

/** `qemu-lab qemu install|list`: QEMUs per host, beside the system one. */
export const qemuCommand = defineGroup({
  name: 'qemu',
  summary: 'QEMUs per host: install a newer one privately, list what each host has',
  subcommands: [qemuInstallCommand, qemuListCommand],
});
