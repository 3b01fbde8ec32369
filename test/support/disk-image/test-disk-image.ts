import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';

const RECIPE = join(__dirname, 'build-debian-image.sh');

/** The cache folder of the test disk image: named by a hash of its recipe, so a changed recipe builds anew. */
export function testDiskImageDir(env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(readFileSync(RECIPE)).digest('hex').slice(0, 16);
  return join(qemuLabCacheBase(env), 'test-images', `debian12-${hash}`);
}

/**
 * The Debian 12 test disk image (a cloud-image-like qcow2 with cloud-init, openssh-server,
 * sysbench, iperf3), built by build-debian-image.sh on first use and cached under the QEMU Lab
 * cache (`test-images/`). A build takes minutes (mmdebstrap downloads from this host's apt
 * sources); it runs once per machine and recipe. Needs root (loop devices, mount).
 */
export async function ensureTestDiskImage(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = testDiskImageDir(env);
  const image = join(dir, 'debian12.qcow2');
  if (existsSync(image)) return image;
  mkdirSync(dir, { recursive: true });
  const work = join(dir, '.build');
  rmSync(work, { recursive: true, force: true });
  const started = Date.now();
  process.stderr.write(`Building the Debian 12 test disk image in ${dir} (once per machine; minutes)…\n`);
  try {
    // Asynchronous, so the set-up builds the new QEMU's root at the same time (both wait mostly on downloads).
    await new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [RECIPE, `${image}.new`, work], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`build-debian-image.sh failed (exit ${code ?? signal}); its output is above`))));
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  renameSync(`${image}.new`, image);
  process.stderr.write(`Test disk image built in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
  return image;
}
