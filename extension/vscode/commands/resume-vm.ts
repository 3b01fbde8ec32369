import type { LabServices } from '../services';
import { runVmAction } from './vm-action';

/** "Resume": QMP `cont`. */
export function resumeVm(services: LabServices, argument: unknown): Promise<void> {
  return runVmAction(services, argument, { verb: 'resume', states: ['paused'], act: (backend, vm) => backend.resume(vm) });
}
