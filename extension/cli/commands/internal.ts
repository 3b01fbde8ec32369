import { defineGroup, type CliCommand, type CommandGroup } from '../command-spec';
import { internalCompleteCommand } from './completion';
import { internalRelayCommand } from './internal-relay';

/**
 * `qemu-lab internal …`: what the CLI runs of itself, not for people (hidden from help and
 * completion). `commands` is every command of the CLI, for completion.
 */
export function internalGroup(commands: () => readonly CliCommand[]): CommandGroup {
  return defineGroup({ name: 'internal', summary: 'used by the CLI itself', subcommands: [internalRelayCommand, internalCompleteCommand(commands)], hidden: true });
}
