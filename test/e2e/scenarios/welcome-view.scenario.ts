// (a) In a folder without a lab file, the QEMU Lab activity-bar icon opens the "Hosts and VMs"
// view, which explains lab files and offers a "New Lab File" button; so does the Lab view. Once a
// lab file without experiments, migrations or networks is there, the Lab view offers to open it
// instead of making another.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

export const scenario = defineScenario({
  name: 'activity bar opens the QEMU Lab view with its welcome',
  workspace: { 'README.md': '# not a lab\n' },
  async run({ workbench, workspace, step, publishScreenshot }) {
    await step('click the QEMU Lab icon in the activity bar', () => workbench.openActivity('QEMU Lab'));
    const view = workbench.view('Hosts and VMs');
    const welcome = view.locator('.welcome-view-content');
    await step('the view shows the welcome text', async () => {
      const text = await waitFor('the welcome text', async () => {
        const t = await welcome.innerText({ timeout: 1_000 });
        return t.includes('lab file') ? t : undefined;
      });
      assert.match(text, /qemu-lab\.yaml/);
    });
    await step('and a "New Lab File" button', () => welcome.locator('.monaco-button', { hasText: 'New Lab File' }).waitFor({ timeout: 10_000 }));
    await publishScreenshot('welcome-view.png', workbench.sideBar(), { maxHeight: 360 });
    const labWelcome = workbench.view('Lab').locator('.welcome-view-content');
    await step('the Lab view offers "New Lab File" too', () => labWelcome.locator('.monaco-button', { hasText: 'New Lab File' }).waitFor({ timeout: 10_000 }));
    await step('a lab file with only a VM: the Lab view offers to open it, not another one', async () => {
      writeFileSync(join(workspace, 'qemu-lab.yaml'), 'vms:\n  web: { image: builtin, cpus: 1, memory: 512M, accel: tcg, network: user }\n');
      await labWelcome.locator('.monaco-button', { hasText: 'Open Lab File' }).waitFor({ timeout: 30_000 });
      assert.match(await labWelcome.innerText(), /has no experiments, migrations or networks yet/);
      assert.equal(await labWelcome.locator('.monaco-button', { hasText: 'New Lab File' }).count(), 0);
    });
  },
});
