// A lab runs from "Tasks: Run Task": the qemu-lab task provider offers the lab file's parts, the
// chosen one runs the extension's own CLI (`qemu-lab run --only experiment:cpu`) in a terminal,
// and its report lands next to the lab file. The experiment measures on the host only, so no VM
// boots: what is under test is the task, not the experiment (the lab-report scenario runs those).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, memory: 256M, accel: tcg }
experiments:
  cpu: { vm: vm1, targets: [host], benchmarks: [sysbench-cpu], repetitions: 1, duration: 1s }
`;

export const scenario = defineScenario({
  name: 'tasks: Run Task offers the lab\'s parts, and one runs the CLI in a terminal and writes the report',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 180_000,
  // The DOM renderer, so the terminal's text can be read; no prompt for a problem matcher.
  settings: { 'terminal.integrated.gpuAcceleration': 'off', 'task.problemMatchers.neverPrompt': true },
  async run({ workbench, workspace, step, publishScreenshot }) {
    const page = workbench.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await step('Tasks: Run Task lists the qemu-lab tasks', async () => {
      await workbench.runCommand('Tasks: Run Task');
      await input.fill('qemu-lab');
      await rows.filter({ hasText: /^qemu-lab/ }).first().click({ timeout: 60_000 });
      await waitFor('the lab\'s tasks in the picker', async () => {
        const labels = await rows.allInnerTexts();
        return ['run the whole lab (qemu-lab.yaml)', 'experiment cpu (qemu-lab.yaml)'].every((t) => labels.some((l) => l.includes(t))) ? labels : undefined;
      }, { timeoutMs: 60_000 });
    });
    await publishScreenshot('tasks.png', page.locator('.quick-input-widget').first(), { maxHeight: 240 });
    await step('run "experiment cpu"', () => rows.filter({ hasText: 'experiment cpu (qemu-lab.yaml)' }).first().click());
    const report = join(workspace, '.qemu-lab', 'reports', 'lab-report.md');
    await step('the terminal shows the CLI running it and the report written', () =>
      waitFor('"Report written" in the task terminal', async () => {
        const text = (await page.locator('.terminal .xterm-rows').last().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
        return /experiment:cpu/.test(text) && /Report written: \.qemu-lab\/reports\/lab-report\.md/.test(text) ? text : undefined;
      }, { timeoutMs: 120_000 }),
    );
    await step('the report holds the experiment, measured', async () => {
      assert.ok(existsSync(report), `${report} exists`);
      assert.match(readFileSync(report, 'utf8'), /Experiment cpu/);
    });
  },
});
