import { parseArgs } from 'node:util';
import { buildGuest } from '../../core/machines/guest-image/build';
import type { CliCommand } from '../io';

/** `qemu-lab guest build`: builds the built-in lab guest from Debian packages (cached). */
export const guestBuildCommand: CliCommand = {
  name: 'guest build',
  usage: 'guest build [--force]',
  summary: 'build the built-in lab guest (kernel + initramfs) from Debian packages; cached',
  async run(args, global, io) {
    const { values } = parseArgs({ args: [...args], options: { force: { type: 'boolean' } }, strict: true });
    const guest = await buildGuest({
      force: values.force === true,
      signal: io.signal,
      onProgress: global.json ? undefined : (line) => io.err(`  ${line}\n`),
    });
    if (global.json) {
      io.out(JSON.stringify(guest, null, 2) + '\n');
    } else {
      io.out(
        `${guest.fromCache ? 'Lab guest up to date' : `Lab guest built in ${guest.buildSeconds.toFixed(1)} s`}: ${guest.dir}\n` +
          `  kernel ${guest.kernelVersion}${guest.vmlinux !== undefined ? ' (PVH vmlinux)' : ''}\n`,
      );
    }
    return 0;
  },
};
