import type { LabServices } from '../services';
import { runVmAction } from './vm-action';

/** "Reset": QMP `system_reset`. */
export function resetVm(services: LabServices, argument: unknown): Promise<void> {
  return runVmAction(services, argument, { verb: 'reset', states: ['running', 'paused', 'error'], act: (backend, vm) => backend.reset(vm) });
}
