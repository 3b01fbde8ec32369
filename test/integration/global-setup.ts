import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNewQemu, NEW_QEMU_ENV } from '../support/new-qemu';
import { ensureTestDiskImage } from '../support/disk-image/test-disk-image';
import { qemuProcessesMentioning } from '../support/qemu-processes';

/**
 * Every integration test keeps its VMs' state under one fresh directory, so that after the run
 * we can prove no QEMU was left behind: any QEMU whose argv mentions it fails the run. The newer
 * QEMU (11.x, installed privately and cached) is handed to the tests in QEMU_LAB_TEST_QEMU_NEW.
 */
export async function setup(): Promise<void> {
  // The integration tier drives the real CLI bundle (dist/cli.js): build it fresh once.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-it-'));
  process.env.QEMU_LAB_TEST_ROOT = root;
  process.env.QEMU_LAB_STATE_DIR = join(root, 'state');
  // Both wait mostly on Debian's mirror: built side by side, each cached between runs.
  const started = Date.now();
  const [newQemu, diskImage] = await Promise.all([ensureNewQemu((line) => console.log(`qemu install: ${line}`)), ensureTestDiskImage()]);
  process.env[NEW_QEMU_ENV] = newQemu.binary;
  console.log(`QEMU ${newQemu.record.version} for the tests (${NEW_QEMU_ENV}=${newQemu.binary}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The disk-guest tests' Debian 12 image: cached between runs, built once per machine and recipe.
  process.env.QEMU_LAB_TEST_DISK_IMAGE = diskImage;
}

export function teardown(): void {
  const root = process.env.QEMU_LAB_TEST_ROOT;
  if (root === undefined) return;
  const leftovers = qemuProcessesMentioning(root);
  for (const leftover of leftovers) {
    try {
      process.kill(leftover.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(root, { recursive: true, force: true });
  if (leftovers.length > 0) {
    throw new Error(
      `${leftovers.length} QEMU process(es) were left running by the integration tests:\n` +
        leftovers.map((p) => `  pid ${p.pid}: ${p.argv.join(' ')}`).join('\n'),
    );
  }
}
