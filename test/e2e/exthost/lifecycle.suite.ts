// Activate, then deactivate exactly as VS Code does (deactivate(), then dispose every
// context.subscriptions entry in order), and observe from outside what is left: the commands the
// extension host still has registered, and the processes it still runs. The real activation must
// not have happened in this host (its registrations would collide), so the folder has no lab file
// and nothing here shows the view or opens a lab document.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { ownedExtensionContext, type OwnedContext } from './extension-context';
import {
  contributedCommands,
  extensionStartedProcesses,
  eventually,
  extensionUnderTest,
  manifest,
  ourRegisteredCommands,
  type ChildProcessInfo,
} from './extension-under-test';
import { measure, mochaSuite } from './mocha-runner';

interface ExtensionModule {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate?(): unknown;
}

export const run = mochaSuite(({ describe, it }) => {
  describe('activate → deactivate', () => {
    let baseline: string[] = [];
    let processesBefore: ChildProcessInfo[] = [];
    let owned: OwnedContext | undefined;
    let module: ExtensionModule | undefined;
    let startedByActivation: ChildProcessInfo[] = [];

    it('starts from an extension host where the extension never activated', async () => {
      assert.equal(extensionUnderTest().isActive, false);
      baseline = await ourRegisteredCommands(); // the workbench's own view commands, if any
      assert.deepEqual(baseline.filter((id) => contributedCommands().includes(id)), []);
      processesBefore = extensionStartedProcesses();
    });

    it("registers every contributed command when the bundle's activate() runs", async () => {
      const extension = extensionUnderTest();
      // The same file, loaded the same way (`vscode` resolves to this extension's API).
      const load = createRequire(join(extension.extensionPath, 'package.json'));
      module = load(join(extension.extensionPath, manifest().main)) as ExtensionModule;
      owned = ownedExtensionContext(extension);
      await module.activate(owned.context);
      const registered = await ourRegisteredCommands();
      // What activation started (the language server, today), for the test after the next.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const before = new Set(processesBefore.map((p) => p.pid));
      startedByActivation = extensionStartedProcesses().filter((p) => !before.has(p.pid));
      measure('processesStartedByActivation', startedByActivation.map((p) => p.command));
      assert.deepEqual(contributedCommands().filter((id) => !registered.includes(id)), []);
    });

    it('leaves no command of ours registered after deactivate() and disposing the subscriptions', async () => {
      assert.ok(module !== undefined && owned !== undefined, 'activation failed above');
      await module.deactivate?.();
      for (const subscription of owned.subscriptions) await subscription.dispose();
      const left = await eventually('our commands to be unregistered', ourRegisteredCommands, (ids) => ids.join() === baseline.join(), 5_000).catch(
        async () => ourRegisteredCommands(),
      );
      assert.deepEqual(left.filter((id) => !baseline.includes(id)), []);
    });

    it('leaves no process it started running (e.g. the language server stops)', async () => {
      const before = new Set(processesBefore.map((p) => p.pid));
      const started = (): ChildProcessInfo[] => extensionStartedProcesses().filter((p) => !before.has(p.pid));
      const left = await eventually('the processes the extension started to exit', started, (list) => list.length === 0, 10_000).catch(() =>
        started(),
      );
      assert.deepEqual(left, []);
    });
  });
});
