import { checkCommand } from './commands/check';
import { downCommand } from './commands/down';
import { guestBuildCommand } from './commands/guest-build';
import { hostsCommand } from './commands/hosts';
import { initCommand } from './commands/init';
import { upCommand } from './commands/up';
import type { CliCommand } from './io';

/** Every CLI command, in the order `--help` lists them. */
export const cliCommands: readonly CliCommand[] = [initCommand, checkCommand, guestBuildCommand, upCommand, downCommand, hostsCommand];
