import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labGuestKeysDir } from '../../../extension/core/machines/disk-guest/lab-guest-keys';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { fileSha256 as sha256 } from '../../support/file-sha256';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// A distribution disk image as a user brings it (the Debian 12 test image global-setup builds):
// booted on its own overlay with a cloud-init seed, reached over SSH with the lab's generated
// key, measured by an experiment, and never written. One booted guest serves the up/ssh/console
// and snapshot checks (whole-VM and disk-only); the experiment boots its own variant (as every
// experiment does); the last check boots the same disk twice without cloud-init (user: +
// identity:), so four boots in all.
// Slow by nature under TCG (systemd and cloud-init emulated): minutes per boot on a busy machine.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const image = process.env.QEMU_LAB_TEST_DISK_IMAGE ?? '';
const labDir = join(root, 'disk-guest-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const state = join(root, 'disk-guest-state');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
const GIB = 1024 ** 3;
const BOOT_MS = 1_200_000;

let baseSum = '';
let baseMtime = 0;

beforeAll(async () => {
  expect(existsSync(image), `the test disk image (QEMU_LAB_TEST_DISK_IMAGE=${image}) is built by global-setup`).toBe(true);
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'vms:',
      `  deb: { image: ${JSON.stringify(image)}, memory: 1G, accel: tcg, disk: 3G }`,
      'experiments:',
      '  quick:',
      '    vm: deb',
      '    targets: [guest]',
      '    benchmarks: [sysbench-cpu, sysbench-memory, iperf3]',
      '    repetitions: 1',
      '    duration: 1s',
      '',
    ].join('\n'),
  );
  baseSum = await sha256(image);
  baseMtime = statSync(image).mtimeMs;
});

afterAll(async () => {
  await cli('kill', 'deb').catch(() => undefined);
});

describe('a disk guest: overlay, cloud-init, SSH, an experiment (real QEMU, TCG)', () => {
  it(
    'boots the image on its own 3 GiB overlay with a NoCloud seed; up --exec runs in it as the cloud-init user with the lab key',
    async () => {
      const script = 'hostname; id -un; lsblk -bdno SIZE /dev/vda; df -B1 --output=size / | tail -n 1; dd if=/dev/urandom of=$HOME/blob bs=1M count=8 2>/dev/null && sync && echo written';
      const run = await cli('up', 'deb', '--timeout', String(BOOT_MS / 1000), '--exec', script);
      expect(run.code, run.stderr).toBe(0);
      const [hostname, user, diskSize, rootSize, written] = run.stdout.trim().split('\n').slice(-5);
      expect(hostname).toBe('deb');
      expect(user).toBe('lab');
      expect(Number(diskSize)).toBe(3 * GIB);
      // cloud-init's growpart and resize2fs grew the 2 GiB image's root into the bigger disk.
      expect(Number(rootSize)).toBeGreaterThan(2.5 * GIB);
      expect(written).toBe('written');

      const overlay = vmDiskPath(state, lab, 'local', 'deb');
      expect(existsSync(overlay)).toBe(true);
      const keys = labGuestKeysDir(state, lab);
      expect(statSync(join(keys, 'id_ed25519')).mode & 0o777).toBe(0o600);
      expect(readdirSync(keys).sort()).toEqual(['host_ed25519', 'host_ed25519.pub', 'id_ed25519', 'id_ed25519.pub', 'known_hosts']);
    },
    BOOT_MS + 60_000,
  );

  it('qemu-lab ssh runs a command in the same guest, and its serial console shows the login prompt', async () => {
    const run = await cli('ssh', 'deb', '--', 'cat', '/etc/hostname');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('deb');
    const vmsDir = join(state, 'vms');
    const runDir = readdirSync(vmsDir).find((d) => d.endsWith('-deb'));
    expect(runDir).toBeDefined();
    expect(readFileSync(join(vmsDir, runDir ?? '', 'serial.log'), 'utf8')).toMatch(/deb login:/);
  }, 120_000);

  it('a whole-VM snapshot lives on its overlay: a load brings a file written after it back to its saved text; delete', async () => {
    // Under TCG on a busy machine the guest's sshd has once missed the banner deadline right
    // after a multi-second pause for the save (ssh's ConnectTimeout is 5 s): one more try, with
    // what QEMU and the console said.
    const inGuest = async (line: string): Promise<string> => {
      let run = await cli('ssh', 'deb', '--', line);
      if (run.code !== 0) {
        const status = await cli('qmp', 'deb', 'query-status');
        const vmsDir = join(state, 'vms');
        const serial = readFileSync(join(vmsDir, readdirSync(vmsDir).find((d) => d.endsWith('-deb')) ?? '', 'serial.log'), 'utf8');
        console.log(`ssh failed once: ${run.stderr}\nquery-status: ${status.stdout}\nserial tail:\n${serial.split('\n').slice(-20).join('\n')}`);
        run = await cli('ssh', 'deb', '--', line);
      }
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const write = (text: string) => inGuest(`echo ${text} > $HOME/marker && sync`);
    await write('saved');
    const save = await cli('snapshot', 'save', 'deb', 'disk-s1');
    expect(save.code, save.stderr).toBe(0);
    expect(save.stdout).toMatch(/saved snapshot "disk-s1" \(.* · with memory · \d+ MiB\)/);
    await write('changed');
    const load = await cli('snapshot', 'load', 'deb', 'disk-s1');
    expect(load.code, load.stderr).toBe(0);
    expect((await inGuest('cat $HOME/marker')).trim()).toBe('saved');
    const listed = JSON.parse((await cli('--json', 'snapshot', 'list', 'deb')).stdout) as { name: string; kind: string; complete: boolean }[];
    expect(listed).toMatchObject([{ name: 'disk-s1', kind: 'memory', complete: true }]);
    expect((await cli('snapshot', 'delete', 'deb', 'disk-s1')).code).toBe(0);
    expect(JSON.parse((await cli('--json', 'snapshot', 'list', 'deb')).stdout)).toEqual([]);
  }, 600_000);

  it('a disk-only snapshot: the guest writes to a new layer, the disk under it stays as it was; commit merges it back and removes the layer', async () => {
    const inGuest = async (line: string): Promise<string> => {
      const run = await cli('ssh', 'deb', '--', line);
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const disk = vmDiskPath(state, lab, 'local', 'deb');
    const layer = join(dirname(disk), 'layer-ext1.qcow2');
    await inGuest('echo A > $HOME/marker-a && sync');
    const save = await cli('snapshot', 'save', 'deb', 'ext1', '--disk-only');
    expect(save.code, save.stderr).toBe(0);
    expect(save.stdout).toMatch(/saved snapshot "ext1" \(.* · disk-only, external · .* layer\)/);
    expect(existsSync(layer)).toBe(true);
    const diskSum = await sha256(disk);
    const layerBytes = statSync(layer).size;
    await inGuest('echo B > $HOME/marker-b && dd if=/dev/urandom of=$HOME/blob-b bs=1M count=4 2>/dev/null && sync');
    // The guest's writes went to the layer; the file under it is read-only to QEMU now.
    expect(statSync(layer).size).toBeGreaterThan(layerBytes + 4 * 1024 * 1024);
    expect(await sha256(disk)).toBe(diskSum);
    const listed = JSON.parse((await cli('--json', 'snapshot', 'list', 'deb')).stdout) as { name: string; kind: string; layer?: { file: string; bytes: number } }[];
    expect(listed).toMatchObject([{ name: 'ext1', kind: 'disk-only', layer: { file: layer } }]);
    expect(listed[0]?.layer?.bytes).toBeGreaterThan(4 * 1024 * 1024);
    // Going back to it while the guest runs is refused, and so is delete: commit is the way.
    const load = await cli('snapshot', 'load', 'deb', 'ext1');
    expect(load.code).not.toBe(0);
    expect(load.stderr).toMatch(/cannot go back to disk-only snapshot "ext1" while it runs/);
    const del = await cli('snapshot', 'delete', 'deb', 'ext1');
    expect(del.code).not.toBe(0);
    expect(del.stderr).toMatch(/qemu-lab snapshot commit deb/);

    const revert = await cli('snapshot', 'revert', 'deb', 'ext1');
    expect(revert.code).not.toBe(0);
    expect(revert.stderr).toMatch(/is running: going back to disk-only snapshot "ext1"/);

    const commit = await cli('snapshot', 'commit', 'deb');
    expect(commit.code, commit.stderr).toBe(0);
    expect(commit.stdout).toMatch(/committed disk-only snapshot "ext1"/);
    expect(existsSync(layer)).toBe(false);
    expect(JSON.parse((await cli('--json', 'snapshot', 'list', 'deb')).stdout)).toEqual([]);
    // The guest writes to its disk again, and both markers are there.
    await inGuest('echo C > $HOME/marker-c && sync');
    expect((await inGuest('cat $HOME/marker-a $HOME/marker-b $HOME/marker-c')).trim().split('\n')).toEqual(['A', 'B', 'C']);
    expect(await sha256(disk)).not.toBe(diskSum);
    const block = JSON.parse((await cli('qmp', 'deb', 'query-block')).stdout) as { device: string; inserted?: { file: string } }[];
    expect(block.find((entry) => entry.device === 'virtio0')?.inserted?.file).toBe(disk);
    // One more, left in place: the power-down below reverts to it.
    expect((await cli('snapshot', 'save', 'deb', 'ext2', '--disk-only')).code).toBe(0);
    await inGuest('echo D > $HOME/marker-d && dd if=/dev/urandom of=$HOME/blob-d bs=1M count=2 2>/dev/null && sync');
  }, 600_000);

  it('powering down keeps the written disk; the base image is unchanged (checksum and mtime)', async () => {
    // --force: the test image has no D-Bus, so systemd-logind (which handles the ACPI power
    // button) does not run; after the guest's `sync` the overlay holds the write either way.
    const down = await cli('down', 'deb', '--force');
    expect(down.code, down.stderr).toBe(0);
    expect(await sha256(image)).toBe(baseSum);
    expect(statSync(image).mtimeMs).toBe(baseMtime);
    expect(statSync(vmDiskPath(state, lab, 'local', 'deb')).size).toBeGreaterThan(8 * 1024 * 1024);
    // After the disk-only snapshot's commit the disk is a clean qcow2; powered down, the VM goes
    // back to disk-only snapshot ext2: its layer starts empty again (marker D's writes are gone).
    const disk = vmDiskPath(state, lab, 'local', 'deb');
    const layer = join(dirname(disk), 'layer-ext2.qcow2');
    expect(statSync(layer).size).toBeGreaterThan(2 * 1024 * 1024);
    const revert = await cli('snapshot', 'revert', 'deb', 'ext2');
    expect(revert.code, revert.stderr).toBe(0);
    expect(revert.stdout).toMatch(/disk put back to disk-only snapshot "ext2"/);
    expect(statSync(layer).size).toBeLessThan(1024 * 1024);
    for (const file of [disk, layer]) {
      const check = spawnSync('qemu-img', ['check', '-f', 'qcow2', file], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toMatch(/No errors were found on the image/);
    }
    expect(readdirSync(dirname(disk)).filter((name) => name.startsWith('layer-'))).toEqual(['layer-ext2.qcow2']);
  }, 300_000);

  it(
    'the course report\'s experiment (sysbench cpu and memory, iperf3 both ways; 1 s, 1 repetition) runs in the disk guest through the real CLI, and its report charts every cell',
    async () => {
      const run = await cli('--json', 'bench', 'quick');
      expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
      const parsed = JSON.parse(run.stdout) as { outcomes: { cell: { id: string }; status: string; reason?: string; summary?: { count: number; median: number } }[] };
      const cells = ['guest/tcg/virtio/sysbench-cpu', 'guest/tcg/virtio/sysbench-memory', 'guest/tcg/virtio/iperf3/to-guest', 'guest/tcg/virtio/iperf3/from-guest'];
      expect(parsed.outcomes.map((o) => [o.cell.id, o.status, o.reason]).sort()).toEqual(cells.map((id) => [id, 'done', undefined]).sort());
      for (const outcome of parsed.outcomes) expect(outcome.summary?.median, outcome.cell.id).toBeGreaterThan(0);
      expect(await sha256(image)).toBe(baseSum);
      expect(qemuProcessesMentioning(state)).toEqual([]);

      const report = await cli('--json', 'report', 'quick');
      expect(report.code, `${report.stderr}\n${report.stdout}`).toBe(0);
      const written = (JSON.parse(report.stdout) as { report: string }).report;
      const markdown = readFileSync(written, 'utf8');
      for (const row of ['| sysbench-cpu | guest · tcg · virtio |', '| sysbench-memory | guest · tcg · virtio |', '| iperf3 | guest · tcg · virtio · host → guest |', '| iperf3 | guest · tcg · virtio · guest → host |']) {
        expect(markdown, row).toContain(row);
      }
      // One SVG chart per benchmark (iperf3 one per direction), each with the guest's bar drawn.
      const charts = [...markdown.matchAll(/\]\((charts\/[^)]+\.svg)\)/g)].map((match) => match[1] ?? '');
      expect(charts).toHaveLength(4);
      for (const chart of charts) {
        const svg = readFileSync(join(dirname(written), chart), 'utf8');
        expect(svg.match(/<rect /g)?.length ?? 0, chart).toBeGreaterThanOrEqual(2); // the background and a bar
        expect(svg, chart).toContain('virtio');
      }
    },
    BOOT_MS + 180_000,
  );

  it(
    'without cloud-init, user: + identity: log in with that key; the host key is learnt at the first login, and a different one is refused',
    async () => {
      // The overlay the first boot set up (cloud-init authorized the lab's key for "lab"), booted
      // now as an installed system: no seed, the login named in the lab file.
      const identity = join(labGuestKeysDir(state, lab), 'id_ed25519');
      writeFileSync(lab, ['vms:', `  deb: { image: ${JSON.stringify(image)}, memory: 1G, accel: tcg, disk: 3G, cloudInit: false, user: lab, identity: ${JSON.stringify(identity)} }`, ''].join('\n'));
      const learnt = join(labGuestKeysDir(state, lab), '..', 'vm-logins', 'deb', 'known_hosts');
      // The first login learns the guest's host key (cloud-init, finding no seed now, made new
      // ones: the guest is a new instance to it). sync: the keys must survive the forced down.
      // The disk boots on disk-only snapshot ext2's layer, reverted above: marker C is there, D is not.
      const run = await cli('up', 'deb', '--timeout', String(BOOT_MS / 1000), '--exec', 'id -un; hostname; test -e $HOME/marker-c && ! test -e $HOME/marker-d && echo reverted; sync');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim().split('\n').slice(-3)).toEqual(['lab', 'deb', 'reverted']);
      // One key, under the VM's alias (the line may be hashed: Debian's ssh_config has HashKnownHosts yes).
      expect(readFileSync(learnt, 'utf8').trim().split('\n')).toHaveLength(1);
      expect(execFileSync('ssh-keygen', ['-F', 'deb.qemu-lab-guest', '-f', learnt], { encoding: 'utf8' })).toMatch(/ ssh-ed25519 \S+/);
      const ssh = await cli('ssh', 'deb', '--', 'true');
      expect(ssh.code, ssh.stderr).toBe(0);
      expect((await cli('down', 'deb', '--force')).code).toBe(0);

      // Another key on record than the guest's: the boot stops at its first answer, and says what to do.
      const other = join(root, 'disk-guest-other-host-key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      writeFileSync(learnt, `deb.qemu-lab-guest ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
      const refused = await cli('up', 'deb', '--timeout', String(BOOT_MS / 1000));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/showed another SSH host key than the one learnt at its first login/);
      expect(refused.stderr).toContain(`delete ${learnt}`);
      expect(qemuProcessesMentioning(state)).toEqual([]);
    },
    2 * BOOT_MS + 120_000,
  );
});
