import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VmError } from '../core/errors';
import type { LabModel } from '../core/lab/model';
import type { VmInstance } from '../core/vm/backend';
import { QemuDirectBackend } from '../core/vm/qemu-direct-backend';
import { resolveVm } from '../core/vm/resolve-vm';
import { stateRoot } from '../core/vm/run-dir';
import { UsageError, type CliIo, type GlobalOptions } from './io';
import { loadLabOrFail } from './load-lab';

/** The lab, the backend, and a VM of it that must be running, for commands that act on one. */
export interface RunningVm {
  readonly lab: LabModel;
  readonly backend: QemuDirectBackend;
  readonly instance: VmInstance;
}

/** Finds the running VM `name` of the lab file, or fails saying how to start it. */
export async function findRunningVm(name: string, global: GlobalOptions, io: CliIo): Promise<RunningVm> {
  const lab = await loadLabOrFail(global.file, io);
  resolveVm(lab, name);
  const backend = new QemuDirectBackend(stateRoot(io.env));
  const instance = await backend.find({ labPath: lab.path, vmName: name });
  if (instance === undefined || !instance.alive) {
    throw new VmError(`VM "${name}" is not running.`, { hint: `Start it with qemu-lab up ${name}.` });
  }
  return { lab, backend, instance };
}

/** Parses `VM [options]` for a command that acts on exactly one VM. */
export function parseVmArgs(
  command: string,
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): { vmName: string; values: Record<string, string | boolean | undefined>; rest: string[] } {
  const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  const [vmName, ...rest] = parsed.positionals;
  if (vmName === undefined) throw new UsageError(`${command} needs a VM name.`);
  return { vmName, values: parsed.values as Record<string, string | boolean | undefined>, rest };
}
