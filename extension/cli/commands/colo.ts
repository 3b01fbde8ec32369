import { UsageError, type CliCommand } from '../io';
import { coloDownCommand } from './colo-down';
import { coloFailoverCommand } from './colo-failover';
import { coloStatusCommand } from './colo-status';
import { coloUpCommand } from './colo-up';

/** The subcommands and their options, for usage errors (the one-line usage in --help leaves them out). */
const SUBCOMMAND_HELP = [
  'Subcommands of colo:',
  '  colo up VM [--watch] [--interval S] [--hang-bound S] [--on-hang kill|failover] [--timeout S]',
  '  colo status VM',
  '  colo failover VM [--to secondary|primary]',
  '  colo down VM',
].join('\n');

const SUBCOMMANDS = {
  up: coloUpCommand,
  status: coloStatusCommand,
  failover: coloFailoverCommand,
  down: coloDownCommand,
} as const;

/** `qemu-lab colo up|status|failover|down VM …`: COLO fault tolerance of a VM (its faultTolerance: entry). */
export const coloCommand: CliCommand = {
  name: 'colo',
  usage: 'colo up|status|failover|down VM [options]',
  summary: 'COLO fault tolerance: set up a primary/secondary pair, show it, fail over',
  async run(args, global, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || !Object.hasOwn(SUBCOMMANDS, sub)) {
      throw new UsageError(`colo takes a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}.\n${SUBCOMMAND_HELP}`);
    }
    return SUBCOMMANDS[sub as keyof typeof SUBCOMMANDS](rest, global, io);
  },
};
