// "QEMU Lab: Import Benchmark Output…": pick a saved sysbench output in the (simple) open dialog,
// give a label; the result lands in the lab folder's store and the results panel lists it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const SYSBENCH = readFileSync(join(__dirname, '../../fixtures/bench/sysbench-1.0.20-cpu.txt'), 'utf8');

export const scenario = defineScenario({
  name: 'Import Benchmark Output stores a sysbench result and the results panel lists it',
  workspace: { 'qemu-lab.yaml': 'vms:\n  vm1: { image: builtin, accel: tcg }\n', 'runs/cpu.txt': SYSBENCH },
  async run({ workbench, workspace, step }) {
    const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
    await step('run "QEMU Lab: Import Benchmark Output…"', () => workbench.runCommand('QEMU Lab: Import Benchmark Output…'));
    const askingForLabel = async (): Promise<true | undefined> =>
      (await workbench.page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => '')).includes('Label') ? true : undefined;
    await step('type the file into the open dialog', async () => {
      await input.waitFor({ timeout: 15_000 });
      // The simple dialog checks the path asynchronously over the remote file system: on a loaded
      // machine an Enter before its check and listing are done is answered "Please enter a path
      // that exists". So: type, give it a moment, Enter, and again until the label is asked for.
      const title = workbench.page.locator('.quick-input-widget .quick-input-title');
      await waitFor(
        'the open dialog to take the file',
        async () => {
          if ((await askingForLabel()) === true) return true;
          // Only while the open dialog itself is showing: never type the path into the label box.
          if (!(await title.innerText().catch(() => '')).includes('Import Benchmark Output')) return undefined;
          await input.fill(join(workspace, 'runs', 'cpu.txt'));
          await workbench.page.waitForTimeout(1_000);
          await workbench.page.keyboard.press('Enter');
          await workbench.page.waitForTimeout(5_000);
          return askingForLabel();
        },
        { timeoutMs: 90_000 },
      );
    });
    await step('give the label', async () => {
      await waitFor('the label input box', askingForLabel);
      await input.fill('baseline');
      await workbench.page.keyboard.press('Enter');
    });
    const frame = workbench.webview();
    await step('the panel lists the imported result', async () => {
      const table = frame.locator('table.imported');
      await table.waitFor({ timeout: 30_000 });
      assert.match(await table.innerText(), /sysbench-cpu\s+baseline\s+1\s+2\.52k events\/s\s+cpu\.txt/);
    });
    const lines = readFileSync(join(workspace, '.qemu-lab', 'results', 'results.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /"label":"baseline"/);
    assert.match(lines[0] ?? '', /"file":"runs\/cpu.txt"/);
  },
});
