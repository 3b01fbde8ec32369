import { adoptCommand } from './commands/adopt';
import { benchCommand } from './commands/bench';
import { checkCommand } from './commands/check';
import { completionCommand } from './commands/completion';
import { coloCommand } from './commands/colo';
import { downCommand } from './commands/down';
import { guestCommand } from './commands/guest-build';
import { hostsCommand } from './commands/hosts';
import { importCommand } from './commands/import';
import { initCommand } from './commands/init';
import { internalGroup } from './commands/internal';
import { migrateCommand } from './commands/migrate';
import { qemuCommand } from './commands/qemu';
import { qmpCommand } from './commands/qmp';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { snapshotCommand } from './commands/snapshot';
import { sshCommand } from './commands/ssh';
import { statusCommand } from './commands/status';
import { upCommand } from './commands/up';
import { killCommand, pauseCommand, resetCommand, resumeCommand } from './commands/vm-actions';
import type { CliCommand } from './command-spec';

/** Every CLI command, in the order `--help` lists them. */
export const cliCommands: readonly CliCommand[] = [
  initCommand,
  checkCommand,
  guestCommand,
  upCommand,
  downCommand,
  pauseCommand,
  resumeCommand,
  resetCommand,
  killCommand,
  statusCommand,
  sshCommand,
  qmpCommand,
  snapshotCommand,
  migrateCommand,
  coloCommand,
  hostsCommand,
  adoptCommand,
  qemuCommand,
  benchCommand,
  runCommand,
  reportCommand,
  importCommand,
  completionCommand,
  internalGroup(() => cliCommands),
];
