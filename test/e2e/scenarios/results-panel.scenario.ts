// "QEMU Lab: Show Results" on a workspace whose lab folder holds stored results: the panel paints
// the bar chart of medians, writes the KVM/TCG ratio as text, follows a new run appended to
// results.jsonl (the file watcher), comes back drawn after being hidden (webview state), and
// shows an older run picked in its dropdown.
import * as assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { kvmVsTcgRun, runLogOf, runRecords } from '../../unit/panels/experiment-records';
import { paintedPixels } from '../harness/panels';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, cpus: 1, memory: 1G, accel: tcg, nic: virtio, network: user }
experiments:
  kvm-vs-tcg: { vm: vm1, matrix: { accel: [kvm, tcg], nic: [virtio, e1000] }, targets: [host, guest], benchmarks: [sysbench-cpu], repetitions: 5 }
`;

const jsonl = (records: readonly unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

export const scenario = defineScenario({
  name: 'the results panel charts stored results and writes the KVM/TCG ratio',
  workspace: {
    'qemu-lab.yaml': LAB,
    '.qemu-lab/results/results.jsonl': jsonl([...kvmVsTcgRun('run-1', '2026-01-04T10:00:00.000Z'), ...kvmVsTcgRun('run-2', '2026-01-05T14:03:00.000Z')]),
    '.qemu-lab/results/runs/run-2.json': JSON.stringify(
      runLogOf({
        experiment: 'kvm-vs-tcg',
        runId: 'run-2',
        labPath: 'qemu-lab.yaml',
        notDone: [
          { cell: 'guest/kvm/e1000/sysbench-cpu', status: 'skipped', reason: 'KVM is not usable on host "local"' },
          { cell: 'guest/tcg/e1000/sysbench-cpu', status: 'failed', reason: 'the VM did not boot' },
        ],
      }),
    ),
  },
  async run({ workbench, workspace, step, publishScreenshot }) {
    await step('run "QEMU Lab: Show Results" from the command palette', () => workbench.runCommand('QEMU Lab: Show Results'));
    const frame = workbench.webview();
    await step('the ratio is written as text under the chart', () =>
      frame.locator('.ratio', { hasText: 'KVM 9.6× faster than TCG' }).first().waitFor({ timeout: 60_000 }),
    );
    const painted = await step('the bar chart is painted', () =>
      waitFor('a painted chart canvas', async () => {
        const count = await paintedPixels(frame);
        return count > 2_000 ? count : undefined;
      }),
    );
    console.log(`    painted pixels: ${painted}`);
    await step('the table and the cells not measured are there', async () => {
      const table = await frame.locator('table.medians').innerText();
      assert.match(table, /guest · tcg · virtio\s+250 events\/s/);
      const notDone = await frame.locator('ul.not-done').innerText();
      assert.match(notDone, /guest\/kvm\/e1000\/sysbench-cpu — skipped: KVM is not usable/);
      assert.match(notDone, /failed: the VM did not boot/);
      assert.match(await frame.locator('.network').innerText(), /QEMU user networking \(SLIRP\)/);
    });
    await publishScreenshot('results-panel.png', workbench.page.locator('.part.editor').first());

    await step('a run appended to results.jsonl shows up by itself', async () => {
      const run3 = runRecords({
        experiment: 'kvm-vs-tcg',
        runId: 'run-3',
        started: '2026-01-06T09:00:00.000Z',
        cells: [
          { benchmark: 'sysbench-cpu', target: 'guest', accel: 'kvm', nic: 'virtio', values: [2400, 2400, 2400] },
          { benchmark: 'sysbench-cpu', target: 'guest', accel: 'tcg', nic: 'virtio', values: [200, 200, 200] },
        ],
      });
      appendFileSync(join(workspace, '.qemu-lab', 'results', 'results.jsonl'), jsonl(run3));
      await frame.locator('.ratio', { hasText: 'KVM 12.0× faster than TCG' }).first().waitFor({ timeout: 30_000 });
    });

    await step('hidden behind the lab file and shown again, the panel is drawn again', async () => {
      await workbench.openFile('qemu-lab.yaml');
      await workbench.page.locator('.tabs-container .tab', { hasText: 'Results: qemu-lab.yaml' }).first().click();
      await frame.locator('.ratio', { hasText: 'KVM 12.0× faster than TCG' }).first().waitFor({ timeout: 30_000 });
      await waitFor('a painted chart canvas after restore', async () => ((await paintedPixels(frame)) > 2_000 ? true : undefined));
    });

    await step('picking an older run in the Run dropdown shows that run', async () => {
      await frame.locator('#run').click();
      await workbench.page.keyboard.press('ArrowDown');
      await workbench.page.keyboard.press('ArrowDown');
      await workbench.page.keyboard.press('Enter');
      await frame.locator('.ratio', { hasText: 'KVM 9.6× faster than TCG' }).first().waitFor({ timeout: 30_000 });
      await frame.locator('.hint', { hasText: 'no run log' }).first().waitFor({ timeout: 10_000 });
    });
  },
});
