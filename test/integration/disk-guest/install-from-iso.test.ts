import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { sleep } from '../../../extension/core/infrastructure/support/sleep';
import { guestKernelCommandLine } from '../../../extension/core/machines/guest-image/kernel-command-line';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { imageInfo } from '../../../extension/core/machines/disk-guest/qemu-img';
import { runFilesIn, vmRunDir } from '../../../extension/core/machines/vm/run-dir';
import { ensureTestInstallIso, ISO_BOOT_MARKER } from '../../support/install-iso/test-install-iso';
import { runCliProcess } from '../../support/run-cli';

// Installing from an ISO, through the real CLI and real QEMU (TCG): a VM with `disk:` and no
// image gets a blank qcow2 of that size and the ISO as a read-only CD-ROM. The ISO is a small
// BIOS-bootable one (ISOLINUX + the built-in guest's kernel and initramfs, test/support/install-iso).
// How each boot is proven: SeaBIOS writes its boot decisions to an isa-debugcon port (its
// debug output, port 0x402, which Debian's SeaBIOS has on), given to a file of the test through
// the VM's extraArgs; the serial log shows ISOLINUX's banner and the ISO kernel's command line
// with the marker. Two boots, one after the other: the first from the blank disk's ISO, the
// second with boot: disk, where SeaBIOS tries the disk only and stops ("No bootable device").
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'install-iso-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const state = join(root, 'install-iso-state');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
const GIB = 1024 ** 3;
const serialLog = (): string => runFilesIn(vmRunDir(state, lab, 'local', 'inst'), { vnc: false }).serialLog;
let iso = '';

/** The lab: a blank 1 GiB disk, the ISO, SeaBIOS's debug port into `debugcon`, and `boot:` when given. */
function writeLab(debugcon: string, boot?: 'disk'): void {
  const extra = ['-chardev', `file,id=seabios,path=${debugcon}`, '-device', 'isa-debugcon,iobase=0x402,chardev=seabios'];
  writeFileSync(
    lab,
    ['vms:', `  inst: { disk: 1G, cdrom: ${JSON.stringify(iso)}, memory: 512M, accel: tcg,${boot === undefined ? '' : ` boot: ${boot},`} extraArgs: ${JSON.stringify(extra)} }`, ''].join('\n'),
  );
}

/** Waits until `path` holds `text` (QEMU's files fill as the guest boots), within `ms`. */
async function waitForText(path: string, text: string, ms: number): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const content = existsSync(path) ? readFileSync(path, 'latin1') : '';
    if (content.includes(text) || Date.now() > until) return content;
    await sleep(250);
  }
}

beforeAll(async () => {
  mkdirSync(labDir, { recursive: true });
  const built = await runCliProcess(['--json', 'guest', 'build'], { cwd: labDir, env });
  expect(built.code, built.stderr).toBe(0);
  const guest = JSON.parse(built.stdout) as { kernel: string; initrd: string; hash: string };
  const commandLine = guestKernelCommandLine({ hostname: 'inst' }).split(' ').filter((word) => word !== 'quiet').join(' ');
  iso = ensureTestInstallIso({ kernel: guest.kernel, initrd: guest.initrd, commandLine, guestHash: guest.hash });
});

afterAll(async () => {
  await cli('kill', 'inst').catch(() => undefined);
});

describe('installing from an ISO: a blank disk, a read-only CD-ROM, the boot order (real QEMU, TCG)', () => {
  it('boots the ISO from a new blank disk of the size asked, the CD-ROM read-only; up says there is no SSH yet', async () => {
    const debugcon = join(root, 'install-seabios-1.log');
    writeLab(debugcon);
    const up = await cli('up', 'inst');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('no SSH');
    expect(up.stdout).toContain('VM "inst" is up with no SSH: its disk is blank: install a system on it from its ISO.');
    expect(up.stdout).toContain(`Its serial console: the UNIX socket ${runFilesIn(vmRunDir(state, lab, 'local', 'inst'), { vnc: false }).serialSocket}`);

    const disk = vmDiskPath(state, lab, 'local', 'inst');
    expect(await imageInfo(new LocalHostSystem(), disk, { format: 'qcow2', forceShare: true })).toEqual({ format: 'qcow2', virtualSize: GIB, backingFile: undefined });

    const blocks = JSON.parse((await cli('qmp', 'inst', 'query-block')).stdout) as { device: string; removable: boolean; inserted?: { ro: boolean; file: string } }[];
    const cdrom = blocks.find((b) => b.device === 'qemu-lab-cdrom');
    expect(cdrom).toMatchObject({ removable: true, inserted: { ro: true, file: iso } });
    expect(blocks.find((b) => b.device === 'qemu-lab-disk')).toMatchObject({ inserted: { ro: false, file: disk } });

    // SeaBIOS picked the CD first, ISOLINUX from the ISO ran, and the ISO's kernel booted (its command line carries the marker).
    expect(await waitForText(debugcon, 'Booting from DVD/CD', 60_000)).toContain('Booting from DVD/CD');
    const serial = await waitForText(serialLog(), ISO_BOOT_MARKER, 180_000);
    expect(serial).toContain('ISOLINUX');
    expect(serial).toContain(ISO_BOOT_MARKER);
    expect(readFileSync(debugcon, 'latin1')).not.toContain('Booting from Hard Disk');
  }, 300_000);

  it('keeps the disk across boots; with boot: disk the firmware tries the disk only and never the ISO', async () => {
    const disk = vmDiskPath(state, lab, 'local', 'inst');
    const inode = statSync(disk).ino;
    expect((await cli('kill', 'inst')).code).toBe(0);
    const logBefore = existsSync(serialLog()) ? readFileSync(serialLog(), 'latin1').length : 0;
    const debugcon = join(root, 'install-seabios-2.log');
    writeLab(debugcon, 'disk');
    const up = await cli('up', 'inst');
    expect(up.code, up.stderr).toBe(0);
    const seabios = await waitForText(debugcon, 'No bootable device', 120_000);
    expect(seabios).toContain('Booting from Hard Disk');
    expect(seabios).toContain('No bootable device');
    expect(seabios).not.toContain('Booting from DVD/CD');
    // The serial log is appended to across boots: this boot's part never shows the ISO's loader.
    expect(readFileSync(serialLog(), 'latin1').slice(logBefore)).not.toContain('ISOLINUX');
    expect(statSync(disk).ino).toBe(inode);
    const blocks = JSON.parse((await cli('qmp', 'inst', 'query-block')).stdout) as { device: string; inserted?: { ro: boolean } }[];
    expect(blocks.find((b) => b.device === 'qemu-lab-cdrom')?.inserted?.ro).toBe(true);
    expect((await cli('kill', 'inst')).code).toBe(0);
  }, 300_000);
});
