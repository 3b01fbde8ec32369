// `npm run bench`: figures, never pass/fail. Each section measures one thing an issue sets a goal
// for, on this machine, now. Run it on a quiet machine; it prints what it measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGuest } from '../extension/core/machines/guest-image/build';
import { benchActivation } from './activation';
import { benchBootToSsh } from './boot';
import { benchLabDiagnostics } from './lab-diagnostics';
import { benchLabLimits } from './lab-limits';
import { benchLanguageServer } from './language-server';
import { benchLibvirtFleet } from './libvirt-fleet';
import { benchMigration } from './migration';
import { benchQmpRoundTrip } from './qmp-round-trip';
import { benchSshRoundTrip } from './ssh-round-trip';
import { report } from './stats';
import { benchToolVsHand } from './tool-vs-hand';

async function benchGuestBuild(): Promise<void> {
  const cacheRoot = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-guest-'));
  try {
    let started = performance.now();
    const guest = await buildGuest({ cacheRoot, env: process.env });
    report('guest build (empty cache, .deb downloaded once)', `${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    await buildGuest({ cacheRoot, env: process.env });
    report('guest build (cached)', `${(performance.now() - started).toFixed(0)} ms`);
    report('  kernel', `${guest.kernelVersion}${guest.vmlinux !== undefined ? ', PVH vmlinux' : ''}`);
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const sections: Record<string, () => Promise<void> | void> = {
    guest: benchGuestBuild,
    boot: benchBootToSsh,
    qmp: benchQmpRoundTrip,
    lab: benchLabDiagnostics,
    'lab-limits': benchLabLimits,
    'language-server': benchLanguageServer,
    ssh: benchSshRoundTrip,
    migration: benchMigration,
    activation: benchActivation,
    'tool-vs-hand': benchToolVsHand,
    'libvirt-fleet': benchLibvirtFleet,
  };
  console.log(`QEMU Lab benchmarks — ${new Date().toISOString()}`);
  for (const [name, section] of Object.entries(sections)) {
    if (only.length === 0 || only.includes(name)) await section();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
