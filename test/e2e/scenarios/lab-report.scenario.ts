// The lab report in a browser: `qemu-lab run` (the real CLI) runs a small lab — an experiment
// and a live migration with benchmarks around it over an isolated bridge, TCG — and its
// self-contained HTML report opens in Chromium: every section there, charts drawn, a figure's
// record link leading to its records table. The screenshot lands in test-results/e2e/screenshots/.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';
import { runCliToEnd } from '../harness/run-cli';
import { defineScenario } from '../harness/scenario';

const LAB = `networks:
  lab: { kind: isolated, address: 10.78.0.1/24 }
vms:
  vm1: { image: builtin, memory: 512M, accel: tcg, network: lab, address: 10.78.0.11/24 }
experiments:
  nics: { vm: vm1, matrix: { nic: [virtio, e1000] }, targets: [host, guest], benchmarks: [sysbench-cpu, iperf3], direction: [from-guest], repetitions: 1, duration: 1s }
migrations:
  move: { vm: vm1, to: local, sameHost: true, during: [sysbench-cpu@guest, iperf3@guest], duringSeconds: 3 }
`;

export const scenario = defineScenario({
  name: 'lab report: qemu-lab run writes one HTML report the browser shows, record links working',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 420_000,
  async run({ workbench, workspace, repoRoot, step }) {
    // A short state directory of its own: QMP socket paths must stay under 108 bytes.
    const state = mkdtempSync('/tmp/qle-run-');
    try {
      await step('qemu-lab run: the experiment, then the migration with benchmarks around it', () =>
        runCliToEnd(repoRoot, ['-f', join(workspace, 'qemu-lab.yaml'), 'run'], workspace, { ...process.env, QEMU_LAB_STATE_DIR: state, QEMU_LAB_CACHE_DIR: qemuLabCacheBase(process.env) }),
      );
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
    const html = readFileSync(join(workspace, '.qemu-lab', 'reports', 'lab-report.html'), 'utf8');
    // The report is one file with nothing to fetch: it loads as it is, in a page of its own.
    const page = await workbench.page.context().newPage();
    try {
      await page.setViewportSize({ width: 1100, height: 900 });
      await step('the browser shows every section', async () => {
        await page.setContent(html, { waitUntil: 'load' });
        const headings = await page.locator('h2').allInnerTexts();
        assert.deepEqual(headings, ['Set-up as run', 'Experiment nics', 'Migration move']);
        // Two experiment charts (sysbench cpu, iperf3 guest → host), a timeline per benchmark around the migration.
        assert.equal(await page.locator('figure svg').count(), 4);
        const box = await page.locator('figure svg').first().boundingBox();
        assert.ok(box !== null && box.width > 300 && box.height > 200, 'a chart is drawn at its size');
      });
      await step("a figure's record link leads to its records table", async () => {
        await page.locator('a[href="#records-migrationmove"]').first().click();
        await page.waitForFunction(() => window.location.hash === '#records-migrationmove');
        // The last section: the page scrolls as far as it can, the heading in the window.
        const { top, scrolled } = await page.locator('#records-migrationmove').evaluate((h) => ({ top: h.getBoundingClientRect().top, scrolled: window.scrollY }));
        assert.ok(scrolled > 0 && top >= 0 && top < 900 - 40, `the records heading is in the window (${top} px, scrolled ${scrolled} px)`);
      });
      await page.evaluate(() => window.scrollTo(0, 0));
      const dir = join(repoRoot, 'test-results', 'e2e', 'screenshots');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'lab-report.png'), await page.screenshot({ fullPage: false }));
      await page.locator('h2', { hasText: 'Migration move' }).scrollIntoViewIfNeeded();
      writeFileSync(join(dir, 'lab-report-migration.png'), await page.screenshot({ fullPage: false }));
    } finally {
      await page.close();
    }
  },
});
