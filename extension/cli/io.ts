import type { AskSecret } from '../core/infrastructure/hosts/transports/ssh-auth';

/** Where a CLI command writes, passed in so commands run in tests without a terminal. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdout is a terminal: progress may redraw; otherwise plain lines. */
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
  /** Asks for SSH passphrases and passwords (the terminal prompt); without it only agent and unencrypted keys work. */
  readonly askSecret?: AskSecret;
}

/** Options every command takes. */
export interface GlobalOptions {
  /** The lab file (`-f`), default `./qemu-lab.yaml`. */
  readonly file: string;
  /** `--json`: print data as JSON instead of text. */
  readonly json: boolean;
  /** `--accept-new-host-key`: trust an SSH host seen for the first time (a changed key is still refused). */
  readonly acceptNewHostKey: boolean;
}

/** Wrong words on the command line: exit code 2 and the usage. */
export class UsageError extends Error {}
