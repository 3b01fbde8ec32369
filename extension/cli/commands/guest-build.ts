import { buildGuest } from '../../core/machines/guest-image/build';
import { defineCommand, defineGroup } from '../command-spec';

/** `qemu-lab guest build`: builds the built-in lab guest from Debian packages (cached). */
const guestBuildCommand = defineCommand({
  name: 'build',
  options: { force: { help: 'build again even when the cached guest is up to date' } },
  summary: 'build the built-in lab guest (kernel + initramfs) from Debian packages; cached',
  example: 'qemu-lab guest build --force',
  async run({ values }, global, io) {
    const guest = await buildGuest({
      env: io.env,
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
});

/** `qemu-lab guest …`: the built-in lab guest. */
export const guestCommand = defineGroup({ name: 'guest', summary: 'the built-in lab guest', subcommands: [guestBuildCommand] });
