/**
 * The one error tree of QEMU Lab. Every error a user can see is a {@link QemuLabError}: its
 * `message` says what went wrong and its `hint` says what to do about it.
 *
 * ```
 * QemuLabError
 * ├── LabFileError                  the lab file cannot be read or is invalid
 * ├── HostError                     a host cannot do what was asked   (this file; infrastructure/hosts/host-errors.ts)
 * │   ├── CommandFailedError        a program on a host exited non-zero
 * │   ├── CommandCancelledError     it was cancelled
 * │   ├── ProgramNotFoundError      it is not installed there
 * │   ├── NetworkError              a bridge, TAP or network namespace cannot be set up
 * │   ├── HostUnreachableError      an SSH host cannot be reached
 * │   ├── HostConnectionLostError   its connection dropped
 * │   ├── HostChannelError          a channel on it could not be opened
 * │   ├── HostKeyError              its host key is unknown, changed or revoked
 * │   │   ├── UnknownHostKeyError, ChangedHostKeyError, RevokedHostKeyError
 * │   ├── HostAuthError             logging in failed
 * │   │   └── SecretNeededError     a passphrase/password is needed and nothing may ask for it
 * │   ├── SecretPromptUnavailableError  no terminal to ask on (the CLI)
 * │   ├── SshConfigError            ~/.ssh/config cannot be used
 * │   └── HostAccessRefusedError    Restricted Mode: nothing may connect or start a process
 * ├── StateTrustError               a state dir or record is not the user's own, or breaks its schema (infrastructure/files/private-state.ts)
 * ├── UnsafePathError               a name from data would leave its folder (infrastructure/files/safe-name.ts)
 * ├── GuestBuildError               the built-in lab guest could not be built
 * ├── VmError                       a VM cannot be booted, found, or controlled
 * │   └── VmTimeoutError            a VM did not reach a state in time
 * ├── BenchmarkError                a benchmark failed or its output is unreadable (measuring/workloads/errors.ts)
 * ├── ResultStoreError              results.jsonl cannot be read or written (measuring/results/errors.ts)
 * ├── MigrationError                a migration failed; it says what was rolled back (migration/errors.ts)
 * │   └── MigrationCancelledError
 * ├── DuringBenchmarkError          a --during benchmark failed (migration/errors.ts)
 * ├── ColoError                     COLO set-up, failover or checkpoints (colo/errors.ts)
 * │   ├── ColoCheckpointHungError, ColoNotReplicatingError
 * │   └── ColoUpFailedError         colo up failed; says what it left running
 * └── QmpError                      (infrastructure/qmp/errors.ts) connect, state, execute, timeout, interrupted,
 *     └── QmpProtocolError          negotiation, and protocol errors (deserialization, unexpected, oversized)
 * ```
 */
export class QemuLabError extends Error {
  /** What the user can do about it, as one sentence. */
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }

  /** The message and the hint, as shown to a person. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  ${this.hint}`;
  }
}

/** The lab file cannot be read, parsed, or fails validation. */
export class LabFileError extends QemuLabError {}

/** A host cannot do what was asked of it. */
export class HostError extends QemuLabError {}

/** A program run on a host failed; keeps what a person needs to see why. */
export class CommandFailedError extends HostError {
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderr: string,
    options?: { hint?: string },
  ) {
    const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal ?? 'a signal'}`;
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`${program} ${how}${tail ? `:\n${tail}` : ''}`, options);
  }
}

/** A VM's bridge network cannot be set up on its host (bridge missing, no CAP_NET_ADMIN, …). */
export class NetworkError extends HostError {}

/** The built-in lab guest could not be built. */
export class GuestBuildError extends QemuLabError {}

/** A VM cannot be booted, found, or controlled. */
export class VmError extends QemuLabError {}

/** A VM did not reach the expected state in time. */
export class VmTimeoutError extends VmError {}

/** Turns anything thrown into text for a person, keeping the hint of our own errors. */
export function describeError(error: unknown): string {
  if (error instanceof QemuLabError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
