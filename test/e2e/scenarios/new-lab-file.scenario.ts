// (b) "QEMU Lab: New Lab File" from the command palette writes qemu-lab.yaml into the folder
// and opens it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

export const scenario = defineScenario({
  name: 'New Lab File from the command palette writes and opens qemu-lab.yaml',
  workspace: {},
  async run({ workbench, workspace, step }) {
    await step('run "QEMU Lab: New Lab File" from the command palette', () => workbench.runCommand('QEMU Lab: New Lab File'));
    await step('qemu-lab.yaml opens in an editor', () =>
      waitFor('the qemu-lab.yaml tab', async () => ((await workbench.activeTab()) === 'qemu-lab.yaml' ? true : undefined)),
    );
    await step('the editor shows vms:', () => workbench.scrollEditorUntil(/^vms:\s*$/m));
    const file = join(workspace, 'qemu-lab.yaml');
    assert.ok(existsSync(file), `${file} was written`);
    assert.match(readFileSync(file, 'utf8'), /^vms:$/m);
  },
});
