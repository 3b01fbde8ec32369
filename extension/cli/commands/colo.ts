import { defineGroup } from '../command-spec';
import { coloDownCommand } from './colo-down';
import { coloFailoverCommand } from './colo-failover';
import { coloStatusCommand } from './colo-status';
import { coloUpCommand } from './colo-up';

/** `qemu-lab colo up|status|failover|down VM …`: COLO fault tolerance of a VM (its faultTolerance: entry). */
export const coloCommand = defineGroup({
  name: 'colo',
  summary: 'COLO fault tolerance: set up a primary/secondary pair, show it, fail over',
  subcommands: [coloUpCommand, coloStatusCommand, coloFailoverCommand, coloDownCommand],
});
