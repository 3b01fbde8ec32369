// (c) A lab file with a misspelt key: the language server's diagnostic shows in the Problems
// view, saying what was probably meant.
import { defineScenario } from '../harness/scenario';
import { waitFor } from '../harness/workbench';

export const scenario = defineScenario({
  name: 'a broken lab file shows its problem in the Problems view',
  workspace: { 'qemu-lab.yaml': 'vms:\n  vm1:\n    memroy: 1G\n' },
  async run({ workbench, step, publishScreenshot }) {
    await step('open qemu-lab.yaml', () => workbench.openFile('qemu-lab.yaml'));
    const problem = await step('the Problems view lists the misspelt key', () =>
      waitFor('a problem mentioning "memory"', async () => (await workbench.problems()).find((row) => /memroy|memory/.test(row) && /memory/.test(row)), {
        timeoutMs: 45_000,
      }),
    );
    console.log(`    problem: ${problem}`);
    await publishScreenshot('problems.png');
  },
});
