import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { guestExec, knownPatternSha256, readPatterns, statusOf, writePatterns, type SummaryJson } from './helpers';

// The capabilities beyond auto-converge, through the tool on real QEMU (TCG, one host): each
// must not only be asked for but be seen working in QEMU's own statistics — multifd bytes,
// xbzrle cache pages, postcopy bytes after the switch — with the guest's memory intact.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'migration-caps-state');
const labDir = join(root, 'migration-caps-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });
const figures: string[] = [];
let patterns: { known: string; random: string };

/** Rewrites 256 KiB of guest RAM ten times a second with a counter: pages change a little each time, as xbzrle likes. */
const GENTLE_DIRTYING = 'i=0; while :; do i=$((i+1)); yes $i | head -c 262144 | dd of=/tmp/hot bs=64k conv=notrunc 2>/dev/null; sleep 0.1; done';

function migrated(stdout: string, stderr: string): SummaryJson {
  const summary = JSON.parse(stdout) as SummaryJson;
  expect(summary.status, stderr).toBe('completed');
  return summary;
}

const mib = (bytes: number | undefined) => `${((bytes ?? 0) / 1048576).toFixed(0)} MiB`;

beforeAll(async () => {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(lab, ['vms:', '  vm1: { memory: 512M, accel: tcg }', ''].join('\n'));
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
  // 16 MiB of a known pattern and 48 MiB of random bytes: RAM that is not zero, so it must travel.
  patterns = await writePatterns(cli, 'vm1');
  expect(patterns.known).toBe(knownPatternSha256());
}, 180_000);

afterAll(async () => {
  await cli('kill', 'vm1');
  expect(qemuProcessesMentioning(state)).toEqual([]);
  if (figures.length > 0) console.log(`Migration capability figures (TCG, 512 MiB guest, one host):\n  ${figures.join('\n  ')}`);
});

describe('migration capabilities at work (TCG, loopback)', () => {
  it('multifd sends the RAM over several channels', async () => {
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--cap', 'multifd');
    expect(run.code, run.stderr).toBe(0);
    const summary = migrated(run.stdout, run.stderr);
    expect(summary.settings.capabilities).toEqual(['multifd']);
    expect(summary.ram.transferredBytes).toBeGreaterThan(60 * 1048576);
    expect((summary.ram as { multifdBytes?: number }).multifdBytes).toBeGreaterThan(60 * 1048576);
    figures.push(`multifd: ${summary.totalTimeMs} ms total, ${summary.downtimeMs} ms downtime, ${mib((summary.ram as { multifdBytes?: number }).multifdBytes)} over multifd`);
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('xbzrle sends pages that changed a little as deltas from its cache', async () => {
    const start = await guestExec(cli, 'vm1', `(${GENTLE_DIRTYING}) >/dev/null 2>&1 </dev/null & sleep 1; echo started`);
    expect(start.code, start.stderr).toBe(0);
    try {
      // 16 MiB/s: the 64 MiB of patterns take seconds, so the hot pages are sent more than once.
      const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--cap', 'xbzrle', '--xbzrle-cache', '32M', '--max-bandwidth', '16M');
      expect(run.code, run.stderr).toBe(0);
      const summary = migrated(run.stdout, run.stderr) as SummaryJson & { xbzrle?: { cacheBytes: number; pages: number; cacheMisses: number; encodedBytes: number } };
      expect(summary.settings.capabilities).toEqual(['xbzrle']);
      expect(summary.xbzrle?.cacheBytes).toBe(32 * 1048576);
      expect((summary.xbzrle?.pages ?? 0) + (summary.xbzrle?.cacheMisses ?? 0)).toBeGreaterThan(0);
      figures.push(
        `xbzrle (16 MiB/s, 2.5 MiB/s dirtied): ${summary.totalTimeMs} ms total, ${summary.downtimeMs} ms downtime, ` +
          `${summary.xbzrle?.pages ?? 0} pages as deltas (${mib(summary.xbzrle?.encodedBytes)}), ${summary.xbzrle?.cacheMisses ?? 0} cache misses`,
      );
    } finally {
      await guestExec(cli, 'vm1', 'kill %1 2>/dev/null; pkill -f "yes " ; true');
    }
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('postcopy switches after a second and the destination pulls the rest', async () => {
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--cap', 'postcopy', '--postcopy-after', '1', '--max-bandwidth', '16M');
    expect(run.code, run.stderr).toBe(0);
    const summary = migrated(run.stdout, run.stderr) as SummaryJson & { switchedToPostcopy?: boolean; ram: { postcopyBytes?: number } };
    expect(summary.settings.capabilities).toEqual(['postcopy']);
    expect(summary.switchedToPostcopy).toBe(true);
    expect(summary.ram.postcopyBytes).toBeGreaterThan(0);
    figures.push(`postcopy after 1 s (16 MiB/s): ${summary.totalTimeMs} ms total, ${summary.downtimeMs} ms downtime, ${mib(summary.ram.postcopyBytes)} after the switch`);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ state: 'running' });
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
    expect(qemuProcessesMentioning(state)).toHaveLength(1);
  });
});
