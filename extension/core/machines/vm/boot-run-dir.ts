import { assertPrivateState } from '../../infrastructure/files/private-state';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { assertSocketPathsFit, runFilesIn, type VmRunFiles } from './run-dir';

/**
 * Boot step 1: the VM's run directory `dir` (under the state directory `root`) made, private,
 * and cleared of what a dead run left that would make the new QEMU look ready too early.
 */
export async function prepareRunDir(system: HostSystem, root: string, dir: string, options: { vnc: boolean }): Promise<VmRunFiles> {
  const files = runFilesIn(dir, options);
  assertSocketPathsFit(files);
  await system.makePrivateDirectory(dir);
  // makePrivateDirectory tightens the run directory; above it, someone else's is refused.
  await assertPrivateState(system, root, dir);
  await system.removeFiles([files.qmpSocket, files.watchSocket, files.serialSocket, files.pidFile, files.serialLog]);
  return files;
}
