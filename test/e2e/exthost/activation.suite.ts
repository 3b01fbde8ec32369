// In a fresh extension host, in a folder without a lab file: the manifest never activates the
// extension eagerly; activating it (timed, here, by the host that does it) registers every
// command package.json contributes.
import * as assert from 'node:assert/strict';
import { contributedCommands, extensionUnderTest, manifest, ourRegisteredCommands } from './extension-under-test';
import { measure, mochaSuite } from './mocha-runner';

export const run = mochaSuite(({ describe, it }) => {
  describe('activation', () => {
    it('is not active before anything asks for it (no lab file, no view shown)', () => {
      assert.equal(extensionUnderTest().isActive, false);
    });

    it('has no activation event that fires on every start-up', () => {
      const events = manifest().activationEvents ?? [];
      assert.deepEqual(events.filter((e) => e === '*' || e === 'onStartupFinished'), []);
    });

    it('activates, and the extension host reports how long it took', async () => {
      const extension = extensionUnderTest();
      const started = performance.now();
      await extension.activate();
      const ms = performance.now() - started;
      measure('extHostActivateMs', Math.round(ms * 10) / 10);
      assert.equal(extension.isActive, true);
    });

    it('has registered every command in contributes.commands', async () => {
      const registered = new Set(await ourRegisteredCommands());
      assert.deepEqual(contributedCommands().filter((id) => !registered.has(id)), []);
    });
  });
});
