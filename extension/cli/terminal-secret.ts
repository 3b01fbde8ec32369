/**
 * Passphrases and passwords for the CLI, asked on the terminal with echo off, as OpenSSH does:
 * the question is written to and the answer read from `/dev/tty` (so it works with stdin or
 * stdout redirected), or stdin/stderr when stdin is a terminal but not the controlling one. With
 * no terminal nobody can be asked: the login goes on without the secret and, if it fails, says
 * which key or host needed what (`SecretNeededError`).
 */
import { openSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import { SecretPromptUnavailableError } from '../core/infrastructure/hosts/host-errors';
import type { AskSecret, SecretPrompt } from '../core/infrastructure/hosts/transports/ssh-auth';

/** A terminal to ask one question on. */
interface Terminal {
  readonly input: ReadStream;
  write(text: string): void;
  /** Gives the terminal back: closes `/dev/tty`, or pauses stdin. */
  close(): void;
}

/** What to say when nobody can be asked. */
const NO_TERMINAL = 'there is no terminal to ask on';

/** The controlling terminal, else stdin if it is a terminal, else `undefined`. */
function openTerminal(): Terminal | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    // ENXIO: no controlling terminal (a service, a job started with setsid, CI).
  }
  if (fd !== undefined && isatty(fd)) {
    const ttyFd = fd;
    const input = new ReadStream(ttyFd);
    // Destroying the stream closes the descriptor.
    return { input, write: (text) => writeSync(ttyFd, text), close: () => input.destroy() };
  }
  if (process.stdin.isTTY) {
    const input = process.stdin;
    return { input, write: (text) => process.stderr.write(text), close: () => input.pause() };
  }
  return undefined;
}

/** The question as shown: the prompt's sentence, and on a retry that the last answer was wrong. */
function questionOf(prompt: SecretPrompt): string {
  const again = prompt.retry ? `That ${prompt.kind === 'passphrase' ? 'passphrase' : 'answer'} was wrong. ` : '';
  return `${again}${prompt.message}: `;
}

/**
 * Reads one line from `terminal` in raw mode, echoing nothing. Enter ends it; backspace and
 * Ctrl-U edit; Ctrl-D on an empty line or `signal` means no answer; Ctrl-C (no SIGINT is sent in
 * raw mode) means no answer and is passed on as SIGINT, so the command is cancelled as usual.
 */
function readHidden(terminal: Terminal, question: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const { input } = terminal;
    let answer: string[] = [];
    let interrupted = false;
    const finish = (value: string | undefined): void => {
      input.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      input.setRawMode(false);
      terminal.write('\n');
      terminal.close();
      resolve(value);
      if (interrupted) process.kill(process.pid, 'SIGINT');
    };
    const onAbort = (): void => finish(undefined);
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        switch (char) {
          case '\r':
          case '\n':
            return finish(answer.join(''));
          case '\u0003':
            interrupted = true;
            return finish(undefined);
          case '\u0004':
            if (answer.length === 0) return finish(undefined);
            break;
          case '\u007f':
          case '\b':
            answer = answer.slice(0, -1);
            break;
          case '\u0015':
            answer = [];
            break;
          default:
            answer.push(char);
        }
      }
    };
    if (signal.aborted) {
      terminal.close();
      resolve(undefined);
      return;
    }
    // Echo goes off before the question shows, so nothing typed after it is ever echoed.
    input.setRawMode(true);
    terminal.write(question);
    input.on('data', onData);
    signal.addEventListener('abort', onAbort, { once: true });
    input.resume();
  });
}

/**
 * The CLI's {@link AskSecret}: each question on the terminal, echo off; nothing is kept. Throws
 * {@link SecretPromptUnavailableError} when there is no terminal.
 */
export function askSecretOnTerminal(signal: AbortSignal): AskSecret {
  return async (prompt) => {
    const terminal = openTerminal();
    if (terminal === undefined) throw new SecretPromptUnavailableError(prompt, NO_TERMINAL);
    return readHidden(terminal, questionOf(prompt), signal);
  };
}
