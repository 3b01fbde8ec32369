// The results panel on numbers measured for real in this run: the CLI benchmarks the built-in
// guest (TCG) with virtio and with e1000 over an isolated bridge network, then the panel charts
// what it stored. Its screenshot is the README's picture of the panel.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';
import { runCliToEnd } from '../harness/run-cli';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `networks:
  lab: { kind: isolated, address: 10.77.0.1/24 }
vms:
  vm1: { image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: virtio, network: lab, address: 10.77.0.11/24 }
experiments:
  nics: { vm: vm1, matrix: { nic: [virtio, e1000] }, targets: [host, guest], benchmarks: [sysbench-cpu, iperf3], repetitions: 2, duration: 1s }
`;

export const scenario = defineScenario({
  name: 'the results panel charts numbers measured for real (virtio vs e1000 over a bridge)',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 300_000,
  async run({ workbench, workspace, repoRoot, step, publishScreenshot }) {
    // A short state directory of its own: QMP socket paths must stay under 108 bytes.
    const state = mkdtempSync('/tmp/qle-bench-');
    try {
      await step('measure with the CLI: host and guest, virtio and e1000, TCG', () =>
        runCliToEnd(repoRoot, ['-f', join(workspace, 'qemu-lab.yaml'), 'bench', 'nics'], workspace, {
          ...process.env,
          QEMU_LAB_STATE_DIR: state,
          QEMU_LAB_CACHE_DIR: qemuLabCacheBase(process.env),
        }),
      );
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
    await step('run "QEMU Lab: Show Results"', () => workbench.runCommand('QEMU Lab: Show Results'));
    const frame = workbench.webview();
    await step('the medians table names both NICs and the network', async () => {
      await frame.locator('table.medians').first().waitFor({ timeout: 60_000 });
      const table = await frame.locator('table.medians').first().innerText();
      assert.match(table, /guest · tcg · virtio/);
      assert.match(table, /guest · tcg · e1000/);
      assert.match(await frame.locator('.network').innerText(), /isolated bridge network "lab"/);
    });
    await step('a ratio is written under a chart', () =>
      waitFor('a ratio label', async () => ((await frame.locator('.ratio').count()) > 0 ? true : undefined), { timeoutMs: 30_000 }),
    );
    await publishScreenshot('results-panel-real.png', workbench.page.locator('.part.editor').first());
  },
});
