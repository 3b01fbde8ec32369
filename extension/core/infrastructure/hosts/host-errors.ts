/**
 * Errors of host transports (local and SSH). All are {@link HostError}s:
 *
 * ```
 * HostError
 * ├── ProgramNotFoundError       the program does not exist on the host
 * ├── CommandCancelledError      run() was aborted or timed out; the process was killed
 * ├── HostUnreachableError       no SSH connection could be made (refused, timeout, DNS, …)
 * ├── HostConnectionLostError    an established connection dropped during an operation
 * ├── HostAuthError              the SSH server refused every way we tried to log in
 * │   └── SecretNeededError      …and a passphrase or password was needed that nobody could be asked for
 * ├── SecretPromptUnavailableError  an AskSecret has no way to ask a person (no terminal)
 * ├── HostKeyError               the server's host key cannot be trusted
 * │   ├── UnknownHostKeyError    not in known_hosts (and nobody accepted it)
 * │   ├── ChangedHostKeyError    known_hosts has another key of that type: possible attack
 * │   └── RevokedHostKeyError    known_hosts marks the key @revoked
 * ├── SshConfigError             ~/.ssh/config asks for something we cannot do (yet)
 * ├── HostChannelError           a channel (socket, TCP, SFTP) could not be opened or failed
 * └── HostAccessRefusedError     the host gate is closed (an untrusted workspace): nothing was started
 * ```
 */
import { HostError } from '../../errors';
import type { SecretPrompt } from './transports/ssh-auth';

/** The program does not exist on the host (local ENOENT, or the remote shell's exit 127). */
export class ProgramNotFoundError extends HostError {
  constructor(
    readonly program: string,
    readonly host: string,
    options?: { hint?: string; cause?: unknown },
  ) {
    super(`${program} was not found on ${host}.`, options);
  }
}

/** Why a run was cut short. */
export type CancelReason = 'aborted' | 'timeout';

/** A run was aborted (AbortSignal) or timed out; the process (group) was killed. */
export class CommandCancelledError extends HostError {
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly reason: CancelReason,
    readonly stdout: string,
    readonly stderr: string,
    options?: { hint?: string; cause?: unknown; timeoutMs?: number; host?: string },
  ) {
    const where = options?.host === undefined ? '' : ` on ${options.host}`;
    const why = reason === 'timeout' ? `timed out after ${options?.timeoutMs ?? '?'} ms` : 'was cancelled';
    super(`${program}${where} ${why}; it was killed.`, options);
  }
}

/** No SSH connection could be made to the host. */
export class HostUnreachableError extends HostError {
  constructor(
    readonly host: string,
    readonly reason: string,
    options?: { hint?: string; cause?: unknown },
  ) {
    super(`Cannot connect to ${host}: ${reason}`, {
      hint: options?.hint ?? 'Check that the host is up, the address and port are right, and sshd runs there.',
      cause: options?.cause,
    });
  }
}

/** An established SSH connection dropped while an operation was using it. */
export class HostConnectionLostError extends HostError {
  constructor(
    readonly host: string,
    /** What was going on (e.g. the program run); undefined when nothing was. */
    readonly operation: string | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Lost the SSH connection to ${host}${operation === undefined ? '' : ` during ${operation}`}: ${reason}`, {
      hint: 'The next operation on this host reconnects; check the network and the host if it keeps happening.',
      cause: options?.cause,
    });
  }
}

/** The SSH server refused every authentication method we tried. */
export class HostAuthError extends HostError {
  constructor(
    readonly host: string,
    readonly user: string,
    readonly tried: readonly string[],
    options?: { hint?: string; cause?: unknown; detail?: string },
  ) {
    const what = tried.length === 0 ? 'no usable method (no agent, key or password)' : tried.join(', ');
    super(`Permission denied for ${user}@${host}; tried ${what}.${options?.detail ? ` ${options.detail}` : ''}`, {
      hint:
        options?.hint ??
        'Check the user name, load your key into ssh-agent or set identity:, and that the key is in the host’s authorized_keys.',
      cause: options?.cause,
    });
  }
}

/**
 * Thrown by an {@link AskSecret} that cannot ask anybody (the CLI with no terminal). The login
 * goes on without that secret, and if it then fails, the failure is a {@link SecretNeededError}.
 */
export class SecretPromptUnavailableError extends HostError {
  constructor(
    readonly prompt: SecretPrompt,
    /** Why nobody can be asked, e.g. `there is no terminal to ask on`. */
    readonly reason: string,
  ) {
    super(`${prompt.message}: cannot ask, ${reason}.`);
  }
}

/** What a prompt asked for, as words: `the passphrase of KEY` or `a password for user@host:port`. */
function neededWords(prompt: SecretPrompt): string {
  switch (prompt.kind) {
    case 'passphrase':
      return `the passphrase of ${prompt.keyFile ?? 'a key'}`;
    case 'password':
      return `a password for ${prompt.account}`;
    case 'keyboard-interactive':
      return `an answer for ${prompt.account} ("${prompt.message}")`;
  }
}

/** The server refused the login, and a passphrase or password it needed could not be asked for. */
export class SecretNeededError extends HostAuthError {
  constructor(
    host: string,
    user: string,
    tried: readonly string[],
    /** Each question that could not be asked. */
    readonly needed: readonly SecretPrompt[],
    /** Why they could not be asked. */
    readonly reason: string,
  ) {
    const words = [...new Set(needed.map(neededWords))];
    const keys = [...new Set(needed.flatMap((p) => (p.kind === 'passphrase' && p.keyFile !== undefined ? [p.keyFile] : [])))];
    super(host, user, tried, {
      detail: `Logging in needs ${words.join(', or ')}, and ${reason}.`,
      hint:
        keys.length > 0
          ? `Run the command in a terminal to be asked, or load the key into ssh-agent first (ssh-add ${keys.join(' ')}).`
          : 'Run the command in a terminal to be asked, or set up key login (ssh-copy-id) for this host.',
    });
  }
}

/** What we know about the key a server presented. */
export interface PresentedHostKey {
  /** The host as looked up in known_hosts: `name` or `[name]:port`. */
  readonly knownHostsName: string;
  /** e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** `SHA256:<base64 without padding>`, as OpenSSH prints it. */
  readonly fingerprint: string;
}

/** The server's host key cannot be trusted. */
export class HostKeyError extends HostError {}

/** The host's key is not in known_hosts and nobody accepted it. */
export class UnknownHostKeyError extends HostKeyError {
  readonly fingerprint: string;
  constructor(
    readonly presented: PresentedHostKey,
    readonly knownHostsPath: string,
    options?: { otherKeyTypes?: readonly string[] },
  ) {
    const others =
      options?.otherKeyTypes !== undefined && options.otherKeyTypes.length > 0
        ? ` (known_hosts has keys of other types for it: ${options.otherKeyTypes.join(', ')})`
        : '';
    super(
      `The authenticity of host ${presented.knownHostsName} can't be established${others}. ` +
        `Its ${presented.keyType} key fingerprint is ${presented.fingerprint}.`,
      {
        hint: `If you trust that fingerprint (compare it with \`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub\` on the host), accept it, or connect once with ssh to add it to ${knownHostsPath}.`,
      },
    );
    this.fingerprint = presented.fingerprint;
  }
}

/** known_hosts has a different key of this type for the host: it may be an attack. */
export class ChangedHostKeyError extends HostKeyError {
  readonly fingerprint: string;
  constructor(
    readonly presented: PresentedHostKey,
    /** Fingerprints of the keys known_hosts has for the host, with where they are. */
    readonly known: readonly { readonly fingerprint: string; readonly file: string; readonly line: number }[],
  ) {
    const where = known.map((k) => `${k.file}:${k.line}`).join(', ');
    super(
      `WARNING: THE HOST KEY OF ${presented.knownHostsName} HAS CHANGED! Someone could be eavesdropping on you ` +
        `(a man-in-the-middle attack), or the host was reinstalled. The host now presents ${presented.keyType} ` +
        `${presented.fingerprint}; known_hosts expects ${known.map((k) => k.fingerprint).join(' or ')} (${where}). ` +
        'Refusing to connect.',
      {
        hint: `Find out why the key changed. Only if the new key is right, remove the old one (ssh-keygen -R '${presented.knownHostsName}') and connect again.`,
      },
    );
    this.fingerprint = presented.fingerprint;
  }

  /** The fingerprints known_hosts expected. */
  get knownFingerprints(): string[] {
    return this.known.map((k) => k.fingerprint);
  }
}

/** known_hosts marks the presented key `@revoked`. */
export class RevokedHostKeyError extends HostKeyError {
  constructor(readonly presented: PresentedHostKey, file: string, line: number) {
    super(`The host key of ${presented.knownHostsName} (${presented.fingerprint}) is marked @revoked in ${file}:${line}. Refusing to connect.`, {
      hint: 'Ask the host’s administrator for its current key.',
    });
  }
}

/** ~/.ssh/config asks for something this SSH implementation cannot do (yet). */
export class SshConfigError extends HostError {}

/** A channel (UNIX socket, TCP, SFTP, exec) could not be opened or failed. */
export class HostChannelError extends HostError {}

/**
 * Nothing was started or connected: the {@link HostGate} of whoever asked is closed (in the
 * editor: the workspace is not trusted). Not a failure of the host; trusting fixes it.
 */
export class HostAccessRefusedError extends HostError {
  constructor(
    /** What was refused, e.g. "connect to 10.0.0.2" or "run qemu-system-x86_64". */
    readonly action: string,
    /** Why the gate is closed. */
    readonly reason: string,
    options?: { hint?: string },
  ) {
    super(`QEMU Lab did not ${action}: ${reason}.`, options);
  }
}
