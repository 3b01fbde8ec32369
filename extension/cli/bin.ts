import { cliCommands } from './command-list';
import { runCli } from './main';
import { askSecretOnTerminal } from './terminal-secret';

// The `qemu-lab` command (dist/cli.js): the same core as the editor, headless.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

runCli(process.argv.slice(2), cliCommands, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  askSecret: askSecretOnTerminal(controller.signal),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`qemu-lab: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
