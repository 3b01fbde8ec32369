import type { LabServices } from '../services';
import { runVmAction } from './vm-action';

/** "Pause": QMP `stop`. */
export function pauseVm(services: LabServices, argument: unknown): Promise<void> {
  return runVmAction(services, argument, { verb: 'pause', states: ['running'], act: (backend, vm) => backend.pause(vm) });
}
