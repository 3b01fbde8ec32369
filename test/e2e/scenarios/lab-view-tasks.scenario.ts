// The "Lab" view and tasks: the view lists the lab file's experiments, migrations and networks;
// "Tasks: Run Task" offers the lab's parts as qemu-lab tasks; "Run in Terminal" on the
// experiment's row runs that task — the extension's own CLI (`qemu-lab run --only
// experiment:cpu`) in a terminal — and its report lands next to the lab file. The experiment
// measures on the host only, so no VM boots: what is under test is the view and the task, not
// the experiment (the lab-report scenario runs those).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const LAB = `vms:
  vm1: { image: builtin, memory: 256M, accel: tcg }
experiments:
  cpu: { vm: vm1, targets: [host], benchmarks: [sysbench-cpu], repetitions: 1, duration: 1s }
migrations:
  move: { vm: vm1, to: local, sameHost: true, capabilities: [auto-converge] }
networks:
  lab: { kind: isolated, address: 10.79.0.1/24 }
`;

export const scenario = defineScenario({
  name: 'Lab view and tasks: the lab\'s parts listed, Run Task offers them, Run in Terminal runs the CLI and writes the report',
  workspace: { 'qemu-lab.yaml': LAB },
  timeoutMs: 180_000,
  // The DOM renderer, so the terminal's text can be read; no prompt for a problem matcher.
  settings: { 'terminal.integrated.gpuAcceleration': 'off', 'task.problemMatchers.neverPrompt': true },
  async run({ workbench, workspace, step, publishScreenshot }) {
    const page = workbench.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await step('open the QEMU Lab view', () => workbench.openActivity('QEMU Lab'));
    const labView = workbench.view('Lab');
    await step('the Lab view lists the experiment, the migration and the network', () =>
      waitFor('cpu, move and lab with their descriptions', async () => {
        const items = await workbench.treeItems(labView);
        const has = (label: string, description: RegExp) => items.some((i) => i.label === label && description.test(i.description));
        return has('cpu', /^vm1 · sysbench-cpu · 1× 1 s$/) && has('move', /^vm1 → local \(same host\) · auto-converge$/) && has('lab', /^isolated 10\.79\.0\.1\/24$/) ? items : undefined;
      }, { timeoutMs: 60_000 }),
    );
    await publishScreenshot('lab-view.png', workbench.sideBar(), { maxHeight: 420 });
    await step('Tasks: Run Task lists the qemu-lab tasks', async () => {
      await workbench.runCommand('Tasks: Run Task');
      await input.fill('qemu-lab');
      // The filter leaves the provider's folder row first and selected: Enter opens it.
      await rows.first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('Enter');
      await waitFor('the lab\'s tasks in the picker', async () => {
        const labels = await rows.allInnerTexts();
        return ['run the whole lab (qemu-lab.yaml)', 'experiment cpu (qemu-lab.yaml)'].every((t) => labels.some((l) => l.includes(t))) ? labels : undefined;
      }, { timeoutMs: 60_000 });
    });
    await publishScreenshot('tasks.png', page.locator('.quick-input-widget').first(), { maxHeight: 240 });
    await page.keyboard.press('Escape');
    await step('"Run in Terminal" on the cpu row', () => workbench.contextMenu(workbench.treeRow(labView, 'cpu'), 'Run in Terminal'));
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
