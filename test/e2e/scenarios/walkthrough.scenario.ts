// "Get started with QEMU Lab": the walkthrough lists its five steps, and they check themselves
// off from what happened — "Find QEMU" once the local probe found QEMU (the hosts view shown from
// the step's own link), "Create a lab file" once the workspace has one (from the step's button).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

const STEPS = ['Find QEMU', 'Create a lab file', 'Boot the built-in guest', 'Run the experiment', 'Open the results'];

export const scenario = defineScenario({
  name: 'the Get Started walkthrough checks its steps off from what happened',
  workspace: {},
  timeoutMs: 300_000,
  async run({ workbench, workspace, step, publishScreenshot }) {
    const page = workbench.page;
    const openWalkthrough = async (): Promise<void> => {
      await workbench.runCommand('Welcome: Open Walkthrough...');
      const item = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Get started with QEMU Lab' }).first();
      await item.waitFor({ timeout: 15_000 });
      await item.click();
    };
    /** Back to the walkthrough: its Welcome tab stays open behind what a step opened. */
    const backToWalkthrough = async (): Promise<void> => {
      // The walkthrough's own tab ("Walkthrough: QEMU Lab"), not the start-up Welcome page's.
      const tab = page.locator('.tabs-container .tab', { hasText: 'Walkthrough: QEMU Lab' }).first();
      if ((await tab.count()) > 0) await tab.click({ timeout: 15_000 });
      else await openWalkthrough();
      await stepButton('Find QEMU').waitFor({ state: 'visible', timeout: 15_000 });
    };
    /** A step's button in the walkthrough ("Find QEMU"), and whether it shows checked off. */
    // The Welcome page shown at start-up is a second instance of the same editor, kept hidden.
    const shown = page.locator('.gettingStartedContainer:visible').first();
    const stepButton = (title: string) => shown.locator('.getting-started-step', { hasText: title }).first();
    // The workbench marks a step done with a "complete" class on the step's check icon.
    const isChecked = async (title: string): Promise<boolean> => (await stepButton(title).locator('.codicon.complete').count()) > 0;

    await step('open the walkthrough from "Welcome: Open Walkthrough..."', openWalkthrough);
    await step('it lists the five steps, none checked off', async () => {
      for (const title of STEPS) await stepButton(title).waitFor({ timeout: 30_000 });
      for (const title of STEPS) assert.equal(await isChecked(title), false, `${title} is not checked off yet`);
    });
    await step('"Create a lab file": its New Lab File button writes qemu-lab.yaml, and the step checks itself off', async () => {
      await stepButton('Create a lab file').click();
      await shown.locator('.getting-started-step.expanded a, .getting-started-step.expanded .button-link', { hasText: 'New Lab File' }).first().click();
      await waitFor('qemu-lab.yaml written', async () => (existsSync(join(workspace, 'qemu-lab.yaml')) ? true : undefined));
      // The command opens the file after writing it: back to the walkthrough only once it has
      // (else the editor comes up over the walkthrough afterwards, seen in CI).
      await waitFor('the qemu-lab.yaml tab', async () => ((await workbench.activeTab()) === 'qemu-lab.yaml' ? true : undefined));
      await backToWalkthrough();
      await waitFor('"Create a lab file" checked off', async () => ((await isChecked('Create a lab file')) ? true : undefined), { timeoutMs: 30_000 });
    });
    await step('"Find QEMU": its link shows the hosts view; once the probe found QEMU the step checks itself off', async () => {
      await backToWalkthrough();
      await stepButton('Find QEMU').click();
      await shown.locator('.getting-started-step.expanded a, .getting-started-step.expanded .button-link', { hasText: 'Show Hosts and VMs' }).first().click();
      const view = workbench.view('Hosts and VMs');
      await waitFor('the local host probed', async () => ((await workbench.treeRows(view)).some((r) => /^local QEMU \d/.test(r)) ? true : undefined), { timeoutMs: 60_000 });
      await backToWalkthrough();
      await waitFor('"Find QEMU" checked off', async () => ((await isChecked('Find QEMU')) ? true : undefined), { timeoutMs: 30_000 });
    });
    await step('the steps not done stay unchecked', async () => {
      for (const title of STEPS.slice(2)) assert.equal(await isChecked(title), false, `${title} is not checked off`);
    });
    await step('the walkthrough itself in front (the Welcome tab can come back on its start page)', async () => {
      // The page holds both slides (start page, walkthrough) side by side and slides one out of
      // view: the walkthrough shows when its steps are inside the window.
      const showsDetails = async (): Promise<boolean> => {
        const box = await stepButton('Find QEMU').boundingBox();
        const width = page.viewportSize()?.width ?? 0;
        return box !== null && box.x >= 0 && box.x + box.width <= width;
      };
      await waitFor('the walkthrough slide shown', async () => {
        if (await showsDetails()) return true;
        await shown.locator('button.getting-started-category', { hasText: 'Get started with QEMU Lab' }).first().click({ timeout: 5_000 });
        return undefined;
      }, { intervalMs: 1_000 });
      await page.waitForTimeout(1_000); // The slide moves in with an animation.
    });
    // The editor part, as a person sees it: the container holds both slides side by side.
    await publishScreenshot('walkthrough.png', page.locator('.part.editor').first());
  },
});
